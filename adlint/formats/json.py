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
        self._stream.write("{\n" + f'  "version": {_dump(info.version)},\n')

    def file(self, outcome: Outcome) -> None:
        self._tally.add(outcome)
        if not outcome.findings:
            return
        body = ",\n".join(f"    {_dump(f.to_dict())}" for f in outcome.findings)
        self._stream.write((",\n" if self._started else '  "findings": [\n') + body)
        self._started = True

    def end(self) -> None:
        tally = self._tally
        summary = {
            "files": tally.files,
            "findings": tally.active,
            "suppressed": tally.suppressed,
            "by_severity": dict(sorted(tally.by_severity.items())),
            "by_rule": dict(sorted(tally.by_rule.items())),
        }
        self._stream.write("\n  ],\n" if self._started else '  "findings": [],\n')
        self._stream.write(f'  "summary": {_dump(summary)}\n}}\n')


_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str)
"""One encoder for the run: `json.dumps` with options builds a new one per call."""


def _dump(value: object) -> str:
    return defuse_legacy_commands(_ENCODER.encode(value))


def defuse_legacy_commands(serialised: str) -> str:
    """Write `##[` inside JSON strings as `#\\u0023[`: the same value once parsed, but the
    Actions runner's legacy `##[command]` parser no longer sees it in a log."""
    return serialised.replace("##[", "#\\u0023[")
