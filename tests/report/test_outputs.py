"""The command (formats, exit codes) and the Markdown and JSON forms of the report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from adlint.cli import main
from adlint.report import markdown
from adlint.report.markdown import literal, plain
from adlint.report.model import FileSummary, Report
from tests.report.conftest import FIXTURES, run_report

TOP_LEVEL = {
    "version",
    "generated",
    "title",
    "policy_files",
    "links_checked",
    "summary",
    "inventory",
    "ad_density",
    "disclosure",
    "broken_links",
    "worst_files",
}


def test_json_has_the_documented_top_level_keys(site_json: dict[str, Any]) -> None:
    assert set(site_json) == TOP_LEVEL
    assert site_json["generated"] == "2023-11-14T22:13:20Z"
    assert set(site_json["inventory"]) == {
        "networks",
        "allowlist_configured",
        "affiliate_ids",
        "ad_clients_checked",
        "ad_clients",
        "pixels",
    }
    assert set(site_json["ad_density"]) == {
        "threshold",
        "histogram",
        "height_threshold",
        "height_histogram",
        "screen_width",
        "min_words",
        "unmeasured",
        "over_threshold",
    }


def test_json_is_identical_across_runs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    first = run_report(monkeypatch, tmp_path, "a.json")[1]
    assert first == run_report(monkeypatch, tmp_path, "b.json")[1]


def test_markdown_summary_matches_the_counts(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    code, text = run_report(monkeypatch, tmp_path, "summary.md")
    assert code == 0
    assert "**6 files audited · 4 compliant (67%)** · 4 errors · 2 warnings · 9 info" in text
    assert "| `thief-20` | Amazon Associates | ❌ not in allowlist | 2 |" in text
    assert "| `ca-pub-1111222233334444` | ✅ authorised (ads.txt) | 3 |" in text
    assert "| `site/undisclosed.md` | 3 | 0 | 3 | 0 |" in text


def test_markdown_on_stdout_by_default(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(FIXTURES)
    assert main(["report", "site"]) == 0
    assert capsys.readouterr().out.startswith("## adlint compliance report\n")


def test_format_flag_overrides_the_extension(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    code, text = run_report(monkeypatch, tmp_path, "out.html", "--format", "json")
    assert code == 0 and json.loads(text)["summary"]["files"] == 6


def test_unknown_output_extension_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = run_report(monkeypatch, tmp_path, "report.txt")
    assert code == 2 and "--format" in capsys.readouterr().err


def test_negative_top_is_a_usage_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert run_report(monkeypatch, tmp_path, "r.json", "--top", "-1")[0] == 2


def test_report_exits_zero_despite_errors_unless_fail_on_is_given(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert run_report(monkeypatch, tmp_path, "r.json")[0] == 0
    assert run_report(monkeypatch, tmp_path, "r.json", "--fail-on", "error")[0] == 1


def test_fail_on_ignores_suppressed_findings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    code, _ = run_report(monkeypatch, tmp_path, "r.json", "--fail-on", "warning")
    assert code == 1  # ads.html has an active pixel; suppressed.md alone would pass
    monkeypatch.chdir(FIXTURES)
    assert (
        main(["report", "site/suppressed.md", "--fail-on", "warning", "-o", str(tmp_path / "s.md")])
        == 0
    )


def test_top_limits_the_worst_files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _, text = run_report(monkeypatch, tmp_path, "r.json", "--top", "1")
    assert [w["path"] for w in json.loads(text)["worst_files"]] == ["site/undisclosed.md"]


def test_bad_policy_is_a_config_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    policy = tmp_path / "bad.yaml"
    policy.write_text("rules:\n  ad-density: {max_share: lots}\n", encoding="utf-8")
    assert run_report(monkeypatch, tmp_path, "r.html", "--policy", str(policy))[0] == 2


def test_markdown_text_escapes_html_and_table_syntax() -> None:
    assert plain("<b>|x|</b> *y*") == r"\<b\>\|x\|\</b\> \*y\*"
    assert plain("two\nlines") == "two lines"


def test_markdown_literal_survives_backticks_and_pipes() -> None:
    assert literal("a|b") == r"`a\|b`"
    assert literal("x `y` z") == "``x `y` z``"
    assert literal("`edge`") == "`` `edge` ``"


def test_markdown_renders_hostile_paths_only_inside_code_spans() -> None:
    worst = FileSummary("<img src=x onerror=alert(1)>|.md", "<script>", 1, 0, 1, 0, 0, 0)
    report = Report("0", "now", (), 1, 0, {"error": 1}, 0, (), worst=(worst,))
    text = markdown.render(report)
    assert r"| `<img src=x onerror=alert(1)>\|.md` | 1 |" in text


def test_a_report_written_into_the_audited_site_is_not_audited(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Run weekly as `adlint report . -o compliance.md`, the report must not count last
    week's report as an article; another run's report is an article like any other."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text("Plain prose, no links.\n")
    (tmp_path / "b.md").write_text("[deal](https://www.amazon.com/dp/B01?tag=mine-20)\n")
    for _ in range(2):
        assert main(["report", ".", "--no-config", "--no-cache", "-o", "compliance.md"]) == 0
        assert "**2 files audited" in (tmp_path / "compliance.md").read_text()
    # the same file by another spelling is still this run's output
    assert main(["report", ".", "--no-config", "--no-cache", "-o", "x/../compliance.md"]) == 0
    assert "**2 files audited" in (tmp_path / "compliance.md").read_text()
    # written by another run, it is an article
    assert main(["report", ".", "--no-config", "--no-cache", "-o", "other.md"]) == 0
    assert "**3 files audited" in (tmp_path / "other.md").read_text()
