"""Estimated heights on a phone, for the density kind's `max_height_share`.

Why estimate: the Better Ads Standards fail a mobile page whose ads take more than 30% of
the main content's height. A linter sees no rendered page, but the source declares most of
what decides heights: ad slots carry their sizes (`width`/`height` attributes, `style`
sizes, the `min-height` Google's tags write, the sizes a page's `googletag.defineSlot` calls
give its slots), banners are images of stated size (or whose file name states it:
`banner_728x90.png`, WordPress's `photo-300x200.jpg`), and the height of text follows from
its length at a phone's width. Everything is scaled to the phone's width as a responsive
page would be (a 728x90 banner is 44 px tall on a 360 px screen). What the source does not
say is assumed, and said: an ad of unknown size is a 300x250 medium rectangle, the most
served mobile size; a content image or embed of unknown size fills the width at 16:9.

Ads pinned to the screen (`position: fixed` or `sticky`) are measured against the screen
itself, for the Standards' "large sticky ad": there nothing is assumed, since most such
ads are small anchors of a size the source does not state.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from adlint.css import declarations

if TYPE_CHECKING:
    from adlint.document import Document, Element

DEFAULT_AD = (300.0, 250.0)
"""Width and height of an ad unit that declares no size: the IAB medium rectangle."""
MEDIA_RATIO = 9 / 16
"""Height over width of a content image or embed that declares no height."""
MEDIA_TAGS = frozenset(("img", "iframe", "video", "embed", "object"))
"""What takes height in content besides text (a `<picture>`'s `<img>` stands for it)."""
CHARS_PER_WORD = 6.0
"""An average English word and the space after it."""
CHAR_WIDTH = 8.0
LINE_HEIGHT = 24.0
BLOCK_GAP = 16.0
"""16 px body text: 8 px per character on average, 1.5 line height, 1 em between blocks."""
MAX_DESCENDANTS = 64
"""How far into an ad unit to look for the image or frame that gives its size."""

_LENGTH = re.compile(r"\s*(\d{1,6}(?:\.\d+)?)\s*(px)?(?![\w%.])", re.IGNORECASE)
_ATTRIBUTE_LENGTH = re.compile(r"\s*(\d{1,6})(?!\d)")
_STYLE_SIZE = re.compile(r"(?:^|[;\s])(min-)?(width|height)\s*:", re.IGNORECASE)
_SCREEN_LENGTH = re.compile(r"(\d{1,6}(?:\.\d+)?)(px|vw|vh|%)?")
"""A length a pinned element may give its size or offsets in: pixels, or a share of the
screen."""
_DEFINE_SLOT = re.compile(r"""defineSlot\(\s*(['"`])[^'"`]{0,300}\1\s*,\s*\[""")
"""`googletag.defineSlot(path, [sizes], 'div-id')`, up to the sizes' `[`: Google Publisher
Tag's slot sizes in the page's scripts (bounded repeats: scripts come from the article)."""
_SLOT_ID = re.compile(r"""\s*,\s*(['"`])([^'"`]{1,200})\1""")
MAX_SIZES = 400
"""Characters of a slot's size list read."""
_SIZE_PAIR = re.compile(r"\[\s*(\d{1,4})\s*,\s*(\d{1,4})\s*\]")
PINNED_POSITIONS = {"fixed": "fixed", "sticky": "sticky", "-webkit-sticky": "sticky"}
_URL_SIZE = re.compile(r"(?<![0-9])([1-9][0-9]{1,3})[xX]([1-9][0-9]{1,3})(?![0-9])")
"""`728x90` in a banner's file name, `-300x200` in a WordPress thumbnail's."""


@dataclass(frozen=True)
class Screen:
    """The phone the page is measured on."""

    width: float = 360.0
    height: float = 640.0
    """A common phone's viewport (360x640 CSS px), what a pinned ad's share is of."""

    @property
    def chars_per_line(self) -> float:
        return max(self.width / CHAR_WIDTH, 1.0)

    def text_height(self, words: int, blocks: int) -> float:
        """`words` of prose in `blocks` paragraphs (headings, list items)."""
        lines = words * CHARS_PER_WORD / self.chars_per_line
        return lines * LINE_HEIGHT + blocks * BLOCK_GAP

    def fitted(self, width: float | None) -> float | None:
        """A box's width once it fits the screen."""
        return None if width is None else min(width, self.width)

    def scaled(self, width: float | None, height: float) -> float:
        """A box's height once shrunk to fit the screen's width (never enlarged)."""
        if width and width > self.width:
            return height * self.width / width
        return height


def declared_size(element: Element) -> tuple[float | None, float | None]:
    """(width, height) in CSS pixels as the element states them, each None when it does
    not: `style` sizes (`height` before `min-height`) win over `width`/`height` attributes,
    as CSS wins over presentational attributes. Percentages and other units are unknown."""
    sizes: dict[str, float] = {}
    style = element.attrs.get("style", "")
    if style:
        for match in _STYLE_SIZE.finditer(style):
            length = _LENGTH.match(style, match.end())
            if length is None or (length.group(2) is None and float(length.group(1)) != 0):
                continue  # `em`, `%`, `auto` or a unitless non-zero length: not pixels
            name = ("min-" if match.group(1) else "") + match.group(2).lower()
            sizes.setdefault(name, float(length.group(1)))
    for name in ("width", "height"):
        found = _ATTRIBUTE_LENGTH.match(element.attrs.get(name, ""))
        if found is not None and not element.attrs[name].strip().endswith("%"):
            sizes.setdefault("attr-" + name, float(found.group(1)))

    def first(*names: str) -> float | None:
        return next((sizes[name] for name in names if name in sizes), None)

    return first("width", "min-width", "attr-width"), first("height", "min-height", "attr-height")


def size(element: Element) -> tuple[float | None, float | None]:
    """The declared size, else for an image or frame the `WxH` its URL's path names."""
    width, height = declared_size(element)
    if height is None and element.tag in MEDIA_TAGS and element.url:
        path = element.url.split("?", 1)[0].split("#", 1)[0]
        named = _URL_SIZE.findall(path[path.rfind("/") + 1 :])
        if named:
            width, height = (float(n) for n in named[-1])
    return width, height


Slots = Mapping[str, Sequence[tuple[float, float]]]
"""Google Publisher Tag slot sizes by the id of the `<div>` that shows the slot."""
NO_SLOTS: Slots = MappingProxyType({})


def slot_sizes(document: Document) -> Slots:
    """The sizes `googletag.defineSlot(path, sizes, 'div-id')` gives each slot in the
    page's scripts (the first 2,000 characters of each, as elements keep them): a slot's
    `<div>` often states no size of its own."""
    slots: dict[str, list[tuple[float, float]]] = {}
    for script in document.candidates(frozenset(("script",))):
        if "defineSlot" not in script.own_text:
            continue
        text = script.own_text
        for call in _DEFINE_SLOT.finditer(text):
            end = _closing_bracket(text, call.end() - 1)
            named = _SLOT_ID.match(text, end + 1) if end >= 0 else None
            if named is None:
                continue
            sizes = _SIZE_PAIR.findall(text, call.end() - 1, end + 1)
            if sizes:
                slots.setdefault(named.group(2).strip(), [(float(w), float(h)) for w, h in sizes])
    return slots


def _closing_bracket(text: str, start: int) -> int:
    """The offset of the `]` closing the `[` at `start` (nested lists; `'fluid'` holds no
    bracket), -1 when it is not within MAX_SIZES characters."""
    depth = 0
    for offset in range(start, min(len(text), start + MAX_SIZES)):
        if text[offset] == "[":
            depth += 1
        elif text[offset] == "]":
            depth -= 1
            if not depth:
                return offset
    return -1


def ad_height(unit: Element, document: Document, screen: Screen, slots: Slots = NO_SLOTS) -> float:
    """The unit's height on the screen: its known height, else a medium rectangle's."""
    known = known_ad_box(unit, document, screen, slots)
    return screen.scaled(*DEFAULT_AD) if known is None else known[1]


def known_ad_box(
    unit: Element, document: Document, screen: Screen, slots: Slots = NO_SLOTS
) -> tuple[float | None, float] | None:
    """The unit's (width, height) on the screen as the source states them: its own size
    (or its GPT slot's, from `slots`), else that of the first image, frame or GPT slot
    inside it that has one (a banner is an `<a>` around an `<img>`); the width None when
    only the height is stated, and None when nothing says. Of a slot that takes several
    sizes, the tallest on the screen: the one that can fail the page."""
    for element in (unit, *_descendants(unit, document)):
        slot = slots.get(element.attrs.get("id", "")) if slots else None
        if element is not unit and (
            element.hidden or (element.tag not in MEDIA_TAGS and slot is None)
        ):
            continue
        width, height = size(element)
        if height is None and slot:
            width, height = max(slot, key=lambda box: screen.scaled(*box))
        if element is not unit and _is_pixel(width, height):
            continue  # the impression pixel beside a banner says nothing of the banner
        if height is not None:
            return screen.fitted(width), screen.scaled(width, height)
    return None


def pinned_position(element: Element) -> str:
    """`fixed` or `sticky` when the element's own style pins it to the screen, else ''."""
    style = element.attrs.get("style", "")
    if "position" not in style.lower():
        return ""
    return PINNED_POSITIONS.get(declarations(style).get("position", ""), "")


def pinned_box(
    element: Element, position: str, screen: Screen
) -> tuple[float | None, float | None]:
    """The (width, height) a pinned element declares for itself on the screen, each None
    when it does not: pixels (fitted to the screen like any box), `vw`/`vh` (and for a
    fixed element, whose percentages are of the screen, `%`), or for a fixed element what
    opposite offsets both given leave (`inset: 0` fills the screen)."""
    style = declarations(element.attrs.get("style", ""))
    declared_width, declared_height = declared_size(element)
    inset = style.get("inset", "").split() if position == "fixed" else []
    # CSS's shorthand: one value for all sides, then top/bottom and left/right, ...
    top, right = (inset + inset[:1])[:2] if inset else ("", "")
    bottom = inset[2] if len(inset) > 2 else top
    left = inset[3] if len(inset) > 3 else right
    height = _extent(style, "height", screen.height, position, ("top", top), ("bottom", bottom))
    if height is None and declared_height is not None:
        height = screen.scaled(declared_width, declared_height)
    width = _extent(style, "width", screen.width, position, ("left", left), ("right", right))
    if width is None:
        width = screen.fitted(declared_width)
    return width, height


def _extent(
    style: dict[str, str],
    name: str,
    whole: float,
    position: str,
    start: tuple[str, str],
    end: tuple[str, str],
) -> float | None:
    """A pinned element's width or height (`name`) in pixels of the screen's `whole`, when
    given in `vw`/`vh` or (fixed) `%`, or by both offsets (`start`, `end`: the property and
    the shorthand's value for it) of a fixed element."""
    for prefix in ("", "min-"):
        length = _screen_length(style.get(prefix + name, ""), position, whole, pixels=False)
        if length is not None:
            return length
    if position != "fixed":
        return None
    first = _screen_length(style.get(start[0], start[1]), position, whole)
    second = _screen_length(style.get(end[0], end[1]), position, whole)
    if first is None or second is None:
        return None
    return max(whole - first - second, 0.0)


def _screen_length(value: str, position: str, whole: float, pixels: bool = True) -> float | None:
    """A `vw`/`vh` or (for a fixed element) `%` length in pixels of the screen's `whole`,
    or a `px` one when `pixels` (offsets; sizes in pixels are `declared_size`'s, and are
    fitted to the screen)."""
    match = _SCREEN_LENGTH.fullmatch(value.strip())
    if match is None:
        return None
    number, unit = float(match.group(1)), match.group(2)
    if unit in ("vw", "vh") or (unit == "%" and position == "fixed"):
        return number * whole / 100
    if pixels and (unit == "px" or number == 0):
        return number
    return None


def _is_pixel(width: float | None, height: float | None) -> bool:
    return (width is not None and width <= 1) or (height is not None and height <= 1)


def media_height(element: Element, screen: Screen) -> float:
    """A content image's or embed's height: as its size says, else 16:9 at its width or
    the screen's."""
    width, height = size(element)
    if height is None:
        return min(width or screen.width, screen.width) * MEDIA_RATIO
    return screen.scaled(width, height)


def content_media(
    document: Document, units: Sequence[Element], outside: frozenset[int]
) -> Iterable[Element]:
    """Visible images and embeds of the main content that are no ad and no pixel: not a
    unit, not inside one, not inside navigation (`outside`), not 1 px or smaller."""
    unit_indexes = frozenset(unit.index for unit in units)
    memo: dict[int, bool | None] = {}

    def excluded(ancestor: Element) -> bool | None:
        if ancestor.index in unit_indexes or ancestor.index in outside:
            return True
        return None

    for element in document.elements:
        if element.tag not in MEDIA_TAGS or element.hidden or element.index in unit_indexes:
            continue
        if _is_pixel(*declared_size(element)):
            continue
        if document.nearest_ancestor(element, excluded, memo):
            continue
        yield element


def _descendants(unit: Element, document: Document) -> list[Element]:
    """The elements inside `unit`, in order (they follow it in `Document.elements`), at
    most MAX_DESCENDANTS."""
    inside = {unit.index}
    found: list[Element] = []
    for element in document.elements[unit.index + 1 : unit.index + 1 + MAX_DESCENDANTS]:
        if element.parent not in inside:
            break
        inside.add(element.index)
        found.append(element)
    return found
