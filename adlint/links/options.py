"""The link checker's settings and its per-URL result record.

Defaults follow lychee (the anchor, see research/linkcheckers.md) where it is right and depart
from it where its users hurt: a shorter timeout, 500s retried, private addresses refused.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from adlint import __version__

VERDICTS = ("ok", "broken", "unreachable", "redirected", "excluded", "skipped", "unsafe")
"""Every value `LinkStatus.verdict` can take."""

TRANSIENT = frozenset({"unreachable", "unsafe"})
"""Verdicts that may change on the next run, so they are never cached."""

FAILED = frozenset({"broken", "unreachable", "unsafe"})
"""Verdicts counted as failures by the progress bar."""

DEFAULT_USER_AGENT = (
    f"Mozilla/5.0 (compatible; adlint/{__version__}; +https://github.com/adlint/adlint)"
)
"""Shaped like Googlebot's: sites that allow "Mozilla/5.0 (compatible; ...)" crawlers let it
through, and the name and URL tell an operator who is asking and why."""

DEFAULT_ACCEPT = frozenset((*range(100, 104), *range(200, 300)))
"""lychee's default (`100..=103,200..=299`). 403 and 429 are deliberately not in it:
accepting them is the workaround that hides dead links (research §3.1-3.2)."""

HTTP2_AVAILABLE = importlib.util.find_spec("h2") is not None


@dataclass(frozen=True)
class LinkOptions:
    """How to check links. Every default is a trade-off; the field docstrings say which."""

    timeout: float = 10.0
    """Seconds for one whole request (connect, send, headers, any body read). lychee uses 20 s;
    a page that has not answered in 10 s is reported as unreachable either way, and a shorter
    bound keeps a CI run with a few dead hosts short. It also caps slow-drip servers."""
    connect_timeout: float = 5.0
    """Seconds for DNS plus the TCP/TLS handshake; a healthy host answers in well under 1 s."""
    read_timeout: float = 10.0
    """Seconds of silence tolerated between two reads."""
    max_concurrency: int = 64
    """Requests in flight overall. Loopback and CI runners saturate long before lychee's 128
    (2 cores); 64 keeps file descriptors low (lychee#1248) and is never the bottleneck when
    the per-host limit is 8."""
    per_host: int = 8
    """Requests in flight to one host (by name, ports ignored, like lychee). Browsers open 6
    connections per host; 8 is as polite as lychee's 10 and needs no fixed interval."""
    retries: int = 3
    """Extra attempts after a transient failure (timeout, connection error, 5xx, 408, 429),
    as lychee; unlike lychee a plain 500 is retried too."""
    backoff_base: float = 0.5
    """First backoff in seconds; doubled per retry with full jitter (0.5, 1, 2 s on average
    halved), so three retries cost about 2 s per URL, not lychee's 7 s."""
    retry_after_cap: float = 30.0
    """Longest Retry-After honoured. A server asking for more is reported as unreachable at
    once rather than stalling the run (lychee#2027: seconds became minutes)."""
    url_timeout: float | None = None
    """Seconds one URL may take in all: every redirect hop, DNS lookup, retry and Retry-After
    wait. None means six request timeouts (60 s by default: room for HEAD, the GET fallback, a
    few hops and retries). Without it a server answering 429 with Retry-After just under the
    cap, hop after hop, could hold one link for many minutes and stall a CI job, and a redirect
    to a host whose DNS hangs could add a lookup's whole `connect_timeout` per hop. The clock
    starts when the URL's first DNS lookup is under way and stops while a later lookup waits
    for a lookup slot or a request for its connection slots: queueing measures how many links
    the run has, not how slow this server is, and counting it would time out every link of a
    large site. See `url_budget`."""
    max_redirects: int = 10
    """Redirect hops followed, as lychee; cloaked affiliate links use 1-4."""
    user_agent: str = DEFAULT_USER_AGENT
    accept: frozenset[int] = DEFAULT_ACCEPT
    """Final status codes that count as ok; see `parse_accept` for the "200..=299,403" syntax."""
    allow_private: bool = False
    """Connect to loopback, private, link-local and reserved addresses (SSRF guard off)."""
    max_bytes: int = 16_384
    """Most body bytes ever read: a GET body is drained only when Content-Length says it fits,
    so the connection can be reused; anything larger or unbounded is never read."""
    exclude: tuple[str, ...] = ()
    """Regular expressions searched in the normalised URL; a match is "excluded"."""
    cache_path: Path | None = None
    """SQLite file; None means the user cache directory (`default_cache_path()`)."""
    cache_max_age: float = 86_400.0
    """Seconds a cached verdict stays valid: one day, as lychee's `--max-cache-age`."""
    use_cache: bool = True
    http2: bool = HTTP2_AVAILABLE
    """HTTP/2 over TLS when the optional `h2` package is installed: the 8 requests to one host
    share one connection and one TLS handshake."""

    @property
    def url_budget(self) -> float:
        """`url_timeout`, or its default derived from `timeout`, so raising the request timeout
        never has every request cut short by a per-URL limit left at 60 s."""
        return self.url_timeout if self.url_timeout is not None else 6 * self.timeout


@dataclass(frozen=True)
class LinkStatus:
    """What checking one URL found out."""

    url: str
    """The normalised URL checked."""
    verdict: str
    """One of VERDICTS."""
    status: int | None
    """The final HTTP status, None when no response arrived."""
    reason: str
    """For humans: "404 Not Found", "DNS lookup failed", "timed out after 3 retries", ..."""
    final_url: str | None = None
    """The last URL requested (the URL itself when there was no redirect)."""
    chain: tuple[str, ...] = ()
    """Each redirect target in order; empty without redirects."""
    attempts: int = 0
    """Requests sent, counting HEAD, the GET fallback, retries and every hop (for a cached
    verdict, by the check that reached it, so outputs do not change with the cache)."""
    cached: bool = False


_CODE_RANGE = re.compile(r"(\d{3})(?:\s*(?:\.\.=?|-)\s*(\d{3}))?")
"""Matched against the stripped item, so no run of spaces can be tried two ways."""


def parse_accept(text: str) -> frozenset[int]:
    """Parse "200..=299, 403" (lychee's syntax), "200-299" or "200,204" into status codes."""
    codes: set[int] = set()
    for item in text.split(","):
        if not item.strip():
            continue
        match = _CODE_RANGE.fullmatch(item.strip())
        if not match:
            raise ValueError(f"not a status code or range: {item.strip()!r}")
        low = int(match.group(1))
        high = int(match.group(2) or low)
        exclusive = ".." in item and "..=" not in item
        codes.update(range(low, high if exclusive else high + 1))
    return frozenset(codes)


def default_cache_dir() -> Path:
    """Where adlint keeps its caches: $ADLINT_CACHE_DIR, else the platform's user cache
    directory (XDG on Linux, Library/Caches on macOS, LOCALAPPDATA on Windows)."""
    if override := os.environ.get("ADLINT_CACHE_DIR"):
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "adlint" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "adlint"
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "adlint"


def default_cache_path(directory: Path | None = None) -> Path:
    """The link cache file in `directory` (default: the cache directory)."""
    return (directory or default_cache_dir()) / "links.sqlite"
