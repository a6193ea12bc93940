"""The affiliate network catalogue: which network a URL belongs to, and whose affiliate ID.

Networks are data (policies/networks.yaml, plus any files a user adds): each network lists
matchers (hosts, a path regex, required query parameters or a raw query regex) and says
where its affiliate ID and deep-link destination sit. This module validates those files,
indexes the matchers by host so `classify` is a few dict lookups per URL, and keeps a short
list of host-agnostic path shapes (Impact `/c/…`, 2Checkout `/order/checkout.php?AFFILIATE=`)
for vanity and CNAME hosts that no host list can enumerate.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import unquote

from adlint.errors import PolicyError
from adlint.pattern import SafePattern, UnsafePattern, compile_pattern
from adlint.urls import UrlParts, split
from adlint.yamlfile import LineDict, YamlError, load_yaml

MAX_URL = 8 * 1024
"""Longer URLs are not classified: no network emits them, and it bounds regex work."""
MAX_HOST = 253
"""DNS's limit; longer "hosts" are garbage and would only cost suffix look-ups."""

FILE_KEYS = ("version", "networks")
NETWORK_KEYS = ("name", "owner", "docs", "match")
MATCHER_KEYS = (
    "hosts",
    "path",
    "query",
    "query_string",
    "ignore_param_case",
    "id_from",
    "dest_from",
)
ID_KINDS = ("query", "path", "path_token", "dns_label")
DEST_KINDS = ("query", "path", "path_token")
ANY_HOST = "any"

_NETWORK_ID = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}")
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_SUFFIX_HOST = re.compile(rf"(?:\*\.|=)?{_LABEL}(?:\.{_LABEL})+")
"""`example.com` (it and its subdomains), `*.example.com` (subdomains), `=example.com` (it)."""
_FIRST_LABEL_HOST = re.compile(rf"({_LABEL})\.\*")
_TOKEN_SEGMENT = re.compile(r"[A-Za-z_]+:")
_BARE_HOST = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:[/?#]|$)")


@dataclass(frozen=True)
class NetworkMatch:
    """What the catalogue knows about one affiliate URL."""

    network: str
    """Display name, e.g. "Impact"."""
    network_id: str
    """The catalogue key, e.g. "impact"; allowlists scope IDs with it."""
    affiliate_id: str | None
    """The publisher/affiliate ID in the URL; None when the network hides it (amzn.to)."""
    destination: str | None = None
    """The decoded deep-link destination, when the network carries one."""


@dataclass(frozen=True)
class Source:
    """One place a value can be read from: `query:tag`, `path:mpid`, `dns_label:-5`..."""

    kind: str
    arg: str

    def read(self, parts: UrlParts, host: str, groups: dict[str, Any], exact: bool) -> str | None:
        if self.kind == "query":
            return parts.param(self.arg, case_sensitive=exact)
        if self.kind == "path":
            value = groups.get(self.arg)
            return unquote(value) if value else None
        if self.kind == "path_token":
            return _path_token(parts.path, self.arg)
        labels = host.split(".")
        index = int(self.arg)
        return labels[index] if -len(labels) <= index < len(labels) else None

    def __str__(self) -> str:
        return f"{self.kind}:{self.arg}"


@dataclass(frozen=True)
class Matcher:
    """One URL shape of a network; `hosts` is empty for a host-agnostic matcher."""

    hosts: tuple[str, ...]
    path: SafePattern | None
    query: tuple[tuple[str, SafePattern | None], ...]
    ignore_param_case: bool
    id_from: tuple[Source, ...]
    dest_from: tuple[Source, ...]
    query_string: SafePattern | None = None
    """Matched from the start of the raw query (after `?`): for shapes `query` cannot name,
    such as ShareASale's `?~<code>`, whose only parameter is the code itself, valueless."""

    def apply(self, parts: UrlParts, host: str) -> tuple[str | None, str | None] | None:
        """Return (affiliate_id, destination) when the URL has this shape, else None."""
        groups: dict[str, Any] = {}
        if self.path is not None:
            found = self.path.match(parts.path)
            if found is None:
                return None
            groups = found.groupdict()
        if self.query_string is not None and self.query_string.match(parts.query) is None:
            return None
        exact = not self.ignore_param_case
        for name, pattern in self.query:
            value = parts.param(name, case_sensitive=exact)
            if not value or (pattern is not None and pattern.fullmatch(value) is None):
                return None
        affiliate = _first(self.id_from, parts, host, groups, exact)
        destination = _first(self.dest_from, parts, host, groups, exact)
        return affiliate, _decode_destination(destination) if destination else None

    def describe(self) -> str:
        """One line for `adlint rules`: where it matches and where the ID comes from."""
        where = ", ".join(self.hosts) if self.hosts else "any host"
        if self.path is not None:
            where += f" path {self.path.pattern}"
        if self.query:
            where += " with " + ", ".join(name for name, _ in self.query)
        if self.query_string is not None:
            where += f" query string {self.query_string.pattern}"
        ids = " or ".join(str(s) for s in self.id_from) or "none (opaque)"
        return f"{where}; affiliate ID from {ids}"


@dataclass(frozen=True)
class Network:
    """A network or programme from the catalogue."""

    id: str
    name: str
    matchers: tuple[Matcher, ...]
    owner: str | None = None
    docs: str | None = None

    @property
    def hosts(self) -> tuple[str, ...]:
        """The host patterns it matches, in order; `any` when a matcher is host-agnostic."""
        seen = dict.fromkeys(h for m in self.matchers for h in (m.hosts or (ANY_HOST,)))
        return tuple(seen)


class Catalogue:
    """The merged networks, indexed by host so that classifying a URL stays cheap."""

    def __init__(self, networks: Sequence[Network]) -> None:
        self._networks = tuple(networks)
        self._by_id = {network.id: network for network in self._networks}
        pairs = [(n, m) for n in self._networks for m in n.matchers]
        self._index = _HostIndex([(i, n, m) for i, (n, m) in enumerate(pairs) if m.hosts])
        # Most links match no host-agnostic shape; the query parameters a matcher requires
        # rule it out with one set test instead of a scan of the parameters per name.
        self._anywhere = tuple(
            (n, m, frozenset(name.lower() for name, _ in m.query)) for n, m in pairs if not m.hosts
        )
        self._anywhere_without_query = tuple(entry for entry in self._anywhere if not entry[2])
        """The only host-agnostic shapes a URL without query parameters can have."""

    @property
    def networks(self) -> tuple[Network, ...]:
        return self._networks

    @property
    def network_ids(self) -> tuple[str, ...]:
        return tuple(self._by_id)

    def __len__(self) -> int:
        return len(self._networks)

    def __iter__(self) -> Iterator[Network]:
        return iter(self._networks)

    def __contains__(self, network_id: object) -> bool:
        return network_id in self._by_id

    def get(self, network_id: str) -> Network | None:
        return self._by_id.get(network_id)

    def listing(self) -> list[tuple[str, str, tuple[str, ...]]]:
        """(id, name, hosts) per network, for `adlint rules` and the docs."""
        return [(n.id, n.name, n.hosts) for n in self._networks]

    def classify(self, url: str) -> NetworkMatch | None:
        """The first network whose matcher fits the URL; host matchers before host-agnostic."""
        if len(url) > MAX_URL:
            return None
        parts = split(url)
        if parts is None or parts.scheme not in ("http", "https") or not parts.host:
            return None
        host = parts.host.rstrip(".")
        if len(host) > MAX_HOST:
            return None
        for network, matcher in self._index.candidates(host):
            found = matcher.apply(parts, host)
            if found is not None:
                return NetworkMatch(network.name, network.id, *found)
        present = {name.lower() for name, _ in parts.params}
        shapes = self._anywhere if present else self._anywhere_without_query
        for network, matcher, required in shapes:
            if not required <= present or (matcher.path and matcher.path.refuses(parts.path)):
                continue
            if (found := matcher.apply(parts, host)) is not None:
                return NetworkMatch(network.name, network.id, *found)
        return None


class _HostIndex:
    """Matchers keyed by exact host (`=example.com`), host suffix (`example.com`,
    `*.example.com`) and first label (`pj.*`)."""

    def __init__(self, entries: list[tuple[int, Network, Matcher]]) -> None:
        self._suffix: dict[str, list[tuple[int, Network, Matcher]]] = {}
        self._strict: dict[str, list[tuple[int, Network, Matcher]]] = {}
        self._label: dict[str, list[tuple[int, Network, Matcher]]] = {}
        self._exact: dict[str, list[tuple[int, Network, Matcher]]] = {}
        self._seen: dict[str, list[tuple[Network, Matcher]]] = {}
        for entry in entries:
            for pattern in entry[2].hosts:
                if pattern.startswith("="):
                    self._exact.setdefault(pattern[1:], []).append(entry)
                elif pattern.startswith("*."):
                    self._strict.setdefault(pattern[2:], []).append(entry)
                elif pattern.endswith(".*"):
                    self._label.setdefault(pattern[:-2], []).append(entry)
                else:
                    self._suffix.setdefault(pattern, []).append(entry)

    def candidates(self, host: str) -> list[tuple[Network, Matcher]]:
        """Matchers whose host patterns fit, in catalogue order (memoised: hosts repeat)."""
        found = self._seen.get(host)
        if found is None:
            if len(self._seen) >= 16384:
                self._seen.clear()
            found = self._seen[host] = self._lookup(host)
        return found

    def _lookup(self, host: str) -> list[tuple[Network, Matcher]]:
        labels = host.split(".")
        found = {order: (n, m) for order, n, m in self._exact.get(host, [])}
        for start in range(len(labels)):
            suffix = ".".join(labels[start:])
            hits = self._suffix.get(suffix, [])
            if start:
                hits = hits + self._strict.get(suffix, [])
            found.update((order, (n, m)) for order, n, m in hits)
        if len(labels) >= 3:
            found.update((order, (n, m)) for order, n, m in self._label.get(labels[0], []))
        return [found[order] for order in sorted(found)]


def _first(
    sources: tuple[Source, ...], parts: UrlParts, host: str, groups: dict[str, Any], exact: bool
) -> str | None:
    for source in sources:
        value = source.read(parts, host, groups, exact)
        if value and value.strip():
            return value.strip()
    return None


def _path_token(path: str, name: str) -> str | None:
    """Partnerize-style `/name:value/` segment; a raw `https://…` value runs to the next token."""
    segments = path.split("/")
    prefix = name + ":"
    for index, segment in enumerate(segments):
        if not segment.startswith(prefix):
            continue
        value = [segment[len(prefix) :]]
        if value[0].endswith(":"):  # an unencoded URL: its slashes split it into segments
            for rest in segments[index + 1 :]:
                if _TOKEN_SEGMENT.match(rest):
                    break
                value.append(rest)
        return unquote("/".join(value)) or None
    return None


def _decode_destination(value: str) -> str:
    """Percent-decode a nested destination (at most 3 levels); give bare hosts a scheme."""
    for _ in range(3):
        if "://" in value or "%" not in value:
            break
        value = unquote(value)
    if "://" not in value and _BARE_HOST.match(value):
        value = "https://" + value
    return value


def builtin_catalogue_text() -> str:
    """The shipped policies/networks.yaml (inside the wheel, or the checkout's)."""
    from adlint.policy import builtin_dir
    from adlint.sourcelog import read_source

    return read_source(builtin_dir() / "networks.yaml")


def load_catalogue(sources: Sequence[tuple[str, str]]) -> Catalogue:
    """Merge catalogue files in order: later files add networks, override them by id, or
    remove them with `id: false`. Overrides replace keys (a new `match` replaces the list)."""
    merged: dict[str, dict[str, Any]] = {}
    for display, text in sources:
        for network_id, fields in _read_source(display, text):
            if fields is None:
                merged.pop(network_id, None)
            else:
                merged[network_id] = {**merged.get(network_id, {}), **fields}
    return Catalogue([_build(network_id, fields) for network_id, fields in merged.items()])


@dataclass(frozen=True)
class _Where:
    """Where a definition was read, so that errors lead with `file:line:` and say whose."""

    path: str
    line: int = 1
    context: str = ""

    def at(self, spec: LineDict, key: Any) -> _Where:
        return replace(self, line=spec.line_of(key))

    def error(self, reason: str, *, key: str | None = None) -> PolicyError:
        return PolicyError(self.context + reason, path=self.path, line=self.line, key=key)


def _check_keys(where: _Where, spec: LineDict, allowed: tuple[str, ...]) -> None:
    for key in spec:
        if key not in allowed:
            reason = f"unknown key; expected one of {', '.join(allowed)}"
            raise where.at(spec, key).error(reason, key=str(key))


def _read_source(display: str, text: str) -> list[tuple[str, dict[str, Any] | None]]:
    where = _Where(display)
    try:
        data = load_yaml(text)
    except YamlError as error:
        raise replace(where, line=error.line).error(error.reason) from None
    if data is None:
        return []
    if not isinstance(data, LineDict):
        raise where.error("a network catalogue is a mapping with a `networks:` key")
    _check_keys(where, data, FILE_KEYS)
    if data.get("version", 1) != 1:
        raise where.at(data, "version").error("unsupported version; expected 1", key="version")
    networks = data.get("networks")
    if networks is None:
        return []
    if not isinstance(networks, LineDict):
        reason = "must be a mapping of network id to definition"
        raise where.at(data, "networks").error(reason, key="networks")
    return [_read_network(where.at(networks, n), n, networks[n]) for n in networks]


def _read_network(where: _Where, network_id: Any, spec: Any) -> tuple[str, Any]:
    where = replace(where, context=f'network "{network_id}": ')
    if not isinstance(network_id, str) or not _NETWORK_ID.fullmatch(network_id):
        reason = "a network id is lower-case letters, digits, `_`, `.` or `-`"
        raise where.error(reason, key=str(network_id))
    if spec is False:
        return network_id, None
    if not isinstance(spec, LineDict):
        raise where.error("must be a mapping (name, match, ...) or false", key=network_id)
    _check_keys(where, spec, NETWORK_KEYS)
    fields: dict[str, Any] = {"_where": where}
    for key, value in spec.items():
        at = where.at(spec, key)
        if key == "match":
            if not isinstance(value, list) or not value:
                raise at.error("must be a non-empty list of matchers", key=key)
            fields[key] = tuple(_parse_matcher(at, item, i) for i, item in enumerate(value))
        elif isinstance(value, str) and value.strip():
            fields[key] = value.strip()
        else:
            raise at.error("must be a non-empty string", key=key)
    return network_id, fields


def _build(network_id: str, fields: dict[str, Any]) -> Network:
    where: _Where = fields["_where"]
    for key in ("name", "match"):
        if key not in fields:
            raise where.error(f"`{key}` is required", key=key)
    return Network(
        network_id, fields["name"], fields["match"], fields.get("owner"), fields.get("docs")
    )


def _parse_matcher(where: _Where, spec: Any, index: int) -> Matcher:
    line = spec.line if isinstance(spec, LineDict) else where.line
    where = replace(where, line=line, context=f"{where.context}matcher {index + 1}: ")
    if not isinstance(spec, LineDict):
        raise where.error("a matcher is a mapping (hosts, path, id_from, ...)", key="match")
    _check_keys(where, spec, MATCHER_KEYS)
    for key in ("hosts", "id_from"):
        if key not in spec:
            raise where.error(f"`{key}` is required", key=key)
    path = _optional_regex(where, spec, "path")
    groups = set(path.groupindex) if path is not None else set()
    ignore_case = spec.get("ignore_param_case", False)
    if not isinstance(ignore_case, bool):
        raise where.at(spec, "ignore_param_case").error(
            "must be true or false", key="ignore_param_case"
        )
    dest = spec.get("dest_from", "none")
    matcher = Matcher(
        hosts=_parse_hosts(where.at(spec, "hosts"), spec["hosts"]),
        path=path,
        query=_parse_query(where.at(spec, "query"), spec["query"]) if "query" in spec else (),
        ignore_param_case=ignore_case,
        id_from=_parse_sources(where.at(spec, "id_from"), spec["id_from"], ID_KINDS, groups),
        dest_from=_parse_sources(where.at(spec, "dest_from"), dest, DEST_KINDS, groups),
        query_string=_optional_regex(where, spec, "query_string"),
    )
    shaped = matcher.path is not None or matcher.query_string is not None or matcher.query
    if not matcher.hosts and not shaped:
        reason = "a `hosts: any` matcher needs a `path`, `query` or `query_string`, or it "
        raise where.error(reason + "matches every URL", key="hosts")
    return matcher


def _optional_regex(where: _Where, spec: LineDict, key: str) -> SafePattern | None:
    return _compile(where.at(spec, key), spec[key], key) if key in spec else None


def _parse_hosts(where: _Where, value: Any) -> tuple[str, ...]:
    if value == ANY_HOST:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise where.error("must be `any` or a non-empty list of host patterns", key="hosts")
    hosts = []
    for item in value:
        host = item.strip().lower() if isinstance(item, str) else ""
        if not (_SUFFIX_HOST.fullmatch(host) or _FIRST_LABEL_HOST.fullmatch(host)):
            raise where.error(
                f"bad host pattern {item!r}; use example.com, =example.com, *.example.com "
                "or label.*",
                key="hosts",
            )
        hosts.append(host)
    return tuple(hosts)


def _parse_query(where: _Where, value: Any) -> tuple[tuple[str, SafePattern | None], ...]:
    if isinstance(value, list) and value and all(isinstance(v, str) and v for v in value):
        return tuple((name, None) for name in value)
    if isinstance(value, LineDict) and value:
        query = []
        for name, pattern in value.items():
            sub = where.at(value, name)
            if not isinstance(name, str) or not isinstance(pattern, str):
                raise sub.error("maps a parameter name to a value regex", key="query")
            query.append((name, _compile(sub, pattern, "query")))
        return tuple(query)
    raise where.error(
        "must be a list of parameter names or a mapping of name to value regex", key="query"
    )


def _parse_sources(
    where: _Where, value: Any, kinds: tuple[str, ...], groups: set[str]
) -> tuple[Source, ...]:
    key = "id_from" if kinds is ID_KINDS else "dest_from"
    items = value if isinstance(value, list) else [value]
    expected = ", ".join(f"{kind}:<{'n' if kind == 'dns_label' else 'name'}>" for kind in kinds)
    expected += " or none"
    sources = []
    for item in items:
        if item == "none" and len(items) == 1:
            return ()
        kind, _, arg = item.partition(":") if isinstance(item, str) else ("", "", "")
        if kind not in kinds or not arg:
            raise where.error(f"bad source {item!r}; expected {expected}", key=key)
        if kind == "path" and arg not in groups:
            raise where.error(f"`path` has no named group {arg!r} (write (?P<{arg}>...))", key=key)
        if kind == "dns_label" and not re.fullmatch(r"-?[0-9]{1,2}", arg):
            raise where.error(f"bad source {item!r}; dns_label takes a label index", key=key)
        sources.append(Source(kind, arg))
    return tuple(sources)


def _compile(where: _Where, pattern: Any, key: str) -> SafePattern:
    """Compile a catalogue regex, refusing ones that could backtrack for ever."""
    if not isinstance(pattern, str) or not pattern:
        raise where.error("must be a non-empty regex string", key=key)
    try:
        return compile_pattern(pattern)
    except re.error as error:
        raise where.error(f"invalid regex: {error}", key=key) from None
    except UnsafePattern as error:
        raise where.error(f"unsafe regex: {error}", key=key) from None
