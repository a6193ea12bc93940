"""Output formats: each module is a Writer that streams one run, file by file, to a stream.

Why streaming: a site of 100,000 articles yields millions of findings. Every format is
written incrementally from per-file Outcomes (text, JSON and annotations as they come) or
from bounded state (SARIF keeps at most GitHub's 25,000 results; the step summary keeps
counters and the worst files), so `adlint check` runs in flat memory. Writers only write
to the stream they are given; opening files and exit codes belong to the command.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING, Protocol, TextIO

from adlint import __version__
from adlint.finding import Severity

if TYPE_CHECKING:
    from adlint.outcome import Outcome
    from adlint.policy import Rule


@dataclass(frozen=True)
class RunInfo:
    """What a writer knows before the first file: the rules in effect and the options."""

    rules: Sequence[Rule]
    fail_on: Severity = Severity.ERROR
    color: bool = False
    version: str = __version__
    policy_files: tuple[str, ...] = ()


_VALUES = {severity: severity.value for severity in Severity}


def printable(text: str) -> str:
    """Article text (messages hold URLs, paths are file names) made safe to show in a
    terminal or an Actions log: every character that is not printable (C0 and C1 controls
    such as ESC and CSI, bidi overrides, line and paragraph separators) becomes U+FFFD, so
    none can move the cursor, recolour the log or reorder what is read; and `##[` becomes
    `# #[`, which the runner's legacy `##[command]` parser, honoured anywhere in a line,
    does not see. Used by the text and github formats, so both show the same text."""
    if not text.isprintable():  # rare: check the whole string in C before going by character
        text = "".join(c if c.isprintable() else "\ufffd" for c in text)
    return text.replace("##[", "# #[") if "##[" in text else text


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """`1 file`, `0 files`, `2 errors`: the count and its noun in the number English wants
    (`plural` for a noun that does not just take an s)."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


@dataclass
class Tally:
    """Running totals: everything a summary needs, in memory independent of the run's size."""

    worst_files: int = 0
    """How many of the worst files (most active errors and warnings) to remember."""
    files: int = 0
    suppressed: int = 0
    by_rule_severity: Counter[tuple[str, str]] = field(default_factory=Counter)
    """Active findings per (rule, severity value)."""
    _worst: list[tuple[int, int, str]] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        # The parent runs this for every file of every output while the workers lint, so
        # it is one pass and a C-level Counter.update (Enum.value is a slow descriptor).
        self.files += outcome.targets
        active = [(f.rule, _VALUES[f.severity]) for f in outcome.findings if f.suppressed is None]
        self.suppressed += len(outcome.findings) - len(active)
        self.by_rule_severity.update(active)
        serious = sum(severity != "info" for _, severity in active)
        if serious and self.worst_files:
            # Min-heap on (count, -order): ties keep the earlier file, as Counter.most_common.
            entry = (serious, -self.files, outcome.path)
            if len(self._worst) < self.worst_files:
                heapq.heappush(self._worst, entry)
            elif entry > self._worst[0]:
                heapq.heapreplace(self._worst, entry)

    @property
    def by_severity(self) -> Counter[str]:
        """Active findings per severity value."""
        return self._total_by(1)

    @property
    def by_rule(self) -> Counter[str]:
        """Active findings per rule."""
        return self._total_by(0)

    def _total_by(self, part: int) -> Counter[str]:
        counts: Counter[str] = Counter()
        for pair, count in self.by_rule_severity.items():
            counts[pair[part]] += count
        return counts

    @property
    def active(self) -> int:
        return self.by_rule_severity.total()

    def failing(self, threshold: Severity) -> bool:
        """Whether an active finding is at or above `threshold` (the exit code's question)."""
        return any(self.by_severity[s.value] for s in Severity if s >= threshold)

    def worst(self) -> list[tuple[str, int]]:
        """(path, errors and warnings) of the worst files, worst first."""
        ranked = sorted(self._worst, reverse=True)
        return [(path, count) for count, _, path in ranked]


class Writer(Protocol):
    """One output of a run: `begin` once, `file` per linted file in path order, `end` once."""

    def begin(self, info: RunInfo) -> None: ...

    def file(self, outcome: Outcome) -> None: ...

    def end(self) -> None: ...


WriterFactory = Callable[[TextIO], Writer]


FORMATS: dict[str, str] = {
    "text": "TextWriter",
    "parsable": "ParsableWriter",
    "json": "JsonWriter",
    "sarif": "SarifWriter",
    "github": "GithubWriter",
    "statistics": "StatisticsWriter",
}
"""Format name -> its writer class, in the module of the same name in adlint/formats/."""


def writer_for(name: str) -> WriterFactory:
    """The writer class of format `name`, importing only its module: most runs use one
    format, and the others (SARIF's tables, say) are start-up time for nothing."""
    factory: WriterFactory = getattr(import_module(f"adlint.formats.{name}"), FORMATS[name])
    return factory
