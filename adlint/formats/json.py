"""Machine output: the documented JSON shape, sorted, stable across runs.

    {"version": "0.1.0",
     "findings": [{"rule", "severity", "path", "line", "column", "end_line",
                   "end_column", "message", "data": {...}, "snippet", "suppressed"?}],
     "summary": {"files": N, "findings": N, "suppressed": N,
                 "by_severity": {...}, "by_rule": {...}}}

Suppressed findings are included with their `suppressed` reason so dashboards and the
compliance report see them; `summary` counts only active ones.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from adlint.formats import RunInfo, Tally

if TYPE_CHECKING:
    from adlint.outcome import Outcome


class JsonWriter:
    """Write the document as findings arrive; only the summary waits for the end.

    One finding per line: readable, diffable, and the C encoder does the work (indent=2
    falls back to the pure-Python encoder, the slowest part of a large run).
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._tally = Tally()
        self._started = False

    def begin(self, info: RunInfo) -> None:
        self._stream.write(_head(info.version))

    def file(self, outcome: Outcome) -> None:
        self._tally.add(outcome)
        if not outcome.findings:
            return
        self._stream.write(_findings([f.to_dict() for f in outcome.findings], self._started))
        self._started = True

    def end(self) -> None:
        self._stream.write(_tail(summary_of(self._tally), self._started))


def summary_of(tally: Tally) -> dict[str, object]:
    """The document's `summary` from a run's totals."""
    return {
        "files": tally.files,
        "findings": tally.active,
        "suppressed": tally.suppressed,
        "by_severity": dict(sorted(tally.by_severity.items())),
        "by_rule": dict(sorted(tally.by_rule.items())),
    }


def render(version: str, findings: Sequence[dict[str, object]], summary: dict[str, object]) -> str:
    """The whole document from findings already serialised, byte for byte as JsonWriter
    streams it (`adlint merge` writes shards' findings back this way)."""
    body = _findings(findings, started=False) if findings else ""
    return _head(version) + body + _tail(summary, started=bool(findings))


def _head(version: str) -> str:
    return "{\n" + f'  "version": {_dump(version)},\n'


def _findings(records: Sequence[dict[str, object]], started: bool) -> str:
    """One finding per line, after those already written if `started`."""
    body = ",\n".join(f"    {_dump(record)}" for record in records)
    return (",\n" if started else '  "findings": [\n') + body


def _tail(summary: dict[str, object], started: bool) -> str:
    close = "\n  ],\n" if started else '  "findings": [],\n'
    return close + f'  "summary": {_dump(summary)}\n}}\n'


_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str)
"""One encoder for the run: `json.dumps` with options builds a new one per call."""


def _dump(value: object) -> str:
    return defuse_legacy_commands(_ENCODER.encode(value))


def defuse_legacy_commands(serialised: str) -> str:
    """Write `##[` inside JSON strings as `#\\u0023[`: the same value once parsed, but the
    Actions runner's legacy `##[command]` parser no longer sees it in a log."""
    return serialised.replace("##[", "#\\u0023[")
