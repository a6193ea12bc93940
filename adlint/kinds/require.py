"""`require`: flag selected elements that lack supporting evidence in the document.

What it checks:
    The elements matching `select` need evidence: visible text matching `text`, or a
    front-matter key matching `front_matter`. With `where: before` (the FTC's "before the
    link" placement) the evidence must appear before an element to cover it; with
    `where: anywhere` anywhere in the document will do.

    Text that lies wholly inside a link does not count: a link labelled "affiliate
    disclosure" points at a disclosure somewhere else, which the FTC calls not good enough
    ("behind a poorly labeled hyperlink"). Blocks (paragraphs, list items, headings) are
    joined with a newline, so `(?m)^...$` matches a whole label block such as "Ad".

Options:
    select: the elements that need evidence; required.
    text: a regex over visible text (not comments, code, URLs or attributes).
    front_matter: {key: regex or true}: front-matter keys that also count as evidence;
        `true` accepts any value but false, no, off, 0, none and empty ones.
    label: a regex for a label that covers one element wherever the document's text is:
        in the element's own text or within `label_within` characters after it, as
        Amazon's link-level "(paid link)".
    label_within: how far after the element a `label` may start (default 40).
    where: `before` (default) or `anywhere`.
    per: `document` (default: one finding at the first uncovered element) or `element`.
    at: `url` (default) or `element`.

Message fields:
    tag, url, host, domain and the selector's captures for the first uncovered element,
    plus `count` (uncovered elements) and `total` (selected elements).

Example:
    affiliate-disclosure-missing:
      kind: require
      severity: error
      message: "{count} affiliate link(s) and no disclosure before the first"
      select: {affiliate: true}
      text: '(?i)\\b(affiliate links?|we earn (a )?commissions?)\\b'
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from adlint.finding import Hit
from adlint.kinds import ELEMENT_FIELDS, RuleContext, element_hit

if TYPE_CHECKING:
    from adlint.document import Document, Element
    from adlint.pattern import SafePattern
    from adlint.select import Captured, Selector

MAX_PROSE = 2_000_000
"""Visible text searched for evidence; a bound on regex work per document."""


@dataclass(frozen=True)
class Require:
    """Flag elements matching `select` that have no evidence (before them)."""

    select: Selector
    text: SafePattern | None = None
    front_matter: Mapping[str, Any] = field(default_factory=dict)
    label: SafePattern | None = None
    label_within: int = 40
    where: str = "before"
    per: str = "document"
    at: str = "url"

    name: ClassVar[str] = "require"
    fields: ClassVar[tuple[str, ...]] = (*ELEMENT_FIELDS, "count", "total")
    captures: ClassVar[bool] = True
    choices: ClassVar[dict[str, tuple[str, ...]]] = {
        "where": ("before", "anywhere"),
        "per": ("document", "element"),
        "at": ("url", "element"),
    }

    def check(self, document: Document, context: RuleContext) -> Iterator[Hit]:
        selected = list(context.selected(self.select))
        if not selected or self._front_matter_has_evidence(document):
            return
        evidence = self._evidence_offset(document, selected[0][0])
        uncovered = [(e, c) for e, c in selected if evidence is None or e.start < evidence]
        if self.where == "anywhere" and evidence is not None:
            uncovered = []
        if self.label is not None:
            uncovered = [(e, c) for e, c in uncovered if not self._labelled(document, e)]
        if not uncovered:
            return
        targets = uncovered if self.per == "element" else uncovered[:1]
        for element, captured in targets:
            yield self._hit(element, captured, len(uncovered), len(selected))

    def _hit(self, element: Element, captured: Captured, count: int, total: int) -> Hit:
        hit = element_hit(element, captured, self.at)
        return Hit(hit.start, hit.end, {**hit.data, "count": count, "total": total})

    def _front_matter_has_evidence(self, document: Document) -> bool:
        for key, expected in self.front_matter.items():
            value = document.front_matter.get(key)
            if expected is True:
                if _declares(value):
                    return True
            elif value is not None and value is not False and expected.search(str(value)[:10000]):
                return True
        return False

    def _evidence_offset(self, document: Document, first: Element) -> int | None:
        """Offset of the first visible text that matches `text` and is not wholly link
        text, or None."""
        if self.text is None:
            return None
        limit = first.start if self.where == "before" else len(document.text)
        prose = _Prose(document, limit)
        position = 0
        for _ in range(MAX_LINK_MATCHES):
            found = self.text.search(prose.text, position)
            if found is None:
                return None
            runs = prose.runs_of(found.start(), found.end())
            if not prose.in_links(runs):
                return document.runs[runs[0]].start
            position = max(found.end(), found.start() + 1)
        return None

    def _labelled(self, document: Document, element: Element) -> bool:
        """Whether a `label` is in the element's own text or starts just after it."""
        assert self.label is not None
        first, past = element.text_runs
        runs = document.runs
        end = element.end
        if first < past <= len(runs):  # after its text, when it has some (`<a>...</a>`)
            end = max(end, runs[past - 1].start + len(runs[past - 1].text))
        reach = end + self.label_within
        nearby = [document.element_text(element)]
        for run in runs[past : past + MAX_LABEL_RUNS]:
            if run.start >= reach:
                break
            nearby.append(run.text[: reach - run.start])
        return self.label.search(" ".join(nearby)[:MAX_LABEL]) is not None


MAX_LINK_MATCHES = 100
"""Matches wholly inside links skipped before giving up (each search is time-limited)."""
MAX_LABEL = 4000
"""Characters of an element's text and what follows it searched for a `label`."""
MAX_LABEL_RUNS = 8
"""Text runs after an element read for a `label` (each starts within `label_within`)."""

_NOT_DECLARED = frozenset(("", "false", "no", "off", "0", "none", "null", "n"))


def _declares(value: Any) -> bool:
    """Whether a front-matter value says "yes": `disclosure: ""`, `"false"` or `0` must not
    pass for a disclosure."""
    if value is None or value is False or value == 0:
        return False
    if isinstance(value, str):
        return value.strip().lower() not in _NOT_DECLARED
    if isinstance(value, (list, dict)):
        return bool(value)
    return True


class _Prose:
    """The visible text before `limit` as one string: runs joined by a space within a
    block and by a newline between blocks, with where each run begins in it; which runs
    are link text is worked out only when a match needs it."""

    def __init__(self, document: Document, limit: int) -> None:
        blocks = document.blocks
        pieces: list[str] = []
        self.starts: list[int] = []
        size = 0
        block = 0  # blocks begun at or before the current run (runs come in order)
        for run in document.runs:
            if run.start >= limit or size > MAX_PROSE:
                break
            seen = block
            while block < len(blocks) and blocks[block].start <= run.start:
                block += 1
            if pieces:
                pieces.append("\n" if block != seen else " ")
                size += 1
            self.starts.append(size)
            pieces.append(run.text)
            size += len(run.text)
        self.text = "".join(pieces)
        self._document = document
        self._limit = limit
        self._link_runs: set[int] | None = None

    def runs_of(self, start: int, end: int) -> range:
        """The runs a match from `start` to `end` of the text touches."""
        first = bisect.bisect_right(self.starts, start) - 1
        last = bisect.bisect_left(self.starts, max(end, start + 1)) - 1
        return range(max(first, 0), max(last, first, 0) + 1)

    def in_links(self, runs: range) -> bool:
        """Whether every one of `runs` was read inside a link with a URL."""
        if self._link_runs is None:
            self._link_runs = set()
            for element in self._document.elements:  # in source order
                if element.start >= self._limit:
                    break
                if element.tag == "a" and element.url:
                    first, past = element.text_runs
                    self._link_runs.update(range(first, min(past, len(self.starts))))
        return all(index in self._link_runs for index in runs)
