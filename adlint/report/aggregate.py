"""Aggregate findings and per-file stats into a Report, one file at a time.

Why a builder: `adlint report` walks whole sites. The aggregator keeps counters, sets of
paths and the findings of the current worst files (a bounded heap), so memory grows with
the inventory, never with the documents or with the info findings of compliant files.
`aggregate()` wraps it as a pure function for callers (and tests) holding everything.

The report reads findings only through rule ids and the `data` each rule documents
(policies/default.yaml): a rule the user disabled simply leaves its section empty.
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from adlint.report import DEFAULT_TOP, inventory
from adlint.report.model import (
    BrokenLink,
    DensityBin,
    DensityFlag,
    DisclosureGap,
    FileStats,
    FileSummary,
    LinkUse,
    Report,
    RuleTally,
)

if TYPE_CHECKING:
    from adlint.finding import Finding
    from adlint.policy import Rule

DENSITY_RULE = "ad-density"
AD_UNIT_RULE = "ad-unit"
DISCLOSURE_RULE = "affiliate-disclosure-missing"
LINK_RULES = frozenset({"broken-link", "link-unreachable"})
FAILED_VERDICTS = frozenset({"broken", "unreachable", "unsafe"})
"""What the Broken links section lists; `redirected` (link-redirect) is not a failure."""
DEFAULT_DENSITY = 6.0
"""Units per 1,000 words used to scale the histogram when no ad-density rule sets one."""
DEFAULT_HEIGHT_SHARE = 30.0
"""The Better Ads Standards' limit, in percent: the height histogram's scale without one."""
_SEVERITIES = ("error", "warning", "info")


@dataclass
class _Link:
    """A broken or unreachable URL being collected."""

    record: BrokenLink
    uses: list[LinkUse] = field(default_factory=list)


class Aggregator:
    """Feed it each file's stats and findings with `add`, then call `finish` once."""

    def __init__(self, rules: Sequence[Rule], *, top: int = DEFAULT_TOP) -> None:
        self._top = top
        self._inventory = inventory.Inventory(rules)
        self._threshold = _density_option(rules, "max_per_1000_words")
        min_words = _density_option(rules, "min_words")
        self._min_words = int(min_words) if min_words is not None else None
        self._rates = _Histogram(self._threshold, DEFAULT_DENSITY)
        height_limit = _density_option(rules, "max_height_share")
        self._height_threshold = height_limit * 100 if height_limit is not None else None
        self._heights = _Histogram(self._height_threshold, DEFAULT_HEIGHT_SHARE, "%")
        self._height_measured = False
        screen = _density_option(rules, "screen_width")
        self._screen_width = int(screen) if screen is not None else None
        self._link_rules = LINK_RULES | {r.id for r in rules if r.kind_name == "reachable"}
        self._tallies: dict[tuple[str, str], list[int]] = {}
        self._files = self._compliant = self._seq = 0
        self._density: list[DensityFlag] = []
        self._unmeasured = 0
        self._disclosure: list[DisclosureGap] = []
        self._links: dict[tuple[str, str], _Link] = {}
        self._worst: list[tuple[tuple[int, int, int, int], FileSummary]] = []

    def add(self, stats: FileStats, findings: Sequence[Finding]) -> None:
        """Count one file; `findings` are that file's, suppressed ones included."""
        self._files += 1
        self._seq += 1
        counts, suppressed = self._tally(findings)
        self._inventory.add(stats.path, findings)
        units = self._add_density(stats, findings)
        for finding in findings:
            if finding.rule == DISCLOSURE_RULE:
                self._disclosure.append(_gap(finding))
            elif self._is_failed_link(finding):
                self._add_link(finding)
        summary = FileSummary(
            path=stats.path,
            title=stats.title,
            words=stats.words,
            ad_units=units,
            errors=counts["error"],
            warnings=counts["warning"],
            info=counts["info"],
            suppressed=suppressed,
        )
        if summary.compliant:
            self._compliant += 1
        else:
            self._rank(summary, findings)

    def _tally(self, findings: Sequence[Finding]) -> tuple[Counter[str], int]:
        counts: Counter[str] = Counter()
        suppressed = 0
        for finding in findings:
            tally = self._tallies.setdefault((finding.rule, finding.severity.value), [0, 0])
            if finding.suppressed is None:
                tally[0] += 1
                counts[finding.severity.value] += 1
            else:
                tally[1] += 1
                suppressed += 1
        return counts, suppressed

    def _add_density(self, stats: FileStats, findings: Sequence[Finding]) -> int:
        """Bin the file by units per 1,000 words and by ads' share of its height; record it
        when the density rule fired. Returns the units the file's summary shows."""
        positions = {(f.line, f.column) for f in findings if f.rule == AD_UNIT_RULE}
        flagged = [f for f in findings if f.rule == DENSITY_RULE]
        # The density rule's own counts are authoritative: it skips units nested in units,
        # units outside the main content, and words of navigation and link lists. It
        # measures every file it runs on; for a file it did not run on (a per-file ignore, a
        # policy without it), its findings' counts and then the ad-unit findings over all
        # words stand in.
        measure = stats.measures.get(DENSITY_RULE)
        if measure is not None:
            units, words = measure.units, measure.words
        else:
            units = int(flagged[0].data.get("units", len(positions))) if flagged else len(positions)
            words = int(flagged[0].data.get("words", stats.words)) if flagged else stats.words
        if units and measure is not None and not measure.measured:
            self._unmeasured += 1  # too short for the rule: left out, as the rule leaves it
        else:
            self._rates.add(None if not units else units * 1000 / words if words else math.inf)
            if measure is not None and self._height_threshold is not None:
                self._height_measured = True  # the rule estimates heights, and ran here
                if not units:
                    self._heights.add(None)
                elif measure.height_share is not None:
                    self._heights.add(measure.height_share * 100)
        if flagged:
            self._density.append(_density_flag(stats.path, flagged, units, words))
        # The file's own summary counts every unit on the page, as it counts every word.
        return len(positions) or units

    def _is_failed_link(self, finding: Finding) -> bool:
        if finding.rule not in self._link_rules or not finding.data.get("url"):
            return False
        verdict = finding.data.get("verdict")
        return finding.rule in LINK_RULES or verdict is None or verdict in FAILED_VERDICTS

    def _add_link(self, finding: Finding) -> None:
        """Group by URL and outcome: `missing.md` from two folders can be two different files."""
        url = str(finding.data["url"])
        key = (url, str(finding.data.get("reason", "")))
        entry = self._links.get(key)
        if entry is None:
            data = finding.data
            record = BrokenLink(
                url=url,
                status=str(data.get("status", "") or ""),
                reason=str(data.get("reason", "")),
                verdict=str(data.get("verdict", "")),
                rule=finding.rule,
                severity=finding.severity.value,
                final_url=str(data.get("final_url", "") or ""),
                uses=(),
            )
            entry = self._links[key] = _Link(record)
        entry.uses.append(LinkUse(finding.path, finding.line))

    def _rank(self, summary: FileSummary, findings: Sequence[Finding]) -> None:
        """Keep the `top` worst files (with their findings) in a min-heap."""
        key = (summary.errors, summary.warnings, summary.info, -self._seq)
        entry = (key, replace(summary, findings=tuple(findings)))
        if self._top <= 0 or len(self._worst) < self._top:
            heapq.heappush(self._worst, entry)
        elif key > self._worst[0][0]:
            heapq.heapreplace(self._worst, entry)

    def finish(
        self,
        *,
        version: str,
        generated: str,
        policy_files: Sequence[str] = (),
        links_checked: bool = False,
        title: str = "adlint compliance report",
    ) -> Report:
        """Sort everything and freeze it into a Report."""
        active = {s: 0 for s in _SEVERITIES}
        for (_, severity), (count, _) in self._tallies.items():
            active[severity] = active.get(severity, 0) + count
        found = self._inventory.finish()
        return Report(
            version=version,
            generated=generated,
            title=title,
            policy_files=tuple(policy_files),
            files=self._files,
            compliant=self._compliant,
            by_severity=active,
            suppressed=sum(s for _, s in self._tallies.values()),
            by_rule=_rule_tallies(self._tallies),
            density_threshold=self._threshold,
            density_bins=self._rates.bins(),
            height_threshold=self._height_threshold,
            height_bins=self._heights.bins() if self._height_measured else (),
            screen_width=self._screen_width,
            density_unmeasured=self._unmeasured,
            density_min_words=self._min_words,
            density_over=tuple(self._density),
            disclosure=tuple(self._disclosure),
            links_checked=links_checked,
            broken_links=self._broken_links(),
            worst=tuple(s for _, s in sorted(self._worst, key=lambda e: e[0], reverse=True)),
            **found,
        )

    def _broken_links(self) -> tuple[BrokenLink, ...]:
        records = [replace(e.record, uses=tuple(e.uses)) for e in self._links.values()]
        records.sort(key=lambda r: (r.severity != "error", -len(r.uses), r.url))
        return tuple(records)


def aggregate(
    files: Iterable[tuple[FileStats, Sequence[Finding]]],
    rules: Sequence[Rule],
    *,
    top: int = DEFAULT_TOP,
    **meta: Any,
) -> Report:
    """Build a Report from (stats, findings) pairs; `meta` goes to `Aggregator.finish`."""
    aggregator = Aggregator(rules, top=top)
    for stats, findings in files:
        aggregator.add(stats, findings)
    return aggregator.finish(**meta)


def _density_option(rules: Sequence[Rule], name: str) -> float | None:
    """An option of the ad-density rule (None without the rule, or with the option unset)."""
    for rule in rules:
        if rule.id == DENSITY_RULE:
            value = getattr(rule.kind, name, None)
            return float(value) if value is not None else None
    return None


class _Histogram:
    """Files counted by a measure into bins: "no ads", one bin up to each of six edges that
    reach twice the threshold (so the threshold is always a boundary), and an open last."""

    def __init__(self, threshold: float | None, default: float, unit: str = "") -> None:
        self.threshold = threshold
        step = (threshold or default) / 3
        self.edges = tuple(round(step * i, 2) for i in range(1, 7))
        self.counts = [0] * (len(self.edges) + 2)
        self.unit = unit

    def add(self, value: float | None) -> None:
        """Count a file measuring `value` (None: it has no ads)."""
        index = 0 if value is None else bisect.bisect_left(self.edges, value) + 1
        self.counts[index] += 1

    def bins(self) -> tuple[DensityBin, ...]:
        found = [DensityBin("no ads", None, None, self.counts[0], False)]
        lows: list[float] = [0.0, *self.edges]
        highs: list[float | None] = [*self.edges, None]
        for index, (low, high) in enumerate(zip(lows, highs, strict=True), start=1):
            unit = self.unit
            label = f"{low:g}–{high:g}{unit}" if high is not None else f"> {low:g}{unit}"
            over = self.threshold is not None and low >= self.threshold
            found.append(DensityBin(label, low, high, self.counts[index], over))
        return tuple(found)


def _density_flag(path: str, flagged: list[Finding], units: int, words: int) -> DensityFlag:
    first = flagged[0].data
    rate = first.get("per_1000_words")
    share = first.get("share")
    height = first.get("height_share")
    return DensityFlag(
        path=path,
        line=flagged[0].line,
        measures=tuple(str(f.data.get("measure", "")) for f in flagged),
        detail="; ".join(str(f.data.get("detail", f.message)) for f in flagged),
        units=units,
        words=words,
        per_1000_words=float(rate) if isinstance(rate, int | float) else None,
        height_share=int(height) if isinstance(height, int | float) else None,
        share=int(share) if isinstance(share, int | float) else None,
        stacked=max(int(f.data.get("stacked", 0) or 0) for f in flagged),
        suppressed=all(f.suppressed is not None for f in flagged),
    )


def _gap(finding: Finding) -> DisclosureGap:
    data = finding.data
    return DisclosureGap(
        path=finding.path,
        line=finding.line,
        network=str(data.get("network", "")),
        undisclosed=int(data.get("count", 0) or 0),
        total=int(data.get("total", 0) or 0),
        suppressed=finding.suppressed is not None,
    )


def _rule_tallies(tallies: dict[tuple[str, str], list[int]]) -> tuple[RuleTally, ...]:
    rank = {s: i for i, s in enumerate(_SEVERITIES)}
    rows = [RuleTally(rule, sev, a, s) for (rule, sev), (a, s) in tallies.items()]
    rows.sort(key=lambda t: (rank.get(t.severity, 9), -t.active, t.rule))
    return tuple(rows)
