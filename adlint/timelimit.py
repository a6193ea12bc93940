"""A CPU-time limit per file, so that one article no parser was ready for cannot stall a run.

The parsers are linear and every user regex has a timeout, yet a run over a stranger's
archive should not depend on there being no other way to spend hours on one file: in CI a
stalled run is a job killed hours later with nothing reported. As Semgrep's `--timeout`,
a file that takes longer is given up and reported (a `parse-error`), and the run goes on.

The limit is CPU time (`ITIMER_PROF`), not wall time, so a busy machine does not make files
time out; a 60 MB realistic article takes ~11 s. The timer interrupts Python code between
bytecodes, the same in a worker and in `-j1`. Where there is no interval timer (Windows) or
the lint runs off the main thread (signals are delivered there only), there is no limit.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType

DEFAULT_SECONDS = 120.0
"""Ten times the slowest realistic article we know of; 0 switches the limit off."""


class TimeLimitExceeded(BaseException):
    """Raised in the file's lint when its time is up. A BaseException, as KeyboardInterrupt
    is: the `except Exception` that keeps one failing rule from losing the others must not
    catch it, since the whole file is given up."""


_armed = False
"""Whether a limit is running: a SIGPROF arriving just after one ended is ignored."""
_installed = False


def _expire(signum: int, frame: FrameType | None) -> None:
    if _armed:
        raise TimeLimitExceeded


class cpu_time_limit:  # noqa: N801 - used as a context manager, like a function
    """Raise TimeLimitExceeded inside the `with` block once it has used `seconds` of CPU time
    (None or 0: no limit).

    The handler is installed at the first limit and then stays, idle between limits:
    installing and restoring it around every file cost 8 µs of the 18 µs a file's limit
    took, and a worker linting thousands of files has no other use for SIGPROF.
    """

    __slots__ = ("seconds",)

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds if seconds and _can_limit() else None

    def __enter__(self) -> None:
        global _armed, _installed
        if self.seconds is None:
            return
        if not _installed:
            signal.signal(signal.SIGPROF, _expire)
            _installed = True
        _armed = True
        # It fires again every tenth of the limit: Python swallows an exception raised
        # while a finaliser runs (a generator closed by the collector, a __del__), so one
        # signal landing there would let the file run on unlimited.
        signal.setitimer(signal.ITIMER_PROF, self.seconds, max(0.05, self.seconds / 10))

    def __exit__(self, *exc: object) -> None:
        global _armed
        if self.seconds is not None:
            _armed = False
            signal.setitimer(signal.ITIMER_PROF, 0)


def _can_limit() -> bool:
    """Interval timers exist (not on Windows) and signals reach this thread."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
