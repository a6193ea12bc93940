"""How each subcommand reads its argv: PATHs and options intermix, as in ruff and grep, and
an argument a command does not know is that command's usage error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adlint.cli import main
from tests.core.fresh import run_adlint

DIRTY = "We sell stuff.\n\n[deal](https://www.amazon.com/dp/B0X?tag=someone-20)\n"
PIXEL = '<p>Hi</p>\n<img src="https://imp.pxf.io/i/1/2/3" width="0" height="0">\n'
AD = '<ins class="adsbygoogle" data-ad-client="ca-pub-1111222233334444"></ins>\n'


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "dirty.md").write_text(DIRTY)
        (tmp_path / folder / "ad.html").write_text(AD)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_check_reads_paths_after_an_option(site: Path, capsys):
    assert main(["check", "one", "--select", "ad-unit", "two", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {f["path"] for f in report["findings"]} == {"one/ad.html", "two/ad.html"}
    assert report["summary"]["files"] == 4


def test_report_reads_paths_after_an_option(site: Path, capsys):
    assert main(["report", "one", "--top", "3", "two", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["files"] == 4


def test_baseline_reads_paths_after_an_option(site: Path, capsys):
    assert main(["baseline", "one", "-o", "b.json", "two"]) == 0
    paths = {entry["path"] for entry in json.loads(Path("b.json").read_text())["findings"]}
    assert paths == {"one/dirty.md", "two/dirty.md", "one/ad.html", "two/ad.html"}


def test_fix_reads_paths_after_an_option(site: Path, capsys):
    for folder in ("one", "two"):
        (site / folder / "pixel.html").write_text(PIXEL)
    assert main(["fix", "one", "--select", "tracking-pixel", "two", "--diff"]) == 1
    out = capsys.readouterr().out
    assert "+++ b/one/pixel.html" in out and "+++ b/two/pixel.html" in out


def test_merge_reads_files_after_an_option(site: Path, capsys):
    for k in (1, 2):
        main(["check", "--format", "json", "--shard", f"{k}/2", "-o", f"s{k}.json", "."])
    assert main(["merge", "s1.json", "--fail-on", "info", "s2.json", "-o", "m.json"]) == 1
    assert json.loads(Path("m.json").read_text())["summary"]["files"] == 4


def test_rules_reads_the_rule_after_an_option(capsys):
    assert main(["rules", "--no-config", "affiliate-link"]) == 0
    assert capsys.readouterr().out.startswith("affiliate-link (")


def test_standard_input_between_options_is_still_standard_input(site: Path):
    argv = ["check", "--select", "ad-unit", "-", "--format", "json"]
    done = run_adlint(site, *argv, stdin=AD.encode())
    assert done.returncode == 0
    [finding] = json.loads(done.stdout)["findings"]
    assert finding["path"] == "-"


def test_standard_input_among_intermixed_paths_is_adlints_own_error(site: Path, capsys):
    assert main(["check", "one", "--shard", "2/3", "-"]) == 2
    assert capsys.readouterr().err == (
        "adlint: error: argument PATH: - (standard input) cannot be combined with other paths\n"
    )


def test_double_dash_ends_the_options_anywhere(site: Path, capsys):
    (site / "-odd.md").write_text(DIRTY)
    assert main(["check", "one", "--format", "json", "--", "-odd.md"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert {f["path"] for f in report["findings"]} >= {"one/dirty.md", "-odd.md"}
    assert main(["check", "--", "-odd.md"]) == 1


def test_no_path_still_means_the_working_directory(site: Path, capsys):
    assert main(["check", "--select", "ad-unit", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["files"] == 4


def test_unknown_option_is_the_commands_usage_error(site: Path, capsys):
    assert main(["report", "--frobnicate", "one"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: adlint report ")
    assert err.endswith("adlint report: error: unrecognized arguments: --frobnicate\n")


def test_fix_with_a_check_output_flag_points_to_check_fix(site: Path, capsys):
    assert main(["fix", "--format", "json", "."]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: adlint fix ")
    assert err.endswith(
        "adlint fix: error: unrecognized arguments: --format "
        "(to fix, then report, use `adlint check --fix --format ...`)\n"
    )
    assert (site / "one" / "dirty.md").read_text() == DIRTY


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["check", ".", "--also", "bogus:x.json"],
            "adlint check: error: argument --also: expected FORMAT:FILE with FORMAT one of "
            "text, parsable, json, sarif, github, statistics, not 'bogus:x.json'\n",
        ),
        (
            ["check", ".", "--ignore", "tracking-pixl"],
            'adlint: error: argument --ignore: unknown rule "tracking-pixl" '
            '(did you mean "tracking-pixel"?)\n',
        ),
        (
            ["report", ".", "--select", "ad-unit,afiliate-link"],
            'adlint: error: argument --select: unknown rule "afiliate-link" '
            '(did you mean "affiliate-link"?)\n',
        ),
        (
            ["check", ".", "--select", "zzzzzz"],
            'adlint: error: argument --select: unknown rule "zzzzzz" '
            "(`adlint rules` lists the rules)\n",
        ),
        (
            ["rules", "afiliate-link"],
            'adlint: error: argument RULE: unknown rule "afiliate-link" '
            '(did you mean "affiliate-link"?)\n',
        ),
        (
            ["check", ".", "--check-links", "--accept", "999x"],
            "adlint check: error: argument --accept: not a status code or range: '999x'\n",
        ),
        (
            ["check", ".", "--accept", "999x"],
            "adlint check: error: argument --accept: not a status code or range: '999x'\n",
        ),
        (
            ["check", ".", "--exclude", "("],
            "adlint check: error: argument --exclude: exclude pattern '(' is not a valid regex: "
            "missing ), unterminated subpattern at position 0\n",
        ),
        (
            ["report", ".", "--top", "-1"],
            "adlint: error: argument --top: must be 0 (all) or more\n",
        ),
    ],
)
def test_a_bad_flag_value_names_that_flag(site: Path, capsys, argv, message):
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.endswith(message)
