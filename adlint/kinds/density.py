"""`density`: flag documents with too many ad units for their content.

What it checks:
    Counts the elements matching `select` (the ad units) and compares them with the
    content, and with the screen, five ways, each with its own threshold (omit one to skip it):
    - per 1,000 visible words (`max_per_1000_words`);
    - as a share of the page's height on a phone `screen_width` px wide
      (`max_height_share`), the measure of the Better Ads Standard's 30% mobile limit,
      estimated from the sizes the source declares (kinds/heights.py): ads' declared, named
      or GPT `defineSlot` sizes (a 300x250 rectangle when unknown), content images' (full
      width at 16:9 when unknown) and the text's length, all scaled to the screen's width;
      as in the Standard, ads below the main content (after its last words or image) are
      left out, and ads pinned to the screen counted wherever they are;
    - as a share of blocks, units / (units + content blocks) (`max_share`): a cruder proxy
      for the same limit, which counts a 90 px banner as a whole paragraph;
    - an ad pinned to the screen (`max_sticky_share`): the Standards' "large sticky ad",
      one whose own style or an enclosing element's says `position: fixed` or `sticky`
      and that covers more than this share of a `screen_width` x `screen_height` screen's
      area. Only sizes the source states count (the ad's, its image's, or the pinned
      element's, in px, vw/vh or %, or by opposite offsets): a pinned ad of unknown height
      is not flagged, since most are small anchors; one of unknown width spans the screen.
      Every unit counts, navigation's too, whatever the document's length;
    - stacked units: consecutive units with fewer than `min_words_between` words of content
      between them (`max_stacked`: the most units allowed in one stack); pinned units are
      over the page, in no stack.
    Documents with fewer than `min_words` words get only the stack and sticky tests.

    "Content" is the main content, as the Better Ads Standards measure it: headers, footers,
    site navigation and related-article lists are not part of it. Two options say what is
    not: `navigation`, a selector for elements whose text is not content (and whose ad units
    are outside the main content, so not counted), and `navigation_link_share`, the share of
    a block's words in link text from which the block is a link list ("Also read: ..."),
    not content. Without them every visible word counts. Navigation that holds every word
    is taken for markup gone wrong (a page wrapped in one <aside>), and the whole page is
    measured.

Options:
    select (required), max_per_1000_words, max_height_share (0..1), screen_width (px,
    100 or more; default 360), max_sticky_share (0..1), screen_height (px, 100 or more;
    default 640), max_share (0..1), max_stacked, min_words_between (default
    1), min_words (default 100), navigation (a selector), navigation_link_share (0..1), at
    (`element` default).

Message fields:
    units, words (of content), blocks (of content), navigation_words (left out),
    per_1000_words, share (percent of blocks), height_share (percent of the estimated
    height; with `max_height_share`), sticky_share (percent of the screen a pinned ad
    covers), stacked, measure (`per_1000_words`, `height_share`, `share`, `sticky_share` or
    `stacked`), limit, detail (a readable sentence), and the flagged unit's
    tag, url, host, domain (the selector's captures are not message data).

Example:
    ad-density:
      kind: density
      severity: warning
      message: "Ad density too high: {detail}"
      select: {tag: ins, class: adsbygoogle}
      max_per_1000_words: 4
      max_height_share: 0.3
      max_stacked: 1
      navigation: {tag: [nav, header, footer, aside]}
      navigation_link_share: 0.8
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import TYPE_CHECKING, ClassVar

from adlint.finding import Hit, Measure
from adlint.formats import counted
from adlint.kinds import ELEMENT_FIELDS, RuleContext, element_hit
from adlint.kinds.heights import (
    Screen,
    Slots,
    ad_height,
    content_media,
    known_ad_box,
    media_height,
    pinned_box,
    pinned_position,
    slot_sizes,
)

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
    navigation: Selector | None = None
    navigation_link_share: float | None = None
    max_height_share: float | None = None
    screen_width: float = 360
    max_sticky_share: float | None = None
    screen_height: float = 640
    at: str = "element"

    name: ClassVar[str] = "density"
    fields: ClassVar[tuple[str, ...]] = (
        *ELEMENT_FIELDS,
        "units",
        "words",
        "blocks",
        "navigation_words",
        "per_1000_words",
        "share",
        "height_share",
        "sticky_share",
        "stacked",
        "measure",
        "limit",
        "detail",
    )
    choices: ClassVar[dict[str, tuple[str, ...]]] = {"at": ("url", "element")}
    maxima: ClassVar[dict[str, float]] = {
        "max_share": 1,
        "navigation_link_share": 1,
        "max_height_share": 1,
        "max_sticky_share": 1,
    }
    minima: ClassVar[dict[str, float]] = {"screen_width": 100, "screen_height": 100}

    def check(self, document: Document, context: RuleContext) -> Iterator[Hit]:
        units = self._units(context)
        pins = _pins(document, units)
        sticky_limit = self.max_sticky_share if pins else None
        measures_heights = sticky_limit is not None or (
            bool(units) and self.max_height_share is not None
        )
        slots = slot_sizes(document) if measures_heights else {}
        if sticky_limit is not None:
            yield from self._pinned(document, units, pins, slots, sticky_limit)
        if not units or not self._weighs_content:
            # a rule that only looks at pinned ads (large-sticky-ad) measures no content
            context.measure = Measure(len(units), document.words)
            return
        content = self._content(document, context)
        if content.outside:
            units = _in_main_content(document, units, content.outside)
        words, blocks = content.words, content.blocks
        measured = words >= self.min_words
        if not units:
            context.measure = Measure(0, words, measured)
            return
        rate = len(units) * 1000 / words if words else float("inf")
        share = len(units) / (len(units) + blocks)
        base = {
            "units": len(units),
            "words": words,
            "blocks": blocks,
            "navigation_words": content.navigation_words,
            "per_1000_words": round(rate, 1) if words else "∞",
            "share": round(share * 100),
        }
        height_share = None
        in_content = units
        if self.max_height_share is not None:
            screen = Screen(self.screen_width)
            height_share, in_content = _height_share(document, units, content, screen, pins, slots)
            base["height_share"] = round(height_share * 100)
        context.measure = Measure(len(units), words, measured, height_share)
        left_out = ""
        if content.navigation_words:
            left_out = f"; {counted(content.navigation_words, 'word')} of navigation and link lists"
            left_out += " not counted"
        elif content.whole_page:
            left_out = "; navigation held every word, so the whole page was measured"
        if measured and self.max_per_1000_words is not None and rate > self.max_per_1000_words:
            allowed = int(self.max_per_1000_words * words / 1000)
            detail = (
                f"{counted(len(units), 'ad unit')} in {counted(words, 'word')} "
                f"({base['per_1000_words']} per "
                f"1,000 words; limit {self.max_per_1000_words:g}{left_out})"
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
                f"({base['share']}%; limit {self.max_share:.0%}{left_out})"
            )
            yield self._hit(units[0], base, "share", self.max_share, detail)
        limit = self.max_height_share
        if measured and limit is not None and height_share is not None and height_share > limit:
            below = len(units) - len(in_content)
            if below:
                left_out += f"; {counted(below, 'ad unit')} below the main content not counted"
            detail = (
                f"ads take about {base['height_share']}% of the page's height on a "
                f"{self.screen_width:g} px wide phone (limit {limit:.0%}; estimated from the "
                f"sizes the page declares{left_out})"
            )
            yield self._hit(in_content[0], base, "height_share", limit, detail)
        in_flow = [unit for unit in units if unit.index not in pins] if pins else units
        if self.max_stacked is not None and in_flow:
            # a pinned ad is over the page, not stacked in it with the ads beside its markup
            yield from self._stacks(document, in_flow, base, content.run_words)

    @property
    def _weighs_content(self) -> bool:
        """Whether any measure against the content is on (all but `max_sticky_share`)."""
        limits = (self.max_per_1000_words, self.max_share, self.max_height_share)
        return self.max_stacked is not None or any(limit is not None for limit in limits)

    def _pinned(
        self,
        document: Document,
        units: list[Element],
        pins: dict[int, tuple[Element, str]],
        slots: Slots,
        limit: float,
    ) -> Iterator[Hit]:
        """Each element that pins ads to the screen once, at its first unit, when it covers
        more than `limit` of the screen's area (Chromium's large-sticky-ad test): the
        larger of the sizes the ad and the pinned element state, full width when neither
        states a width."""
        screen = Screen(self.screen_width, self.screen_height)
        reported: set[int] = set()
        pinned_boxes: dict[int, tuple[float | None, float | None]] = {}
        for unit in units:
            found = pins.get(unit.index)
            if found is None or found[0].index in reported:
                continue
            pinned, position = found
            if pinned.index not in pinned_boxes:  # read its style once, however many units
                pinned_boxes[pinned.index] = pinned_box(pinned, position, screen)
            boxes = [pinned_boxes[pinned.index]]
            ad = known_ad_box(unit, document, screen, slots)
            if ad is not None:
                boxes.append(ad)
            heights = [height for _, height in boxes if height is not None]
            if not heights:
                continue  # no stated size: most pinned ads are small anchors
            widths = [width for width, _ in boxes if width is not None]
            width, height = max(widths, default=screen.width), max(heights)
            share = width * height / (screen.width * screen.height)
            if share <= limit:
                continue
            reported.add(pinned.index)
            where = "its own style"
            if pinned is not unit:
                line, column = document.position(pinned.start)
                where = f"the <{pinned.tag}> at {line}:{column}"
            detail = (
                f"an ad pinned to the screen (position: {position}, set by {where}) covers "
                f"about {share:.0%} of a {screen.width:g}x{screen.height:g} px phone screen "
                f"({width:.0f}x{height:.0f} px; limit {limit:.0%})"
            )
            data = {"units": len(units), "sticky_share": round(share * 100)}
            yield self._hit(unit, data, "sticky_share", limit, detail)

    def _content(self, document: Document, context: RuleContext) -> Content:
        """What of the document is main content: every visible word, unless `navigation`
        or `navigation_link_share` say some is not."""
        if self.navigation is None and self.navigation_link_share is None:
            return Content(document.words, len(document.blocks), 0, _run_words(document))
        navigation: list[int] = []
        outside: frozenset[int] = frozenset()
        if self.navigation is not None:
            found = [element for element, _ in context.selected(self.navigation)]
            outside = frozenset(element.index for element in found)
            navigation = _runs_inside(found)
        content = _measure(document, navigation, self.navigation_link_share, outside)
        if outside and not content.words and document.words:
            # Navigation holding every word is markup gone wrong (a page wrapped in one
            # <aside>, an unclosed <header>), not a page without content: measured against
            # nothing, its units all fell outside and it could never be flagged.
            words, blocks = document.words, len(document.blocks)
            return Content(words, blocks, 0, _run_words(document), whole_page=True)
        return content

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

    def _stacks(
        self, document: Document, units: list[Element], base: dict, run_words: Sequence[int]
    ) -> Iterator[Hit]:
        run_starts = [run.start for run in document.runs]
        words_before = list(accumulate(run_words, initial=0))
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
            detail = f"{counted(len(stack), 'ad unit')} stacked with no content between them"
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


@dataclass(frozen=True)
class Content:
    """The main content of one document, as this rule sees it."""

    words: int
    blocks: int
    navigation_words: int
    """Visible words left out: in `navigation` elements or in link-list blocks."""
    run_words: Sequence[int]
    """Content words in each of `Document.runs` (0 for runs left out): what separates
    stacked units."""
    outside: frozenset[int] = frozenset()
    """Indexes of the `navigation` elements: ad units inside them are outside the main
    content."""
    whole_page: bool = False
    """Navigation enclosed every word, so the whole page is measured instead."""


def _run_words(document: Document) -> Sequence[int]:
    """The parser's word count of each run (counted again for a Document made without)."""
    counts: Sequence[int] = document.run_words
    if len(counts) != len(document.runs):
        from adlint.parse.builder import count_words  # the parsers load with the first file

        counts = [count_words(run.text) for run in document.runs]
    return counts


def _runs_inside(elements: Iterable[Element]) -> list[int]:
    """The indexes of the runs read inside any of `elements` (given in document order),
    ascending, each once: runs an enclosing element already gave are skipped, so a thousand
    nested `<nav>`s cost what one does."""
    found: list[int] = []
    covered = 0
    for element in elements:
        first, last = element.text_runs
        first = max(first, covered)
        if last > first:
            found.extend(range(first, last))
            covered = last
    return found


def _measure(
    document: Document,
    navigation: list[int],
    link_share: float | None,
    outside: frozenset[int],
) -> Content:
    """Leave out the words of navigation runs and of link-list blocks (whose link words the
    parser counted), finding the block of navigation runs only: most runs are prose."""
    counts = _run_words(document)
    blocks = document.blocks
    navigation_in: dict[int, int] = {}
    owner = _BlockFinder(document)
    for run in navigation:
        block = owner(run)
        navigation_in[block] = navigation_in.get(block, 0) + counts[run]
    link_lists: list[int] = []
    if link_share is not None:
        for index, block in enumerate(blocks):
            if block.link_words:
                # Navigation words are taken for link text first: a block is a link list
                # only on the strength of the links outside navigation.
                left = navigation_in.get(index, 0)
                rest = block.words - left
                if rest > 0 and block.link_words - left >= link_share * rest:
                    link_lists.append(index)
    if not navigation and not link_lists:
        return Content(document.words, len(blocks), 0, counts, outside)
    emptied = sum(
        1 for block, words in navigation_in.items() if block >= 0 and words >= blocks[block].words
    )
    run_words = list(counts)
    left_out = 0
    for run in navigation:
        left_out += counts[run]
        run_words[run] = 0
    for block in link_lists:
        left_out += blocks[block].words - navigation_in.get(block, 0)
        runs = owner.runs_of(block)
        if isinstance(runs, range):
            run_words[runs.start : runs.stop] = [0] * len(runs)
        else:
            for run in runs:
                run_words[run] = 0
    return Content(
        document.words - left_out,
        len(blocks) - emptied - len(link_lists),
        left_out,
        run_words,
        outside,
    )


class _BlockFinder:
    """Which block a run's words went to: the innermost block whose span holds the run
    (blocks nest, as a `<p>` in an `<li>`), or -1."""

    def __init__(self, document: Document) -> None:
        self.runs = document.runs
        self.blocks = document.blocks
        self.starts = [block.start for block in self.blocks]
        self.run_starts: list[int] | None = None
        self._enclosing: list[int] | None = None

    def __call__(self, run: int) -> int:
        position = self.runs[run].start
        block = bisect.bisect_right(self.starts, position) - 1
        # The last block to start before the run either holds it or ended before it; then
        # only a block holding that one can hold the run.
        while block >= 0 and self.blocks[block].end <= position:
            block = self.enclosing[block]
        return block

    @property
    def enclosing(self) -> list[int]:
        """Per block, the innermost block holding it (-1 for none); found when first asked,
        as most runs sit in the last block to start before them."""
        if self._enclosing is None:
            self._enclosing = [-1] * len(self.blocks)
            open_blocks: list[int] = []
            for index, block in enumerate(self.blocks):
                while open_blocks and self.blocks[open_blocks[-1]].end <= block.start:
                    open_blocks.pop()
                if open_blocks:
                    self._enclosing[index] = open_blocks[-1]
                open_blocks.append(index)
        return self._enclosing

    def runs_of(self, block: int) -> Iterable[int]:
        """The runs whose words went to `block` (not to a block nested in it)."""
        if self.run_starts is None:
            self.run_starts = [run.start for run in self.runs]
        span = self.blocks[block]
        first = bisect.bisect_left(self.run_starts, span.start)
        last = bisect.bisect_left(self.run_starts, span.end)
        following = block + 1
        if following == len(self.blocks) or self.blocks[following].start >= span.end:
            return range(first, last)  # no block nests in this one: all its runs are its own
        return [run for run in range(first, last) if self(run) == block]


def _height_share(
    document: Document,
    units: list[Element],
    content: Content,
    screen: Screen,
    pins: dict[int, tuple[Element, str]],
    slots: Slots,
) -> tuple[float, list[Element]]:
    """The share of the main content's estimated height on `screen` that ads take, the
    measure of the Better Ads Standards' 30% (see kinds/heights.py): ads over ads, text and
    media; and the units it counts. Like the Standards, it does not count the ads below
    the main content, after its last words or image (the units between an article's last
    paragraph and its "Also read" list), but counts those pinned to the screen (`pins`)
    wherever their markup is (often last in the page), once."""
    media = list(content_media(document, units, content.outside))
    end = _last_content_start(document, content.run_words)
    if media:
        end = max(end, media[-1].start)
    if end < 0:
        end = len(document.text)  # no content at all: nothing is below it
    in_content = [unit for unit in units if unit.start < end or unit.index in pins]
    ads = sum(ad_height(unit, document, screen, slots) for unit in in_content)
    total = (
        ads
        + sum(media_height(element, screen) for element in media)
        + screen.text_height(content.words, content.blocks)
    )
    return (ads / total if total else 0.0), in_content


def _pins(document: Document, units: list[Element]) -> dict[int, tuple[Element, str]]:
    """By unit index, the element pinning the unit to the screen (itself or the nearest
    enclosing element whose style says `position: fixed` or `sticky`) and that position,
    for the units that are pinned."""
    memo: dict[int, tuple[Element, str] | None] = {}

    def pinning(element: Element) -> tuple[Element, str] | None:
        position = pinned_position(element)
        return (element, position) if position else None

    pins = {}
    for unit in units:
        found = pinning(unit) or document.nearest_ancestor(unit, pinning, memo)
        if found is not None:
            pins[unit.index] = found
    return pins


def _last_content_start(document: Document, run_words: Sequence[int]) -> int:
    """Where the last run holding content words starts, -1 for none."""
    for index in range(len(run_words) - 1, -1, -1):
        if run_words[index]:
            return document.runs[index].start
    return -1


def _in_main_content(
    document: Document, units: list[Element], navigation: frozenset[int]
) -> list[Element]:
    """The units no `navigation` element encloses (a sidebar's or a footer's units are
    outside the main content, which the Better Ads Standards measure)."""
    memo: dict[int, bool | None] = {}

    def encloses(ancestor: Element) -> bool | None:
        return True if ancestor.index in navigation else None

    return [unit for unit in units if not document.nearest_ancestor(unit, encloses, memo)]


def _words_between(run_starts: list[int], words_before: list[int], a: Element, b: Element) -> int:
    """Words of visible text after unit `a` opens and before unit `b`, outside any unit."""
    low = bisect.bisect_left(run_starts, a.end)
    high = bisect.bisect_left(run_starts, b.start)
    return words_before[high] - words_before[low] if high > low else 0
