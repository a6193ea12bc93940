"""Every test gets its own empty cache directory, so no test reads or fills the user's cache
and no test depends on another's leftovers (`ADLINT_CACHE_DIR` is inherited by the
subprocesses tests start). Bugs in adlint raise (`ADLINT_DEBUG=1`) rather than becoming
findings, so that they fail tests instead of hiding in output."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _own_cache_and_debug(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    directory = tmp_path_factory.mktemp("adlint-cache")
    monkeypatch.setenv("ADLINT_CACHE_DIR", str(directory))
    monkeypatch.setenv("ADLINT_DEBUG", "1")
    return directory
