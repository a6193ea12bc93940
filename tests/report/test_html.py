"""The HTML page: self-contained, every article string escaped, URLs never live, all sections."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from adlint.cli import main
from adlint.finding import Finding, Severity
from adlint.report import html
from adlint.report.charts import histogram
from adlint.report.model import BrokenLink, DensityBin, FileSummary, LinkUse, Report

HOSTILE_NAME = 'x"><img src=x onerror=alert(1)>.md'
HOSTILE_TITLE = '<script>alert("title")</script>"><img src=x onerror=alert(2)>'
HOSTILE_ARTICLE = f"""---
title: {HOSTILE_TITLE}
---
# Hostile

<a href="https://www.amazon.com/dp/B01?tag=a&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;">x</a>

<a href="javascript:alert(4)">click</a>

<img src="https://px.evil.example/p.gif?u=&quot;&gt;&lt;svg onload=alert(5)&gt;"
 width="1" height="1" style="display:none" alt="">
"""
HOSTILE_CONFIG = """\
networks: [./evil-networks.yaml]
rules:
  script-link:
    kind: match
    severity: warning
    message: "Script URL {url}"
    select: {scheme: [javascript]}
"""
HOSTILE_NETWORKS = """\
version: 1
networks:
  evil:
    name: "<b onmouseover=alert(6)>Evil</b> Net"
    match:
      - hosts: [evil-aff.example]
        id_from: query:ref
"""
EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//)", re.I)
"""Any absolute or protocol-relative reference: a page that needs nothing outside itself
has only fragment links."""


class Markup(HTMLParser):
    """Collect what a browser would act on: tags, attributes, and <style> contents."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend((tag, name, value or "") for name, value in attrs)
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def parse(page: str) -> Markup:
    parser = Markup()
    parser.feed(page)
    parser.close()
    return parser


@pytest.fixture
def hostile_html(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    site = tmp_path / "site"
    site.mkdir()
    (site / HOSTILE_NAME).write_text(HOSTILE_ARTICLE + "\nMore text.\n", encoding="utf-8")
    (site / ".adlint.yaml").write_text(HOSTILE_CONFIG, encoding="utf-8")
    (site / "evil-networks.yaml").write_text(HOSTILE_NETWORKS, encoding="utf-8")
    (site / "evil.md").write_text(
        "Buy [it](https://evil-aff.example/go?ref=%3Cscript%3E).\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    output = tmp_path / "report.html"
    assert main(["report", "site", "--title", "<i>Q3</i> audit", "-o", str(output)]) == 0
    return output.read_text(encoding="utf-8")


def assert_inert(page: str) -> None:
    """No element or attribute that article text could have injected."""
    markup = parse(page)
    assert "script" not in markup.tags and "img" not in markup.tags and "b" not in markup.tags
    assert not [a for a in markup.attrs if a[1].startswith("on")]
    hrefs = [value for _, name, value in markup.attrs if name == "href"]
    assert all(value.startswith("#file-") or re.fullmatch(r"#[a-z]+", value) for value in hrefs)
    assert "javascript:" not in " ".join(value for _, _, value in markup.attrs)


def test_hostile_names_titles_urls_and_ids_are_escaped(hostile_html: str) -> None:
    assert_inert(hostile_html)
    assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;" in hostile_html
    assert "x&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.md" in hostile_html
    assert "a&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;" in hostile_html  # affiliate ID
    assert "&lt;i&gt;Q3&lt;/i&gt; audit" in hostile_html


def test_javascript_url_is_shown_as_text_never_as_a_link(hostile_html: str) -> None:
    assert "javascript:alert(4)" in hostile_html
    assert not re.search(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", hostile_html, re.I)


def test_hostile_network_name_is_escaped_in_tables_and_svg_labels(hostile_html: str) -> None:
    escaped = "&lt;b onmouseover=alert(6)&gt;Evil&lt;/b&gt; Net"
    chart = hostile_html[
        hostile_html.index('<svg class="chart bars"', hostile_html.index('id="inventory"')) :
    ]
    assert escaped in chart[: chart.index("</svg>")]
    assert hostile_html.count(escaped) >= 2


def test_page_references_no_external_resource(site_html: str, hostile_html: str) -> None:
    for page in (site_html, hostile_html):
        markup = parse(page)
        for tag, name, value in markup.attrs:
            if name in ("src", "href", "srcset", "action", "poster", "data", "xlink:href"):
                assert not EXTERNAL.match(value), (tag, name, value)
            assert "url(" not in value.lower(), (tag, name, value)
        assert "link" not in markup.tags and "script" not in markup.tags
        assert "iframe" not in markup.tags and "object" not in markup.tags
        css = "".join(markup.styles)
        assert "@import" not in css and "url(" not in css and "http" not in css
        assert "@font-face" not in css


def test_content_security_policy_forbids_every_request(site_html: str) -> None:
    csp = next(v for _, n, v in parse(site_html).attrs if n == "content" and "default-src" in v)
    assert "default-src 'none'" in csp and "script-src" not in csp


def test_page_has_every_section_and_a_chart_each(site_html: str) -> None:
    for anchor in ("summary", "inventory", "density", "disclosure", "links", "worst", "files"):
        assert f'<section id="{anchor}"' in site_html
    # compliance, rules, networks, density per 1,000 words and as a share of the height
    assert site_html.count('<svg class="chart') == 5
    assert "4 <small>(67%)</small>" in site_html


def test_worst_files_link_to_their_detail_with_lines_rules_and_snippets(site_html: str) -> None:
    assert '<a href="#file-1"><code>site/undisclosed.md</code></a>' in site_html
    detail = site_html[site_html.index('id="file-1"') :]
    detail = detail[: detail.index("</article>")]
    assert '<td class="num">6:16</td>' in detail and "<code>affiliate-id-unknown</code>" in detail
    assert "https://www.amazon.com/dp/B000PHONE1?tag=thief-20" in detail


def test_suppressed_findings_count_apart_from_active_ones(site_html: str) -> None:
    row = (
        '<tr><td>tracking-pixel</td><td><span class="badge sev-warning">warning</span></td>'
        '<td class="num">1</td><td class="num">1</td></tr>'
    )
    assert row in site_html
    assert '<div class="value">1</div><div class="label">suppressed</div>' in site_html


def _report(**changes: object) -> Report:
    base = Report(
        version="0.1.0",
        generated="2023-11-14T22:13:20Z",
        policy_files=("policies/default.yaml",),
        files=1,
        compliant=0,
        by_severity={"error": 1, "warning": 0, "info": 0},
        suppressed=0,
        by_rule=(),
    )
    return Report(**{**base.__dict__, **changes})


def test_broken_link_urls_are_text_with_status_and_uses() -> None:
    link = BrokenLink(
        url='javascript:alert(1)//"><img src=x onerror=alert(2)>',
        status="404",
        reason="404 Not Found",
        verdict="broken",
        rule="broken-link",
        severity="error",
        final_url="https://evil.example/<b>",
        uses=(LinkUse("a.md", 3), LinkUse("b.md", 9)),
    )
    page = html.render(_report(broken_links=(link,), links_checked=True))
    assert_inert(page)
    section = page[page.index('id="links"') :]
    assert "javascript:alert(1)//&quot;&gt;&lt;img src=x onerror=alert(2)&gt;" in section
    assert "https://evil.example/&lt;b&gt;" in section
    assert "<code>a.md</code>:3" in section and "<code>b.md</code>:9" in section


def test_suppressed_finding_in_details_is_muted_with_its_reason() -> None:
    finding = Finding(
        "a.md", 2, 1, 2, 5, "tracking-pixel", Severity.WARNING, "pixel", {}, "<img>", "<why>"
    )
    worst = FileSummary("a.md", "", 10, 0, 1, 0, 0, 1, findings=(finding,))
    page = html.render(_report(worst=(worst,)))
    assert '<tr class="suppressed">' in page and "suppressed: &lt;why&gt;" in page


def test_links_section_says_when_links_were_not_checked() -> None:
    page = html.render(_report())
    assert "Links were not checked" in page[page.index('id="links"') :]


@pytest.mark.parametrize("tallest", [0, 4, 5])
def test_the_density_limit_label_is_drawn_over_no_bar_or_count(tallest: int) -> None:
    """The "limit 6" label sat inside the plot, over the tallest bar just past the limit (the
    seeds' 6-8 bin). SVG text at font-size 12 spans 12 px above its baseline."""
    bins = [DensityBin("no ads", None, 0, 1, False)] + [
        DensityBin(f"{low}-{low + 2}", low, low + 2, 3 if n != tallest else 9, low >= 6)
        for n, low in enumerate(range(0, 14, 2))
    ]
    svg = histogram(bins, 6, "Ad density")
    label = re.search(r'<text x="([\d.]+)" y="([\d.]+)" class="muted">limit 6</text>', svg)
    assert label is not None
    label_bottom = float(label.group(2))
    bar_tops = [float(y) for y in re.findall(r'<rect x="[\d.]+" y="([\d.]+)"', svg)]
    counts = [
        float(y) - 12
        for y in re.findall(r'<text x="[\d.]+" y="([\d.]+)" text-anchor="middle">', svg)
    ]
    assert label_bottom < min(bar_tops) and label_bottom < min(counts)
    assert label_bottom - 12 >= 0  # inside the picture
