"""The text format: what a person reads in a terminal, and a summary that agrees with the exit
code."""

from __future__ import annotations

from pathlib import Path

import pytest

from adlint.cli import main

PIXEL = '<img src="https://t.example.org/p.gif" width="1" height="1">\n'
CHECK = ["check", "-j1", "--no-config", "--no-cache"]


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_show_suppressed_marks_them_and_keeps_them_out_of_the_counts(site: Path, capsys):
    """The trial's only.md: a suppressed warning is listed, but --fail-on warning passes."""
    (site / "only.md").write_text("<!-- adlint-disable -->\n" + PIXEL)
    code = main([*CHECK, "--fail-on", "warning", "--show-suppressed", "only.md"])
    assert code == 0
    assert capsys.readouterr().out == (
        "only.md\n"
        "  2:1       warning  Hidden tracking pixel from t.example.org (1×1 size)  "
        "tracking-pixel  [suppressed: adlint-disable directive]\n"
        "\n"
        "0 errors, 0 warnings, 0 info in 1 file (1 suppressed); passes.\n"
    )


def test_show_suppressed_summary_fails_exactly_when_the_exit_code_does(site: Path, capsys):
    (site / "mixed.md").write_text(
        "<!-- adlint-disable-next-line tracking-pixel -- consented analytics -->\n" + PIXEL + PIXEL
    )
    code = main([*CHECK, "--fail-on", "warning", "--show-suppressed", "mixed.md"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    assert lines[1].endswith("tracking-pixel  [suppressed: consented analytics]")
    assert lines[2].endswith("tracking-pixel")
    assert (
        lines[-1]
        == "0 errors, 1 warning, 0 info in 1 file (1 suppressed); fails at --fail-on warning."
    )


def test_without_show_suppressed_only_the_count_remains(site: Path, capsys):
    (site / "only.md").write_text("<!-- adlint-disable -->\n" + PIXEL)
    assert main([*CHECK, "--fail-on", "warning", "only.md"]) == 0
    assert (
        capsys.readouterr().out
        == "0 errors, 0 warnings, 0 info in 1 file (1 suppressed); passes.\n"
    )


def test_suppression_reason_from_the_article_is_made_printable(site: Path, capsys):
    (site / "r.md").write_text("<!-- adlint-disable -- ok\x1b[2J ##[error]x -->\n" + PIXEL)
    main([*CHECK, "--show-suppressed", "r.md"])
    assert "[suppressed: ok\ufffd[2J # #[error]x]" in capsys.readouterr().out


def test_baselined_findings_are_marked_with_the_baseline_reason(site: Path, capsys):
    (site / "p.md").write_text(PIXEL)
    main(["baseline", "--no-config", "--no-cache", "-o", "b.json", "p.md"])
    capsys.readouterr()
    code = main(
        [*CHECK, "--baseline", "b.json", "--fail-on", "warning", "--show-suppressed", "p.md"]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "tracking-pixel  [suppressed: baseline]" in out
    assert out.endswith("0 errors, 0 warnings, 0 info in 1 file (1 suppressed); passes.\n")
