"""The inventory: affiliate networks and IDs, ad clients and tracking pixels, with where.

Affiliate links are counted from `affiliate-link` and `affiliate-id-unknown` findings (both
sit at the URL, so one link is counted once even when both rules fire). Whether an ID or
ad client is the publisher's own is decided the way the allowlist kind decides it (the
rule's `allow`, plus ads.txt for ad clients); findings of the allowlist rules then mark the
foreign ones, and tell a suppressed finding from an active one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from adlint.report.model import AdClientUsage, AffiliateIdUsage, NetworkUsage, PixelUsage

if TYPE_CHECKING:
    from adlint.finding import Finding
    from adlint.policy import Rule

AFFILIATE_RULES = frozenset({"affiliate-link", "affiliate-id-unknown"})
AFFILIATE_ID_RULE = "affiliate-id-unknown"
AD_CLIENT_RULE = "ad-client-unknown"
PIXEL_RULE = "tracking-pixel"
_STATUS_ORDER = {"not-allowed": 0, "not-authorised": 0, "suppressed": 1}


def _bare(value: str) -> str:
    """Compare as kinds/allowlist.py does: lower-case, and `ca-pub-…` equals ads.txt `pub-…`."""
    value = value.strip().lower()
    return value[3:] if value.startswith("ca-") else value


@dataclass(frozen=True)
class Allowed:
    """What one allowlist rule accepts."""

    allow: frozenset[str] = frozenset()
    ads_txt: frozenset[str] | None = None

    @property
    def configured(self) -> bool:
        return bool(self.allow) or self.ads_txt is not None

    def source(self, value: str, scope: str = "") -> str:
        """`allowlist` or `ads.txt` when the value is authorised, else empty."""
        if _bare(value) in self.allow or (scope and _bare(f"{scope}:{value}") in self.allow):
            return "allowlist"
        if self.ads_txt is not None and _bare(value) in self.ads_txt:
            return "ads.txt"
        return ""


def allowed_for(rules: Sequence[Rule], rule_id: str) -> Allowed:
    """The allowlist configured on `rule_id` (empty when the rule is off or not an allowlist)."""
    for rule in rules:
        if rule.id == rule_id and rule.kind_name == "allowlist":
            allow = frozenset(_bare(str(a)) for a in getattr(rule.kind, "allow", ()) or ())
            return Allowed(allow, getattr(rule.kind, "ads_txt_ids", None))
    return Allowed()


@dataclass
class _Use:
    """A counted thing: occurrences, the files it appears in, and allowlist findings."""

    count: int = 0
    files: set[str] = field(default_factory=set)
    scope: str = ""
    active: bool = False
    suppressed: bool = False

    def see(self, path: str) -> None:
        self.count += 1
        self.files.add(path)

    def flag(self, finding: Finding) -> None:
        if finding.suppressed is None:
            self.active = True
        else:
            self.suppressed = True


class Inventory:
    """Collects the inventory file by file; `finish` returns the Report fields."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.ids_allowed = allowed_for(rules, AFFILIATE_ID_RULE)
        self.clients_allowed = allowed_for(rules, AD_CLIENT_RULE)
        self.networks: dict[str, _Use] = {}
        self.ids: dict[tuple[str, str], _Use] = {}
        self.clients: dict[str, _Use] = {}
        self.pixels: dict[tuple[str, str], _Use] = {}

    def add(self, path: str, findings: Sequence[Finding]) -> None:
        links: set[tuple[int, int, str]] = set()
        placements: set[tuple[int, int, str]] = set()
        for finding in findings:
            data = finding.data
            if finding.rule in AFFILIATE_RULES and data.get("network"):
                self._affiliate(path, finding, links)
            client = data.get("client") or (
                data.get("value") if finding.rule == AD_CLIENT_RULE else None
            )
            if client:
                self._client(path, finding, str(client), placements)
            if finding.rule == PIXEL_RULE:
                host = str(data.get("host", "") or "")
                vendor = str(data.get("vendor") or data.get("domain") or host or "unknown")
                self.pixels.setdefault((vendor, host), _Use()).see(path)

    def _affiliate(self, path: str, finding: Finding, seen: set[tuple[int, int, str]]) -> None:
        data = finding.data
        network = str(data["network"])
        affiliate_id = str(data.get("affiliate_id") or data.get("value") or "")
        key = (finding.line, finding.column, str(data.get("url", "")))
        use = self.ids.setdefault(
            (network, affiliate_id), _Use(scope=str(data.get("network_id", "")))
        )
        if finding.rule == AFFILIATE_ID_RULE:
            use.flag(finding)
        if key in seen:
            return
        seen.add(key)
        self.networks.setdefault(network, _Use()).see(path)
        use.see(path)

    def _client(
        self, path: str, finding: Finding, client: str, seen: set[tuple[int, int, str]]
    ) -> None:
        use = self.clients.setdefault(client, _Use())
        if finding.rule == AD_CLIENT_RULE:
            use.flag(finding)
        key = (finding.line, finding.column, client)
        if key not in seen:
            seen.add(key)
            use.see(path)

    def finish(self) -> dict[str, Any]:
        return {
            "networks": tuple(
                NetworkUsage(name, use.count, tuple(sorted(use.files)))
                for name, use in sorted(self.networks.items(), key=lambda i: (-i[1].count, i[0]))
            ),
            "affiliate_ids": self._ids(),
            "allowlist_configured": self.ids_allowed.configured,
            "ad_clients": self._clients(),
            "ad_clients_checked": self.clients_allowed.configured,
            "pixels": tuple(
                PixelUsage(vendor, host, use.count, tuple(sorted(use.files)))
                for (vendor, host), use in sorted(
                    self.pixels.items(), key=lambda i: (-i[1].count, i[0])
                )
            ),
        }

    def _ids(self) -> tuple[AffiliateIdUsage, ...]:
        rows = []
        for (network, affiliate_id), use in self.ids.items():
            allowed = self.ids_allowed
            if allowed.source(affiliate_id, use.scope):
                status = "allowed"
            else:
                status = _foreign(use, allowed.configured, "not-allowed")
            files = tuple(sorted(use.files))
            rows.append(AffiliateIdUsage(network, affiliate_id, use.count, files, status))
        rows.sort(
            key=lambda r: (_STATUS_ORDER.get(r.status, 2), -r.links, r.network, r.affiliate_id)
        )
        return tuple(rows)

    def _clients(self) -> tuple[AdClientUsage, ...]:
        rows = []
        for client, use in self.clients.items():
            source = self.clients_allowed.source(client)
            status = (
                "authorised"
                if source
                else _foreign(use, self.clients_allowed.configured, "not-authorised")
            )
            rows.append(AdClientUsage(client, use.count, tuple(sorted(use.files)), status, source))
        rows.sort(key=lambda r: (_STATUS_ORDER.get(r.status, 2), -r.placements, r.client))
        return tuple(rows)


def _foreign(use: _Use, configured: bool, outside: str) -> str:
    """A value not on the list: flagged unless only suppressed findings name it."""
    if use.active:
        return outside
    if use.suppressed:
        return "suppressed"
    return outside if configured else "unchecked"
