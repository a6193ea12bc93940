"""`reachable`: flag links whose HTTP check failed (runs only with link checking on).

What it checks:
    Each element matching `select` whose URL the link checker judged with one of
    `verdicts`. The checker runs once per run over the unique URLs of all documents (see
    adlint/links/); this kind only reads its results, so it never touches the network.

Options:
    select: the elements whose URLs are checked; required.
    verdicts: which verdicts to flag: `broken` (definitive: 404, 410, DNS failure, TLS
    failure, redirect loop), `unreachable` (transient: timeouts, 5xx or 429 after retries,
    refused connections), `redirected` (ends on another registered domain), `unsafe`
    (refused by the private-address guard). Default: [broken].
    at: `url` (default) or `element`. Every URL of an element is judged: a broken srcset
        candidate or `poster` is its own finding, at its own position with `at: url`.

Message fields:
    tag, url, host, domain, status (HTTP status or ''), reason, verdict, final_url, chain
    (hops joined by ' -> '), attempts, and for a final URL on an affiliate network: network,
    affiliate_id and revealed (" (a cloaked <network> affiliate link, affiliate ID <id>)",
    empty otherwise).

Example:
    broken-link:
      kind: reachable
      severity: error
      message: "Broken link: {url} ({reason})"
      select: {tag: [a, img, iframe], scheme: [http, https]}
      verdicts: [broken]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from adlint.finding import Hit
from adlint.kinds import ELEMENT_FIELDS, RuleContext, element_hit

if TYPE_CHECKING:
    from adlint.document import Document, Element
    from adlint.select import Selector

VERDICTS = ("broken", "unreachable", "redirected", "unsafe")


@dataclass(frozen=True)
class Reachable:
    """Flag links the link checker found broken (or unreachable, redirected, unsafe)."""

    select: Selector
    verdicts: tuple[str, ...] = ("broken",)
    at: str = "url"

    name: ClassVar[str] = "reachable"
    fields: ClassVar[tuple[str, ...]] = (
        *ELEMENT_FIELDS,
        "status",
        "reason",
        "verdict",
        "final_url",
        "chain",
        "attempts",
        "network",
        "affiliate_id",
        "revealed",
    )
    captures: ClassVar[bool] = True
    choices: ClassVar[dict[str, tuple[str, ...]]] = {"at": ("url", "element")}
    needs_links: ClassVar[bool] = True

    def check(self, document: Document, context: RuleContext) -> Iterator[Hit]:
        if not context.link_statuses:
            return
        for element in _each_url(document.candidates(self.select.tags)):
            status = context.link_statuses.get(element.url)  # type: ignore[arg-type]
            if status is None or status.verdict not in self.verdicts:
                continue
            captured = self.select.match(element, context)
            if captured is None:
                continue
            hit = element_hit(element, captured, self.at)
            data = {
                **hit.data,
                "status": status.status if status.status is not None else "",
                "reason": status.reason,
                "verdict": status.verdict,
                "final_url": status.final_url or "",
                "chain": " -> ".join(status.chain),
                "attempts": status.attempts,
            }
            final = context.affiliate(status.final_url) if status.final_url else None
            data["revealed"] = ""
            if final is not None:
                data.update(network=final.network, affiliate_id=final.affiliate_id or "")
                identity = f", affiliate ID {final.affiliate_id}" if final.affiliate_id else ""
                data["revealed"] = f" (a cloaked {final.network} affiliate link{identity})"
            yield Hit(hit.start, hit.end, data)


def _each_url(elements: Iterable[Element]) -> Iterator[Element]:
    """Each element once per URL it has (`Element.more_urls` included), with that URL: a
    broken candidate is reported at its own position, even with `at: element`, where the
    positions coincide but the URLs, reasons and verdicts differ."""
    for element in elements:
        yield from (view for view in element.url_views() if view.url)
