"""`adlint check -`: one article piped on standard input, as editors and scripts send it.

Every test pipes real bytes into a real `python -m adlint` process. `--stdin-filename` must
act exactly as if the article were that file (reported path, per-path rules, Markdown or
HTML, relative links), without ever reading or writing that file.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.core.fresh import run_adlint

URL = "https://www.amazon.com/dp/B0X?tag=someone-20"
DIRTY = f'---\ntitle: Deals\n---\nWe sell stuff.\n\n<a href="{URL}">deal</a>\n'
PIXEL = '<img src="https://t.example/p.gif" width="1" height="1">'


def adlint(cwd: Path, stdin: bytes, *argv: str) -> subprocess.CompletedProcess[bytes]:
    return run_adlint(cwd, *argv, stdin=stdin)


def check_json(cwd: Path, stdin: bytes, *argv: str) -> tuple[int, dict]:
    done = adlint(cwd, stdin, "check", "--format", "json", *argv)
    assert done.stderr == b""
    return done.returncode, json.loads(done.stdout)


def places(report: dict) -> list[tuple[str, str, int, int, int]]:
    return [
        (f["rule"], f["path"], f["line"], f["column"], f["end_column"]) for f in report["findings"]
    ]


def test_findings_carry_the_stdin_filename_and_exact_positions(tmp_path: Path) -> None:
    code, report = check_json(tmp_path, DIRTY.encode(), "-", "--stdin-filename", "posts/a.md")
    assert code == 1
    # line 6 counts the front matter; `<a href="` is 9 characters, so the URL starts at 10
    assert places(report) == [
        ("affiliate-rel-missing", "posts/a.md", 6, 1, 10 + len(URL) + 2),
        ("affiliate-disclosure-missing", "posts/a.md", 6, 10, 10 + len(URL)),
        ("affiliate-link", "posts/a.md", 6, 10, 10 + len(URL)),
    ]
    assert report["summary"]["files"] == 1
    assert not (tmp_path / "posts").exists()  # the name places the article; nothing is read


def test_without_a_filename_the_path_is_a_dash_and_the_format_is_sniffed(tmp_path: Path) -> None:
    page = f"<!doctype html><p>{PIXEL}</p>\n".encode()
    code, report = check_json(tmp_path, page, "-")
    assert code == 0  # a warning: below the default --fail-on error
    # `<!doctype html>` is 15 characters and `<p>` 3, so the image starts at column 19
    assert places(report) == [("tracking-pixel", "-", 1, 19, 19 + len(PIXEL))]


def test_the_filename_extension_picks_the_parser(tmp_path: Path) -> None:
    indented = f"    {PIXEL}\n".encode()  # Markdown: an indented code block, not an image
    _, as_markdown = check_json(tmp_path, indented, "-", "--stdin-filename", "a.md")
    _, as_html = check_json(tmp_path, indented, "-", "--stdin-filename", "a.html")
    assert places(as_markdown) == []
    assert places(as_html) == [("tracking-pixel", "a.html", 1, 5, 5 + len(PIXEL))]


def test_per_path_overrides_follow_the_stdin_filename(tmp_path: Path) -> None:
    (tmp_path / ".adlint.yaml").write_text(
        "overrides:\n"
        "  - paths: ['archive/**']\n"
        "    rules:\n"
        "      affiliate-disclosure-missing: {severity: warning}\n"
    )
    code, report = check_json(tmp_path, DIRTY.encode(), "-", "--stdin-filename", "archive/a.md")
    severities = {f["rule"]: f["severity"] for f in report["findings"]}
    assert (code, severities["affiliate-disclosure-missing"]) == (0, "warning")
    code, report = check_json(tmp_path, DIRTY.encode(), "-", "--stdin-filename", "news/a.md")
    severities = {f["rule"]: f["severity"] for f in report["findings"]}
    assert (code, severities["affiliate-disclosure-missing"]) == (1, "error")


def test_config_is_found_from_the_stdin_filename_directory(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / ".adlint.yaml").write_text("rules:\n  affiliate-disclosure-missing: false\n")
    code, report = check_json(tmp_path, DIRTY.encode(), "-", "--stdin-filename", "site/a.md")
    assert code == 0
    assert "affiliate-disclosure-missing" not in {f["rule"] for f in report["findings"]}


def test_relative_links_resolve_from_the_stdin_filename(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "other.md").write_text("here\n")
    article = b"See [this](other.md) and [that](missing.md).\n"
    argv = ("-", "--check-links", "--stdin-filename", "docs/new.md")
    code, report = check_json(tmp_path, article, *argv)
    assert code == 1
    # `See [this](other.md) and [that](` is 32 characters: missing.md starts at 33
    assert places(report) == [("broken-link", "docs/new.md", 1, 33, 43)]
    assert "no such file: docs/missing.md" in report["findings"][0]["message"]


def test_empty_input_is_one_clean_file(tmp_path: Path) -> None:
    code, report = check_json(tmp_path, b"", "-")
    assert (code, report["findings"], report["summary"]["files"]) == (0, [], 1)


def test_input_over_the_size_cap_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    code, report = check_json(tmp_path, b"a" * (64 * 1024 * 1024 + 1), "-")
    [error] = report["findings"]
    assert (code, error["rule"], error["path"]) == (1, "parse-error", "-")
    assert "larger than 64 MB" in error["message"]


def test_the_same_input_gives_the_same_answer_from_the_result_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    argv = ("-", "--stdin-filename", "a.md", "--cache-dir", str(cache))
    first = check_json(tmp_path, DIRTY.encode(), *argv)
    assert any(cache.iterdir())  # the result was stored
    assert check_json(tmp_path, DIRTY.encode(), *argv) == first
    # another text under the same name is linted afresh, not answered from the cache
    _, other = check_json(tmp_path, b"Plain prose.\n", *argv)
    assert other["findings"] == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("check", "-", "a.md"), b"- (standard input) cannot be combined with other paths"),
        (("check", "--stdin-filename", "a.md"), b"--stdin-filename names the article read"),
        (("check", "--fix", "-"), b"use `adlint fix -` to fix standard input"),
        (("report", "-", "a.md"), b"- (standard input) cannot be combined with other paths"),
    ],
)
def test_misuse_is_a_usage_error(tmp_path: Path, argv: tuple[str, ...], message: bytes) -> None:
    (tmp_path / "a.md").write_text("fine\n")
    done = adlint(tmp_path, DIRTY.encode(), *argv)
    assert done.returncode == 2
    assert message in done.stderr and b"Traceback" not in done.stderr
    assert (tmp_path / "a.md").read_text() == "fine\n"


def test_fix_prints_the_whole_fixed_article_and_touches_no_file(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("on disk\n")
    done = adlint(tmp_path, DIRTY.encode(), "fix", "-", "--stdin-filename", "a.md")
    assert done.returncode == 0
    fixed = done.stdout.decode()
    assert fixed.startswith("---\ntitle: Deals\n---\nWe sell stuff.\n")
    assert f'<a href="{URL}" rel="sponsored">deal</a>\n' in fixed
    assert fixed.index("commission") < fixed.index(URL)  # a disclosure before the link
    assert b"fixed 2 findings in 1 file" in done.stderr
    assert (tmp_path / "a.md").read_text() == "on disk\n"


def test_fixed_article_keeps_its_bom_and_encoding(tmp_path: Path) -> None:
    article = b"\xef\xbb\xbfCaf\xc3\xa9 deals.\n\n" + f'<a href="{URL}">deal</a>\n'.encode()
    done = adlint(tmp_path, article, "fix", "-")
    assert done.stdout.startswith(b"\xef\xbb\xbfCaf\xc3\xa9 deals.\n")
    assert b'rel="sponsored"' in done.stdout


def test_fix_passes_unfixable_input_through_unchanged(tmp_path: Path) -> None:
    for article in (b"Nothing to fix here.\n", b"Caf\xe9 is not UTF-8.\n" + DIRTY.encode()):
        done = adlint(tmp_path, article, "fix", "-")
        assert (done.returncode, done.stdout) == (0, article)


def test_fix_diff_prints_only_the_diff(tmp_path: Path) -> None:
    done = adlint(tmp_path, DIRTY.encode(), "fix", "--diff", "-", "--stdin-filename", "a.md")
    assert done.returncode == 1  # there is something to fix
    diff = done.stdout.decode()
    assert diff.startswith("--- a/a.md\n+++ b/a.md\n")
    assert f'-<a href="{URL}">deal</a>\n' in diff
    assert f'+<a href="{URL}" rel="sponsored">deal</a>\n' in diff


def test_fix_refuses_input_over_the_size_cap_rather_than_cut_it(tmp_path: Path) -> None:
    """Only 64 MB and one byte are read: printing that back would truncate the buffer."""
    done = adlint(tmp_path, b"a" * (64 * 1024 * 1024 + 10), "fix", "-")
    assert (done.returncode, done.stdout) == (2, b"")
    assert b"standard input is larger than 67,108,864 bytes; not fixed" in done.stderr
