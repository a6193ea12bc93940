"""`adlint merge` over inputs CI jobs really leave behind: a missing or truncated shard, a log
uploaded by mistake, another tool's JSON, the other format. Each is a usage error (exit 2)
on one line naming the input and what is wrong, and nothing is written."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from adlint.cli import main
from adlint.errors import MAX_NAMED_FILE_BYTES, PolicyError, read_named_file
from tests.core.fresh import run_adlint

ARTICLE = (
    "We sell stuff.\n\n"
    "[deal](https://www.amazon.com/dp/B0X?tag=someone-20)\n\n"
    '<img src="https://imp.pxf.io/i/1/2/3" width="0" height="0">\n'
)


@pytest.fixture
def shards(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two real shard outputs in each format: good.json, other.json, good.sarif, other.sarif."""
    monkeypatch.chdir(tmp_path)
    Path("a.md").write_text(ARTICLE)
    Path("b.md").write_text(ARTICLE)
    for name, article in (("good", "a.md"), ("other", "b.md")):
        for file_format in ("json", "sarif"):
            argv = ["check", "--no-cache", "--format", file_format, "-o", f"{name}.{file_format}"]
            assert main([*argv, article]) == 1
    return tmp_path


def merge(capsys: pytest.CaptureFixture[str], *files: str) -> tuple[int, str]:
    code = main(["merge", *files, "-o", "merged.out"])
    out, err = capsys.readouterr()
    assert out == "" and "Traceback" not in err
    assert not Path("merged.out").exists()
    return code, err


def edited(name: str, change: Callable[[dict[str, Any]], None], new_name: str) -> str:
    document = json.loads(Path(name).read_text())
    change(document)
    Path(new_name).write_text(json.dumps(document))
    return new_name


def test_a_missing_input_is_named(shards, capsys):
    assert merge(capsys, "good.json", "gone.json") == (
        2,
        "adlint: error: gone.json: no such file\n",
    )


def test_a_directory_input_is_named(shards, capsys):
    Path("shard-2").mkdir()
    code, err = merge(capsys, "good.json", "shard-2")
    assert (code, err) == (
        2,
        "adlint: error: shard-2: is a directory, not an adlint JSON or SARIF report\n",
    )


def test_an_empty_input_is_named(shards, capsys):
    Path("empty.json").write_text("")
    code, err = merge(capsys, "good.json", "empty.json")
    assert code == 2
    assert err.startswith("adlint: error: empty.json: is empty, not a report"), err


def test_a_truncated_input_is_named_with_the_line_it_stops_at(shards, capsys):
    text = Path("good.json").read_text()
    cut = len(text) // 2
    Path("cut.json").write_text(text[:cut])
    line = text[:cut].count("\n") + 1
    code, err = merge(capsys, "good.json", "cut.json")
    assert code == 2
    assert err.startswith(f"adlint: error: cut.json:{line}: ends too early (truncated?): "), err
    assert err.count("\n") == 1


def test_a_log_uploaded_as_a_shard_is_not_json(shards, capsys):
    Path("log.json").write_text("Run adlint check --shard 2/2\nerror: boom\n")
    code, err = merge(capsys, "log.json", "good.json")
    assert (code, err) == (
        2,
        "adlint: error: log.json:1: is not JSON: Expecting value at column 1\n",
    )


def test_bytes_that_are_not_utf8_are_named(shards, capsys):
    Path("binary.json").write_bytes(b'{"findings": []}' + b"\xff")
    code, err = merge(capsys, "good.json", "binary.json")
    expected = "adlint: error: binary.json: not an adlint report: not UTF-8 text (byte 16)\n"
    assert (code, err) == (2, expected)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[1, 2]", "not an adlint report: the file holds an array, not an object"),
        ('{"name": "eslint"}', 'not an adlint report: it has neither "findings" (adlint JSON)'),
        ('{"findings": {}}', "not an adlint JSON report: findings is an object, not an array"),
        ('{"findings": [7]}', "not an adlint JSON report: findings[0] is a number, not an object"),
        (
            '{"findings": [], "summary": {"files": "3"}}',
            "not an adlint JSON report: summary.files is a string, not a number",
        ),
    ],
)
def test_json_that_is_no_adlint_report_is_named_with_the_part_at_fault(
    shards, capsys, text, reason
):
    Path("foreign.json").write_text(text)
    code, err = merge(capsys, "good.json", "foreign.json")
    assert code == 2
    assert err.startswith(f"adlint: error: foreign.json: {reason}"), err


@pytest.mark.parametrize(
    ("key", "value", "reason"),
    [
        ("line", None, "findings[1].line is missing"),
        ("line", "3", "findings[1].line is a string, not a number"),
        ("line", True, "findings[1].line is a boolean, not a number"),
        ("path", ["a.md"], "findings[1].path is an array, not a string"),
        ("severity", "fatal", 'findings[1].severity is "fatal", not one of error, warning, info'),
    ],
)
def test_a_broken_finding_is_named_by_its_index(shards, capsys, key, value, reason):
    def change(document: dict[str, Any]) -> None:
        finding = document["findings"][1]
        if value is None:
            del finding[key]
        else:
            finding[key] = value

    assert len(json.loads(Path("good.json").read_text())["findings"]) > 1
    name = edited("other.json", change, "broken.json")
    code, err = merge(capsys, "good.json", name)
    assert (code, err) == (2, f"adlint: error: broken.json: not an adlint JSON report: {reason}\n")


def drop_location(document: dict[str, Any]) -> None:
    del document["runs"][0]["results"][0]["locations"]


def unknown_rule(document: dict[str, Any]) -> None:
    document["runs"][0]["results"][0]["ruleId"] = "no-such-rule"


def no_runs(document: dict[str, Any]) -> None:
    document["runs"] = []


def string_line(document: dict[str, Any]) -> None:
    document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = (
        "1"
    )


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (drop_location, "runs[0].results[0].locations is missing"),
        (
            unknown_rule,
            'runs[0].results[0].ruleId "no-such-rule" is not one of the report\'s rules',
        ),
        (no_runs, "runs is empty"),
        (
            string_line,
            "runs[0].results[0].locations[0].physicalLocation.region.startLine is a string, "
            "not a number",
        ),
    ],
)
def test_a_broken_sarif_result_is_named_by_its_place(shards, capsys, change, reason):
    name = edited("other.sarif", change, "broken.sarif")
    code, err = merge(capsys, "good.sarif", name)
    assert (code, err) == (
        2,
        f"adlint: error: broken.sarif: not an adlint SARIF report: {reason}\n",
    )


@pytest.mark.parametrize(
    ("files", "named", "expected"),
    [
        (("good.json", "other.sarif"), "other.sarif", "SARIF cannot be merged with adlint JSON"),
        (("good.sarif", "other.json"), "other.json", "adlint JSON cannot be merged with SARIF"),
    ],
)
def test_sarif_mixed_with_json_names_both_inputs(shards, capsys, files, named, expected):
    code, err = merge(capsys, *files)
    assert code == 2
    assert err.startswith(f"adlint: error: {named}: {expected} ({files[0]}): "), err
    assert "merge reports of one format" in err


def test_good_inputs_still_merge(shards, capsys):
    """The control: the real outputs the broken ones were made from merge."""
    for file_format in ("json", "sarif"):
        assert main(["merge", f"good.{file_format}", f"other.{file_format}", "-o", "m.out"]) == 0
        assert Path("m.out").stat().st_size > 0
    capsys.readouterr()


@pytest.mark.parametrize(
    ("prepare", "expected"),
    [
        (
            lambda: Path("d").mkdir(),
            "adlint: error: d: is a directory, not an adlint JSON or SARIF report\n",
        ),
        (lambda: Path("d").write_text('{"findings": [{"rule"'), "adlint: error: d:1: ends too"),
    ],
)
def test_the_real_entry_point_prints_one_line_and_no_traceback(shards, prepare, expected):
    prepare()
    result = run_adlint(shards, "merge", "good.json", "d")
    assert result.returncode == 2
    assert result.stderr.startswith(expected) and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr and result.stdout == ""


TOO_LARGE = (
    f"is larger than {MAX_NAMED_FILE_BYTES // 2**20} MiB: not an adlint JSON or SARIF report"
)


def test_an_input_over_the_size_cap_is_refused_unread(shards):
    """A sparse file one byte over the cap (made at once, no disk used): refused before a
    byte is read, so a process with less memory than the cap gives the error too."""
    with Path("huge.json").open("wb") as handle:
        handle.truncate(MAX_NAMED_FILE_BYTES + 1)
    result = run_adlint(shards, "merge", "good.json", "huge.json", memory_mb=400)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == f"adlint: error: huge.json: {TOO_LARGE}\n"


def test_an_endless_input_is_refused_at_the_cap(shards, capsys):
    """/dev/zero has no size to check first: it is read up to the cap, and no further."""
    code, err = merge(capsys, "good.json", "/dev/zero")
    assert (code, err) == (2, f"adlint: error: /dev/zero: {TOO_LARGE}\n")


def test_the_cap_is_exact_for_files_pipes_and_devices(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    limit = 3 * 2**20 + 7  # past a read's chunk, and no whole number of MiB
    exact, over = Path("exact"), Path("over")
    exact.write_bytes(b"x" * limit)
    over.write_bytes(b"x" * (limit + 1))
    assert read_named_file(exact, "a report", limit=limit) == b"x" * limit
    with pytest.raises(PolicyError, match=f"^over: is larger than {limit:,} bytes: not a report$"):
        read_named_file(over, "a report", limit=limit)
    with pytest.raises(PolicyError, match=f"is larger than {limit:,} bytes"):
        read_named_file(Path("/dev/zero"), "a report", limit=limit)
    reader, writer = os.pipe()  # `adlint merge <(cat shard.json)` reads a pipe
    with os.fdopen(writer, "wb") as stream:
        stream.write(b'{"findings": []}')
    try:
        assert read_named_file(Path(f"/dev/fd/{reader}"), "a report") == b'{"findings": []}'
    finally:
        os.close(reader)
