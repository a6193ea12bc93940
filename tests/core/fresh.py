"""Run adlint as users do, in a fresh `python -m adlint` process (shared by the tests that
need a process of its own: standard input, hangs, memory limits, crashes)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_adlint(
    cwd: Path,
    *argv: str,
    stdin: bytes | None = None,
    memory_mb: int | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    """adlint run in `cwd` from this checkout. Output is text, or bytes when `stdin` is
    given (bytes in, bytes out); `memory_mb` caps the address space. The timeout only
    detects a hang: tests never assert on time."""

    def limit_memory() -> None:
        if memory_mb is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 1024 * 1024,) * 2)

    return subprocess.run(
        [sys.executable, "-m", "adlint", *argv],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=stdin is None,
        timeout=timeout,
        preexec_fn=limit_memory if memory_mb is not None else None,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
