"""Run the shell of action.yml's `run:` steps as GitHub Actions would, in a simulated runner.

`${{ inputs.* }}` and `${{ steps.*.outputs.* }}` only ever appear in `env:` (checked below),
so the test resolves them there, exports GITHUB_* files, and runs each script with
`bash -e` like the runner. ADLINT_BIN points at this checkout instead of a fresh install.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
EXPRESSION = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")


def test_inputs_never_reach_a_run_script_directly():
    for step in ACTION["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step.get("name")


def resolve(value: str, inputs: dict[str, str], outputs: dict[str, str]) -> str:
    def lookup(match: re.Match[str]) -> str:
        expression = match.group(1)
        if expression.startswith("inputs."):
            return inputs[expression.removeprefix("inputs.")]
        if expression.startswith("steps.") and ".outputs." in expression:
            return outputs.get(expression.rsplit(".", 1)[1], "")
        return ""

    return EXPRESSION.sub(lookup, str(value))


@pytest.fixture
def runner(tmp_path: Path) -> dict[str, Path]:
    workspace = tmp_path / "repo"
    workspace.mkdir()
    (workspace / "post.md").write_text("[deal](https://www.amazon.com/dp/B0X?tag=someone-20)\n")
    wrapper = tmp_path / "adlint"
    wrapper.write_text(f'#!/bin/sh\nPYTHONPATH="{ROOT}" exec "{sys.executable}" -m adlint "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    files = {name: tmp_path / name for name in ("summary.md", "output.txt", "env.txt")}
    for path in files.values():
        path.write_text("")
    return {"workspace": workspace, "adlint": wrapper, **files}


def run_action(runner: dict[str, Path], **overrides: str) -> tuple[list[int], str]:
    inputs = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    inputs.update(overrides)
    outputs: dict[str, str] = {}
    codes, stdout = [], ""
    for step in ACTION["runs"]["steps"]:
        if "run" not in step:
            continue  # `uses:` steps (setup-python, upload-sarif) are GitHub's, not ours
        env = {
            **os.environ,
            "GITHUB_ACTIONS": "true",
            "ADLINT_BIN": str(runner["adlint"]),
            "GITHUB_STEP_SUMMARY": str(runner["summary.md"]),
            "GITHUB_OUTPUT": str(runner["output.txt"]),
            "GITHUB_ENV": str(runner["env.txt"]),
            "GITHUB_ACTION_PATH": str(ROOT),
            "RUNNER_TEMP": str(runner["workspace"].parent),
        }
        env.update({k: resolve(v, inputs, outputs) for k, v in step.get("env", {}).items()})
        result = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=runner["workspace"],
            env=env,
            capture_output=True,
            text=True,
        )
        codes.append(result.returncode)
        stdout += result.stdout
        for line in runner["output.txt"].read_text().splitlines():
            key, _, value = line.partition("=")
            outputs[key] = value
    return codes, stdout


def test_action_annotates_writes_summary_and_sarif_then_fails_last(runner):
    codes, stdout = run_action(runner)
    assert codes == [0, 0, 1]  # install skipped, lint step passes, the final step fails
    assert "::error file=post.md,line=1,endLine=1,col=8," in stdout
    assert "affiliate-disclosure-missing" in runner["summary.md"].read_text()
    sarif = json.loads((runner["workspace"] / "adlint.sarif").read_text())
    assert sarif["runs"][0]["results"]
    assert "exit-code=1" in runner["output.txt"].read_text()


def test_action_passes_when_fail_on_is_not_reached(runner):
    (runner["workspace"] / "post.md").write_text("Plain prose.\n")
    codes, _ = run_action(runner, **{"fail-on": "info"})
    assert codes == [0, 0, 0]


def test_hostile_inputs_stay_data(runner):
    marker = runner["workspace"] / "pwned"
    codes, _ = run_action(runner, paths=f"post.md; touch {marker}", args="$(touch pwned)")
    assert not marker.exists() and not (runner["workspace"] / "pwned").exists()
    assert codes[1] in (0, 2)  # adlint sees odd arguments, but nothing runs
