"""One spelling per URL, so each resource is checked once however the articles write it."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise_url(url: str) -> str | None:
    """Strip the fragment, lower-case scheme and host, drop default ports, `//x` -> https.

    Returns None for anything that is not http(s). A malformed http(s) URL comes back only
    trimmed, so the checker can report it as broken instead of it silently vanishing.
    """
    raw = url.strip()
    if raw.startswith("//"):
        raw = "https:" + raw
    scheme, sep, _ = raw.partition(":")
    scheme = scheme.lower()
    if not sep or scheme not in _DEFAULT_PORTS:
        return None
    try:
        parts = urlsplit(raw)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return scheme + raw[len(scheme) :].split("#", 1)[0]
    if not host:
        return scheme + raw[len(scheme) :].split("#", 1)[0]
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    userinfo = parts.netloc.rpartition("@")[0] if "@" in parts.netloc else ""
    if userinfo:
        netloc = f"{userinfo}@{netloc}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def host_of(url: str) -> str:
    """The lower-case host of a URL without brackets, or "" when there is none."""
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""
