"""Address safety: never let an article make adlint talk to the machine's own network.

A link checker run in CI is a server-side request forger for whoever writes the articles:
`http://169.254.169.254/` reads cloud credentials, `http://10.0.0.5/admin` pokes the intranet.
So every host is resolved here, *every* resolved address is judged (one private record is
enough to refuse: DNS rebinding answers with a mix), and the connection is then made to the
judged address itself, so a second DNS answer cannot swap it (`GuardedBackend`). The same
check runs before the first request and before every redirect hop.

Lookups run at most `LOOKUPS` at a time, each under the guard's own time limit counted from
when it gets a slot; the caller (`Requester._vet`) also clips it to what is left of the URL's
time, and pauses the URL's clock while the lookup waits for a slot.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx

from adlint.links.resolver import LOOKUPS, Resolver

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
AddressPolicy = Callable[[IPAddress], "str | None"]
"""Returns why an address is refused, or None when it may be contacted."""

_NUMERIC_HOST = re.compile(r"^[0-9a-fx.]+$", re.IGNORECASE)
_DEFINITIVE_DNS = {
    getattr(socket, name)
    for name in ("EAI_NONAME", "EAI_NODATA", "EAI_ADDRFAMILY")
    if hasattr(socket, name)
}


class UnsafeAddress(Exception):
    """The host resolves to an address the policy refuses."""


class DnsFailure(Exception):
    """The host could not be resolved; `definitive` when the name does not exist."""

    def __init__(self, message: str, *, definitive: bool) -> None:
        super().__init__(message)
        self.definitive = definitive


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address hidden in an IPv4-mapped, 6to4 or NAT64 IPv6 address."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in ipaddress.IPv6Network("64:ff9b::/96"):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


_SPECIAL_PURPOSE = tuple(
    (ipaddress.ip_network(network), label)
    for network, label in (
        ("0.0.0.0/8", "this-network"),
        ("10.0.0.0/8", "private"),
        ("100.64.0.0/10", "shared (carrier-grade NAT)"),
        ("127.0.0.0/8", "loopback"),
        ("169.254.0.0/16", "link-local"),
        ("172.16.0.0/12", "private"),
        ("192.0.0.0/24", "IETF protocol assignment"),
        ("192.0.2.0/24", "documentation"),
        ("192.88.99.0/24", "6to4 relay anycast"),
        ("192.168.0.0/16", "private"),
        ("198.18.0.0/15", "benchmarking"),
        ("198.51.100.0/24", "documentation"),
        ("203.0.113.0/24", "documentation"),
        ("224.0.0.0/4", "multicast"),
        ("240.0.0.0/4", "reserved"),
        ("::/127", "unspecified or loopback"),
        ("64:ff9b:1::/48", "local-use NAT64"),
        ("100::/64", "discard-only"),
        ("2001::/23", "IETF protocol assignment"),
        ("2001:db8::/32", "documentation"),
        ("3fff::/20", "documentation"),
        ("5f00::/16", "segment routing"),
        ("fc00::/7", "unique local"),
        ("fe80::/10", "link-local"),
        ("fec0::/10", "site-local"),
        ("ff00::/8", "multicast"),
    )
)
"""IANA's special-purpose ranges (RFC 6890 registries) that no public web page lives in,
checked whatever the running Python's `ipaddress` tables say: they change between
versions (3.11 deems fec0::/10, 192.0.0.8-255 and 192.88.99.0/24 global)."""


def default_policy(ip: IPAddress) -> str | None:
    """Refuse everything that is not a globally routable unicast address."""
    if isinstance(ip, ipaddress.IPv6Address) and (inner := _embedded_ipv4(ip)) is not None:
        reason = default_policy(inner)
        return f"{reason} (embedded in {ip})" if reason else None
    for label, flag in (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
    ):
        if flag:
            return f"{label} address {ip}"
    for network, label in _SPECIAL_PURPOSE:
        if ip in network:  # an address never matches a network of the other family
            return f"{label} address {ip}"
    if not ip.is_global:
        return f"non-public address {ip}"
    return None


def allow_all(ip: IPAddress) -> str | None:
    """The policy behind `allow_private=True`."""
    return None


def literal_address(host: str) -> IPAddress | None:
    """Parse an IP literal, including the inet_aton forms browsers and libc still accept:
    `2130706433`, `0177.0.0.1`, `0x7f.1` are all 127.0.0.1."""
    try:
        return ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        pass
    if _NUMERIC_HOST.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


Answer = asyncio.Future[tuple[IPAddress, ...]]
"""A host's lookup in progress or done: its addresses, or DnsFailure."""


@dataclass
class _Lookup:
    """One host's lookup, shared by every URL on that host."""

    begun: asyncio.Event
    """Set once the lookup holds a slot (or needed none): waiting before that is queueing."""
    result: Answer


class AddressGuard:
    """Resolves hosts once per run and judges every address against a policy."""

    def __init__(
        self,
        resolver: Resolver,
        policy: AddressPolicy = default_policy,
        *,
        timeout: float = 5.0,
        lookups: int = LOOKUPS,
    ) -> None:
        self.resolver = resolver
        self.policy = policy
        self.timeout = timeout
        """Seconds one lookup may take once it has a slot; `Requester._vet` clips it to the
        time left for the URL that asked."""
        self._slots = asyncio.Semaphore(lookups)
        self._lookups: dict[str, _Lookup] = {}
        self.names_found: set[str] = set()
        """Host names (not address literals) that resolved."""
        self.names_missing: set[str] = set()
        """Host names the resolver said do not exist."""

    async def begin(self, host: str) -> Answer:
        """The lookup of `host`, once it is under way or done. Until then it waits for a
        lookup slot: queueing, which measures how many hosts the run has, not this one."""
        lookup = self._lookup(host)
        await lookup.begun.wait()
        return lookup.result

    async def addresses(self, host: str, lookup: Answer | None = None) -> tuple[IPAddress, ...]:
        """The host's addresses, all allowed by the policy; raises UnsafeAddress, DnsFailure.
        `lookup` is the one `begin` returned: had it failed already, a fresh one would be
        started and queued. Cancelling the wait (a URL out of time) leaves the lookup running
        for the others."""
        addresses = await asyncio.shield(lookup or self._lookup(host).result)
        for ip in addresses:
            reason = self.policy(ip)
            if reason:
                raise UnsafeAddress(f"refused {reason}" + ("" if str(ip) == host else f" ({host})"))
        return addresses

    def _lookup(self, host: str) -> _Lookup:
        """The host's lookup, started if there is none yet or the last one failed (a failed
        lookup may succeed on a retry)."""
        lookup = self._lookups.get(host)
        if lookup is None or (lookup.result.done() and _failed(lookup.result)):
            begun = asyncio.Event()
            result = asyncio.ensure_future(self._resolve(host, begun))
            result.add_done_callback(lambda _: begun.set())  # never leave a waiter behind
            result.add_done_callback(_failed)  # retrieved even when every URL gave up on it
            lookup = self._lookups[host] = _Lookup(begun, result)
        return lookup

    async def _resolve(self, host: str, begun: asyncio.Event) -> tuple[IPAddress, ...]:
        literal = literal_address(host)
        if literal is not None:
            return (literal,)
        await self._slots.acquire()
        begun.set()
        # The slot is freed when the resolver returns, not when the wait below gives up: a
        # system lookup keeps its thread until libc gives up, and the thread is the slot.
        answer = asyncio.ensure_future(self.resolver(host))
        answer.add_done_callback(self._free_slot)
        try:
            found = await asyncio.wait_for(asyncio.shield(answer), self.timeout)
        except asyncio.TimeoutError:  # noqa: UP041 (not the builtin on Python 3.10)
            raise DnsFailure("DNS lookup timed out", definitive=False) from None
        except socket.gaierror as exc:
            definitive = exc.errno in _DEFINITIVE_DNS
            if definitive:
                self.names_missing.add(host)
            raise DnsFailure(f"DNS lookup failed: {exc.strerror}", definitive=definitive) from exc
        except UnicodeError as exc:
            raise DnsFailure(f"invalid host name: {exc}", definitive=True) from exc
        unique = dict.fromkeys(ipaddress.ip_address(ip.split("%", 1)[0]) for ip in found)
        if not unique:
            raise DnsFailure("DNS lookup returned no address", definitive=True)
        self.names_found.add(host)
        return tuple(unique)

    def _free_slot(self, answer: asyncio.Future[Sequence[str]]) -> None:
        self._slots.release()
        _failed(answer)


def _failed(future: asyncio.Future[Any]) -> bool:
    """Whether a finished future failed; reading its exception also keeps asyncio from
    logging "exception was never retrieved" for a lookup nobody waited for to the end."""
    return future.cancelled() or future.exception() is not None


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Connects to the addresses the guard approved, never to a fresh DNS answer.

    httpcore passes the URL's host name to `start_tls`, so SNI and certificate checks still
    use the name while the socket is pinned to the judged IP.
    """

    def __init__(self, guard: AddressGuard) -> None:
        self.guard = guard
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self.guard.addresses(host)
        error: Exception | None = None
        for ip in addresses:
            try:
                return await self.inner.connect_tcp(
                    str(ip), port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError as exc:
                error = exc
        assert error is not None
        raise error

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.AsyncNetworkStream:
        raise UnsafeAddress("unix sockets are never used by the link checker")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with its connection pool rebuilt on a `GuardedBackend`.

    httpx does not expose the network backend, so the pool it builds is replaced by an
    identical one (same public httpcore arguments) that connects through the guard.
    Proxies are not supported: a proxy would make the guard judge the proxy, not the target.
    """

    def __init__(self, guard: AddressGuard, *, http2: bool, limits: httpx.Limits) -> None:
        super().__init__(http2=http2, limits=limits, trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=http2,
            network_backend=GuardedBackend(guard),
        )
