"""An installed adlint (a wheel in a fresh venv, run from elsewhere) finds its built-in policy.

Offline by design: the wheel is built without build isolation (hatchling is a test extra),
and the fresh venv reaches the already-installed dependencies through a .pth file instead
of downloading them, so the test never touches the network.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_RULES = (
    "affiliate-link",
    "affiliate-rel-missing",
    "affiliate-disclosure-missing",
    "affiliate-id-unknown",
    "ad-unit",
    "ad-density",
    "ad-client-unknown",
    "tracking-pixel",
    "parse-error",
)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv with only the built wheel of adlint installed; returns its bin directory."""
    pytest.importorskip("hatchling", reason="the test extra provides hatchling for offline builds")
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(work / "dist"),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = (work / "dist").glob("adlint-*.whl")
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # Dependencies come from the test environment, appended after the venv's own packages.
    Path(purelib, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    return env_dir / "bin"


def test_installed_adlint_runs_from_another_directory_with_its_builtin_policy(
    installed: Path, tmp_path: Path
):
    article = tmp_path / "post.md"
    article.write_text("Deal: [kettle](https://www.amazon.com/dp/B0K?tag=someone-20)\n")
    result = subprocess.run(
        [str(installed / "adlint"), "check", "--format", "json", "post.md"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1, result.stderr
    assert '"rule": "affiliate-disclosure-missing"' in result.stdout
    location = subprocess.run(
        [str(installed / "python"), "-c", "import adlint; print(adlint.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(installed.parent) in location  # the wheel, not the checkout


def test_installed_adlint_lists_the_default_rules(installed: Path, tmp_path: Path):
    result = subprocess.run(
        [str(installed / "adlint"), "rules"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert all(rule in result.stdout for rule in DEFAULT_RULES)
    assert "policy: adlint:default" in result.stdout
