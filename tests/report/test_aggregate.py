"""Aggregation: known counts on the fixture site, and the rules of counting on small cases."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from adlint.engine import lint_text
from adlint.finding import Finding, Severity
from adlint.outcome import file_stats
from adlint.parse import parse_text
from adlint.policy import Rule, load_default_policy
from adlint.report.aggregate import Aggregator, aggregate
from adlint.report.model import FileStats, Report


@pytest.fixture(scope="module")
def rules() -> list[Rule]:
    return load_default_policy().rules


def finding(
    rule: str,
    *,
    path: str = "a.md",
    line: int = 1,
    column: int = 1,
    severity: str = "info",
    suppressed: str | None = None,
    **data: Any,
) -> Finding:
    return Finding(
        path, line, column, line, column + 1, rule, Severity(severity), rule, data, "", suppressed
    )


def with_allow(rules: list[Rule], rule_id: str, **options: Any) -> list[Rule]:
    return [replace(r, kind=replace(r.kind, **options)) if r.id == rule_id else r for r in rules]


def report_of(rules: list[Rule], *files: tuple[FileStats, list[Finding]], top: int = 25) -> Report:
    return aggregate(files, rules, top=top, version="0", generated="now")


# The fixture site, end to end through `adlint report --format json`.


def test_site_summary_counts_files_compliance_and_severities(site_json: dict[str, Any]) -> None:
    summary = site_json["summary"]
    assert (summary["files"], summary["compliant"], summary["compliance_rate"]) == (6, 4, 0.6667)
    assert summary["findings"] == {"error": 4, "warning": 2, "info": 9}
    assert summary["suppressed"] == 1


def test_site_by_rule_separates_active_and_suppressed(site_json: dict[str, Any]) -> None:
    tallies = {
        (t["rule"], t["severity"]): (t["active"], t["suppressed"])
        for t in site_json["summary"]["by_rule"]
    }
    assert tallies == {
        ("affiliate-id-unknown", "error"): (2, 0),
        ("ad-client-unknown", "error"): (1, 0),
        ("affiliate-disclosure-missing", "error"): (1, 0),
        ("ad-density", "warning"): (1, 0),
        ("tracking-pixel", "warning"): (1, 1),
        ("affiliate-link", "info"): (5, 0),
        ("ad-unit", "info"): (4, 0),
    }


def test_site_networks_count_links_and_files(site_json: dict[str, Any]) -> None:
    networks = site_json["inventory"]["networks"]
    assert networks == [
        {
            "network": "Amazon Associates",
            "links": 3,
            "files": ["site/compliant.md", "site/undisclosed.md"],
        },
        {"network": "Impact", "links": 2, "files": ["site/compliant.md", "site/undisclosed.md"]},
    ]


def test_site_foreign_affiliate_id_is_flagged_first(site_json: dict[str, Any]) -> None:
    ids = [
        (a["affiliate_id"], a["network"], a["links"], a["status"])
        for a in site_json["inventory"]["affiliate_ids"]
    ]
    assert ids == [
        ("thief-20", "Amazon Associates", 2, "not-allowed"),
        ("1234567", "Impact", 2, "allowed"),
        ("ourtag-20", "Amazon Associates", 1, "allowed"),
    ]
    assert site_json["inventory"]["allowlist_configured"] is True


def test_site_ad_clients_say_whether_ads_txt_authorises_them(site_json: dict[str, Any]) -> None:
    clients = site_json["inventory"]["ad_clients"]
    assert [(c["client"], c["placements"], c["status"], c["source"]) for c in clients] == [
        ("ca-pub-9999888877776666", 1, "not-authorised", ""),
        ("ca-pub-1111222233334444", 3, "authorised", "ads.txt"),
    ]
    assert clients[1]["files"] == ["site/ads.html", "site/one-ad.md"]


def test_site_pixels_count_suppressed_ones_too(site_json: dict[str, Any]) -> None:
    assert site_json["inventory"]["pixels"] == [
        {
            "vendor": "facebook.com",
            "host": "www.facebook.com",
            "count": 2,
            "files": ["site/ads.html", "site/suppressed.md"],
        }
    ]


def test_site_density_histogram_bins_every_file(site_json: dict[str, Any]) -> None:
    density = site_json["ad_density"]
    assert density["threshold"] == 6.0
    bins = {b["label"]: b["files"] for b in density["histogram"]}
    assert bins == {
        "no ads": 4,
        "0–2": 0,
        "2–4": 1,
        "4–6": 0,
        "6–8": 0,
        "8–10": 0,
        "10–12": 0,
        "> 12": 0,
    }
    assert [b["over"] for b in density["histogram"]] == [False] * 4 + [True] * 4
    # ads.html is flagged for stacking, but its 72 words are under the rule's min_words: the
    # rule does not measure its rate, so the histogram counts it apart rather than in a bar.
    assert (density["unmeasured"], density["min_words"]) == (1, 150)
    [flag] = density["over_threshold"]
    assert (flag["path"], flag["units"], flag["words"], flag["measures"], flag["stacked"]) == (
        "site/ads.html",
        3,
        72,
        ["stacked"],
        3,
    )


def test_site_disclosure_lists_the_undisclosed_file(site_json: dict[str, Any]) -> None:
    assert site_json["disclosure"] == [
        {
            "path": "site/undisclosed.md",
            "line": 6,
            "network": "Amazon Associates",
            "undisclosed": 3,
            "total": 3,
            "suppressed": False,
        }
    ]


def test_site_worst_files_rank_errors_first_and_carry_findings(site_json: dict[str, Any]) -> None:
    worst = site_json["worst_files"]
    assert [(w["path"], w["errors"], w["warnings"]) for w in worst] == [
        ("site/undisclosed.md", 3, 0),
        ("site/ads.html", 1, 2),
    ]
    assert (worst[0]["title"], worst[1]["title"]) == ("Budget headphones", "Ad heavy page")
    assert [(f["line"], f["rule"]) for f in worst[1]["findings"]][:2] == [
        (5, "ad-unit"),
        (6, "ad-density"),
    ]


def test_site_without_link_checking_has_no_broken_links(site_json: dict[str, Any]) -> None:
    assert site_json["links_checked"] is False and site_json["broken_links"] == []


# Counting rules, on hand-made findings.


def test_affiliate_link_and_unknown_id_at_one_url_count_one_link(rules: list[Rule]) -> None:
    data = {
        "network": "Amazon Associates",
        "network_id": "amazon",
        "affiliate_id": "x-20",
        "url": "u",
    }
    found = [
        finding("affiliate-link", column=10, **data),
        finding("affiliate-id-unknown", column=10, severity="error", value="x-20", **data),
    ]
    report = report_of(
        with_allow(rules, "affiliate-id-unknown", allow=("mine-20",)), (FileStats("a.md"), found)
    )
    [use] = report.affiliate_ids
    assert (use.links, use.status) == (1, "not-allowed")
    assert report.networks[0].links == 1


def test_affiliate_id_status_is_unchecked_without_an_allowlist(rules: list[Rule]) -> None:
    found = [finding("affiliate-link", network="Impact", affiliate_id="1", url="u")]
    report = report_of(rules, (FileStats("a.md"), found))
    assert report.affiliate_ids[0].status == "unchecked" and not report.allowlist_configured


def test_network_scoped_allow_entry_allows_only_that_network(rules: list[Rule]) -> None:
    scoped = with_allow(rules, "affiliate-id-unknown", allow=("impact:77",))
    found = [
        finding(
            "affiliate-link",
            line=1,
            network="Impact",
            network_id="impact",
            affiliate_id="77",
            url="a",
        ),
        finding(
            "affiliate-link", line=2, network="Awin", network_id="awin", affiliate_id="77", url="b"
        ),
    ]
    report = report_of(scoped, (FileStats("a.md"), found))
    assert {(a.network, a.status) for a in report.affiliate_ids} == {
        ("Impact", "allowed"),
        ("Awin", "not-allowed"),
    }


def test_foreign_id_with_only_suppressed_findings_is_marked_suppressed(rules: list[Rule]) -> None:
    data = {"network": "Impact", "affiliate_id": "9", "url": "u"}
    found = [
        finding("affiliate-id-unknown", severity="error", suppressed="partner", value="9", **data)
    ]
    report = report_of(
        with_allow(rules, "affiliate-id-unknown", allow=("1",)), (FileStats("a.md"), found)
    )
    assert report.affiliate_ids[0].status == "suppressed"
    assert (report.compliant, report.suppressed, report.by_severity["error"]) == (1, 1, 0)


def test_ad_client_in_allow_list_is_authorised_by_the_allowlist(rules: list[Rule]) -> None:
    allowed = with_allow(rules, "ad-client-unknown", allow=("ca-pub-1",))
    report = report_of(allowed, (FileStats("a.md"), [finding("ad-unit", client="ca-pub-1")]))
    assert (report.ad_clients[0].status, report.ad_clients[0].source) == ("authorised", "allowlist")


def test_density_rate_at_the_threshold_is_not_over(rules: list[Rule]) -> None:
    units = [finding("ad-unit", line=n) for n in range(1, 7)]
    report = report_of(rules, (FileStats("a.md", words=1000), units))
    bins = {b.label: (b.files, b.over) for b in report.density_bins}
    assert bins["4–6"] == (1, False)


def test_density_units_without_words_land_in_the_open_bin(rules: list[Rule]) -> None:
    report = report_of(rules, (FileStats("a.md", words=0), [finding("ad-unit")]))
    assert report.density_bins[-1].files == 1 and report.density_bins[-1].label == "> 12"


def test_broken_links_group_uses_by_url(rules: list[Rule]) -> None:
    data = {
        "url": "https://gone.example/",
        "status": 404,
        "reason": "404 Not Found",
        "verdict": "broken",
    }
    report = report_of(
        rules,
        (FileStats("a.md"), [finding("broken-link", line=3, severity="error", **data)]),
        (
            FileStats("b.md"),
            [finding("broken-link", path="b.md", line=7, severity="error", **data)],
        ),
    )
    [link] = report.broken_links
    assert (link.status, link.reason, [(u.path, u.line) for u in link.uses]) == (
        "404",
        "404 Not Found",
        [("a.md", 3), ("b.md", 7)],
    )


def test_worst_files_keep_only_top_n_with_ties_in_discovery_order(rules: list[Rule]) -> None:
    files = [
        (
            FileStats(f"{n}.md"),
            [finding("parse-error", path=f"{n}.md", severity="error")] * (n % 3 + 1),
        )
        for n in range(9)
    ]
    aggregator = Aggregator(rules, top=3)
    for stats, found in files:
        aggregator.add(stats, found)
    report = aggregator.finish(version="0", generated="now")
    assert [f.path for f in report.worst] == ["2.md", "5.md", "8.md"]
    assert all(len(f.findings) == 3 for f in report.worst)


def test_no_files_is_fully_compliant(rules: list[Rule]) -> None:
    report = report_of(rules)
    assert (report.files, report.compliance_rate, report.worst) == (0, 1.0, ())


def test_file_stats_keeps_title_and_words_not_the_document() -> None:
    document = parse_text("a.md", "---\ntitle: |\n  Two\n  lines\n---\nOne two three.\n")
    assert file_stats(document) == FileStats("a.md", 3, "Two lines")


def test_file_stats_reads_an_html_title_when_there_is_no_front_matter() -> None:
    document = parse_text("a.html", "<html><head><title>Fish &amp; chips</title></head></html>")
    assert file_stats(document).title == "Fish & chips"


def test_lint_text_findings_aggregate_like_the_command(rules: list[Rule]) -> None:
    text = "Buy [it](https://www.amazon.com/dp/B01?tag=abc-20).\n"
    found = lint_text(text, load_default_policy())
    report = report_of(rules, (FileStats("article.md", 3), found))
    assert [(a.affiliate_id, a.links) for a in report.affiliate_ids] == [("abc-20", 1)]
    assert [g.path for g in report.disclosure] == ["article.md"]


@pytest.mark.parametrize(
    ("head", "title"),
    [
        ("<TITLE lang=en>Upper &lt;case&gt;</Title >", "Upper <case>"),
        ("<titles>not this</titles><title>This</title>", "This"),
        ("<title>never closed" + "<title>" * 9_000, ""),  # quadratic for the old regex
        ("<title><b>raw</b> text</title>", "<b>raw</b> text"),  # RCDATA: tags are text
    ],
)
def test_html_title_is_the_first_title_element(head: str, title: str) -> None:
    document = parse_text("a.html", f"<html><head>{head}</head><body>x</body></html>")
    assert file_stats(document).title == title


def test_a_flagged_file_is_binned_by_the_rules_main_content_words(rules: list[Rule]) -> None:
    """2 units in the file's 1,000 visible words would be 2 per 1,000; the rule counted 220
    words of main content (the rest navigation), 9.1 per 1,000: the file bins as flagged."""
    units = [finding("ad-unit", line=n) for n in (1, 2)]
    flagged = finding("ad-density", severity="warning", units=2, words=220, per_1000_words=9.1)
    report = report_of(rules, (FileStats("a.md", words=1000), [*units, flagged]))
    binned = [(b.label, b.files, b.over) for b in report.density_bins if b.files]
    assert binned == [("8–10", 1, True)]
    assert report.density_over[0].words == 220
