"""The outbound link checker: `check_urls` over normalised URLs, results as `LinkStatus`.

Only this package touches the network. See checker.py for the stages, request.py for the
HTTP rules, guard.py for the address safety and cache.py for what is remembered.
"""

from __future__ import annotations

from adlint.links.checker import check_urls, check_urls_async
from adlint.links.options import VERDICTS, LinkOptions, LinkStatus, default_cache_path, parse_accept
from adlint.links.url import normalise_url

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
