"""The generic rule kinds. A kind is a frozen dataclass of its YAML options plus `check`.

Adding a kind is one module and one entry in KINDS; adding a rule is YAML only.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from adlint import urls
from adlint.finding import Hit, Measure
from adlint.select import MatchContext

if TYPE_CHECKING:
    from adlint.document import Document, Element
    from adlint.select import Selector


@dataclass
class RuleContext(MatchContext):
    """Everything a kind may consult for one document."""

    link_statuses: Mapping[str, Any] = field(default_factory=dict)
    """Normalised URL -> LinkStatus, filled only when link checking is on."""
    rule_ids: frozenset[str] = frozenset()
    """Every rule id the policy defines, enabled or not: what a directive may name."""
    measure: Measure | None = None
    """Set by a measuring kind while it checks: its measure of the whole document. The
    engine clears it before each rule and keeps it under that rule's id."""


class Kind(Protocol):
    """What every kind provides; `name` is its YAML `kind:` value."""

    name: ClassVar[str]
    fields: ClassVar[tuple[str, ...]]
    """The message fields the kind provides itself (some only on some findings)."""
    captures: ClassVar[bool]
    """Whether what its selector captures joins the message data (default False); the
    policy loader reads both to refuse a message field no finding could ever fill."""

    def check(self, document: Document, context: RuleContext) -> Iterator[Hit]: ...


def element_data(element: Element) -> dict[str, Any]:
    """The data every element-based hit carries: tag, url, host, domain."""
    data: dict[str, Any] = {"tag": element.tag}
    if element.url:
        data["url"] = element.url
        parts = urls.split(element.url)
        if parts is not None:
            data["host"] = parts.host
            data["domain"] = urls.registered_domain(parts.host)
    return data


ELEMENT_FIELDS = ("tag", "url", "host", "domain")


def element_hit(element: Element, captured: Mapping[str, Any], at: str) -> Hit:
    """A hit at the element's URL (`at: url`, when it has one) or its opening tag."""
    data = element_data(element)
    data.update(captured)
    if at == "url" and element.url_start is not None and element.url_end is not None:
        return Hit(element.url_start, element.url_end, data)
    return Hit(element.start, element.end, data)


def selected_for(
    context: MatchContext, select: Selector, at: str
) -> Iterator[tuple[Element, dict[str, Any]]]:
    """What a reporting kind flags: each element once for `at: element` (a tag is one
    place, however many URLs matched), each matching URL for `at: url` (a `poster`, a
    `data-src`, a srcset candidate is reported at its own position)."""
    return context.selected(select) if at == "element" else context.selected_urls(select)


def _registry() -> dict[str, type]:
    from adlint.kinds.allowlist import Allowlist
    from adlint.kinds.density import Density
    from adlint.kinds.directive import Directive
    from adlint.kinds.match import Match
    from adlint.kinds.parse import Parse
    from adlint.kinds.reachable import Reachable
    from adlint.kinds.require import Require

    return {
        kind.name: kind
        for kind in (Match, Require, Density, Allowlist, Reachable, Parse, Directive)
    }


KINDS: dict[str, type] = {}


def kinds() -> dict[str, type]:
    """Return the kind registry (built on first use to keep imports one-way)."""
    if not KINDS:
        KINDS.update(_registry())
    return KINDS
