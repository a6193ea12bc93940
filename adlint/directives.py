"""In-source suppression directives, read from HTML comments.

    <!-- adlint-disable RULE[, RULE...] [-- reason] -->     from here on (no RULE: all rules)
    <!-- adlint-enable RULE[, RULE...] -->                  back on (no RULE: all rules)
    <!-- adlint-disable-next-line RULE [-- reason] -->      only the next line
    <!-- adlint-disable-line RULE [-- reason] -->           only the comment's own line

A directive reads at most its first 100 rule ids (`MAX_RULE_IDS`); any after those are
ignored, so they suppress nothing and their findings stay visible.

A comment may spread its ids and reason over several lines, as ESLint's block comments may
(`<!-- adlint-disable\n  ad-unit,\n  tracking-pixel -- sold -->`); `-line` then covers
every line of the comment, and `-next-line` the line after its end.

Suppressed findings are kept with the reason: the compliance report, JSON and SARIF show
them; the text output hides them, or with --show-suppressed lists them marked as such, and
never counts them.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from adlint.document import Comment, Document

_DIRECTIVE = re.compile(r"\s*adlint-([A-Za-z]+(?:-[A-Za-z]+)*)")
"""Only the head: the whole `adlint-...` word, so that a misspelt directive
(`adlint-disable-lines`) is no known one followed by an argument (`adlint-disable` with the
rule id `-lines`, which disabled its rules to the end of the file). A lazy `(.*?)` for the
arguments, then optional spaces to the end, backtracked quadratically over a long run of
spaces (40,000 took 7.8 s); `str.rstrip` trims them in linear time."""
ACTIONS = ("disable", "enable", "disable-line", "disable-next-line")
"""The directives, by what follows `adlint-`."""
ALL = "*"
_RULE_ID = re.compile(r"[^\s,]+")
"""A rule id in a directive's list: ids are separated by commas and/or spaces."""
MAX_RULE_IDS = 100
"""Rule ids read per directive comment. A policy has a few dozen rules; without a cap, one
2 MB comment of `a,a,a,...` gave 1,000,000 directive-unknown-rule findings and 2 GB of
memory. Ids past the cap suppress nothing, so what they meant to silence is still seen."""


@dataclass(frozen=True)
class Suppression:
    """Rules suppressed over a range of lines (inclusive), with the author's reason."""

    rules: frozenset[str]
    first_line: int
    last_line: int
    reason: str

    def covers(self, rule: str, line: int) -> bool:
        return self.first_line <= line <= self.last_line and (
            ALL in self.rules or rule in self.rules
        )


def _heads(document: Document) -> Iterator[tuple[Comment, re.Match[str]]]:
    """Each comment that opens with an `adlint-` word, and that word: the one reading of the
    syntax, for suppressing and for checking."""
    for comment in document.comments:
        match = _DIRECTIVE.match(comment.body)
        if match:
            yield comment, match


def _directives(document: Document) -> Iterator[tuple[Comment, str, str, int]]:
    """(comment, action, arguments, where the arguments start in the document) for each
    directive comment."""
    for comment, head in _heads(document):
        if head.group(1) in ACTIONS:
            arguments = comment.body[head.end() :].rstrip()
            yield comment, head.group(1), arguments, comment.body_start + head.end()


def unknown_directives(document: Document) -> Iterator[tuple[str, int, int]]:
    """(word, start, end) for each comment that opens with an `adlint-` word that is no
    directive: it suppresses nothing, so the findings it meant to silence are reported."""
    for comment, head in _heads(document):
        if head.group(1) not in ACTIONS:
            start = comment.body_start + head.start(1) - len("adlint-")
            yield f"adlint-{head.group(1)}", start, comment.body_start + head.end()


def _rule_ids(arguments: str) -> Iterator[re.Match[str]]:
    """The rule ids of a directive's arguments (what comes before ` -- reason`), at most
    MAX_RULE_IDS of them."""
    return islice(_RULE_ID.finditer(arguments.partition("--")[0]), MAX_RULE_IDS)


def _parse_arguments(arguments: str) -> tuple[frozenset[str], str]:
    rules = frozenset(rule.group() for rule in _rule_ids(arguments))
    return rules or frozenset({ALL}), " ".join(arguments.partition("--")[2].split())


def named_rules(document: Document) -> Iterator[tuple[str, str, int, int]]:
    """(directive, rule id, start, end) for each distinct rule id a directive comment names
    (its first use), with the id's offsets in the document, so a misspelt id can be pointed
    at exactly, once per comment."""
    for _, action, arguments, at in _directives(document):
        seen = {ALL}  # `*` spells out "every rule"
        for rule in _rule_ids(arguments):
            if rule.group() not in seen:
                seen.add(rule.group())
                yield f"adlint-{action}", rule.group(), at + rule.start(), at + rule.end()


def suppressions(document: Document) -> list[Suppression]:
    """Read every directive comment of a document into line ranges."""
    result: list[Suppression] = []
    open_ranges: dict[str, tuple[int, str]] = {}
    last_line = len(document.line_starts) or document.text.count("\n") + 1
    for comment, action, arguments, _ in _directives(document):
        rules, reason = _parse_arguments(arguments)
        line = document.position(comment.start)[0]
        end_line = document.position(comment.end)[0]
        default_reason = f"adlint-{action} directive"
        if action == "disable-next-line":
            result.append(Suppression(rules, end_line + 1, end_line + 1, reason or default_reason))
        elif action == "disable-line":
            result.append(Suppression(rules, line, end_line, reason or default_reason))
        elif action == "disable":
            for rule in rules:
                open_ranges.setdefault(rule, (line, reason or default_reason))
        else:
            for rule in list(open_ranges) if ALL in rules else rules:
                if rule in open_ranges:
                    start, why = open_ranges.pop(rule)
                    result.append(Suppression(frozenset({rule}), start, line, why))
    for rule, (start, why) in open_ranges.items():
        result.append(Suppression(frozenset({rule}), start, last_line, why))
    return result


def suppression_reason(rules: list[Suppression], rule: str, line: int) -> str | None:
    """The reason a finding of `rule` on `line` is suppressed, or None."""
    return suppression_reasons(rules, [(rule, line)])[0]


def suppression_reasons(
    rules: Sequence[Suppression], findings: Sequence[tuple[str, int]]
) -> list[str | None]:
    """For each (rule, line), the reason of the first suppression in `rules` covering it.

    One sweep down the lines: every suppression enters a heap per rule id (or `*`) at its
    first line and is dropped once past its last, so each finding reads two heap tops.
    Asking every suppression for every finding took 17 s for 10,000 links each under its
    own `adlint-disable-next-line`.
    """
    starts = sorted(
        (suppression.first_line, order, key)
        for order, suppression in enumerate(rules)
        for key in suppression.rules
    )
    active: dict[str, list[tuple[int, int]]] = {}
    reasons: list[str | None] = [None] * len(findings)
    entered = 0
    for index in sorted(range(len(findings)), key=lambda i: findings[i][1]):
        rule, line = findings[index]
        while entered < len(starts) and starts[entered][0] <= line:
            _, order, key = starts[entered]
            heapq.heappush(active.setdefault(key, []), (order, rules[order].last_line))
            entered += 1
        best: int | None = None
        for key in (rule, ALL):
            heap = active.get(key)
            while heap and heap[0][1] < line:  # ended above this line, and above all below
                heapq.heappop(heap)
            if heap and (best is None or heap[0][0] < best):
                best = heap[0][0]
        if best is not None:
            reasons[index] = rules[best].reason
    return reasons
