"""Baselines: accept today's findings, fail only on new ones, survive unrelated edits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adlint.cli import main
from adlint.errors import MAX_NAMED_FILE_BYTES

OLD = "[old deal](https://www.amazon.com/dp/B0OLD?tag=someone-20)\n"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "post.md").write_text(OLD)
    assert main(["baseline", "post.md", "-o", "baseline.json"]) == 0
    return tmp_path


def test_baseline_records_the_current_findings(site: Path, capsys):
    document = json.loads((site / "baseline.json").read_text())
    rules = {entry["rule"] for entry in document["findings"]}
    assert {"affiliate-link", "affiliate-disclosure-missing"} <= rules
    assert all(len(entry["fingerprint"]) == 32 for entry in document["findings"])


def test_check_with_baseline_passes_when_nothing_is_new(site: Path, capsys):
    assert main(["check", "post.md", "--baseline", "baseline.json"]) == 0


def test_unrelated_edit_above_keeps_the_baseline_matching(site: Path, capsys):
    (site / "post.md").write_text("# A new title\n\nSome new prose.\n\n" + OLD)
    assert main(["check", "post.md", "--baseline", "baseline.json"]) == 0


def test_a_new_finding_fails_and_is_the_only_active_one(site: Path, capsys):
    (site / "post.md").write_text(
        OLD + '<img src="https://t.example/p.gif" width="0" height="0">\n'
    )
    capsys.readouterr()
    code = main(
        [
            "check",
            "post.md",
            "--baseline",
            "baseline.json",
            "--format",
            "json",
            "--fail-on",
            "warning",
        ]
    )
    report = json.loads(capsys.readouterr().out)
    active = [f["rule"] for f in report["findings"] if "suppressed" not in f]
    assert code == 1 and active == ["tracking-pixel"]
    assert {f["suppressed"] for f in report["findings"] if "suppressed" in f} == {"baseline"}


def test_a_missing_baseline_file_is_a_usage_error(site: Path, capsys):
    assert main(["check", "post.md", "--baseline", "nope.json"]) == 2
    assert "nope.json: no such file" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("write", "what"),
    [
        (
            ["check", "--format", "json", "-o", "other.json"],
            "an `adlint check --format json` report",
        ),
        (["check", "--format", "sarif", "-o", "other.json"], "a SARIF report"),
    ],
)
def test_another_report_as_the_baseline_says_what_it_is(site: Path, capsys, write, what):
    main([*write, "post.md"])
    assert main(["check", "post.md", "--baseline", "other.json"]) == 2
    assert capsys.readouterr().err == (
        f"adlint: error: other.json: not an adlint baseline file (it is {what}); "
        "`adlint baseline` writes one\n"
    )


def test_an_empty_check_report_is_no_baseline_either(site: Path, capsys):
    (site / "clean.md").write_text("Just prose.\n")
    main(["check", "--format", "json", "-o", "other.json", "clean.md"])
    assert main(["check", "post.md", "--baseline", "other.json"]) == 2
    assert "it is an `adlint check --format json` report" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "what"),
    [("[1", "not JSON: "), ("{}", "no findings with fingerprints"), ('"x"', "no findings")],
)
def test_a_baseline_that_is_not_one_says_how_to_make_one(site: Path, capsys, text, what):
    (site / "bad.json").write_text(text)
    assert main(["check", "post.md", "--baseline", "bad.json"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"adlint: error: bad.json: not an adlint baseline file ({what}")
    assert err.endswith("); `adlint baseline` writes one\n")


def test_a_baseline_over_the_size_cap_is_refused_unread(site: Path, capsys):
    """A sparse file one byte over the cap (no disk used): `--baseline` shares merge's
    reader, and its cap."""
    with (site / "huge.json").open("wb") as handle:
        handle.truncate(MAX_NAMED_FILE_BYTES + 1)
    assert main(["check", "post.md", "--baseline", "huge.json"]) == 2
    mebibytes = MAX_NAMED_FILE_BYTES // 2**20
    assert capsys.readouterr().err == (
        f"adlint: error: huge.json: is larger than {mebibytes} MiB: not an adlint baseline file\n"
    )
