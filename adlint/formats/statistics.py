"""Counts per rule instead of one line per finding (`--statistics`, as in ruff).

Why: on a site of thousands of articles the text output runs to tens of thousands of lines,
and the first question is which rules fire and how widely. The table answers it in a dozen
lines: active findings and files per rule, most frequent first. Counters only, so memory
does not grow with the run.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, TextIO

from adlint.formats import RunInfo, Tally, printable
from adlint.formats.text import summary

if TYPE_CHECKING:
    from adlint.outcome import Outcome

HEADERS = ("findings", "files", "severity", "rule", "fixable")


class StatisticsWriter:
    """One row per (rule, severity) with active findings, then the summary line."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._tally = Tally()
        self._files: Counter[tuple[str, str]] = Counter()
        self._info = RunInfo(rules=())

    def begin(self, info: RunInfo) -> None:
        self._info = info

    def file(self, outcome: Outcome) -> None:
        self._tally.add(outcome)
        rules = {(f.rule, f.severity.value) for f in outcome.findings if f.suppressed is None}
        self._files.update(dict.fromkeys(rules, outcome.targets))

    def end(self) -> None:
        fixable = {rule.id for rule in self._info.rules if rule.fix}
        counts = self._tally.by_rule_severity
        rows = [
            (str(count), str(self._files[key]), key[1], printable(key[0]))
            + ("yes" if key[0] in fixable else "",)
            for key, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        ]
        if rows:
            self._stream.write(_table(rows) + "\n")
        self._stream.write(summary(self._tally, self._info.fail_on) + "\n")


def _table(rows: list[tuple[str, ...]]) -> str:
    """Aligned columns; the counts right-aligned, the last column left without padding."""
    widths = [max(len(row[i]) for row in [HEADERS, *rows]) for i in range(len(HEADERS))]

    def line(row: tuple[str, ...]) -> str:
        cells = [
            cell.rjust(width) if index < 2 else cell.ljust(width)
            for index, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    return "\n".join(line(row) for row in [HEADERS, *rows])
