"""`adlint report --format markdown`: the report's summary for `$GITHUB_STEP_SUMMARY` and PRs.

GitHub renders Markdown with inline HTML, so article text is never pasted raw: paths,
IDs and URLs go in code spans (never autolinked, `|` escaped for tables), other text has
every Markdown and HTML metacharacter backslash-escaped and mentions broken (see
adlint/formats/inert.py). Tables are capped at MAX_ROWS
rows (GitHub truncates step summaries at 1 MiB); the JSON and HTML forms are complete.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from adlint.formats import counted
from adlint.formats.inert import code, prose

if TYPE_CHECKING:
    from adlint.report.model import Report

MAX_ROWS = 30
_STATUS = {
    "allowed": "✅ yours",
    "authorised": "✅ authorised",
    "not-allowed": "❌ not in allowlist",
    "not-authorised": "❌ not authorised",
    "suppressed": "➖ suppressed",
    "unchecked": "no allowlist",
}

plain = prose
"""Text with every Markdown/HTML metacharacter escaped, on one line, controls made visible,
and no autolink, `@mention` or issue reference left for GitHub to make."""
literal = code
"""A code span holding `value` verbatim (pipes escaped, controls made visible)."""


def _table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[int] = ()
) -> str:
    align = ["---:" if i in numeric else "---" for i in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows[:MAX_ROWS]]
    if len(rows) > MAX_ROWS:
        lines.append(f"\n…and {len(rows) - MAX_ROWS} more (see the HTML or JSON report).")
    return "\n".join(lines) + "\n"


def _where(paths: Sequence[str], limit: int = 3) -> str:
    shown = ", ".join(literal(p) for p in paths[:limit])
    return shown + (f" +{len(paths) - limit} more" if len(paths) > limit else "")


def render(report: Report) -> str:
    parts = [_summary(report), _inventory(report), _density(report), _disclosure(report)]
    parts += [_links(report), _worst(report), _footer(report)]
    return "\n".join(p for p in parts if p)


def _summary(report: Report) -> str:
    counts = report.by_severity
    head = (
        f"## {plain(report.title)}\n\n"
        f"**{counted(report.files, 'file')} audited · {report.compliant} compliant "
        f"({report.compliance_rate:.0%})** · {counted(counts.get('error', 0), 'error')} · "
        f"{counted(counts.get('warning', 0), 'warning')} · {counts.get('info', 0)} info · "
        f"{report.suppressed} suppressed\n"
    )
    if not report.by_rule:
        return head + "\nNo findings.\n"
    rows = [[literal(t.rule), t.severity, str(t.active), str(t.suppressed)] for t in report.by_rule]
    return head + "\n" + _table(["rule", "severity", "findings", "suppressed"], rows, (2, 3))


def _inventory(report: Report) -> str:
    parts = ["### Inventory\n"]
    if report.networks:
        rows = [[plain(n.network), str(n.links), _where(n.files)] for n in report.networks]
        parts.append(
            "**Affiliate networks**\n\n" + _table(["network", "links", "files"], rows, (1,))
        )
    if report.affiliate_ids:
        rows = [
            [
                literal(a.affiliate_id),
                plain(a.network),
                _STATUS.get(a.status, a.status),
                str(a.links),
            ]
            for a in report.affiliate_ids
        ]
        headers = ["affiliate ID", "network", "status", "links"]
        parts.append("**Affiliate IDs**\n\n" + _table(headers, rows, (3,)))
    if report.ad_clients:
        rows = [
            [
                literal(c.client),
                _STATUS.get(c.status, c.status) + (f" ({c.source})" if c.source else ""),
                str(c.placements),
            ]
            for c in report.ad_clients
        ]
        parts.append("**Ad clients**\n\n" + _table(["client", "status", "placements"], rows, (2,)))
    if report.pixels:
        rows = [[plain(p.vendor), literal(p.host), str(p.count)] for p in report.pixels]
        parts.append("**Tracking pixels**\n\n" + _table(["vendor", "host", "pixels"], rows, (2,)))
    if len(parts) == 1:
        parts.append("No affiliate links, ad clients or tracking pixels found.\n")
    return "\n".join(parts)


def _density(report: Report) -> str:
    head = "### Ad density\n\n"
    bins = report.density_bins
    if bins:
        labels = [plain(b.label) + (" ⚠" if b.over else "") for b in bins]
        head += _table(
            ["units per 1,000 words", *labels], [["files", *(str(b.files) for b in bins)]]
        )
    if report.height_bins:
        labels = [plain(b.label) + (" ⚠" if b.over else "") for b in report.height_bins]
        head += "\n" + _table(
            ["ads' % of the page's height", *labels],
            [["files", *(str(b.files) for b in report.height_bins)]],
        )
    if report.density_unmeasured_note:
        head += "\n" + report.density_unmeasured_note + "\n"
    if not report.density_over:
        return head + "\nNo file is over the ad-density thresholds.\n"
    rows = [
        [literal(d.path), str(d.units), str(d.words), plain(d.detail)]
        + (["suppressed"] if d.suppressed else [""])
        for d in report.density_over
    ]
    return head + "\n" + _table(["file", "units", "words", "why", "status"], rows, (1, 2))


def _disclosure(report: Report) -> str:
    head = "### Disclosure\n\n"
    if not report.disclosure:
        return head + "Every file with affiliate links discloses them before the first one.\n"
    rows = [
        [literal(g.path), str(g.line), plain(g.network), f"{g.undisclosed} of {g.total}"]
        + (["suppressed"] if g.suppressed else [""])
        for g in report.disclosure
    ]
    headers = ["file", "line", "network", "undisclosed", "status"]
    return (
        head
        + "Affiliate links with no disclosure before the first:\n\n"
        + _table(headers, rows, (1,))
    )


def _links(report: Report) -> str:
    if not report.broken_links:
        return "### Broken links\n\n" + (
            "Every checked link answered.\n"
            if report.links_checked
            else "Links were not checked (run with `--check-links`).\n"
        )
    rows = [
        [
            literal(b.url),
            plain(b.status or "–"),
            plain(b.reason),
            _where([f"{u.path}:{u.line}" for u in b.uses]),
        ]
        for b in report.broken_links
    ]
    return "### Broken links\n\n" + _table(["URL", "status", "reason", "used in"], rows)


def _worst(report: Report) -> str:
    if not report.worst:
        return "### Worst files\n\nEvery file is compliant.\n"
    rows = [
        [literal(f.path), str(f.errors), str(f.warnings), str(f.info), str(f.suppressed)]
        for f in report.worst
    ]
    headers = ["file", "errors", "warnings", "info", "suppressed"]
    return "### Worst files\n\n" + _table(headers, rows, (1, 2, 3, 4))


def _footer(report: Report) -> str:
    policies = ", ".join(literal(p) for p in report.policy_files) or "built-in"
    return (
        f"<sub>adlint {plain(report.version)} · generated {plain(report.generated)} · "
        f"policy: {policies}</sub>\n"
    )
