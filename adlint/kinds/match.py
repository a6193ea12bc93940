"""`match`: flag every element the selector matches.

What it checks:
    Each element (HTML tag, Markdown link or image) that matches `select`. An element with
    several URLs (an `<img>`'s `src`, `data-src` and `srcset` candidates, a `<video>`'s
    `src` and `poster`) is tried with each of them.

Options:
    select: a selector (see `adlint rules --kinds`); required.
    at: `url` (default: the finding spans the element's URL when it has one; one finding
        per matching URL, so a `data-src` or srcset candidate is reported where it is) or
        `element` (the finding starts at the tag's `<`; one finding per element).

Message fields:
    tag, url, host, domain, plus whatever the selector captures (regex named groups,
    `network`, `affiliate_id` from `affiliate: true`, `hidden`, and `data:` constants).

Example:
    tracking-pixel:
      kind: match
      severity: warning
      message: "Hidden tracking pixel from {host} ({hidden})"
      at: element
      select: {tag: [img, iframe], hidden: true, party: third}
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from adlint.kinds import ELEMENT_FIELDS, RuleContext, element_hit, selected_for

if TYPE_CHECKING:
    from adlint.document import Document
    from adlint.finding import Hit
    from adlint.select import Selector


@dataclass(frozen=True)
class Match:
    """Flag each element matching `select`."""

    select: Selector
    at: str = "url"

    name: ClassVar[str] = "match"
    fields: ClassVar[tuple[str, ...]] = ELEMENT_FIELDS
    captures: ClassVar[bool] = True
    choices: ClassVar[dict[str, tuple[str, ...]]] = {"at": ("url", "element")}

    def check(self, document: Document, context: RuleContext) -> Iterator[Hit]:
        for element, captured in selected_for(context, self.select, self.at):
            yield element_hit(element, captured, self.at)
