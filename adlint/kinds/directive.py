"""`directive`: flag suppression directives that suppress nothing because a name is wrong.

What it checks:
    With `names: rules` (the default), each rule id written in an `adlint-disable`,
    `adlint-enable`, `adlint-disable-line` or `adlint-disable-next-line` comment that no
    rule of the policy has. Such an id suppresses nothing: it is misspelt (`tracking-pixl`),
    or its rule was renamed or dropped, and the findings the author meant to silence are
    back, or another rule's are not. Rules the policy defines but disables (`x: false`,
    `severity: off`, or off everywhere but in an override) are known.
    With `names: directives`, each comment that opens with an `adlint-` word that is no
    directive (`adlint-disable-lines`, `adlint-ignore`): it is not applied at all.
    The hit points at the name itself. An id written twice in one comment is reported
    once, at its first use; a comment's ids after its first 100 are not read (they
    suppress nothing either), so one comment cannot flood the output.

Options:
    names: `rules` (default) or `directives`.

Message fields:
    name (the id or word as written), directive (`adlint-disable`, ...: the directive the
    id is written in, or the unknown word itself), suggestion (the closest known rule id or
    directive, or '').

Example:
    directive-unknown-rule:
      kind: directive
      severity: warning
      message: '{directive} names unknown rule "{name}" (did you mean "{suggestion}"?)'
    directive-unknown:
      kind: directive
      names: directives
      severity: warning
      message: 'unknown directive "{name}" (did you mean "{suggestion}"?)'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from adlint.directives import ACTIONS, named_rules, unknown_directives
from adlint.finding import Hit

if TYPE_CHECKING:
    from adlint.document import Document
    from adlint.kinds import RuleContext

_DIRECTIVES = sorted(f"adlint-{action}" for action in ACTIONS)


@dataclass(frozen=True)
class Directive:
    """Flag the rule ids, or the directive words, that suppression comments get wrong."""

    names: str = "rules"

    name: ClassVar[str] = "directive"
    fields: ClassVar[tuple[str, ...]] = ("name", "directive", "suggestion")
    choices: ClassVar[dict[str, tuple[str, ...]]] = {"names": ("rules", "directives")}

    def check(self, document: Document, context: RuleContext) -> Iterator[Hit]:
        if not document.comments:
            return
        if self.names == "directives":
            for word, start, end in unknown_directives(document):
                yield _hit(word, word, start, end, _DIRECTIVES)
            return
        known = context.rule_ids
        if not known:  # no policy to judge by: say nothing
            return
        candidates: list[str] | None = None
        for directive, rule_id, start, end in named_rules(document):
            if rule_id not in known:
                candidates = candidates or sorted(known)
                yield _hit(rule_id, directive, start, end, candidates)


def _hit(name: str, directive: str, start: int, end: int, candidates: Iterable[str]) -> Hit:
    import difflib  # loaded only when a directive is wrong

    close = difflib.get_close_matches(name, list(candidates), n=1)
    return Hit(
        start, end, {"name": name, "directive": directive, "suggestion": close[0] if close else ""}
    )
