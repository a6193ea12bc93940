"""`directive`: flag suppression directives that name a rule the policy does not define.

What it checks:
    Each rule id written in an `adlint-disable`, `adlint-enable`, `adlint-disable-line` or
    `adlint-disable-next-line` comment that no rule of the policy has. Such an id
    suppresses nothing: it is misspelt (`tracking-pixl`), or its rule was renamed or
    dropped, and the findings the author meant to silence are back, or another rule's
    are not. The hit points at the id itself. Rules the policy defines but disables (`x:
    false`, `severity: off`, or off everywhere but in an override) are known.

Options:
    none.

Message fields:
    name (the id as written), directive (`adlint-disable`, ...), suggestion (the closest
    known id, or '').

Example:
    directive-unknown-rule:
      kind: directive
      severity: warning
      message: '{directive} names unknown rule "{name}" (did you mean "{suggestion}"?)'
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from adlint.directives import named_rules
from adlint.finding import Hit

if TYPE_CHECKING:
    from adlint.document import Document
    from adlint.kinds import RuleContext


@dataclass(frozen=True)
class Directive:
    """Flag the rule ids of directives that the policy does not know."""

    name: ClassVar[str] = "directive"
    fields: ClassVar[tuple[str, ...]] = ("name", "directive", "suggestion")

    def check(self, document: Document, context: RuleContext) -> Iterator[Hit]:
        known = context.rule_ids
        if not document.comments or not known:  # no policy to judge by: say nothing
            return
        candidates: list[str] | None = None
        for directive, rule_id, start, end in named_rules(document):
            if rule_id in known:
                continue
            import difflib  # loaded only when a directive is wrong

            candidates = candidates or sorted(known)
            close = difflib.get_close_matches(rule_id, candidates, n=1)
            data = {
                "name": rule_id,
                "directive": directive,
                "suggestion": close[0] if close else "",
            }
            yield Hit(start, end, data)
