"""A folder made unreadable for a test, the same way everywhere."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """`folder` chmod 000 for the block and readable again after it. Skips the test where
    chmod does not deny (root, or CAP_DAC_OVERRIDE), as these machines often run as root."""
    folder.chmod(0)
    try:
        try:
            os.listdir(folder)
        except PermissionError:
            pass
        else:
            pytest.skip("this user reads a chmod 000 folder (root)")
        yield
    finally:
        folder.chmod(0o755)
