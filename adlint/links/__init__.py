"""The outbound link checker: `check_urls` over normalised URLs, results as `LinkStatus`.

Only this package touches the network. See checker.py for the stages, request.py for the
HTTP rules, guard.py for the address safety and cache.py for what is remembered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from adlint.links.options import VERDICTS, LinkOptions, LinkStatus, default_cache_path, parse_accept
from adlint.links.url import normalise_url

if TYPE_CHECKING:
    from adlint.links.checker import check_urls, check_urls_async


def __getattr__(name: str) -> Any:
    """Import the checker (with its SQLite cache: ~12 ms) only when links are checked; every
    `adlint check` reads the link options, few runs check links. The checker itself loads
    httpx and asyncio (~65 ms) only when some URL needs a request, not on a cached run."""
    if name in ("check_urls", "check_urls_async"):
        from adlint.links import checker

        return getattr(checker, name)
    raise AttributeError(f"module 'adlint.links' has no attribute {name!r}")


__all__ = [
    "VERDICTS",
    "LinkOptions",
    "LinkStatus",
    "check_urls",
    "check_urls_async",
    "default_cache_path",
    "normalise_url",
    "parse_accept",
]
