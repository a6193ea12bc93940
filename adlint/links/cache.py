"""Verdicts remembered between runs in SQLite, so a warm run makes no requests.

Only answers that will most likely hold tomorrow are stored (ok, broken, redirected).
Transient outcomes (unreachable, unsafe) are always checked again, as lychee does; unlike
lychee, definitive failures are cached too, which is what makes a warm run on a corpus with
dead links fast (research §4.5: lychee's warm run was 3x slower than its cold one).

Rows are keyed by URL *and* a profile of the settings that change a verdict (accepted
codes, User-Agent, redirect limit, private addresses), so changing `--accept` never serves
a stale answer. A cache that cannot be opened or written is a warning, never a failure.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
import warnings
from collections.abc import Iterable
from pathlib import Path

from adlint.links.options import TRANSIENT, LinkOptions, LinkStatus, default_cache_path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS verdicts (
    url TEXT NOT NULL, profile TEXT NOT NULL, checked_at REAL NOT NULL,
    verdict TEXT NOT NULL, status INTEGER, reason TEXT NOT NULL,
    final_url TEXT, chain TEXT NOT NULL, attempts INTEGER NOT NULL,
    PRIMARY KEY (url, profile)
) WITHOUT ROWID
"""
_VERSION = "2"
_PRUNE_AFTER = 30 * 86_400.0  # rows no sensible --cache-max-age would still use
_DURABLE = frozenset({"ok", "broken", "redirected"}) - TRANSIENT
_CHUNK = 500  # below SQLite's historical 999 bound variables per statement


def _dump(status: LinkStatus) -> str:
    return json.dumps(list(status.chain))


def profile_of(options: LinkOptions) -> str:
    """A short digest of the options that can change a verdict."""
    parts = (
        _VERSION,
        ",".join(map(str, sorted(options.accept))),
        options.user_agent,
        str(options.max_redirects),
        str(options.allow_private),
    )
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


class LinkCache:
    """An open cache file; use `open_cache` to get one."""

    def __init__(self, connection: sqlite3.Connection, profile: str) -> None:
        self._db = connection
        self._profile = profile

    def load(
        self, urls: Iterable[str], max_age: float, *, now: float | None = None
    ) -> dict[str, LinkStatus]:
        """Fresh cached verdicts for those of `urls` that have one. A `max_age` of 0 reuses
        nothing, whatever the clock says: a verdict stored in the same clock tick, or
        before the clock stepped back, would otherwise pass `checked_at >= now`."""
        if max_age <= 0:
            return {}
        oldest = (time.time() if now is None else now) - max_age
        found: dict[str, LinkStatus] = {}
        todo = list(urls)
        try:
            for start in range(0, len(todo), _CHUNK):
                chunk = todo[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    "SELECT url, verdict, status, reason, final_url, chain, attempts"
                    " FROM verdicts"
                    f" WHERE profile = ? AND checked_at >= ? AND url IN ({marks})",
                    (self._profile, oldest, *chunk),
                )
                for url, verdict, status, reason, final_url, chain, attempts in rows:
                    found[url] = LinkStatus(
                        url,
                        verdict,
                        status,
                        reason,
                        final_url,
                        tuple(json.loads(chain)),
                        attempts,
                        cached=True,
                    )
        except (sqlite3.Error, ValueError) as exc:
            warnings.warn(f"link cache unreadable, checking everything: {exc}", stacklevel=2)
            return {}
        return found

    def store(self, statuses: Iterable[LinkStatus], *, now: float | None = None) -> None:
        """Remember the durable verdicts among `statuses`."""
        stamp = time.time() if now is None else now
        rows = [
            (s.url, self._profile, stamp, s.verdict, s.status, s.reason, s.final_url)
            + (_dump(s), s.attempts)
            for s in statuses
            if s.verdict in _DURABLE
        ]
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO verdicts VALUES (?,?,?,?,?,?,?,?,?)", rows
                )
                self._db.execute(
                    "DELETE FROM verdicts WHERE checked_at < ?", (stamp - _PRUNE_AFTER,)
                )
        except sqlite3.Error as exc:
            warnings.warn(f"link cache not written: {exc}", stacklevel=2)

    def close(self) -> None:
        self._db.close()


def open_cache(options: LinkOptions) -> LinkCache | None:
    """Open (creating) the cache file, or None when caching is off or impossible."""
    if not options.use_cache:
        return None
    path = Path(options.cache_path) if options.cache_path else default_cache_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path, timeout=10)
        connection.execute(_SCHEMA)
        connection.execute("DROP TABLE IF EXISTS links")  # version 1's table, no attempts
    except (OSError, sqlite3.Error) as exc:
        warnings.warn(f"link cache disabled ({path}): {exc}", stacklevel=2)
        return None
    return LinkCache(connection, profile_of(options))
