"""Output read by the Actions runner as a job log cannot carry workflow commands.

`--format github` is covered by test_github.py; these are the other formats when they land
in the log: text (a file name at the start of a line) and the legacy `##[command]` syntax,
which the runner honours anywhere in a line.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from adlint.cli import main

FORGED = "::error file=x,line=1::forged.md"
LEGACY = "https://www.amazon.com/dp/B01?tag=me-20#x##[error]legacy-20"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / FORGED).write_text(f"[deal]({LEGACY})\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return tmp_path


@pytest.mark.parametrize("fmt", ["text", "parsable"])
def test_text_formats_in_the_job_log_pause_workflow_commands(
    site: Path, capsys, monkeypatch, fmt: str
) -> None:
    """Both start lines with the file's path: text its heading, parsable every finding."""
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert main(["check", "--format", fmt, "--no-config", FORGED]) == 1
    lines = capsys.readouterr().out.splitlines()
    start = re.fullmatch(r"::stop-commands::([0-9a-f]{32})", lines[0])
    assert start is not None, lines[0]
    assert lines[-1] == f"::{start.group(1)}::"
    body = lines[1:-1]
    # the hostile name is printed, but only while commands are off
    assert any(line.startswith(FORGED) for line in body)
    assert not any(line.startswith("::") for line in body if not line.startswith(FORGED))
    assert all("##[" not in line for line in lines)


def test_text_outside_actions_is_not_wrapped(site: Path, capsys, monkeypatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    main(["check", "--format", "text", "--no-config", FORGED])
    out = capsys.readouterr().out
    assert "stop-commands" not in out and out.startswith(FORGED)


def test_text_written_to_a_file_is_not_wrapped(site: Path, monkeypatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    main(["check", "--format", "text", "--no-config", FORGED, "-o", "out.txt"])
    assert (site / "out.txt").read_text().startswith(FORGED)


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_json_formats_hide_legacy_commands_but_keep_the_value(site: Path, capsys, fmt) -> None:
    main(["check", "--format", fmt, "--no-config", FORGED])
    out = capsys.readouterr().out
    assert "##[" not in out
    assert "#\\u0023[error]legacy-20" in out
    assert "##[error]legacy-20" in json.dumps(json.loads(out), ensure_ascii=False)
