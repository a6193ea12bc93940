"""The address guard: refused before any connection, on every hop, unless allowed."""

from __future__ import annotations

import asyncio
import ipaddress
import subprocess
import sys
from dataclasses import replace

import pytest

from adlint.links import LinkOptions, check_urls
from adlint.links.guard import (
    AddressGuard,
    DnsFailure,
    IPAddress,
    allow_all,
    default_policy,
    literal_address,
)
from adlint.links.resolver import SystemResolver

from .conftest import LocalServer, redirect
from .localdns import LocalDns

REFUSED_HOSTS = [
    "127.0.0.1",
    "10.0.0.1",
    "169.254.169.254",
    "[::1]",
    "[::ffff:127.0.0.1]",
    "2130706433",
    "0177.0.0.1",
    "0x7f.0.0.1",
    "0.0.0.0",
    "224.0.0.1",
]


@pytest.mark.parametrize("host", REFUSED_HOSTS)
def test_default_guard_refuses_without_connecting(
    host: str, server: LocalServer, options: LinkOptions
) -> None:
    url = f"http://{host}:{server.port}/admin"
    [result] = check_urls([url], replace(options, allow_private=False)).values()
    assert result.verdict == "unsafe" and result.reason.startswith("refused ")
    assert result.attempts == 0 and server.count() == 0


def test_allow_private_reaches_the_local_server(server: LocalServer, options: LinkOptions) -> None:
    [result] = check_urls([server.url("/admin")], replace(options, allow_private=True)).values()
    assert result.verdict == "ok" and server.count("/admin") == 1


def only_first_loopback(ip: IPAddress) -> str | None:
    """Stands in for "127.0.0.1 is a public host"; everything else gets the real policy."""
    return None if ip == ipaddress.ip_address("127.0.0.1") else default_policy(ip)


@pytest.mark.parametrize("target", ["http://10.0.0.1/", "http://169.254.169.254/latest/"])
def test_redirect_to_a_private_address_is_refused(
    target: str, server: LocalServer, options: LinkOptions
) -> None:
    url = server.route("/out", redirect(target))
    [result] = check_urls([url], options, policy=only_first_loopback).values()
    assert result.verdict == "unsafe" and result.final_url == target
    assert result.chain == (target,) and result.attempts == 1


def test_redirect_to_another_loopback_host_is_refused(
    server: LocalServer, other_server: LocalServer, options: LinkOptions
) -> None:
    url = server.route("/out", redirect(other_server.url("/internal")))
    [result] = check_urls([url], options, policy=only_first_loopback).values()
    assert result.verdict == "unsafe" and "127.0.0.2" in result.reason
    assert other_server.count() == 0


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
     "0.0.0.0", "224.0.0.251", "240.0.0.1", "255.255.255.255", "::1", "::", "fe80::1",
     "fc00::1", "ff02::1", "::ffff:10.0.0.1", "2002:a00:1::", "64:ff9b::7f00:1"],
)  # fmt: skip
def test_default_policy_refuses_non_public_addresses(address: str) -> None:
    assert default_policy(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", ["8.8.8.8", "151.101.1.69", "2606:4700::1111"])
def test_default_policy_allows_public_addresses(address: str) -> None:
    assert default_policy(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    ("address", "label"),
    [("fec0::1", "site-local"), ("192.0.0.8", "IETF protocol assignment"),
     ("192.0.0.255", "IETF protocol assignment"), ("192.88.99.1", "6to4 relay anycast"),
     ("100.64.0.1", "shared (carrier-grade NAT)"),
     ("100.127.255.254", "shared (carrier-grade NAT)")],
)  # fmt: skip
def test_special_purpose_ranges_are_refused_whatever_python_thinks(
    address: str, label: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ip = ipaddress.ip_address(address)
    for flag in ("is_private", "is_reserved", "is_link_local", "is_loopback", "is_multicast"):
        monkeypatch.setattr(type(ip), flag, False)  # a Python whose tables miss every range
    monkeypatch.setattr(type(ip), "is_global", True)
    assert default_policy(ip) == f"{label} address {address}"


def test_redirect_to_a_site_local_ipv6_address_is_refused(
    server: LocalServer, options: LinkOptions
) -> None:
    target = "http://[fec0::1]:8080/"
    [result] = check_urls(
        [server.route("/out", redirect(target))], options, policy=only_first_loopback
    ).values()
    assert result.verdict == "unsafe" and result.reason.endswith("site-local address fec0::1")


@pytest.mark.parametrize(
    ("host", "expected"),
    [("2130706433", "127.0.0.1"), ("0177.0.0.1", "127.0.0.1"), ("0x7f.1", "127.0.0.1"),
     ("127.1", "127.0.0.1"), ("[::1]", "::1"), ("example.com", None), ("cafe.be", None)],
)  # fmt: skip
def test_literal_address_reads_every_numeric_form(host: str, expected: str | None) -> None:
    parsed = literal_address(host)
    assert (str(parsed) if parsed else None) == expected


@pytest.mark.parametrize(
    "host",
    ["localhost", "LocalHost", "127.1", "0x7f000001", "017700000001", "0", "[::ffff:7f00:1]",
     "[0:0:0:0:0:ffff:127.0.0.1]", "[::127.0.0.1]"],
)  # fmt: skip
def test_other_spellings_of_this_machine_are_refused(
    host: str, server: LocalServer, options: LinkOptions
) -> None:
    """Names that resolve to loopback and the shorthand forms libc accepts are judged on the
    address they reach, so none of them gets through."""
    url = f"http://{host}:{server.port}/admin"
    [result] = check_urls([url], replace(options, allow_private=False)).values()
    assert result.verdict == "unsafe" and result.reason.startswith("refused "), result
    assert result.attempts == 0 and server.count() == 0


def test_a_lookup_keeps_its_slot_until_the_resolver_answers(dns: LocalDns) -> None:
    """The guard's limit ends the wait, not the lookup: a system lookup holds its thread until
    libc gives up, so with one slot the next lookup starts when the answer came, not when the
    guard stopped waiting for it."""
    own, answer_after = 0.1, 0.5
    dns.records["slow.test"] = ("127.0.0.1", answer_after)
    dns.records["next.test"] = ("127.0.0.2", 0.0)

    async def lookups() -> tuple[IPAddress, ...]:
        guard = AddressGuard(dns.resolver, allow_all, timeout=own, lookups=1)
        with pytest.raises(DnsFailure, match="DNS lookup timed out"):
            await guard.addresses("slow.test")
        return await guard.addresses("next.test")

    assert asyncio.run(lookups()) == (ipaddress.ip_address("127.0.0.2"),)
    slow, after = dns.queries
    assert (slow.name, after.name) == ("slow.test", "next.test")
    assert after.at - slow.at >= answer_after


def test_a_failed_lookup_is_asked_again(dns: LocalDns) -> None:
    async def twice() -> tuple[IPAddress, ...]:
        guard = AddressGuard(dns.resolver, allow_all, timeout=0.2)
        with pytest.raises(DnsFailure, match="DNS lookup timed out"):
            await guard.addresses("late.test")
        dns.records["late.test"] = ("127.0.0.3", 0.0)
        return await guard.addresses("late.test")

    assert asyncio.run(twice()) == (ipaddress.ip_address("127.0.0.3"),)
    assert dns.count("late.test") == 2


def test_the_system_resolver_reads_the_hosts_file() -> None:
    """The real getaddrinfo, on a thread of its own: `localhost` is in every /etc/hosts."""
    found = asyncio.run(SystemResolver()("localhost"))
    assert found and all(ipaddress.ip_address(a).is_loopback for a in found)


HUNG_LOOKUP = """
import asyncio, socket, sys, time
from adlint.links.resolver import SystemResolver

dead = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
dead.bind(("127.0.0.1", 0))  # a name server that never answers

def getaddrinfo(host, port, **kwargs):
    asker = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    asker.settimeout(60)  # as long as libc's timeouts times its attempts can be
    asker.sendto(host.encode(), dead.getsockname())
    asker.recv(512)  # waits the whole minute

async def main():
    try:
        await asyncio.wait_for(SystemResolver(getaddrinfo)("hung.example"), 0.2)
    except TimeoutError:
        print("gave up", flush=True)

asyncio.run(main())
"""


def test_a_hung_lookup_does_not_hold_the_process_at_exit() -> None:
    """getaddrinfo cannot be interrupted. On a ThreadPoolExecutor's thread, Python joined
    the hung lookup at exit: a run whose links were all judged waited out libc's timeouts.
    The subprocess's time limit detects that hang (10 s against the lookup's 60 s)."""
    done = subprocess.run(
        [sys.executable, "-c", HUNG_LOOKUP], capture_output=True, text=True, timeout=10
    )
    assert (done.returncode, done.stdout) == (0, "gave up\n"), done.stderr
