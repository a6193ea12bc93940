"""A one-line progress bar on stderr for interactive runs; silent otherwise.

CI logs are not terminals, and a carriage-return bar there becomes thousands of lines, so
the default is decided by `isatty()` on the stream.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from adlint.links.options import FAILED, LinkStatus


class Progress:
    """`links: 120/1000 checked, 3 failed`, redrawn in place at most ten times a second."""

    def __init__(
        self,
        total: int,
        *,
        enabled: bool | None = None,
        stream: TextIO | None = None,
        interval: float = 0.1,
    ) -> None:
        self.stream = sys.stderr if stream is None else stream
        self.enabled = _is_tty(self.stream) if enabled is None else enabled
        self.total = total
        self.done = 0
        self.failed = 0
        self.interval = interval
        self._drawn_at = 0.0
        self._width = 0

    def advance(self, status: LinkStatus) -> None:
        """Count one finished URL and redraw when enough time has passed."""
        self.done += 1
        self.failed += status.verdict in FAILED
        now = time.monotonic()
        if now - self._drawn_at >= self.interval or self.done == self.total:
            self._drawn_at = now
            self._draw()

    def close(self) -> None:
        """Leave the final count on its own line."""
        if self.enabled and self.total:
            self._draw()
            self.stream.write("\n")
            self.stream.flush()

    def _draw(self) -> None:
        if not self.enabled:
            return
        text = f"links: {self.done}/{self.total} checked, {self.failed} failed"
        self.stream.write("\r" + text.ljust(self._width))
        self.stream.flush()
        self._width = len(text)


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
