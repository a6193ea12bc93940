"""Hostile and pathological articles: no exception escapes, nothing is lost, positions hold.

Property tests feed arbitrary text and bytes (and article-shaped text built from the
constructs parsers find hard) through the same path the CLI takes, and check every finding
against positions computed here independently of adlint's own line table.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from adlint.cli import main
from adlint.discover import Target
from adlint.engine import lint_document, lint_target, read_document
from adlint.finding import Finding
from adlint.policy import load_default_policy
from adlint.yamlfile import may_nest_deeper
from tests.core.fresh import run_adlint

POLICY = load_default_policy()
AMAZON = "https://www.amazon.com/dp/B0{:08d}?tag=pub-20"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

FRAGMENTS = [
    "---\ntitle: x\n---\n",
    "---\ntitle: [unclosed\n",
    "[deal](https://www.amazon.com/dp/B01?tag=me-20)",
    "[short](https://amzn.to/3abc)",
    '<a href="https://click.linksynergy.com/deeplink?id=AbC&murl=x">r</a>',
    '<a href="https://example.com/x" rel="nofollow">plain</a>',
    '<img src="https://px.example/i.gif" width="1" height="1">',
    '<img src="https://t.co/p.gif" style="display:none">',
    '<img width="1" height="1" srcset="https://px.example/a.gif 1x, b.gif,c.gif 2x">',
    '<picture><source srcset="a.webp (x, y), https://t.co/p&amp;q.gif 2x,">',
    '<ins class="adsbygoogle" data-ad-client="ca-pub-1234567890123456"></ins>',
    "<script async src='https://pagead2.googlesyndication.com/pagead/js/adsbygoogle.js'>",
    "</script>",
    "<!-- adlint-disable -->",
    "<!-- adlint-disable-next-line affiliate-link -- ok -->",
    "<!--",
    "-->",
    "```\n",
    "`code [x](https://amzn.to/c)`",
    "    indented [x](https://amzn.to/i)\n",
    "<div hidden>",
    "</div>",
    "<a href='",
    '"',
    "<",
    ">",
    "[ref]: https://www.amazon.com/dp/R?tag=ref-20\n",
    "[ref]",
    "<https://www.amazon.com/dp/A?tag=auto-20>",
    "https://www.amazon.com/dp/B?tag=bare-20",
    "> quote ",
    "- item ",
    "| a | b |\n|---|---|\n",
    "We earn a commission from purchases. ",
    "\u00e9\u4e2d\U0001f600",
    "\t",
    "\x00",
    "\ufeff",
    "\u2028",
    "\\",
    "&amp;&#x27;&bogus;",
]
NEWLINES = ["\n", "\r\n", "\r"]


def reference_lines(text: str) -> list[str]:
    """The file's lines as an editor shows them (`\\r\\n`, `\\r` and `\\n` end a line)."""
    return _LINE_BREAK.split(text)


def assert_positions_valid(text: str, findings: list[Finding]) -> None:
    lines = reference_lines(text)
    starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]  # not adlint's line table
    for finding in findings:
        where = f"{finding.rule} at {finding.line}:{finding.column}"
        assert 1 <= finding.line <= len(lines), where
        assert 1 <= finding.column <= len(lines[finding.line - 1]) + 1, where
        assert 1 <= finding.end_line <= len(lines), where
        assert 1 <= finding.end_column <= len(lines[finding.end_line - 1]) + 1, where
        assert (finding.end_line, finding.end_column) >= (finding.line, finding.column), where
        if finding.snippet:
            start = starts[finding.line - 1] + finding.column - 1
            assert text[start : start + len(finding.snippet)] == finding.snippet, where


def lint_bytes(factory: pytest.TempPathFactory, name: str, data: bytes) -> list[Finding]:
    """Lint real file bytes the way the CLI does and check every finding's position; a file
    that cannot be parsed at all must come back as exactly one parse-error."""
    path = factory.mktemp("article") / name
    path.write_bytes(data)
    target = Target(path, name)
    document = read_document(target)
    findings = lint_document(document, POLICY.rules_for(name), POLICY)
    assert findings == lint_target(target, POLICY)
    if document.format == "unknown":
        assert [f.rule for f in findings] == ["parse-error"]
    assert_positions_valid(document.text, findings)
    return findings


article_text = st.builds(
    lambda parts, newline: "".join(parts).replace("\n", newline),
    st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=20), max_size=40),
    st.sampled_from(NEWLINES),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=article_text, suffix=st.sampled_from(["article.md", "page.html", "notes.txt"]))
@example(text="<a href='https://amzn.to/x?tag=a-20'>\r\nx</a>\r", suffix="page.html")
@example(text="---\r\ntitle: x\r\n---\r\n[d](https://amzn.to/3?tag=t-20)", suffix="a.md")
def test_article_shaped_text_never_raises_and_positions_hold(
    text: str, suffix: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    lint_bytes(tmp_path_factory, suffix, text.encode("utf-8", "surrogatepass"))


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=400))
@example(data=b"\xff\xfe" + "[x](https://amzn.to/a?tag=u-20)".encode("utf-16-le"))
@example(data=b"\x00\x01\x02\x03binary")
def test_arbitrary_bytes_give_findings_or_a_parse_error(
    data: bytes, tmp_path_factory: pytest.TempPathFactory
) -> None:
    lint_bytes(tmp_path_factory, "input.md", data)


@settings(max_examples=25, deadline=None)
@given(contents=st.lists(st.binary(max_size=200) | article_text.map(str.encode), min_size=1,
                         max_size=6))  # fmt: skip
def test_every_file_of_a_run_is_accounted_for(
    contents: list[bytes], tmp_path_factory: pytest.TempPathFactory
) -> None:
    site = tmp_path_factory.mktemp("site")
    for index, data in enumerate(contents):
        (site / f"{index}.md").write_bytes(data)
    out = site / "report.json"
    code = main(["check", str(site), "--format", "json", "-o", str(out), "-j1", "--no-config"])
    assert code in (0, 1)
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["summary"]["files"] == len(contents)


# --- pathological files, each through the real command in its own process -------------


def run_check(tmp_path: Path, name: str, data: bytes, *extra: str) -> dict:
    """Lint one file in a fresh process; its JSON report."""
    (tmp_path / name).write_bytes(data)
    out = tmp_path / "out.json"
    command = ["check", name, *extra, "--format", "json", "-o", "out.json", "-j1", "--no-config"]
    result = run_adlint(tmp_path, *command)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def by_rule(report: dict, rule: str) -> list[dict]:
    return [f for f in report["findings"] if f["rule"] == rule]


def test_100000_links_in_one_file_are_all_reported(tmp_path: Path) -> None:
    lines = [f'<p><a href="{AMAZON.format(i)}">deal {i}</a></p>' for i in range(100_000)]
    report = run_check(tmp_path, "many.html", "\n".join(lines).encode())
    links = by_rule(report, "affiliate-link")
    assert len(links) == 100_000
    assert (links[0]["line"], links[0]["column"]) == (1, 13)
    assert (links[-1]["line"], links[-1]["column"]) == (100_000, 13)
    assert links[-1]["data"]["affiliate_id"] == "pub-20"
    assert len(by_rule(report, "affiliate-rel-missing")) == 100_000


def test_200000_nested_elements(tmp_path: Path) -> None:
    depth = 200_000
    html = "<div>" * depth + f'<a href="{AMAZON.format(7)}">x</a>' + "</div>" * depth
    report = run_check(tmp_path, "deep.html", html.encode())
    [link] = by_rule(report, "affiliate-link")
    assert (link["line"], link["column"]) == (1, 5 * depth + 10)


def test_bare_urls_deep_inside_inline_html_are_found_in_linear_time(tmp_path: Path) -> None:
    """Each text holding `://` asked whether an `<a>` was open by walking the open elements:
    20,000 bare URLs inside 200,000 unclosed inline `<span>`s took 128 s, so these would take
    about eight minutes. A bare URL is a link of its own unless an `<a>` around it already is
    one. The subprocess timeout only detects a hang."""
    depth = 300_000
    plain = "".join(f"<i>https://example.com/{i}</i>" for i in range(50_000))
    anchor = f'<a href="{AMAZON.format(2)}">{AMAZON.format(2)}</a>'
    text = "Intro\n\n" + "<span>" * depth + plain + f" {AMAZON.format(1)} " + anchor + "\n"
    report = run_check(tmp_path, "spans.md", text.encode())
    links = by_rule(report, "affiliate-link")
    bare = len("<span>") * depth + len(plain) + 2
    anchor_url = bare + len(AMAZON.format(1)) + 1 + len('<a href="')
    # the anchor's text is not a second link
    assert [(f["line"], f["column"]) for f in links] == [(3, bare), (3, anchor_url)]


def test_fix_on_a_page_nested_200000_deep(tmp_path: Path) -> None:
    """`adlint fix` outlines HTML pages, asking for every tag whether it is inside a block;
    walking the open elements for that took 16 s at 20,000 nested `<div>`s."""
    depth = 200_000
    page = tmp_path / "deep.html"
    link = f'<a href="{AMAZON.format(7)}">deal</a>'
    page.write_text("<div>" * depth + f"<p>Our pick: {link}</p>" + "</div>" * depth + "\n")
    result = run_adlint(tmp_path, "fix", "--no-config", "--no-cache", "deep.html")
    assert result.returncode in (0, 1), result.stderr
    fixed = page.read_text()
    assert f'<a href="{AMAZON.format(7)}" rel="sponsored">deal</a>' in fixed
    report = run_check(tmp_path, "deep.html", fixed.encode())
    assert by_rule(report, "affiliate-rel-missing") == []
    assert by_rule(report, "affiliate-disclosure-missing") == []


def test_stray_end_tags_under_deep_nesting_are_linear(tmp_path: Path) -> None:
    """Each `</span>` with no `<span>` open searched the whole stack of open elements:
    20,000 under 20,000 `<div>`s took 12 s, these would take 20 minutes. The subprocess
    timeout only detects a hang."""
    depth = 200_000
    html = "<div>" * depth + "</span>" * depth + f'<a href="{AMAZON.format(3)}">x</a>'
    report = run_check(tmp_path, "stray.html", html.encode())
    [link] = by_rule(report, "affiliate-link")
    assert (link["line"], link["column"]) == (1, 12 * depth + 10)


def test_text_under_deep_nesting_is_not_copied_into_every_ancestor(tmp_path: Path) -> None:
    """Each text was copied into every open element around it (up to 2,000 characters
    each), and each element kept a tuple of all its ancestors: 30,000 unclosed `<b class>`
    with a word in each (390 KB) took a minute and 4 GB. The run is held to 1.5 GB of
    address space here; element text and `inside` still work at the bottom."""
    depth = 30_000
    link = f'<a href="{AMAZON.format(4)}">deal</a>'
    (tmp_path / "deep.html").write_text("<p>" + "<b class=c>x " * depth + link + "</p>\n")
    (tmp_path / "policy.yaml").write_text(
        "rules:\n  deep-deal:\n    kind: match\n    severity: warning\n"
        "    message: 'deal inside {cls}'\n"
        "    select: {tag: a, text: '^deal$', inside: {tag: b, attr: {class: '(?P<cls>c)'}}}\n"
    )
    result = run_adlint(
        tmp_path,
        *["check", "deep.html", "--no-config", "-j1", "--policy", "policy.yaml"],
        *["--select", "deep-deal", "--format", "json"],
        memory_mb=1536,
    )
    assert result.returncode == 0, result.stderr
    [finding] = json.loads(result.stdout)["findings"]
    assert finding["message"] == "deal inside c"
    # at the URL: after "<p>", the 13-character opening tags with their word, `<a href="`
    assert (finding["line"], finding["column"]) == (1, 3 + 13 * depth + 9 + 1)


def test_thousands_of_ads_in_one_pinned_element_with_a_huge_style_are_linear(
    tmp_path: Path,
) -> None:
    """Each ad unit asked whether its parent pins it to the screen, and each asking read the
    parent's style again: 10,000 units in a `<div>` with a 100 KB style took 200 s, and
    these would take ten minutes. The subprocess timeout only detects a hang; a file that
    runs past the per-file CPU limit would be a parse-error instead of its findings."""
    style = "position:fixed;inset:0;" + "a:b;" * 25_000
    units = '<ins class="adsbygoogle"></ins>' * 20_000
    report = run_check(tmp_path, "pinned.html", f'<div style="{style}">{units}</div>\n'.encode())
    assert by_rule(report, "parse-error") == []
    [sticky] = by_rule(report, "large-sticky-ad")
    assert (sticky["line"], sticky["column"]) == (1, len(f'<div style="{style}">') + 1)
    assert "covers about 100% of a 360x640 px phone screen" in sticky["message"]
    assert len(by_rule(report, "ad-unit")) == 20_000


def test_a_link_title_full_of_link_syntax_is_linear(tmp_path: Path) -> None:
    """The destination was searched from the link's end, trying every `](` of the title,
    each up to the end: 20,000 took 31 s, these would take over ten minutes. The
    subprocess timeout only detects a hang."""
    title = "](" * 100_000
    text = f'Intro.\n\n[deal]({AMAZON.format(5)} "{title}")\n'
    report = run_check(tmp_path, "title.md", text.encode())
    [link] = by_rule(report, "affiliate-link")
    assert (link["line"], link["column"], link["end_column"]) == (3, 8, 8 + len(AMAZON.format(5)))


@pytest.mark.parametrize("nesting", ["{a: ", "[", "- "])
def test_deeply_nested_front_matter_is_reported_not_a_crash(tmp_path: Path, nesting: str) -> None:
    """libyaml's C parser recursed without a limit: 125 KB of `{a: ` crashed the process
    (SIGSEGV), and a -j2 run whose worker died hung. Now the Python parser reads such text
    and stops; the front matter is a parse problem and the body is still linted."""
    depth = 30_000
    closing = {"{a: ": "}", "[": "]", "- ": ""}[nesting]
    front = f"---\nt: {nesting * depth}x{closing * depth}\n---\n"
    (tmp_path / "deep.md").write_text(front + f"Intro.\n\n[deal]({AMAZON.format(6)})\n")
    (tmp_path / "other.md").write_text(f"[x]({AMAZON.format(8)})\n")
    result = run_adlint(
        tmp_path, "check", ".", "-j2", "--no-config", "--no-cache", "--format", "json"
    )
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    [problem] = [f for f in findings if f["rule"] == "parse-error"]
    assert problem["path"] == "deep.md" and "front matter" in problem["message"]
    links = [(f["path"], f["line"], f["column"]) for f in findings if f["rule"] == "affiliate-link"]
    assert links == [("deep.md", 6, 8), ("other.md", 1, 5)]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("1" * 5000, "Exceeds the limit (4300 digits) for integer string conversion"),
        ("2024-13-45", "month must be in 1..12"),
    ],
)
def test_front_matter_value_python_cannot_build_is_invalid_yaml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, reason: str
) -> None:
    (tmp_path / "a.md").write_text(f"---\ntitle: {value}\n---\n[x]({AMAZON.format(6)})\n")
    main(["check", "--no-config", "--no-cache", "--format", "json", str(tmp_path / "a.md")])
    findings = json.loads(capsys.readouterr().out)["findings"]
    [problem] = [f for f in findings if f["rule"] == "parse-error"]
    assert problem["message"].startswith(
        f"Could not read or parse: invalid YAML front matter: {reason}"
    )
    assert "internal error" not in problem["message"]
    assert any(f["rule"] == "affiliate-link" for f in findings)  # the body is still linted


def test_may_nest_deeper_bounds_without_parsing() -> None:
    default = (Path(__file__).resolve().parents[2] / "policies" / "default.yaml").read_text()
    assert not may_nest_deeper(default)
    assert not may_nest_deeper("title: A [b] {c}\ntags: [x, y]\n")
    assert may_nest_deeper("t: " + "[" * 1001 + "]" * 1001)
    assert not may_nest_deeper("t: " + "[]" * 5000)  # many brackets, never deep
    assert may_nest_deeper("t: " + "- " * 1001 + "x")
    assert not may_nest_deeper("".join(f"- {i}: v\n" for i in range(5000)))  # one per line


def test_many_suppression_comments_are_linear(tmp_path: Path) -> None:
    """Every finding asked every suppression whether it covered it: 20,000 links each
    under its own `adlint-disable-next-line` took 57 s, these would take eight minutes.
    The subprocess timeout only detects a hang."""
    count = 60_000
    block = "<!-- adlint-disable-next-line affiliate-link -- ok -->\n[a]({url})\n\n"
    text = "".join(block.format(url=AMAZON.format(i)) for i in range(count))
    report = run_check(tmp_path, "many.md", text.encode())
    links = by_rule(report, "affiliate-link")
    assert len(links) == count and all(f["suppressed"] == "ok" for f in links)
    assert (links[-1]["line"], links[-1]["column"]) == (3 * count - 1, 5)
    rel = by_rule(report, "affiliate-rel-missing")
    assert len(rel) == count and not any(f.get("suppressed") for f in rel)


def test_200000_nested_markdown_quotes_and_lists(tmp_path: Path) -> None:
    text = (
        ">" * 200_000
        + " [q](https://amzn.to/q?tag=deep-20)\n"
        + "".join("  " * i + "- item\n" for i in range(3000))
    )
    report = run_check(tmp_path, "deep.md", text.encode())
    parse_errors = by_rule(report, "parse-error")
    links = by_rule(report, "affiliate-link")
    # A parser may give up on absurd nesting, but then it must say so: never silence.
    assert links or parse_errors
    for link in links:
        assert (link["line"], link["column"]) == (1, 200_006)  # after "> [q]("


def test_50_mb_file_is_linted_completely(tmp_path: Path) -> None:
    paragraph = "Some prose about products, with enough words to count as real content. " * 14
    block = (
        "## A section\n\n" + (paragraph + "\n\n") * 50 + '<a href="{url}">buy</a>\n\n'
        '<img src="https://px.example.com/i.gif" width="1" height="1">\n\n'
        '<ins class="adsbygoogle" data-ad-client="ca-pub-1234567890123456"></ins>\n\n'
    )
    count = 50 * 1024 * 1024 // len(block) + 1
    data = "".join(block.format(url=AMAZON.format(i)) for i in range(count)).encode()
    assert len(data) > 50 * 1024 * 1024
    report = run_check(tmp_path, "huge.md", data)
    links = by_rule(report, "affiliate-link")
    assert len(links) == count
    assert len(by_rule(report, "tracking-pixel")) == count
    assert len(by_rule(report, "ad-unit")) == count
    lines_per_block = block.count("\n")
    assert (links[-1]["line"], links[-1]["column"]) == ((count - 1) * lines_per_block + 103, 10)


def test_very_long_line(tmp_path: Path) -> None:
    prefix = "word " * 2_000_000
    report = run_check(tmp_path, "long.md", f"{prefix}[x]({AMAZON.format(1)})\n".encode())
    [link] = by_rule(report, "affiliate-link")
    assert (link["line"], link["column"]) == (1, len(prefix) + 5)


def test_files_over_the_size_cap_are_reported_not_read(tmp_path: Path) -> None:
    with open(tmp_path / "giant.md", "wb") as stream:
        stream.truncate(65 * 1024 * 1024)  # sparse: no real disk use
    report = run_check(tmp_path, "other.md", b"fine\n", "giant.md")
    [error] = by_rule(report, "parse-error")
    assert error["path"] == "giant.md" and "larger than 64 MB" in error["message"]
    assert report["summary"]["files"] == 2


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("empty.md", b"", []),
        ("bom.md", b"\xef\xbb\xbf---\ntitle: t\n---\n[x](https://amzn.to/b?tag=b-20)\n",
         [("affiliate-link", 4, 5)]),
        ("utf16le.md", "\ufeff---\ntitle: t\n---\n\n[x](https://amzn.to/c?tag=c-20)\n"
         .encode("utf-16-le"), [("affiliate-link", 5, 5)]),
        ("utf16be.md", "\ufeff[x](https://amzn.to/d?tag=d-20)\n".encode("utf-16-be"),
         [("affiliate-link", 1, 5)]),
        ("utf16-no-bom.md", "a\n[x](https://amzn.to/e?tag=e-20)\n".encode("utf-16-le"),
         [("affiliate-link", 2, 5)]),
        ("crlf.md", b"a\r\n\r\n[x](https://amzn.to/f?tag=f-20)\r\n", [("affiliate-link", 3, 5)]),
        ("cr.md", b"a\r\rb\r[x](https://amzn.to/g?tag=g-20)\r", [("affiliate-link", 4, 5)]),
        ("mixed.md", b"a\r\nb\rc\n[x](https://amzn.to/h?tag=h-20)", [("affiliate-link", 4, 5)]),
        ("nul.md", b"ab\x00c\n[x](https://amzn.to/i?tag=i-20)\n",
         [("parse-error", 1, 3), ("affiliate-link", 2, 5)]),
        ("latin1.md", b"caf\xe9\n[x](https://amzn.to/j?tag=j-20)\n",
         [("parse-error", 1, 4), ("affiliate-link", 2, 5)]),
        ("binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01", [("parse-error", 1, 1)]),
        ("unclosed-attr.html", b'<a href="' + b"x" * 1_000_000, []),
        ("unclosed-comment.html", b"<!--" + b"-" * 1_000_000, []),
        ("unclosed-fence.md", b"```\n" + b"[x](https://amzn.to/k?tag=k-20)\n" * 1000, []),
        ("brackets.md", b"[" * 100_000 + b"x" + b"]" * 100_000, []),
        ("backticks.md", b"`" * 100_000 + b"x", []),
    ],
)  # fmt: skip
def test_awkward_files(tmp_path: Path, name: str, data: bytes, expected: list) -> None:
    report = run_check(tmp_path, name, data)
    found = [
        (f["rule"], f["line"], f["column"])
        for f in report["findings"]
        if f["rule"] in ("affiliate-link", "parse-error")
    ]
    assert found == expected
    assert report["summary"]["files"] == 1


# --- directory walks and special files ---------------------------------------------------


def test_walk_survives_loops_fifos_and_dangling_links(tmp_path: Path, capsys) -> None:
    site = tmp_path / "site"
    (site / "a" / "b").mkdir(parents=True)
    (site / "a" / "b" / "loop").symlink_to(site / "a")
    (site / "a" / "b" / "post.md").write_text(f"[x]({AMAZON.format(3)})\n")
    (site / "dangling.md").symlink_to(site / "nowhere.md")
    os.mkfifo(site / "pipe.md")
    out = tmp_path / "out.json"
    code = main(["check", str(site), "--format", "json", "-o", str(out), "-j1", "--no-config"])
    report = json.loads(out.read_text())
    errors = {Path(f["path"]).name: f["message"] for f in by_rule(report, "parse-error")}
    assert code == 1
    assert "not a regular file" in errors["pipe.md"]
    assert "not found" in errors["dangling.md"]
    posts = {f["path"] for f in by_rule(report, "affiliate-link")}
    assert [Path(p).name for p in posts] == ["post.md"]  # reached once, loop not followed


def test_a_fifo_named_on_the_command_line_does_not_block(tmp_path: Path, capsys) -> None:
    os.mkfifo(tmp_path / "pipe.md")
    (tmp_path / "ok.md").write_text(f"[x]({AMAZON.format(4)})\n")
    report = run_check(tmp_path, "ok.md", (tmp_path / "ok.md").read_bytes(), "pipe.md")
    assert [f["path"] for f in by_rule(report, "parse-error")] == ["pipe.md"]
    assert [f["path"] for f in by_rule(report, "affiliate-link")] == ["ok.md"]


def test_constructs_that_made_patterns_backtrack_are_linear(tmp_path: Path) -> None:
    """Each of these took seconds to minutes when a regex read it (quadratic backtracking
    over a long run of spaces or letters); now the run ends and every finding is still in
    place. The subprocess timeout only detects a hang."""
    spaces = " " * 200_000
    page = (
        f"<!-- adlint-disable-line{spaces}tracking-pixl{spaces}-->\n"
        f'<img src="https://t.example/a.gif" width="1{spaces}x" height="1">\n'
        f'<img src="https://t.example/b.gif" style="{"a" * 200_000}">\n'
        f'<img src="https://t.example/c.gif" style="{"a-" * 100_000};/**/display : none">\n'
        + "<title>"
        * 9_000
    )
    report = run_check(tmp_path, "slow.html", page.encode())
    [unknown] = by_rule(report, "directive-unknown-rule")
    start = len("<!-- adlint-disable-line") + len(spaces) + 1
    assert (unknown["line"], unknown["column"]) == (1, start)
    assert unknown["end_column"] == start + len("tracking-pixl")
    # a.gif's width is no number, so only its 1 px height counts; a comment hides nothing
    pixels = by_rule(report, "tracking-pixel")
    assert [(p["line"], p["data"]["url"]) for p in pixels] == [
        (2, "https://t.example/a.gif"),
        (4, "https://t.example/c.gif"),
    ]
    assert "?×1 size" in pixels[0]["message"]
    assert "display:none" in pixels[1]["message"]


def test_front_matter_alias_bomb_is_reported_not_expanded(tmp_path: Path) -> None:
    """Nine levels of nine aliases: 600 bytes that stand for 9^9 values. `str()` of one
    (the report's title, the disclosure rule's front-matter evidence) never finished."""
    lines = ["---", "a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    lines += ["title: *a8", "disclosure: *a8", "---", f"Buy [it]({AMAZON.format(1)})."]
    data = ("\n".join(lines) + "\n").encode()
    report = run_check(tmp_path, "bomb.md", data)
    [problem] = by_rule(report, "parse-error")
    assert (problem["line"], problem["column"]) == (1, 1)
    assert "aliases expand to more than 100,000 nodes" in problem["message"]
    # the body is still linted, at its place after the 13 front-matter lines
    [link] = by_rule(report, "affiliate-link")
    assert (link["line"], link["column"]) == (14, 10)
    assert by_rule(report, "affiliate-disclosure-missing")  # the bomb is no evidence
    result = run_adlint(tmp_path, "report", "bomb.md", "-o", "report.json", "-j1")
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr, result.stderr
    assert json.loads((tmp_path / "report.json").read_text())["summary"]["files"] == 1


def test_a_file_too_dense_to_lint_is_a_parse_error_not_gigabytes(tmp_path: Path) -> None:
    """600,000 three-character paragraphs (1.8 MB) are 1.2 million text runs and blocks, at
    ~0.85 KB each: a 64 MB file of them needed 18 GB. Past a million records the file is a
    parse-error, as one over 64 MB is, and the run goes on."""
    report = run_check(tmp_path, "dense.md", b"x\n\n" * 600_000)
    [error] = report["findings"]
    assert (error["rule"], error["line"], error["column"]) == ("parse-error", 1, 1)
    assert "more than 1,000,000 elements, text runs and blocks" in error["message"]


def test_the_record_limit_counts_every_record(monkeypatch: pytest.MonkeyPatch) -> None:
    """At the limit the file is parsed; one record more is refused (the limit lowered to
    100 here: an HTML comment is one record, with no text or block)."""
    import adlint.parse.builder
    from adlint.errors import ParseError
    from adlint.parse import parse_text

    monkeypatch.setattr(adlint.parse.builder, "MAX_RECORDS", 100)
    assert len(parse_text("a.html", "<!---->" * 100).comments) == 100
    with pytest.raises(ParseError, match="more than 100 elements"):
        parse_text("a.html", "<!---->" * 101)
    # `<b>x</b>`: its tag (open, not recorded as an element), a text run and its block
    assert len(parse_text("a.html", "<b>x</b>" * 33).runs) == 33
    with pytest.raises(ParseError, match="more than 100 elements"):
        parse_text("a.html", "<b>x</b>" * 34)


def test_more_than_two_million_lines_is_a_parse_error() -> None:
    """Every line start is kept as a Python int (36 bytes with its slot): a 64 MB file of
    newlines needed 2.3 GB. Lines are counted in C first; CRLF is one break."""
    from adlint.errors import ParseError
    from adlint.parse import MAX_LINES, parse_text

    assert MAX_LINES == 2_000_000
    for breaks in ("\n", "\r\n", "\r"):
        assert len(parse_text("a.md", breaks * (MAX_LINES - 1)).line_starts) == MAX_LINES
        with pytest.raises(ParseError, match="more than 2,000,000 lines"):
            parse_text("a.md", breaks * MAX_LINES)


def test_text_alternating_accented_and_plain_letters_keeps_its_offset_table_small(
    tmp_path: Path,
) -> None:
    """Markdown positions come back from the parser in UTF-8 bytes; the table that turns
    them into characters has one record per run of non-ASCII characters. As tuples of
    Python ints, 5 million runs (25 MB) took 1.3 GB; as machine integers, ~0.4 GB. Under a
    700 MB address-space cap the old table ran out of memory (a parse-error)."""
    (tmp_path / "accents.md").write_text("é x " * 5_000_000, encoding="utf-8")
    result = run_adlint(
        tmp_path, "check", "-j1", "--no-config", "--format", "json", "accents.md", memory_mb=700
    )
    assert result.returncode == 0, result.stdout[:500] + result.stderr[-500:]
    assert json.loads(result.stdout)["findings"] == []
