"""`adlint report` over hostile articles: the page, the Markdown and the JSON stay inert.

The report is mailed around and opened in browsers, and its Markdown goes into
`$GITHUB_STEP_SUMMARY`, so article text (file names, titles, URLs, link text, broken-link
reasons) must never become markup there. The HTML is parsed as a browser would tokenise it
and compared with the report's own vocabulary of elements and attributes: anything else
came from an article.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

from hypothesis import HealthCheck, example, given, settings

from adlint.cli import main
from tests.formats.hostile import (
    Article,
    assert_inert_markdown,
    shown,
    sites,
    workspace,
    write_site,
)

HOSTILE = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WORST = Article(
    name=b'"><script>alert(1)|`www.t.example`\n\xff.html',
    title="</title><script>alert(1)</script><img src=x onerror=alert(1)>",
    tag='" onmouseover="alert(1)',
    link_text="]]>--><svg onload=alert(1)>![px](https://t.example/p.gif)",
    html=True,
    ascii_title=False,
    broken_utf8=False,
)
"""Every kind of hostile value at once, for an explicit example of each property."""
REPORT_TAGS = {
    *("html", "head", "meta", "title", "style", "body", "header", "nav", "main", "footer"),
    *("section", "article", "div", "span", "p", "small", "h1", "h2", "h3", "a", "code", "pre"),
    *("ul", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tr", "th", "td"),
    *("figure", "figcaption", "svg", "rect", "circle", "line", "text", "g", "path"),
}
"""The elements the report writes itself (charts are inline SVG)."""
EVENT_HANDLER_PREFIX = "on"
MARKDOWN_TAGS = {"h2", "h3", "p", "strong", "sub", "code", "table", "thead", "tbody"}
MARKDOWN_TAGS |= {"tr", "th", "td"}


def report(site: list[Article], format_name: str) -> tuple[str, list[bytes]]:
    """Write the site, report on it (local links checked, nothing fetched), return the text.

    `--check-links --exclude ://` checks only local links, so hostile link targets reach the
    Broken links section as "no such file" reasons without any network access.
    """
    with workspace(SOURCE_DATE_EPOCH="1700000000") as root:
        paths = write_site(root / "site", site)
        argv = ["report", "-j", "1", "--no-config", "--top", "0", "--format", format_name]
        argv += ["--check-links", "--no-cache", "--exclude", "://", "-o", "out", "site"]
        assert main(argv) == 0
        return (root / "out").read_bytes().decode("utf-8"), paths


class Page(HTMLParser):
    """Elements, attributes and the file headings of a report page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.headings: list[str] = []
        """The text of each file's details heading (`<article class="file"><h3>`)."""
        self._in_heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]
        if tag == "h3" and self.tags[-2:-1] == ["article"]:
            self._in_heading = True
            self.headings.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h3":
            self._in_heading = False

    def handle_data(self, data: str) -> None:
        if self._in_heading:
            self.headings[-1] += data


@HOSTILE
@given(sites)
@example([WORST])
def test_html_report_has_only_its_own_elements_and_no_requests(site: list[Article]):
    page_text, paths = report(site, "html")
    page = Page()
    page.feed(page_text)
    assert set(page.tags) <= REPORT_TAGS and page.tags.count("style") == 1
    for tag, name, value in page.attributes:
        assert not name.startswith(EVENT_HANDLER_PREFIX), (tag, name, value)
        assert name not in ("src", "srcset", "xlink:href", "style", "background"), (tag, name)
        if name == "href":
            assert value.startswith("#"), value
    csp = [v for t, n, v in page.attributes if t == "meta" and n == "content"]
    assert any(v.startswith("default-src 'none'") for v in csp)
    assert set(page.headings) <= {shown(path) for path in paths}


@HOSTILE
@given(sites)
@example([WORST])
def test_markdown_report_is_inert(site: list[Article]):
    markdown, _ = report(site, "markdown")
    assert_inert_markdown(markdown, MARKDOWN_TAGS)


@HOSTILE
@given(sites)
@example([WORST])
def test_json_report_parses_and_names_the_written_files(site: list[Article]):
    text, paths = report(site, "json")
    data = json.loads(text)
    assert {f["path"] for f in data["worst_files"]} <= {shown(path) for path in paths}


def test_html_report_pinned_escapes_a_hostile_file_name():
    page_text, _ = report([WORST], "html")
    name = '"><script>alert(1)|`www.t.example`\n\\xff-0.html'
    escaped = name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = escaped.replace('"', "&quot;").replace("'", "&#x27;")
    assert f"<h3><code>site/{escaped}</code></h3>" in page_text


def test_markdown_report_pinned_puts_a_hostile_path_in_a_code_span():
    markdown, _ = report([WORST], "markdown")
    row = '| ``site/"><script>alert(1)\\|`www.t.example` \\xff-0.html`` | 2 | 2 | 1 | 0 |'
    assert any(line.startswith(row) for line in markdown.splitlines()), markdown


def test_markdown_report_never_autolinks_a_broken_local_link():
    """A relative link `www.host/p.gif` is a local file to adlint, so its "no such file"
    reason names it; GitHub would autolink `www.host` in that reason's text."""
    with workspace(SOURCE_DATE_EPOCH="1700000000") as root:
        (root / "a.md").write_text("![p](www.tracker.example/p.gif)\n", encoding="utf-8")
        argv = ["report", "-j", "1", "--no-config", "--format", "markdown", "-o", "out"]
        assert main([*argv, "--check-links", "--no-cache", "a.md"]) == 0
        markdown = (root / "out").read_text(encoding="utf-8")
    assert "no such file" in markdown
    assert_inert_markdown(markdown, MARKDOWN_TAGS)


def test_json_report_and_baseline_never_carry_the_runners_legacy_command_syntax(tmp_path):
    """`##[error]` in an article would be a workflow command in a job log; JSON writes it as
    `#\\u0023[`, the same value once parsed."""
    article = tmp_path / "a##[error]b.md"
    article.write_text(
        "# ##[warning]t\n\n[deal](https://www.amazon.com/dp/B0?tag=x-20&q=##[group])\n"
    )
    for argv in (
        ["report", "--format", "json", "-o", str(tmp_path / "report.json")],
        ["baseline", "-o", str(tmp_path / "baseline.json")],
    ):
        assert main([*argv, "-j", "1", "--no-config", "--no-cache", str(article)]) in (0, 1)
    for name in ("report.json", "baseline.json"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert "##[" not in text and "#\\u0023[" in text
        assert "a##[error]b.md" in json.dumps(json.loads(text), ensure_ascii=False)
