"""A folder or file made unreadable for a test, the same way everywhere."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """`path` (a folder or a file) chmod 000 for the block and readable again after it.
    Skips the test where chmod does not deny (root, or CAP_DAC_OVERRIDE), as these machines
    often run as root."""
    folder = path.is_dir()
    mode = path.stat().st_mode & 0o7777
    path.chmod(0)
    try:
        try:
            if folder:
                os.listdir(path)
            else:
                path.open("rb").close()
        except PermissionError:
            pass
        else:
            pytest.skip(f"this user reads a chmod 000 {'folder' if folder else 'file'} (root)")
        yield
    finally:
        path.chmod(0o755 if folder else mode)
