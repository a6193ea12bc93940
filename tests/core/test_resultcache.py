"""The result cache: a second run answers from it, and any change that can alter a finding
(the file, the policy anywhere in its `extends` chain, an ads.txt, the rule selection)
makes adlint lint again. Real files, a real SQLite file, the CLI as users run it."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time
import zlib
from pathlib import Path

import pytest

from adlint.cli import main
from adlint.resultcache import FILE_NAME

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
DIRTY = "Pick 👍 [deal](https://www.amazon.com/dp/B0X?tag=someone-20)\n"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ADLINT_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "a.md").write_text(DIRTY, encoding="utf-8")
    return tmp_path


def check(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["check", "-j", "1", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def findings(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict]:
    code, out, err = check(capsys, "--format", "json", *argv)
    assert code in (0, 1), err
    return json.loads(out)["findings"]


def rewrite_cached_messages(cache_dir: Path, message: str) -> int:
    """Change every cached finding's message, as only a run reading the cache would show."""
    with sqlite3.connect(cache_dir / FILE_NAME) as db:
        rows = db.execute("SELECT key, value FROM results").fetchall()
        for key, blob in rows:
            value = json.loads(zlib.decompress(blob))
            for finding in value[0]:
                finding[6] = message
            db.execute(
                "UPDATE results SET value = ? WHERE key = ?",
                (zlib.compress(json.dumps(value).encode()), key),
            )
    return len(rows)


@pytest.mark.parametrize("output", ["json", "sarif", "text", "github"])
def test_warm_run_writes_the_same_bytes_as_a_cold_one(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    output: str,
) -> None:
    corpus = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, corpus)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ADLINT_CACHE_DIR", str(tmp_path / "cache"))
    argv = ["fixtures", "--no-config", "--format", output]
    cold = check(capsys, *argv)
    assert (tmp_path / "cache" / FILE_NAME).is_file()
    warm = check(capsys, *argv)
    uncached = check(capsys, *argv, "--no-cache")
    assert cold[0] == 1 and cold[1].count("\n") > 50
    assert warm == cold == uncached


def test_warm_run_reads_findings_from_the_cache(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cold = findings(capsys, "a.md")
    assert ("affiliate-link", 1, 15) in [(f["rule"], f["line"], f["column"]) for f in cold]
    assert rewrite_cached_messages(site / "cache", "from the cache") == 1
    warm = findings(capsys, "a.md")
    assert {f["message"] for f in warm} == {"from the cache"}
    assert [(f["rule"], f["line"], f["column"]) for f in warm] == [
        (f["rule"], f["line"], f["column"]) for f in cold
    ]
    assert {f["message"] for f in findings(capsys, "a.md", "--no-cache")} != {"from the cache"}


def test_warm_sarif_keeps_utf16_columns(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    check(capsys, "a.md", "--format", "sarif")
    _, out, _ = check(capsys, "a.md", "--format", "sarif")
    regions = [
        r["locations"][0]["physicalLocation"]["region"]
        for r in json.loads(out)["runs"][0]["results"]
    ]
    # 👍 is one code point but two UTF-16 code units: column 15 in code points is 16 in SARIF
    assert {"startLine": 1, "startColumn": 16} in [
        {k: r[k] for k in ("startLine", "startColumn")} for r in regions
    ]


def test_edited_file_is_linted_again_even_with_the_same_size_and_mtime(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = site / "a.md"
    before = article.stat()
    findings(capsys, "a.md")
    rewrite_cached_messages(site / "cache", "stale")
    article.write_text(DIRTY.replace("someone-20", "another-20"), encoding="utf-8")
    os.utime(article, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = findings(capsys, "a.md")
    assert "stale" not in {f["message"] for f in after}
    assert any(f["data"].get("affiliate_id") == "another-20" for f in after)


def test_policy_change_deep_in_the_extends_chain_is_seen(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / ".adlint.yaml").write_text("extends: [base.yaml]\n")
    (site / "base.yaml").write_text("extends: [adlint:default]\n")

    def severity() -> set[str]:
        return {f["severity"] for f in findings(capsys, "a.md") if f["rule"] == "affiliate-link"}

    assert severity() == {"info"}
    (site / "base.yaml").write_text(
        "extends: [adlint:default]\nrules:\n  affiliate-link: {severity: error}\n"
    )
    assert severity() == {"error"}


def test_rule_selection_is_part_of_the_key(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert {f["rule"] for f in findings(capsys, "a.md", "--select", "affiliate-link")} == {
        "affiliate-link"
    }
    assert len({f["rule"] for f in findings(capsys, "a.md")}) > 1


def test_no_cache_and_config_switch_write_nothing(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    findings(capsys, "a.md", "--no-cache")
    assert not (site / "cache").exists()
    (site / ".adlint.yaml").write_text("cache: false\n")
    findings(capsys, "a.md")
    assert not (site / "cache").exists()


def test_cache_dir_flag_wins_over_the_environment(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    findings(capsys, "a.md", "--cache-dir", "elsewhere")
    assert (site / "elsewhere" / FILE_NAME).is_file()
    assert not (site / "cache").exists()


def test_bad_cache_setting_is_a_config_error(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / ".adlint.yaml").write_text("fail_on: error\ncache: sometimes\n")
    code, _, err = check(capsys, "a.md")
    assert code == 2
    assert '.adlint.yaml:2: key "cache": must be true or false' in err


def test_corrupt_cache_is_a_warning_and_every_file_is_linted(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cold = findings(capsys, "a.md")
    with sqlite3.connect(site / "cache" / FILE_NAME) as db:
        db.execute("UPDATE results SET value = ?", (b"not zlib at all",))
    code, out, err = check(capsys, "a.md", "--format", "json")
    assert code == 1
    assert "result cache unreadable" in err
    assert json.loads(out)["findings"] == cold


def test_unusable_cache_dir_is_a_warning(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "cache").write_text("a file where the cache directory should be\n")
    code, out, err = check(capsys, "a.md", "--format", "json")
    assert code == 1
    assert "result cache disabled" in err
    assert json.loads(out)["findings"]


def test_unreadable_file_is_reported_every_time(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "gone.md").symlink_to(site / "nowhere.md")
    for _ in range(2):
        reasons = {f["message"] for f in findings(capsys, "gone.md")}
        assert any("file not found" in reason for reason in reasons)


def test_entries_unused_for_a_month_are_pruned_and_used_ones_kept(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    findings(capsys, "a.md")
    database = site / "cache" / FILE_NAME
    with sqlite3.connect(database) as db:
        today = int(time.time() // 86_400)
        db.execute("UPDATE results SET used = ?", (today - 40,))
        db.execute("INSERT INTO results VALUES (?, ?, ?)", (b"old" * 5, today - 40, b""))
    with sqlite3.connect(database) as db:
        db.execute("PRAGMA user_version = 0")  # last pruned long ago
    findings(capsys, "a.md")
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT key, used FROM results").fetchall()
    assert len(rows) == 1 and rows[0][0] != b"old" * 5 and rows[0][1] == today


def test_warm_report_is_the_same_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(FIXTURES, tmp_path / "fixtures")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ADLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    reports = []
    for extra in ([], [], ["--no-cache"]):
        assert main(["report", "fixtures", "--no-config", "-o", "r.json", *extra]) == 0
        reports.append((tmp_path / "r.json").read_text())
    capsys.readouterr()
    assert reports[0] == reports[1] == reports[2]
    assert json.loads(reports[0])["summary"]["files"] > 10


@pytest.mark.parametrize(
    "value", [{"not": "a list"}, [[["x", 1, 1, 2, "r", "error", "m", {}, "", None]]], [1, 2]]
)
def test_stored_values_of_the_wrong_shape_are_linted_again(
    site: Path, capsys: pytest.CaptureFixture[str], value: object
) -> None:
    cold = findings(capsys, "a.md")
    with sqlite3.connect(site / "cache" / FILE_NAME) as db:
        db.execute("UPDATE results SET value = ?", (zlib.compress(json.dumps(value).encode()),))
    code, out, err = check(capsys, "a.md", "--format", "json")
    assert code == 1 and "Traceback" not in err
    assert json.loads(out)["findings"] == cold
