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
    cpu_seconds: int | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    """adlint run in `cwd` from this checkout. Output is text, or bytes when `stdin` is
    given (bytes in, bytes out); `memory_mb` caps the address space and `cpu_seconds` the
    CPU time of each process (a worker over it is killed by SIGXCPU, with no core dump).
    Both limits are inherited by worker processes. The timeout only detects a hang: tests
    never assert on time."""
    limited = memory_mb is not None or cpu_seconds is not None

    def limit() -> None:
        import resource

        if memory_mb is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 1024 * 1024,) * 2)
        if cpu_seconds is not None:
            resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return subprocess.run(
        [sys.executable, "-m", "adlint", *argv],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=stdin is None,
        timeout=timeout,
        preexec_fn=limit if limited else None,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
