"""`density`: flag documents with too many ad units for their content.

What it checks:
    Counts the elements matching `select` (the ad units) and compares them with the
    content, three ways, each with its own threshold (omit one to skip it):
    - per 1,000 visible words (`max_per_1000_words`);
    - as a share of blocks, units / (units + content blocks) (`max_share`): a static proxy
      for the Better Ads Standard's 30% mobile ad-density limit, which measures heights
      that a linter cannot see;
    - stacked units: consecutive units with fewer than `min_words_between` words of content
      between them (`max_stacked`: the most units allowed in one stack).
    Documents with fewer than `min_words` words are measured by the stack test only.

Options:
    select (required), max_per_1000_words, max_share (0..1), max_stacked,
    min_words_between (default 1), min_words (default 100), at (`element` default).

Message fields:
    units, words, blocks, per_1000_words, share (percent), stacked, measure
    (`per_1000_words`, `share` or `stacked`), limit, detail (a readable sentence), and the
    flagged unit's tag, url, host, domain (the selector's captures are not message data).

Example:
    ad-density:
      kind: density
      severity: warning
      message: "Ad density too high: {detail}"
      select: {tag: ins, class: adsbygoogle}
      max_per_1000_words: 4
      max_share: 0.3
      max_stacked: 1
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import TYPE_CHECKING, ClassVar

from adlint.finding import Hit
from adlint.kinds import ELEMENT_FIELDS, RuleContext, element_hit

if TYPE_CHECKING:
    from adlint.document import Document, Element
    from adlint.select import Selector


@dataclass(frozen=True)
class Density:
    """Flag documents whose ad units outweigh their content."""

    select: Selector
    max_per_1000_words: float | None = None
    max_share: float | None = None
    max_stacked: int | None = None
    min_words_between: int = 1
    min_words: int = 100
    at: str = "element"

    name: ClassVar[str] = "density"
    fields: ClassVar[tuple[str, ...]] = (
        *ELEMENT_FIELDS,
        "units",
        "words",
        "blocks",
        "per_1000_words",
        "share",
        "stacked",
        "measure",
        "limit",
        "detail",
    )
    choices: ClassVar[dict[str, tuple[str, ...]]] = {"at": ("url", "element")}
    maxima: ClassVar[dict[str, float]] = {"max_share": 1}

    def check(self, document: Document, context: RuleContext) -> Iterator[Hit]:
        units = self._units(context)
        if not units:
            return
        words, blocks = document.words, len(document.blocks)
        rate = len(units) * 1000 / words if words else float("inf")
        share = len(units) / (len(units) + blocks)
        base = {
            "units": len(units),
            "words": words,
            "blocks": blocks,
            "per_1000_words": round(rate, 1) if words else "∞",
            "share": round(share * 100),
        }
        measured = words >= self.min_words
        if measured and self.max_per_1000_words is not None and rate > self.max_per_1000_words:
            allowed = int(self.max_per_1000_words * words / 1000)
            detail = (
                f"{len(units)} ad units in {words} words ({base['per_1000_words']} per "
                f"1,000 words; limit {self.max_per_1000_words:g})"
            )
            yield self._hit(
                units[min(allowed, len(units) - 1)],
                base,
                "per_1000_words",
                self.max_per_1000_words,
                detail,
            )
        if measured and self.max_share is not None and share > self.max_share:
            detail = (
                f"{len(units)} of {len(units) + blocks} blocks are ads "
                f"({base['share']}%; limit {self.max_share:.0%})"
            )
            yield self._hit(units[0], base, "share", self.max_share, detail)
        if self.max_stacked is not None:
            yield from self._stacks(document, units, base)

    def _units(self, context: RuleContext) -> list[Element]:
        """Matched elements, without units nested inside another unit."""
        selected: list[Element] = []
        chosen: set[int] = set()
        enclosing: dict[int, bool | None] = {}
        document = context.document

        def unit(ancestor: Element) -> bool | None:
            # ancestors come first in document order, so `chosen` already holds theirs
            return True if ancestor.index in chosen else None

        for element, _ in context.selected(self.select):
            if not document.nearest_ancestor(element, unit, enclosing):
                selected.append(element)
            chosen.add(element.index)
        return selected

    def _stacks(self, document: Document, units: list[Element], base: dict) -> Iterator[Hit]:
        run_starts = [run.start for run in document.runs]
        words_before = _words_before_runs(document)
        stack = [units[0]]
        for previous, unit in zip(units, units[1:], strict=False):
            if _words_between(run_starts, words_before, previous, unit) < self.min_words_between:
                stack.append(unit)
                continue
            yield from self._stack_hit(stack, base)
            stack = [unit]
        yield from self._stack_hit(stack, base)

    def _stack_hit(self, stack: list[Element], base: dict) -> Iterator[Hit]:
        assert self.max_stacked is not None
        if len(stack) > self.max_stacked:
            detail = f"{len(stack)} ad units stacked with no content between them"
            yield self._hit(
                stack[self.max_stacked],
                {**base, "stacked": len(stack)},
                "stacked",
                self.max_stacked,
                detail,
            )

    def _hit(self, unit: Element, base: dict, measure: str, limit: float, detail: str) -> Hit:
        hit = element_hit(unit, {}, self.at)
        data = {
            "stacked": 0,
            **base,
            **hit.data,
            "measure": measure,
            "limit": limit,
            "detail": detail,
        }
        return Hit(hit.start, hit.end, data)


def _words_before_runs(document: Document) -> list[int]:
    """Words in the runs before each run, and in all of them last: a running total of the
    parser's counts, so the words between two units cost two look-ups."""
    counts: Sequence[int] = document.run_words
    if len(counts) != len(document.runs):  # a Document made without the counts
        from adlint.parse.builder import count_words  # the parsers load with the first file

        counts = [count_words(run.text) for run in document.runs]
    return list(accumulate(counts, initial=0))


def _words_between(run_starts: list[int], words_before: list[int], a: Element, b: Element) -> int:
    """Words of visible text after unit `a` opens and before unit `b`, outside any unit."""
    low = bisect.bisect_left(run_starts, a.end)
    high = bisect.bisect_left(run_starts, b.start)
    return words_before[high] - words_before[low] if high > low else 0
