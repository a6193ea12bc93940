"""Lint results remembered between runs, so an unchanged file is not parsed again.

ruff's habit: a run looks each file up by a key over everything that can change its
findings, and lints only the files it has not seen. The key is a digest of

- the settings: adlint's code, Python and the dependencies that shape findings
  (codedigest.py), every file the policy was built from (sourcelog.py) and the rules
  selected;
- the file: its reported path and its bytes (a content hash, not an mtime, so a cache
  restored on a fresh CI checkout still hits).

A second kind of entry remembers a file's link findings for one set of link verdicts (see
linkphase.py), so a warm `--check-links` run parses only files with local links (the disk,
not the checker, judges those).

Values are zlib-compressed JSON: a cache file is data, and reading it can never run code
(unlike pickle or marshal). Rows unused for 30 days are pruned. A cache that cannot be
opened, read or written is a warning, never a failure, and never a wrong answer.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
import warnings
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from adlint.codedigest import code_digest
from adlint.finding import Finding, Measure, Severity
from adlint.outcome import FileStats, Outcome
from adlint.record import frozen_record

FORMAT = 1
"""Bump when the stored shape changes."""
FILE_NAME = f"results-v{FORMAT}.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    key BLOB PRIMARY KEY, used INTEGER NOT NULL, value BLOB NOT NULL
) WITHOUT ROWID
"""
_KEEP_DAYS = 30
_CHUNK = 500  # below SQLite's historical 999 bound variables per statement


def settings_digest(policy_sources: str, rules: Iterable[str]) -> str:
    """The part of every key that is the same for all files of a run."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in (str(FORMAT), code_digest(), policy_sources, ",".join(sorted(rules))):
        hasher.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return hasher.hexdigest()


def file_key(settings: str, display: str, data: bytes) -> bytes:
    """The key of one file's lint result."""
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(settings.encode() + b"\0")
    hasher.update(display.encode("utf-8", "surrogateescape") + b"\0")
    hasher.update(data)
    return hasher.digest()


def links_key(key: bytes, verdicts: str) -> bytes:
    """The key of one file's link findings under one set of verdicts for its links."""
    return hashlib.blake2b(b"links\0" + key + verdicts.encode(), digest_size=16).digest()


class ResultCache:
    """An open cache file; use `open_results` to get one. Writes are batched."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection
        self._pending: list[tuple[bytes, int, bytes]] = []
        self._used: list[bytes] = []
        self._today = int(time.time() // 86_400)
        self._broken = False

    def lookup(self, keys: Sequence[bytes]) -> dict[bytes, Any]:
        """The stored values (decoded JSON) of those keys that have one."""
        found: dict[bytes, Any] = {}
        if self._broken or not keys:
            return found
        try:
            for start in range(0, len(keys), _CHUNK):
                chunk = keys[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT key, used, value FROM results WHERE key IN ({marks})", chunk
                )
                for key, used, value in rows:
                    found[key] = json.loads(zlib.decompress(value))
                    if used < self._today:
                        self._used.append(key)
        except (sqlite3.Error, zlib.error, ValueError) as exc:
            self._fail(f"result cache unreadable, linting every file: {exc}")
            return {}
        if len(self._used) >= _CHUNK:
            self.flush()
        return found

    def add(self, key: bytes, value: Any) -> None:
        """Remember a value (JSON-shaped); written at the next flush."""
        if self._broken:
            return
        try:
            text = json.dumps(value, separators=(",", ":"))
        except (TypeError, ValueError):
            return  # a kind put something that is not JSON in its data: lint it every time
        blob = zlib.compress(text.encode(), 1)
        self._pending.append((key, self._today, blob))
        if len(self._pending) >= _CHUNK:
            self.flush()

    def flush(self) -> None:
        if self._broken or not (self._pending or self._used):
            return
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO results VALUES (?,?,?)", self._pending)
                self._db.executemany(
                    "UPDATE results SET used = ? WHERE key = ?",
                    [(self._today, key) for key in self._used],
                )
        except sqlite3.Error as exc:
            self._fail(f"result cache not written: {exc}")
        self._pending.clear()
        self._used.clear()

    def close(self) -> None:
        """Write what is pending; once a day, prune rows unused for _KEEP_DAYS."""
        self.flush()
        try:
            if not self._broken:
                (pruned,) = self._db.execute("PRAGMA user_version").fetchone()
                if pruned < self._today:
                    with self._db:
                        self._db.execute(
                            "DELETE FROM results WHERE used < ?", (self._today - _KEEP_DAYS,)
                        )
                    self._db.execute(f"PRAGMA user_version = {self._today:d}")
        except sqlite3.Error as exc:
            self._fail(f"result cache not pruned: {exc}")
        self._db.close()

    def _fail(self, message: str) -> None:
        if not self._broken:
            warnings.warn(message, stacklevel=3)
        self._broken = True


def open_results(directory: Path) -> ResultCache | None:
    """Open (creating) the result cache in `directory`, or None (with a warning) if impossible."""
    path = directory / FILE_NAME
    try:
        directory.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path, timeout=10)
        connection.execute(_SCHEMA)
    except (OSError, sqlite3.Error) as exc:
        warnings.warn(f"result cache disabled ({path}): {exc}", stacklevel=2)
        return None
    return ResultCache(connection)


def encode_outcome(outcome: Outcome) -> Any:
    """An Outcome as JSON-shaped data (the path is part of the key, so it is not stored;
    tuples are written as JSON arrays)."""
    stats = outcome.stats
    return [
        encode_findings(outcome.findings),
        outcome.fingerprints,
        outcome.utf16,
        _encode_stats(stats) if stats is not None else None,
        outcome.web_links,
        outcome.local_links,
    ]


_DAMAGED = (TypeError, ValueError, KeyError, IndexError, AttributeError)
"""What decoding a value of the wrong shape raises."""


def stored_outcome(path: str, value: Any) -> Outcome | None:
    """decode_outcome, or None when the stored value does not have the shape it should (a
    damaged or hand-edited cache file): the file is then linted again."""
    try:
        return decode_outcome(path, value)
    except _DAMAGED:
        return None


def stored_findings(path: str, value: Any) -> tuple[list[Finding], Any] | None:
    """Link findings and their UTF-16 columns as stored by linkphase, or None if damaged."""
    try:
        rows, columns = value
        if columns is not None:
            columns = tuple((int(a), int(b)) for a, b in columns)
        return decode_findings(path, rows), columns
    except _DAMAGED:
        return None


def decode_outcome(path: str, value: Any) -> Outcome:
    """The inverse of encode_outcome for the file reported as `path`."""
    findings, prints, utf16, stats, links, local = value
    return Outcome(
        path=path,
        findings=tuple(decode_findings(path, findings)),
        fingerprints=tuple(prints),
        utf16=tuple((a, b) for a, b in utf16) if utf16 is not None else None,
        stats=_decode_stats(path, stats) if stats is not None else None,
        web_links=tuple(links) if links is not None else None,
        local_links=local,
    )


def _encode_stats(stats: FileStats) -> list[Any]:
    measures = {
        rule: [m.units, m.words, m.measured, m.height_share] for rule, m in stats.measures.items()
    }
    return [stats.words, stats.title, measures]


def _decode_stats(path: str, value: Sequence[Any]) -> FileStats:
    words, title, measures = value
    decoded = {}
    for rule, (units, counted, measured, height) in measures.items():
        if not (type(units) is int and type(counted) is int and type(measured) is bool):
            raise ValueError("a stored measure is not numbers")
        if height is not None and type(height) not in (int, float):
            raise ValueError("a stored height share is not a number")
        decoded[str(rule)] = Measure(units, counted, measured, height)
    return FileStats(path, int(words), str(title), decoded)


def encode_findings(findings: Iterable[Finding]) -> list[Any]:
    return [
        [f.line, f.column, f.end_line, f.end_column, f.rule, f.severity.value, f.message]
        + [dict(f.data), f.snippet, f.suppressed]
        for f in findings
    ]


def decode_findings(path: str, rows: Iterable[Sequence[Any]]) -> list[Finding]:
    """Findings back from rows; JSON arrays in data become tuples (hashable, as they were).

    A warm run decodes every finding of the site, so this skips Finding's frozen `__init__`
    and the Enum call (the rows are ours, with every field).
    """
    findings = []
    for line, column, end_line, end_column, rule, severity, message, data, snippet, why in rows:
        if not all(type(n) is int for n in (line, column, end_line, end_column)):
            raise ValueError("a stored position is not a number")
        if any(type(value) is list for value in data.values()):
            data = {k: tuple(v) if type(v) is list else v for k, v in data.items()}
        fields = {
            "path": path,
            "line": line,
            "column": column,
            "end_line": end_line,
            "end_column": end_column,
            "rule": rule,
            "severity": _SEVERITIES[severity],
            "message": message,
            "data": data,
            "snippet": snippet,
            "suppressed": why,
        }
        findings.append(frozen_record(Finding, fields))
    return findings


_SEVERITIES = {severity.value: severity for severity in Severity}
