"""The parsed-YAML memo: a warm run builds its policy without PyYAML, from documents equal
to freshly parsed ones (lines and shared nodes included), and anything odd on disk is a
miss, never a different policy. Real files and the CLI as users run it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from adlint.cli import main
from adlint.policy import builtin_dir
from adlint.yamlfile import LineDict, _parse
from adlint.yamlmemo import MISSING, YamlMemo, decode, encode

DIRTY = "Pick [deal](https://www.amazon.com/dp/B0X?tag=someone-20)\n"
CONFIG = """\
extends: [adlint:default]
rules:
  affiliate-link:
    message: "memo-test {network}"
"""


def same_tree(first: Any, second: Any) -> bool:
    """Equal values, types, mapping lines and key lines all the way down."""
    if type(first) is not type(second):
        return False
    if isinstance(first, LineDict):
        return (
            first.line == second.line
            and first.key_lines == second.key_lines
            and list(first) == list(second)
            and all(same_tree(first[key], second[key]) for key in first)
        )
    if isinstance(first, list):
        return len(first) == len(second) and all(map(same_tree, first, second))
    return bool(first == second)


@pytest.mark.parametrize("name", ["default.yaml", "networks.yaml"])
def test_shipped_policies_round_trip_exactly(name: str) -> None:
    parsed = _parse((builtin_dir() / name).read_text(encoding="utf-8"))
    stored = json.loads(json.dumps(encode(parsed)))
    assert same_tree(decode(stored), parsed)


def test_nodes_shared_by_aliases_stay_shared() -> None:
    text = "base: &b {keys: [x]}\nfirst: *b\nsecond: *b\n"
    parsed = _parse(text)
    restored = decode(json.loads(json.dumps(encode(parsed))))
    assert same_tree(restored, parsed)
    assert restored["first"] is restored["second"] is restored["base"]
    assert (restored.line_of("second"), restored["base"].line_of("keys")) == (3, 1)


def test_numeric_keys_stay_numbers() -> None:
    parsed = _parse("7: one\n2.5: two\ntrue: three\n")
    assert list(decode(json.loads(json.dumps(encode(parsed))))) == [7, 2.5, True]


def test_documents_json_cannot_hold_are_not_stored(tmp_path: Path) -> None:
    memo = YamlMemo(tmp_path)
    text = "published: 2026-11-23\n"
    memo.put(text, _parse(text))  # a datetime.date
    memo.flush()
    assert memo.get(text) is MISSING
    assert not (tmp_path / "yaml-v1").exists()


def test_stored_alias_bomb_is_a_miss(tmp_path: Path) -> None:
    memo = YamlMemo(tmp_path)
    text = "a: 1\n"
    memo.put(text, _parse(text))
    memo.flush()
    [entry] = (tmp_path / "yaml-v1").iterdir()
    level = {"a": 0, "s": ["x"] * 9}
    bomb: list[Any] = [level]
    for depth in range(1, 9):  # nine levels of nine references: 9**9 nodes once expanded
        bomb.append({"a": depth, "s": [{"r": depth - 1}] * 9})
    entry.write_text(json.dumps({"l": 1, "k": [["a", 1, {"s": bomb}]]}))
    assert memo.get(text) is MISSING


@pytest.mark.parametrize(
    "stored",
    ['{"l": 1, "k": [["a", 1]]}', '{"l": "1", "k": []}', '{"r": 0}', "[{}]", "not json"],
)
def test_stored_values_of_the_wrong_shape_are_a_miss(tmp_path: Path, stored: str) -> None:
    memo = YamlMemo(tmp_path)
    memo.put("a: 1\n", _parse("a: 1\n"))
    memo.flush()
    [entry] = (tmp_path / "yaml-v1").iterdir()
    entry.write_text(stored)
    assert memo.get("a: 1\n") is MISSING


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ADLINT_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "a.md").write_text(DIRTY, encoding="utf-8")
    (tmp_path / ".adlint.yaml").write_text(CONFIG, encoding="utf-8")
    return tmp_path


def messages(capsys: pytest.CaptureFixture[str], *argv: str) -> set[str]:
    code = main(["check", "-j", "1", "--format", "json", "a.md", *argv])
    captured = capsys.readouterr()
    assert code == 1, captured.err
    return {f["message"] for f in json.loads(captured.out)["findings"]}


def test_warm_run_builds_its_policy_from_the_memo(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "memo-test Amazon Associates" in messages(capsys, "--no-cache")
    messages(capsys)  # fills the memo
    entry = YamlMemo(site / "cache")._path_of(CONFIG)
    entry.write_text(entry.read_text().replace("memo-test", "from-the-memo"))
    (site / "cache" / "results-v1.sqlite").unlink()  # findings come from linting again
    assert "from-the-memo Amazon Associates" in messages(capsys)
    assert "memo-test Amazon Associates" in messages(capsys, "--no-cache")


def test_edited_config_is_parsed_again(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    messages(capsys)
    (site / ".adlint.yaml").write_text(CONFIG.replace("memo-test", "edited"), encoding="utf-8")
    assert "edited Amazon Associates" in messages(capsys)


def test_bad_yaml_is_reported_on_every_run(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / ".adlint.yaml").write_text("rules:\n  x: [unclosed\n", encoding="utf-8")
    for _ in range(2):
        assert main(["check", "a.md"]) == 2
        assert ".adlint.yaml:3" in capsys.readouterr().err


def test_warm_run_does_not_load_pyyaml(site: Path) -> None:
    probe = (
        "import sys; from adlint.cli import main;"
        " code = main(['check', '-j', '1', 'a.md', '--output', 'out.txt']);"
        " print(code, 'yaml' in sys.modules)"
    )
    runs = [
        subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
        for _ in range(2)
    ]
    assert [run.stdout.split() for run in runs] == [["1", "True"], ["1", "False"]]
