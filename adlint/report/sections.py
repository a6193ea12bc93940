"""The report page's sections after the summary: one function per section, markup out.

Each takes the finished Report and returns a `<section>`; none reads files or options.
Empty sections say so in a sentence rather than vanish, so a reader can tell "nothing
found" from "not measured".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from adlint.formats import counted
from adlint.report import charts
from adlint.report.markup import (
    Row,
    code,
    figure,
    files,
    note,
    section,
    severity,
    status,
    table,
    text,
    url,
)

if TYPE_CHECKING:
    from adlint.finding import Finding
    from adlint.report.model import FileSummary, Report

MAX_DETAIL_ROWS = 200
"""Findings listed per file in the details; a site-wide report must stay a readable size."""


def inventory(report: Report) -> str:
    parts = [_networks(report), _affiliate_ids(report), _ad_clients(report), _pixels(report)]
    return section("inventory", "Inventory", "".join(parts))


def _networks(report: Report) -> str:
    if not report.networks:
        return "<h3>Affiliate networks</h3>" + note("No affiliate links found.")
    chart = charts.bars(
        [charts.Bar(n.network, n.links, "accent") for n in report.networks],
        "Affiliate links by network",
    )
    rows = [
        [text(n.network), str(n.links), str(len(n.files)), files(n.files)] for n in report.networks
    ]
    return (
        "<h3>Affiliate networks</h3>"
        + figure(chart, "Affiliate links per network.")
        + table(["network", "links", "files", "where"], rows, numeric=(1, 2))
    )


def _affiliate_ids(report: Report) -> str:
    head = "<h3>Affiliate IDs</h3>"
    if not report.affiliate_ids:
        return head + note("No affiliate IDs found.")
    if not report.allowlist_configured:
        head += note(
            "No allowlist is configured (<code>affiliate-id-unknown</code> → <code>allow</code>): "
            "list your own IDs to flag foreign ones, which send your commission elsewhere."
        )
    rows = [
        Row(
            [code(a.affiliate_id), text(a.network), status(a.status), str(a.links), files(a.files)],
            muted=a.status == "suppressed",
        )
        for a in report.affiliate_ids
    ]
    return head + table(["affiliate ID", "network", "status", "links", "where"], rows, (3,))


def _ad_clients(report: Report) -> str:
    head = "<h3>Ad clients</h3>"
    if not report.ad_clients:
        return head + note("No ad client IDs found.")
    if not report.ad_clients_checked:
        head += note(
            "Neither an allowlist nor an ads.txt file is configured for "
            "<code>ad-client-unknown</code>, so authorisation was not checked."
        )
    rows = [
        Row(
            [code(c.client), status(c.status, c.source), str(c.placements), files(c.files)],
            muted=c.status == "suppressed",
        )
        for c in report.ad_clients
    ]
    return head + table(["client", "status", "placements", "where"], rows, (2,))


def _pixels(report: Report) -> str:
    head = "<h3>Tracking pixels</h3>"
    if not report.pixels:
        return head + note("No hidden tracking pixels found.")
    rows = [[text(p.vendor), code(p.host), str(p.count), files(p.files)] for p in report.pixels]
    return head + table(["vendor", "host", "pixels", "where"], rows, (2,))


def density(report: Report) -> str:
    limit = report.density_threshold
    caption = "Files by ad units per 1,000 visible words" + (
        f"; amber bars are over the limit of {limit:g}." if limit is not None else "."
    )
    if report.density_unmeasured_note:
        caption += " " + report.density_unmeasured_note
    chart = charts.histogram(report.density_bins, limit, "Ad density across files")
    parts = ['<div class="charts">', figure(chart, text(caption))]
    if report.height_bins:
        height_limit = report.height_threshold
        screen = f"{report.screen_width} px wide " if report.screen_width else ""
        height_caption = f"Files by ads' share of the page's height on a {screen}phone, " + (
            "estimated from the sizes the pages declare"
        )
        if height_limit is not None:
            height_caption += f"; amber bars are over the limit of {height_limit:g}%"
        axis = "ads' % of the page's height"
        title = "Ad height share across files"
        height_chart = charts.histogram(report.height_bins, height_limit, title, axis, "%")
        parts.append(figure(height_chart, text(height_caption + ".")))
    parts += [
        "</div>",
        "<h3>Files over the threshold</h3>",
    ]
    if not report.density_over:
        parts.append(note("No file is over the ad-density thresholds."))
    else:
        rows = [
            Row(
                [
                    code(d.path),
                    str(d.line),
                    str(d.units),
                    str(d.words),
                    "∞" if d.per_1000_words is None else f"{d.per_1000_words:g}",
                    "" if d.height_share is None else f"~{d.height_share}%",
                    text(d.detail),
                ],
                muted=d.suppressed,
            )
            for d in report.density_over
        ]
        headers = ["file", "line", "units", "words", "per 1,000", "height", "why"]
        parts.append(table(headers, rows, numeric=(1, 2, 3, 4, 5)))
    return section("density", "Ad density", "".join(parts))


def disclosure(report: Report) -> str:
    if not report.disclosure:
        body = note("Every file with affiliate links discloses them before the first one.")
    else:
        rows = [
            Row(
                [code(g.path), str(g.line), text(g.network), f"{g.undisclosed} of {g.total}"],
                muted=g.suppressed,
            )
            for g in report.disclosure
        ]
        body = note(
            "Files with affiliate links and no disclosure before the first of them (FTC "
            "Endorsement Guides: disclose clearly, before the link)."
        ) + table(["file", "first link line", "network", "undisclosed links"], rows, (1,))
    return section("disclosure", "Disclosure", body)


def links(report: Report) -> str:
    if not report.broken_links:
        message = (
            "Every checked link answered."
            if report.links_checked
            else "Links were not checked in this run: add <code>--check-links</code> to check "
            "every outbound and local link."
        )
        return section("links", "Broken links", note(message))
    rows = [
        [
            url(b.url),
            text(b.status or "–"),
            text(b.reason)
            + (f"<br>→ {url(b.final_url)}" if b.final_url and b.final_url != b.url else ""),
            severity(b.severity),
            "".join(f"<div>{code(u.path)}:{u.line}</div>" for u in b.uses[:10])
            + (f"<div>and {len(b.uses) - 10} more</div>" if len(b.uses) > 10 else ""),
        ]
        for b in report.broken_links
    ]
    body = table(["URL", "status", "reason", "severity", "used in"], rows, (1,), wide=True)
    return section("links", "Broken links", body)


def worst(report: Report) -> str:
    if not report.worst:
        return section("worst", "Worst files", note("Every file is compliant."))
    rows = [
        [
            f'<a href="#file-{index}">{code(f.path)}</a>'
            + (f"<div>{text(f.title)}</div>" if f.title else ""),
            str(f.errors),
            str(f.warnings),
            str(f.info),
            str(f.suppressed),
        ]
        for index, f in enumerate(report.worst, start=1)
    ]
    intro = note("Files with active errors or warnings, worst first. Each links to its findings.")
    body = intro + table(["file", "errors", "warnings", "info", "suppressed"], rows, (1, 2, 3, 4))
    return section("worst", "Worst files", body)


def details(report: Report) -> str:
    if not report.worst:
        return ""
    articles = "".join(_file_detail(i, f) for i, f in enumerate(report.worst, start=1))
    return section("files", "File details", articles)


def _file_detail(index: int, summary: FileSummary) -> str:
    facts = [counted(summary.words, "word"), counted(summary.ad_units, "ad unit")]
    title = f"<div>{text(summary.title)}</div>" if summary.title else ""
    shown = summary.findings[:MAX_DETAIL_ROWS]
    rows = [_finding_row(f) for f in shown]
    more = len(summary.findings) - len(shown)
    tail = note(f"and {counted(more, 'more finding')}") if more > 0 else ""
    return (
        f'<article class="file" id="file-{index}"><h3>{code(summary.path)}</h3>{title}'
        f'<p class="note">{" · ".join(facts)}</p>'
        + table(["line:col", "severity", "rule", "message", "snippet"], rows, (0,), wide=True)
        + tail
        + "</article>"
    )


def _finding_row(finding: Finding) -> Row:
    label = severity(finding.severity.value)
    if finding.suppressed is not None:
        reason = f": {text(finding.suppressed)}" if finding.suppressed else ""
        label += f'<div class="note">suppressed{reason}</div>'
    snippet = f'<pre class="snippet">{text(finding.snippet)}</pre>' if finding.snippet else ""
    cells = [
        f"{finding.line}:{finding.column}",
        label,
        code(finding.rule),
        f'<span class="url">{text(finding.message)}</span>',
        snippet,
    ]
    return Row(cells, muted=finding.suppressed is not None)
