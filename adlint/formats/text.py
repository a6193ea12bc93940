"""Human output: findings grouped per file, colour only on a terminal, a summary line.

Written as files are linted, so a long run shows its first files at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from adlint.finding import Finding, Severity
from adlint.formats import RunInfo, Tally, counted, printable

if TYPE_CHECKING:
    from adlint.outcome import Outcome

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


class TextWriter:
    """Per file: its path, then one line per active finding; the summary line at the end.

    `show_suppressed` (--show-suppressed) also lists suppressed findings, each marked
    `[suppressed: reason]`; they stay out of the counts, which always agree with the exit
    code, and the summary says how many were suppressed.
    """

    def __init__(self, stream: TextIO, *, show_suppressed: bool = False) -> None:
        self._stream = stream
        self._show_suppressed = show_suppressed
        self._tally = Tally()
        self._info = RunInfo(rules=())

    def begin(self, info: RunInfo) -> None:
        self._info = info

    def file(self, outcome: Outcome) -> None:
        self._tally.add(outcome)
        shown = [f for f in outcome.findings if self._show_suppressed or f.suppressed is None]
        if not shown:
            return
        color = self._info.color
        lines = [_paint(printable(outcome.path), "1;4", color)]
        lines += [_line(finding, color) for finding in shown]
        self._stream.write("\n".join(lines) + "\n\n")

    def end(self) -> None:
        self._stream.write(summary(self._tally, self._info.fail_on) + "\n")


def _line(finding: Finding, color: bool) -> str:
    position = f"{finding.line}:{finding.column}".ljust(9)
    severity = _paint(finding.severity.value.ljust(7), _COLORS[finding.severity], color)
    rule = _paint(finding.rule, "2", color)
    text = f"  {position} {severity}  {printable(finding.message)}  {rule}"
    if finding.suppressed is not None:  # the reason is the article's directive text
        text += "  " + _paint(f"[suppressed: {printable(finding.suppressed)}]", "2", color)
    return text


def summary(tally: Tally, fail_on: Severity) -> str:
    """One line: counts by severity, files, suppressed, and whether the run fails."""
    counts = tally.by_severity
    parts = [
        counted(counts["error"], "error"),
        counted(counts["warning"], "warning"),
        f"{counts['info']} info",
    ]
    text = f"{', '.join(parts)} in {counted(tally.files, 'file')}"
    if tally.suppressed:
        text += f" ({tally.suppressed} suppressed)"
    verdict = f"fails at --fail-on {fail_on.value}" if tally.failing(fail_on) else "passes"
    return f"{text}; {verdict}."
