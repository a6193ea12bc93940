"""`require`: flag selected elements that lack supporting evidence in the document.

What it checks:
    The elements matching `select` need evidence: visible text matching `text`, or a
    front-matter key matching `front_matter`. With `where: before` (the FTC's "before the
    link" placement) the evidence must appear before an element to cover it; with
    `where: anywhere` anywhere in the document will do.

Options:
    select: the elements that need evidence; required.
    text: a regex over visible text (not comments, code, URLs or attributes).
    front_matter: {key: regex or true}: front-matter keys that also count as evidence.
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

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from adlint.finding import Hit
from adlint.kinds import ELEMENT_FIELDS, RuleContext, element_hit
from adlint.pattern import SafePattern

if TYPE_CHECKING:
    from adlint.document import Document, Element
    from adlint.select import Captured, Selector

MAX_PROSE = 2_000_000
"""Visible text searched for evidence; a bound on regex work per document."""


@dataclass(frozen=True)
class Require:
    """Flag elements matching `select` that have no evidence (before them)."""

    select: Selector
    text: SafePattern | None = None
    front_matter: Mapping[str, Any] = field(default_factory=dict)
    where: str = "before"
    per: str = "document"
    at: str = "url"

    name: ClassVar[str] = "require"
    fields: ClassVar[tuple[str, ...]] = (*ELEMENT_FIELDS, "count", "total")
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
            if value is None or value is False:
                continue
            if expected is True or (
                isinstance(expected, SafePattern) and expected.search(str(value)[:10000])
            ):
                return True
        return False

    def _evidence_offset(self, document: Document, first: Element) -> int | None:
        """Offset of the first visible text that matches `text`, or None."""
        if self.text is None:
            return None
        limit = first.start if self.where == "before" else len(document.text)
        starts: list[int] = []
        pieces: list[str] = []
        size = 0
        for run in document.runs:
            if run.start >= limit or size > MAX_PROSE:
                break
            starts.append(size)
            pieces.append(run.text)
            size += len(run.text) + 1
        prose = " ".join(pieces)
        found = self.text.search(prose)
        if found is None:
            return None
        index = max(i for i, start in enumerate(starts) if start <= found.start())
        return document.runs[index].start
