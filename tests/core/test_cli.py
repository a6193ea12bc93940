"""The command line as users meet it: exit codes, flags, config files and error messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from adlint.cli import main

DIRTY = "We sell stuff.\n\n[deal](https://www.amazon.com/dp/B0X?tag=someone-20)\n"
CLEAN = "Just prose, no links at all.\n"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "dirty.md").write_text(DIRTY)
    (tmp_path / "clean.md").write_text(CLEAN)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code = main(["check", "--format", "json", *argv])
    return code, json.loads(capsys.readouterr().out)


def test_clean_file_exits_zero(site: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["check", "clean.md"]) == 0
    assert "passes" in capsys.readouterr().out


def test_error_finding_exits_one(site: Path, capsys: pytest.CaptureFixture[str]):
    code, report = run_json(capsys, "dirty.md")
    assert code == 1
    assert report["summary"]["by_rule"]["affiliate-disclosure-missing"] == 1


def test_fail_on_warning_counts_warnings(site: Path, capsys: pytest.CaptureFixture[str]):
    code, _ = run_json(capsys, "dirty.md", "--ignore", "affiliate-disclosure-missing")
    assert code == 0
    code, _ = run_json(
        capsys, "dirty.md", "--ignore", "affiliate-disclosure-missing", "--fail-on", "warning"
    )
    assert code == 1


def test_select_runs_only_the_named_rules(site: Path, capsys: pytest.CaptureFixture[str]):
    _, report = run_json(capsys, "dirty.md", "--select", "affiliate-link")
    assert {f["rule"] for f in report["findings"]} == {"affiliate-link"}


def test_unknown_rule_in_select_is_a_usage_error(site: Path, capsys):
    assert main(["check", "dirty.md", "--select", "no-such-rule"]) == 2
    assert 'unknown rule "no-such-rule"' in capsys.readouterr().err


def test_json_findings_are_sorted_by_path_line_column_rule(site: Path, capsys):
    _, report = run_json(capsys, ".")
    keys = [(f["path"], f["line"], f["column"], f["rule"]) for f in report["findings"]]
    assert keys == sorted(keys) and report["summary"]["files"] == 2


def test_directory_walk_skips_other_extensions_but_named_files_are_linted(site, capsys):
    (site / "notes.txt").write_text(DIRTY)
    _, walked = run_json(capsys, ".")
    assert "notes.txt" not in {f["path"] for f in walked["findings"]}
    _, named = run_json(capsys, "notes.txt")
    assert {f["path"] for f in named["findings"]} == {"notes.txt"}


def test_config_disables_and_overrides_rules(site: Path, capsys):
    (site / ".adlint.yaml").write_text(
        "rules:\n  affiliate-disclosure-missing: {severity: warning}\n  affiliate-link: false\n"
    )
    code, report = run_json(capsys, "dirty.md")
    rules = {f["rule"]: f["severity"] for f in report["findings"]}
    assert code == 0 and "affiliate-link" not in rules
    assert rules["affiliate-disclosure-missing"] == "warning"


def test_pyproject_tool_adlint_table_is_a_config(site: Path, capsys):
    (site / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.adlint]\nfail_on = "info"\n'
        '[tool.adlint.rules.affiliate-disclosure-missing]\nseverity = "off"\n'
    )
    code, report = run_json(capsys, "dirty.md")
    assert code == 1  # fail_on info: the affiliate-link info finding fails the run
    assert "affiliate-disclosure-missing" not in {f["rule"] for f in report["findings"]}


def test_policy_flag_adds_a_user_rule(site: Path, capsys):
    (site / "house.yaml").write_text(
        "rules:\n  amazon-anywhere:\n    kind: match\n    severity: warning\n"
        '    message: "Amazon link: {url}"\n    select: {domain: amazon.com}\n'
    )
    _, report = run_json(capsys, "dirty.md", "--policy", "house.yaml")
    [hit] = [f for f in report["findings"] if f["rule"] == "amazon-anywhere"]
    assert (hit["line"], hit["column"]) == (3, 8)
    assert hit["message"] == "Amazon link: https://www.amazon.com/dp/B0X?tag=someone-20"


def test_per_path_override_changes_a_rule_for_matching_files(site: Path, capsys):
    (site / "archive").mkdir()
    (site / "archive" / "old.md").write_text(DIRTY)
    (site / ".adlint.yaml").write_text(
        "overrides:\n  - paths: ['archive/**']\n    rules: {affiliate-disclosure-missing: false}\n"
    )
    _, report = run_json(capsys, ".")
    paths = {f["path"] for f in report["findings"] if f["rule"] == "affiliate-disclosure-missing"}
    assert paths == {"dirty.md"}


def test_suppression_directive_keeps_the_finding_in_json_with_its_reason(site: Path, capsys):
    (site / "dirty.md").write_text(
        "<!-- adlint-disable-next-line affiliate-link -- checked by legal -->\n"
        "[deal](https://www.amazon.com/dp/B0X?tag=someone-20)\n"
    )
    _, report = run_json(capsys, "dirty.md")
    [hit] = [f for f in report["findings"] if f["rule"] == "affiliate-link"]
    assert hit["suppressed"] == "checked by legal"
    assert report["summary"]["by_rule"].get("affiliate-link") is None


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("rules: {x: [1\n", ".adlint.yaml:2: YAML syntax error"),
        (
            "rules:\n  x:\n    kind: magic\n    severity: info\n    message: m\n",
            '.adlint.yaml:3: rule "x": key "kind": unknown kind "magic"',
        ),
        (
            "rules:\n  ad-density:\n    max_shares: 0.2\n",
            '.adlint.yaml:3: rule "ad-density": key "max_shares": unknown option',
        ),
        (
            "rules:\n  ad-density:\n    max_share: lots\n",
            '.adlint.yaml:3: rule "ad-density": key "max_share": must be a number',
        ),
        (
            "rules:\n  x:\n    kind: match\n    severity: info\n    message: m\n"
            "    select: {url: '(unclosed'}\n",
            '.adlint.yaml:6: rule "x": key "select.url": invalid regular expression',
        ),
        (
            "rules:\n  x:\n    kind: match\n    severity: info\n    message: m\n"
            "    select: {text: '(a+)+$'}\n",
            '.adlint.yaml:6: rule "x": key "select.text": unsafe regular expression',
        ),
        (
            "rules:\n  x:\n    kind: match\n    severity: info\n    message: '{url.__class__}'\n"
            "    select: {tag: a}\n",
            '.adlint.yaml:5: rule "x": key "message": field "{url.__class__}"',
        ),
        ("colour: red\n", '.adlint.yaml:1: key "colour": unknown top-level key'),
        ("extends: [./.adlint.yaml]\n", '.adlint.yaml:1: key "extends": extends cycle'),
        (
            "x: !!python/object/apply:os.system ['echo pwned']\n",
            ".adlint.yaml:1: YAML syntax error",
        ),
    ],
)
def test_malformed_config_exits_2_naming_file_line_rule_and_key(site, capsys, config, expected):
    (site / ".adlint.yaml").write_text(config)
    assert main(["check", "dirty.md"]) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err


def test_bad_config_never_prints_a_traceback_from_the_real_entry_point(site: Path):
    (site / ".adlint.yaml").write_text("rules:\n  new-rule: {kind: match}\n")
    result = subprocess.run(
        [sys.executable, "-m", "adlint", "check", "dirty.md"],
        capture_output=True,
        text=True,
        cwd=site,
        env={"PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and ".adlint.yaml:2:" in result.stderr


def test_unreadable_and_binary_files_become_parse_errors_and_the_run_goes_on(site, capsys):
    (site / "binary.md").write_bytes(b"\x00\x01\x02 not text")
    (site / "gone.md").symlink_to(site / "nowhere.md")
    _, report = run_json(capsys, "binary.md", "gone.md", "missing.md", "dirty.md")
    errors = {
        f["path"]: f["data"]["reason"] for f in report["findings"] if f["rule"] == "parse-error"
    }
    assert errors["binary.md"].startswith("binary file")
    assert errors["missing.md"] == "file not found"
    assert errors["gone.md"] == "file not found"
    assert any(f["path"] == "dirty.md" for f in report["findings"])


def test_rules_lists_every_default_rule(capsys):
    assert main(["rules", "--no-config"]) == 0
    out = capsys.readouterr().out
    for rule in (
        "affiliate-link",
        "affiliate-rel-missing",
        "affiliate-disclosure-missing",
        "affiliate-id-unknown",
        "ad-unit",
        "ad-density",
        "ad-client-unknown",
        "tracking-pixel",
        "parse-error",
        "broken-link",
    ):
        assert rule in out


def test_rules_explains_one_rule_with_its_yaml(capsys):
    assert main(["rules", "--no-config", "tracking-pixel"]) == 0
    out = capsys.readouterr().out
    assert "tracking-pixel (match, warning)" in out and "kind: match" in out


def test_text_output_has_no_colour_when_not_a_tty(site: Path, capsys):
    main(["check", "--format", "text", "dirty.md"])
    out = capsys.readouterr().out
    assert "\x1b[" not in out and out.rstrip().endswith("fails at --fail-on error.")


def test_help_lists_every_command_and_each_command_its_own_options(capsys):
    assert main(["--help"]) == 0
    listing = capsys.readouterr().out
    for command, help_text in [("check", "lint articles"), ("merge", "combine sharded")]:
        assert command in listing and help_text in listing
    for command, option in [("report", "--top"), ("merge", "--output"), ("check", "--baseline")]:
        assert main([command, "--help"]) == 0
        assert option in capsys.readouterr().out


def test_a_path_named_like_a_command_is_a_path(site: Path, capsys):
    (site / "report").mkdir()
    (site / "report" / "dirty.md").write_text(DIRTY)
    code, report = run_json(capsys, "report")
    assert code == 1
    assert {f["path"] for f in report["findings"]} == {"report/dirty.md"}


def test_config_error_is_one_line_that_cannot_forge_a_workflow_command(site: Path, capsys):
    (site / ".adlint.yaml").write_text(
        'rules:\n  "x\\n::error file=forged.md::FORGED\\u001b[31m": false\n'
    )
    assert main(["check", "--format", "github", "dirty.md"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "\x1b" not in err
    assert err.startswith('adlint: error: .adlint.yaml:2: rule "x\ufffd::error file=forged.md')


def test_warning_naming_a_path_is_one_printable_line(site: Path, capsys):
    (site / "d\n::error::forged").mkdir()
    assert main(["check", "d\n::error::forged"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("adlint: warning: no files to lint under d\ufffd::error::forged/")
    assert err.count("\n") == 1


def test_directory_with_nothing_to_lint_warns_and_passes(site: Path, capsys):
    (site / "notes").mkdir()
    (site / "notes" / "todo.txt").write_text(DIRTY)
    assert main(["check", "notes"]) == 0
    captured = capsys.readouterr()
    assert captured.err == (
        "adlint: warning: no files to lint under notes/ "
        "(extensions: .md, .markdown, .mdx, .html, .htm)\n"
    )
    assert "0 files; passes" in captured.out


def test_nothing_to_lint_warning_names_the_exclusions(site: Path, capsys):
    (site / "drafts").mkdir()
    (site / "drafts" / "a.md").write_text(DIRTY)
    (site / ".adlint.yaml").write_text("extensions: [.md]\nexclude_paths: ['drafts/**']\n")
    assert main(["check", "drafts/"]) == 0
    assert capsys.readouterr().err == (
        "adlint: warning: no files to lint under drafts/ (extensions: .md; excluding: drafts/**)\n"
    )


def test_shard_without_files_does_not_warn(site: Path, capsys):
    # Both files hash into shard 2 of 2, so shard 1 lints nothing: a CI matrix, not a mistake.
    codes = [main(["check", ".", "--shard", f"{k}/2", "--format", "json"]) for k in (1, 2)]
    assert codes == [0, 1]
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["-j", "0"], "argument -j/--jobs: must be 1 or more, not 0"),
        (["-j", "-3"], "argument -j/--jobs: must be 1 or more, not -3"),
        (["--jobs", "two"], "argument -j/--jobs: not a whole number: 'two'"),
        (
            ["--link-timeout", "-5"],
            "argument --link-timeout: must be a finite number more than 0, not -5",
        ),
        (
            ["--link-timeout", "nan"],
            "argument --link-timeout: must be a finite number more than 0, not nan",
        ),
        (
            ["--url-timeout", "0"],
            "argument --url-timeout: must be a finite number more than 0, not 0",
        ),
        (["--url-timeout", "1m"], "argument --url-timeout: not a number of seconds: '1m'"),
        (["--link-concurrency", "0"], "argument --link-concurrency: must be 1 or more, not 0"),
        (["--link-per-host", "0"], "argument --link-per-host: must be 1 or more, not 0"),
        (["--link-retries", "-1"], "argument --link-retries: must be 0 or more, not -1"),
        (["--max-redirects", "-1"], "argument --max-redirects: must be 0 or more, not -1"),
        (
            ["--cache-max-age", "6x"],
            "argument --cache-max-age: not a duration: '6x' (use e.g. 3600, 90m, 1d)",
        ),
    ],
)
def test_bad_flag_value_is_a_usage_error_naming_the_flag(site: Path, capsys, flags, message):
    """Checked while parsing, with or without --check-links, before any file is read."""
    assert main(["check", *flags, "clean.md"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.endswith(f"adlint check: error: {message}\n")
    assert "Traceback" not in err


def test_good_flag_values_are_accepted(site: Path, capsys):
    flags = ["-j", "1", "--link-timeout", "0.5", "--cache-max-age", "90m", "--link-retries", "0"]
    assert main(["check", *flags, "clean.md"]) == 0


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("concurrency: 0", 'key "links.concurrency": expected int of 1 or more, not 0'),
        ("per_host: -2", 'key "links.per_host": expected int of 1 or more, not -2'),
        ("timeout: -5", 'key "links.timeout": expected number of seconds above 0, not -5'),
        (
            "url_timeout: x",
            "key \"links.url_timeout\": expected number of seconds above 0, not 'x'",
        ),
    ],
)
def test_bad_link_config_values_are_refused_like_the_flags(site: Path, capsys, setting, expected):
    (site / ".adlint.yaml").write_text(f"links:\n  {setting}\n")
    assert main(["check", "clean.md"]) == 2
    assert capsys.readouterr().err == f"adlint: error: .adlint.yaml:2: {expected}\n"


def closed_after_one_line(site: Path, *argv: str) -> tuple[int, bytes, bytes]:
    """`adlint ARGV | head -1` through a real pipe: read one line, then close the pipe while
    adlint still has far more than a pipe buffer (64 KB) to write."""
    process = subprocess.Popen(
        [sys.executable, "-m", "adlint", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=site,
        env={
            "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
            "PYTHONDONTWRITEBYTECODE": "1",
        },
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    error = process.stderr.read()
    return process.wait(timeout=60), first, error


@pytest.mark.parametrize("jobs", ["-j1", "-j2"])
@pytest.mark.parametrize("file_format", ["github", "text", "json", "sarif"])
def test_closed_pipe_stops_quietly_with_the_sigpipe_status(site: Path, jobs, file_format):
    (site / "many.html").write_text(
        "".join(f'<a href="javascript:go({n})">x</a>\n' for n in range(3000))
    )
    argv = ["check", jobs, "--no-cache", "--format", file_format, "many.html", "dirty.md"]
    code, first, error = closed_after_one_line(site, *argv)
    assert first  # adlint wrote before the reader left
    assert (code, error) == (141, b"")


def test_closed_pipe_of_merge_stops_quietly_too(site: Path, capsys):
    main(["check", "--format", "json", "-o", "dirty.json", "dirty.md"])
    report = json.loads((site / "dirty.json").read_text())
    copies = enumerate(report["findings"] * 2000)  # other files: shards must not overlap
    report["findings"] = [{**finding, "path": f"copy-{i:05}.md"} for i, finding in copies]
    (site / "big.json").write_text(json.dumps(report))
    code, first, error = closed_after_one_line(site, "merge", "big.json", "dirty.json")
    assert (code, first, error) == (141, b"{\n", b"")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_write_error_other_than_a_closed_pipe_names_the_output(site: Path, capsys):
    assert main(["check", "-o", "/dev/full", "dirty.md"]) == 2
    assert capsys.readouterr().err == (
        "adlint: error: /dev/full: cannot write output: No space left on device\n"
    )


@pytest.mark.parametrize(
    ("name", "first_bytes"),
    [
        ("out.sarif", b'{\n  "$schema": "https://json.schemastore.org/sarif-2.1.0.json"'),
        ("out.SARIF.json", b'{\n  "$schema": "https://json.schemastore.org/sarif-2.1.0.json"'),
        ("out.json", b'{\n  "version": '),
        ("out.txt", b"dirty.md\n"),
        ("out", b"dirty.md\n"),
    ],
)
def test_output_extension_chooses_the_format_when_format_is_not_given(
    site: Path, monkeypatch, name, first_bytes
):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert main(["check", "-o", name, "dirty.md"]) == 1
    assert (site / name).read_bytes().startswith(first_bytes)


@pytest.mark.parametrize("format_name", ["text", "auto"])
def test_explicit_format_wins_over_the_output_extension(site: Path, monkeypatch, format_name):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert main(["check", "--format", format_name, "-o", "out.sarif", "dirty.md"]) == 1
    assert (site / "out.sarif").read_text().startswith("dirty.md\n")


def test_output_extension_wins_over_github_actions_auto(site: Path, monkeypatch, capsys):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    assert main(["check", "-o", "out.json", "dirty.md"]) == 1
    assert json.loads((site / "out.json").read_text())["summary"]["files"] == 1
    assert capsys.readouterr().out == ""


def test_the_files_a_check_writes_are_not_linted(site: Path, capsys):
    """Output files are opened before the walk reaches them: an `.md` report in the site
    would be read half-written, and counted as an article."""
    assert main(["check", ".", "-o", "findings.md", "--also", "json:out/findings.html"]) == 1
    assert "in 2 files" in (site / "findings.md").read_text()
    assert json.loads((site / "out" / "findings.html").read_text())["summary"]["files"] == 2
    # written by an earlier run, they are articles like any other
    code, report = run_json(capsys, ".")
    assert (code, report["summary"]["files"]) == (1, 4)


def test_a_folder_named_twice_is_warned_about_once(site: Path, capsys):
    (site / "drafts").mkdir()
    assert main(["check", "drafts", "drafts/", "./drafts"]) == 0
    err = capsys.readouterr().err
    assert err == (
        "adlint: warning: no files to lint under drafts/ "
        "(extensions: .md, .markdown, .mdx, .html, .htm)\n"
    )
