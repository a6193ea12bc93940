"""Shared fixtures: run `adlint report` on the fixture site exactly as a user would.

The fixture site (fixtures/site/) has known counts, listed here once so every test agrees:
6 files; compliant: compliant.md, one-ad.md, plain.md, suppressed.md (its only finding is
suppressed); undisclosed.md has a foreign Amazon tag and no disclosure; ads.html stacks
three AdSense units (one client not in ads.txt) and hides a Facebook pixel.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from adlint.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
EPOCH = "1700000000"
"""SOURCE_DATE_EPOCH for every report test: 2023-11-14T22:13:20Z, so outputs are stable."""


def run_report(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str, *args: str
) -> tuple[int, str]:
    """Run `adlint report site ARGS -o tmp/NAME` from the fixtures directory."""
    monkeypatch.chdir(FIXTURES)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    output = tmp_path / name
    code = main(["report", "site", *args, "--output", str(output)])
    return code, output.read_text(encoding="utf-8") if output.exists() else ""


@pytest.fixture
def site_json(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, Any]:
    code, text = run_report(monkeypatch, tmp_path, "report.json")
    assert code == 0
    return json.loads(text)


@pytest.fixture
def site_html(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    code, text = run_report(monkeypatch, tmp_path, "report.html")
    assert code == 0
    return text
