"""The result vocabulary: what kinds yield (Hit) and what every formatter consumes (Finding)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class Severity(enum.Enum):
    """How bad a finding is; ordered so `>=` compares against `--fail-on`."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def __ge__(self, other: Severity) -> bool:  # type: ignore[override]
        return self.rank >= other.rank

    def __gt__(self, other: Severity) -> bool:  # type: ignore[override]
        return self.rank > other.rank

    def __le__(self, other: Severity) -> bool:  # type: ignore[override]
        return self.rank <= other.rank

    def __lt__(self, other: Severity) -> bool:  # type: ignore[override]
        return self.rank < other.rank


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True)
class Hit:
    """What a kind reports: a source range (offsets into Document.text) and message data."""

    start: int
    end: int
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Measure:
    """What a measuring kind (`density`) found in a document as a whole, flagged or not.

    Why beside Hit: a finding exists only where a limit is passed, but the compliance
    report bins every file, and must bin it by the rule's own count (main-content words,
    units outside navigation) or a file the rule passed would sit over the limit.
    """

    units: int
    words: int
    measured: bool = True
    """False when the document is too short for the rule to measure it (`min_words`)."""
    height_share: float | None = None
    """The units' share of the estimated page height (0..1), when the rule estimates it."""


@dataclass(frozen=True)
class Finding:
    """One rule violation at one place in one file. Positions are 1-based; end is exclusive."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    severity: Severity
    message: str
    data: Mapping[str, Any] = field(default_factory=dict)
    snippet: str = ""
    """The exact source text of the range (first 200 characters), for reports and fingerprints."""
    suppressed: str | None = None
    """None when active; otherwise why it is suppressed (directive justification or config)."""

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order by path, position, rule: the order every output uses."""
        return (self.path, self.line, self.column, self.rule)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON shape documented in DESIGN.md (plus `suppressed` when set)."""
        record: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.severity.value,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "message": self.message,
            "data": dict(self.data),
        }
        if self.snippet:
            record["snippet"] = self.snippet
        if self.suppressed is not None:
            record["suppressed"] = self.suppressed
        return record
