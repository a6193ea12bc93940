"""The pre-commit hook runs `adlint check` with staged file names as arguments."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_hook_definition_targets_markdown_and_html():
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "adlint" and hook["language"] == "python"
    assert set(hook["types_or"]) == {"markdown", "html"}


def test_hook_entry_runs_with_file_names_like_pre_commit(tmp_path: Path):
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    good = tmp_path / "good.md"
    good.write_text("Plain prose.\n")
    bad = tmp_path / "bad.html"
    bad.write_text('<p><a href="https://www.amazon.com/dp/B0X?tag=x-20">deal</a></p>\n')
    entry = shlex.split(hook["entry"])
    assert entry[0] == "adlint"
    command = [sys.executable, "-m", "adlint", *entry[1:]]
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    passing = subprocess.run(
        [*command, "good.md"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    failing = subprocess.run(
        [*command, "good.md", "bad.html"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert passing.returncode == 0, passing.stderr
    assert failing.returncode == 1 and "bad.html" in failing.stdout
