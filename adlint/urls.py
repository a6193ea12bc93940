"""URL facts: scheme, host, registered domain, query parameters, first or third party.

tldextract is built with `suffix_list_urls=()` so it only ever uses the public suffix list
bundled in the wheel: adlint never downloads anything at run time.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from adlint.record import frozen_record


@functools.cache
def _extractor() -> object:
    """tldextract, loaded at first use: its import costs ~90 ms (it pulls in `requests`),
    which a run answered from the result cache never needs. `preload` before forking
    workers, so they inherit it."""
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def preload() -> None:
    """Load the suffix list now (in the parent, before worker processes fork)."""
    _extractor()


# Cache sizes: several rules ask about each link of a document, so answers are reused within
# a document; across documents most article URLs are unique (tracking IDs) while hosts
# repeat. Small caches keep the reuse and keep each worker's memory flat (65,536 split URLs
# held ~50 MB per worker process).


@dataclass(frozen=True)
class UrlParts:
    """A URL split once; hosts are lower-case, parameters keep their spelling and order."""

    url: str
    scheme: str
    host: str
    path: str
    query: str
    params: tuple[tuple[str, str], ...]

    def param(self, name: str, *, case_sensitive: bool = False) -> str | None:
        """Return the first value of a query parameter, or None."""
        if case_sensitive:
            return next((v for k, v in self.params if k == name), None)
        lowered = name.lower()
        return next((v for k, v in self.params if k.lower() == lowered), None)


_NETLOC_CHAR = r"[\x21\x22\x24\x26-\x2e\x30-\x3e\x41-\x5a\x5c\x5e-\x7e]"
"""Printable ASCII but `# % / ? @ [ ]`: spelled as ranges, because the negated class
`[^/?#@\\[\\]%\x00-\x20\x7f-\U0010ffff]` takes ~4 ms to compile in every process."""
_PLAIN_WEB_URL = re.compile(
    rf"([hH][tT][tT][pP][sS]?)://({_NETLOC_CHAR}*)"
    r"((?:/[^?#\t\n\r]*)?)(?:\?([^#\t\n\r]*))?(?:#[^\t\n\r]*)?"
)
"""An http(s) URL whose host part urlsplit would take verbatim: ASCII, no userinfo,
brackets or percent signs, no tab or newline anywhere (urlsplit deletes those)."""


@functools.lru_cache(maxsize=4096)
def split(url: str) -> UrlParts | None:
    """Split a URL; protocol-relative `//host/x` is treated as https. None when unparsable.

    Nearly every article URL is a plain http(s) URL, which one regex splits exactly as
    `urlsplit` would in a fraction of its time; anything else goes through `urlsplit`.
    """
    raw = url.strip()
    if raw.startswith("//"):
        raw = "https:" + raw
    plain = _PLAIN_WEB_URL.fullmatch(raw)
    if plain is not None:
        scheme, netloc, path, query = plain.groups(default="")
        host = netloc.partition(":")[0].lower()
        params = tuple(parse_qsl(query, keep_blank_values=True)) if query else ()
        fields = {
            "url": raw,
            "scheme": scheme.lower(),
            "host": host,
            "path": path,
            "query": query,
            "params": params,
        }
        return frozen_record(UrlParts, fields)
    return split_general(raw)


def split_general(raw: str) -> UrlParts | None:
    """`split` for any URL, through `urlsplit` (the reference the fast path must equal)."""
    try:
        parts = urlsplit(raw)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    params = tuple(parse_qsl(parts.query, keep_blank_values=True))
    return UrlParts(raw, parts.scheme.lower(), host, parts.path, parts.query, params)


@functools.lru_cache(maxsize=16384)
def registered_domain(host: str) -> str:
    """Return the registrable domain of a host (`a.b.example.co.uk` -> `example.co.uk`)."""
    if not host:
        return ""
    result = _extractor()(host)  # type: ignore[operator]
    if result.domain and result.suffix:
        return f"{result.domain}.{result.suffix}"
    return host


def host_matches(host: str, pattern: str) -> bool:
    """Match a host against `example.com` (itself or any subdomain) or `*.example.com`."""
    pattern = pattern.lower()
    if pattern.startswith("*."):
        suffix = pattern[1:]
        return host.endswith(suffix) and len(host) > len(suffix)
    return host == pattern or host.endswith("." + pattern)


def is_web_url(url: str) -> bool:
    """True for http(s) and protocol-relative URLs: the ones that can leave the site."""
    lowered = url.lstrip()[:8].lower()
    return lowered.startswith(("http://", "https://", "//"))


def is_third_party(url: str, sites: tuple[str, ...]) -> bool:
    """True when the URL's registered domain is not one of the site's own domains."""
    parts = split(url)
    if parts is None or not parts.host:
        return False
    plain, wildcard = _site_index(sites)
    if registered_domain(parts.host) in plain:
        return False
    host = parts.host.lower()
    if host in plain:
        return False
    dot = host.find(".")
    while dot >= 0:  # each parent domain of the host, as host_matches would match it
        suffix = host[dot + 1 :]
        if suffix in plain or suffix in wildcard:
            return False
        dot = host.find(".", dot + 1)
    return True


@functools.lru_cache(maxsize=64)
def _site_index(sites: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """The site's domains (`example.com`) and wildcard parents (`*.example.com` as
    `example.com`), as sets: a URL is looked up in them by its parent domains, where
    matching every site in turn cost sites x URLs (4,000 of each took 7 s)."""
    plain = frozenset(s.lower() for s in sites if not s.startswith("*."))
    wildcard = frozenset(s[2:].lower() for s in sites if s.startswith("*."))
    return plain, wildcard
