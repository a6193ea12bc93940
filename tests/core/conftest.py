"""Fixtures shared by tests/core (a module's own fixture of the same name wins)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.configsite import DIRTY


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site of one affiliate article, `a.md`, as the working directory."""
    (tmp_path / "a.md").write_text(DIRTY)
    monkeypatch.chdir(tmp_path)
    return tmp_path
