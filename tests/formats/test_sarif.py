"""SARIF output: schema-valid, GitHub-ready, UTF-16 columns, stable fingerprints."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from adlint.cli import main

SCHEMA_PATH = Path(__file__).resolve().parents[3] / "shared" / "schemas" / "sarif-schema-2.1.0.json"
ARTICLE = (
    "We earn a commission from links on this page.\n\n"
    "<!-- adlint-disable-next-line tracking-pixel -- disclosed in the privacy notice -->\n"
    '<img src="https://imp.pxf.io/i/1/2/3" width="0" height="0">\n\n'
    "Emoji first 😀 then [deal](https://www.amazon.com/dp/B0X?tag=someone-20)\n"
)


@pytest.fixture
def sarif(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> dict:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "best deals.md").write_text(ARTICLE, encoding="utf-8")
    main(["check", "--format", "sarif", "posts"])
    return json.loads(capsys.readouterr().out)


def test_sarif_validates_against_the_2_1_0_schema(sarif: dict):
    if not SCHEMA_PATH.is_file():
        pytest.skip(f"SARIF schema not found at {SCHEMA_PATH}")
    jsonschema.validate(sarif, json.loads(SCHEMA_PATH.read_text()))


def test_driver_describes_every_rule_in_effect(sarif: dict):
    driver = sarif["runs"][0]["tool"]["driver"]
    assert driver["name"] == "adlint" and driver["version"] and driver["informationUri"]
    ids = [rule["id"] for rule in driver["rules"]]
    assert {"affiliate-link", "broken-link", "parse-error", "tracking-pixel"} <= set(ids)
    pixel = driver["rules"][ids.index("tracking-pixel")]
    assert pixel["name"] == "TrackingPixel"
    assert pixel["defaultConfiguration"]["level"] == "warning"
    assert pixel["help"]["text"] and pixel["help"]["markdown"]
    assert pixel["properties"]["precision"] and "tracking" in pixel["properties"]["tags"]


def test_result_has_one_relative_location_and_its_rule_index(sarif: dict):
    run = sarif["runs"][0]
    ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    for result in run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]
        [location] = result["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        assert artifact == {"uri": "posts/best%20deals.md", "uriBaseId": "%SRCROOT%"}
    assert run["automationDetails"]["id"] == "adlint/"
    assert run["columnKind"] == "utf16CodeUnits"


def test_columns_are_utf16_code_units_after_an_emoji(sarif: dict):
    [link] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "affiliate-link"]
    region = link["locations"][0]["physicalLocation"]["region"]
    # "Emoji first 😀 then [deal](" is 26 code points but 27 UTF-16 units (😀 is a pair).
    assert (region["startLine"], region["startColumn"]) == (6, 28)
    assert region["endColumn"] == 28 + len("https://www.amazon.com/dp/B0X?tag=someone-20")


def test_suppressed_finding_carries_a_suppression(sarif: dict):
    [pixel] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "tracking-pixel"]
    assert pixel["suppressions"] == [
        {"kind": "inSource", "justification": "disclosed in the privacy notice"}
    ]
    assert pixel["level"] == "warning"


def test_fingerprint_survives_unrelated_lines_moving(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)

    def fingerprint_of(text: str) -> tuple[int, str]:
        (tmp_path / "a.md").write_text(text)
        main(["check", "--format", "sarif", "a.md"])
        run = json.loads(capsys.readouterr().out)["runs"][0]
        [r] = [r for r in run["results"] if r["ruleId"] == "affiliate-link"]
        line = r["locations"][0]["physicalLocation"]["region"]["startLine"]
        return line, r["partialFingerprints"]["adlint/v1"]

    before = fingerprint_of("[deal](https://amzn.to/3abc)\n")
    after = fingerprint_of("# New heading\n\nA new paragraph.\n\n[deal](https://amzn.to/3abc)\n")
    assert before[0] != after[0] and before[1] == after[1]
