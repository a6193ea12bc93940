"""The compliance report's data model: what aggregation produces and every renderer reads.

The records are small and frozen so a report over thousands of files stays a few hundred
kilobytes: files are kept as paths, and findings are kept only for the worst files, whose
detail sections show them. `to_dict` gives the JSON shape documented in report/json.py.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from adlint.formats import counted
from adlint.outcome import FileStats  # noqa: F401  (re-exported: part of the model)

if TYPE_CHECKING:
    from adlint.finding import Finding


@dataclass(frozen=True)
class RuleTally:
    """How often one rule fired at one severity (overrides can change a rule's severity)."""

    rule: str
    severity: str
    active: int
    suppressed: int


@dataclass(frozen=True)
class NetworkUsage:
    """An affiliate network: how many affiliate links use it, and where."""

    network: str
    links: int
    files: tuple[str, ...]


@dataclass(frozen=True)
class AffiliateIdUsage:
    """One affiliate ID seen on the site, and whether the publisher owns it."""

    network: str
    affiliate_id: str
    links: int
    files: tuple[str, ...]
    status: str
    """`allowed`, `not-allowed` (outside the allowlist: hijacked revenue), `suppressed`
    (outside, but every finding about it is suppressed) or `unchecked` (no allowlist)."""


@dataclass(frozen=True)
class AdClientUsage:
    """One ad client ID (AdSense `ca-pub-…`) and whether ads.txt or the allowlist authorises it."""

    client: str
    placements: int
    """Ad units and loader scripts carrying this client."""
    files: tuple[str, ...]
    status: str
    """`authorised`, `not-authorised`, `suppressed` or `unchecked` (nothing configured)."""
    source: str = ""
    """What authorised it: `ads.txt` or `allowlist`; empty otherwise."""


@dataclass(frozen=True)
class PixelUsage:
    """Hidden tracking pixels reporting to one host."""

    vendor: str
    """The vendor named by the rule, else the host's registered domain."""
    host: str
    count: int
    files: tuple[str, ...]


@dataclass(frozen=True)
class DensityBin:
    """One bar of the ad-density histogram: files whose units per 1,000 words fall in it."""

    label: str
    low: float | None
    """Exclusive lower bound (None for the "no ads" bin)."""
    high: float | None
    """Inclusive upper bound (None for the open last bin)."""
    files: int
    over: bool
    """The bin lies above the density rule's threshold."""


@dataclass(frozen=True)
class DensityFlag:
    """A file the ad-density rule flagged (one record per file, all measures joined)."""

    path: str
    line: int
    measures: tuple[str, ...]
    detail: str
    units: int
    words: int
    per_1000_words: float | None
    height_share: int | None
    """Percent of the estimated height on a phone (None when the rule does not measure it)."""
    share: int | None
    stacked: int
    suppressed: bool


@dataclass(frozen=True)
class DisclosureGap:
    """A file with affiliate links and no disclosure before the first of them."""

    path: str
    line: int
    network: str
    undisclosed: int
    total: int
    suppressed: bool


@dataclass(frozen=True)
class LinkUse:
    """Where a checked link appears."""

    path: str
    line: int


@dataclass(frozen=True)
class BrokenLink:
    """A URL the link checker judged broken or unreachable, with every place using it."""

    url: str
    status: str
    """The HTTP status as text, empty when no response arrived."""
    reason: str
    verdict: str
    rule: str
    severity: str
    final_url: str
    uses: tuple[LinkUse, ...]


@dataclass(frozen=True)
class FileSummary:
    """One file's tallies; `findings` is filled only for the worst files."""

    path: str
    title: str
    words: int
    ad_units: int
    errors: int
    warnings: int
    info: int
    suppressed: int
    findings: tuple[Finding, ...] = ()

    @property
    def compliant(self) -> bool:
        """No active error or warning: the definition the whole report uses."""
        return not (self.errors or self.warnings)


@dataclass(frozen=True)
class Report:
    """Everything the compliance report shows, already counted and sorted."""

    version: str
    generated: str
    """ISO 8601 UTC timestamp (SOURCE_DATE_EPOCH is honoured for reproducible output)."""
    policy_files: tuple[str, ...]
    files: int
    compliant: int
    by_severity: dict[str, int]
    """Active findings per severity (error, warning, info: always all three keys)."""
    suppressed: int
    by_rule: tuple[RuleTally, ...]
    networks: tuple[NetworkUsage, ...] = ()
    affiliate_ids: tuple[AffiliateIdUsage, ...] = ()
    allowlist_configured: bool = False
    ad_clients: tuple[AdClientUsage, ...] = ()
    ad_clients_checked: bool = False
    pixels: tuple[PixelUsage, ...] = ()
    density_threshold: float | None = None
    density_bins: tuple[DensityBin, ...] = ()
    height_threshold: float | None = None
    """The ad-density rule's `max_height_share`, in percent (None when it does not set one)."""
    height_bins: tuple[DensityBin, ...] = ()
    """Files by ads' percent of the estimated page height (empty when not estimated)."""
    screen_width: int | None = None
    """The phone width the heights were estimated on."""
    density_unmeasured: int = 0
    """Files with ad units but fewer words than the rule's `min_words`: the rule does not
    measure their density, so neither does the histogram."""
    density_min_words: int | None = None
    density_over: tuple[DensityFlag, ...] = ()
    disclosure: tuple[DisclosureGap, ...] = ()
    links_checked: bool = False
    broken_links: tuple[BrokenLink, ...] = ()
    worst: tuple[FileSummary, ...] = ()
    title: str = "adlint compliance report"

    @property
    def compliance_rate(self) -> float:
        """Compliant files as a fraction of audited files (1.0 when nothing was audited)."""
        return self.compliant / self.files if self.files else 1.0

    @property
    def density_unmeasured_note(self) -> str:
        """Why the histogram holds fewer files than were audited ("" when it holds all)."""
        if not self.density_unmeasured:
            return ""
        files = counted(self.density_unmeasured, "file")
        return (
            f"{files} with ads but fewer than {self.density_min_words} words "
            f"{'is' if self.density_unmeasured == 1 else 'are'} not charted: the "
            "ad-density rule does not measure the density of pages that short."
        )

    @property
    def findings(self) -> int:
        return sum(self.by_severity.values())

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape documented in adlint/report/json.py."""
        return {
            "version": self.version,
            "generated": self.generated,
            "title": self.title,
            "policy_files": list(self.policy_files),
            "links_checked": self.links_checked,
            "summary": {
                "files": self.files,
                "compliant": self.compliant,
                "compliance_rate": round(self.compliance_rate, 4),
                "findings": dict(self.by_severity),
                "suppressed": self.suppressed,
                "by_rule": [asdict(t) for t in self.by_rule],
            },
            "inventory": {
                "networks": [_listed(asdict(n)) for n in self.networks],
                "allowlist_configured": self.allowlist_configured,
                "affiliate_ids": [_listed(asdict(a)) for a in self.affiliate_ids],
                "ad_clients_checked": self.ad_clients_checked,
                "ad_clients": [_listed(asdict(c)) for c in self.ad_clients],
                "pixels": [_listed(asdict(p)) for p in self.pixels],
            },
            "ad_density": {
                "threshold": self.density_threshold,
                "histogram": [asdict(b) for b in self.density_bins],
                "height_threshold": self.height_threshold,
                "height_histogram": [asdict(b) for b in self.height_bins],
                "screen_width": self.screen_width,
                "min_words": self.density_min_words,
                "unmeasured": self.density_unmeasured,
                "over_threshold": [_listed(asdict(d)) for d in self.density_over],
            },
            "disclosure": [asdict(d) for d in self.disclosure],
            "broken_links": [_listed(asdict(b)) for b in self.broken_links],
            "worst_files": [_file_dict(f) for f in self.worst],
        }


def _listed(record: dict[str, Any]) -> dict[str, Any]:
    """asdict keeps tuples; JSON wants lists (json.dumps copes, but tests compare dicts)."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in record.items()}


def _file_dict(summary: FileSummary) -> dict[str, Any]:
    return {
        "path": summary.path,
        "title": summary.title,
        "words": summary.words,
        "ad_units": summary.ad_units,
        "errors": summary.errors,
        "warnings": summary.warnings,
        "info": summary.info,
        "suppressed": summary.suppressed,
        "findings": [f.to_dict() for f in summary.findings],
    }
