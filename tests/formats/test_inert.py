"""Article text in the Markdown outputs renders as itself and does nothing else.

The step summary (`check`, `$GITHUB_STEP_SUMMARY`) and `adlint report --format markdown`
are rendered by GitHub, which makes tags, links, math, `@mentions` (notifications) and
issue references out of text. Each value is rendered the way GitHub renders Markdown and
read back: the visible text must be the value (controls shown as U+FFFD), with nothing
added but zero-width spaces where GitHub would otherwise link or ping.
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import example, given, settings

from adlint.cli import main
from adlint.formats.inert import code, prose
from tests.formats.hostile import REFERENCE, assert_inert_markdown, hostile_text, rendered

ZWSP = "\u200b"
SUMMARY_TAGS = {"h2", "p", "strong", "table", "thead", "tbody", "tr", "th", "td"}
REPORT_TAGS = {"h2", "h3", "p", "strong", "sub", "code", "table", "thead", "tbody", "tr"}
REPORT_TAGS |= {"th", "td"}
PINGS = "@octocat @org/team #123 GH-42 owner/repo#7"


def expected_text(value: str) -> str:
    """What a reader must see: the value on one line, each unprintable character (ESC, CR
    left inside a word, bidi controls, zero-width characters) as U+FFFD, and `##[` (the
    runner's legacy command prefix) split."""
    one_line = " ".join(value.split())
    shown = "".join(c if c.isprintable() else "\ufffd" for c in one_line)
    return shown.replace("##[", "# #[")


def cells(markdown_cell: str) -> tuple[str, list[str]]:
    """Render `markdown_cell` as the one cell of a GFM table: its prose and code texts."""
    markup = rendered(f"| h |\n|---|\n| {markdown_cell} |\n")
    assert set(markup.tags) <= {"table", "thead", "tbody", "tr", "th", "td", "code"}
    return "".join(markup.prose[1:]).strip(), markup.code


@settings(max_examples=300, deadline=None)
@given(hostile_text)
@example("\x1b[2J\x9b31m\u202eevil\u2066\u2069\u200d\r\u2028\u2029x")
@example("&lt;script&gt; &#64;octocat &amp; $x^2$")
@example(PINGS)
def test_prose_shows_the_value_and_nothing_else(value: str):
    text, spans = cells(f"x {prose(value)}")
    assert spans == []
    assert text.replace(ZWSP, "") == f"x {expected_text(value)}".strip()
    assert not REFERENCE.search(text)


@settings(max_examples=300, deadline=None)
@given(hostile_text)
@example("a|b `c` ``d``")
@example("\x1b]8;;https://t.example/\x07\u202e")
def test_code_shows_the_value_verbatim_in_one_span(value: str):
    _, spans = cells(code(value))
    expected = expected_text(value)
    assert spans == ([expected] if expected else [])  # nothing shown: no empty span


def test_prose_breaks_mentions_and_references_with_a_zero_width_space():
    assert prose(PINGS) == (
        "@&#8203;octocat @&#8203;org/team \\#&#8203;123 GH-&#8203;42 owner/repo\\#&#8203;7"
    )


def test_prose_keeps_entities_as_written_and_dollars_out_of_math():
    assert prose("&lt;b&gt; $x$") == r"\&lt;b\&gt; \$x\$"


def test_prose_and_code_show_controls_as_replacement_characters():
    value = "a\x1bb\u202ec\u2066d\x85e\r\nf"
    assert prose(value) == "a\ufffdb\ufffdc\ufffdd e f"
    assert code(value) == "`a\ufffdb\ufffdc\ufffdd e f`"


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


AFFILIATE = "[deal](https://www.amazon.com/dp/B000000001?tag=pub-20)\n"


def test_step_summary_pings_nobody_for_a_file_named_after_a_team(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    names = ["@org/team.md", "#12 \u202eevil\x1b[2J.md", "GH-7 &lt;b&gt;.md"]
    for name in names:
        write(tmp_path / "site", name, AFFILIATE)
    main(["check", "-j", "1", "--no-config", "--format", "github", "-o", "out", "site"])
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "| site/@&#8203;org/team.md | 2 |" in summary.splitlines()  # error + warning
    assert_inert_markdown(summary, SUMMARY_TAGS)
    rows = rendered(summary).prose
    for name in names:  # each path is shown as written, controls made visible
        assert expected_text(f"site/{name}") in (row.replace(ZWSP, "") for row in rows)


def test_markdown_report_pings_nobody_from_a_reason_or_a_title(tmp_path, monkeypatch):
    """A broken local link's reason quotes the link, and reasons are prose in the report."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "a.md", "[x](@octocat/%231.md) [y](<GH-2 \u202e.md>)\n")
    argv = ["report", "-j", "1", "--no-config", "--format", "markdown", "-o", "out"]
    argv += ["--check-links", "--no-cache", "--title", "Audit for @octocat #9"]
    assert main([*argv, "a.md"]) == 0
    markdown = (tmp_path / "out").read_text(encoding="utf-8")
    assert "## Audit for @&#8203;octocat \\#&#8203;9" in markdown.splitlines()
    assert "no such file: @&#8203;octocat/\\#&#8203;1.md" in markdown
    assert "no such file: GH-&#8203;2 \ufffd.md" in markdown
    assert_inert_markdown(markdown, REPORT_TAGS)
    assert not os.path.exists(tmp_path / "@octocat")
