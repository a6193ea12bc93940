"""Check each unique outbound URL once: the only module of adlint that touches the network.

Stages, as in lychee: normalise and dedupe, exclude, answer from the cache, check the rest
concurrently with one httpx client, store durable verdicts. Redirects are followed here,
hop by hop, so every hop passes the address guard and the chain is recorded: a redirect to
another registered domain is how cloaked affiliate links are revealed.
"""

from __future__ import annotations

import importlib.util
import sys
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from adlint.links.cache import open_cache
from adlint.links.options import LinkOptions, LinkStatus
from adlint.links.progress import Progress
from adlint.links.url import host_of, normalise_url
from adlint.pattern import compile_pattern, search_any
from adlint.urls import registered_domain

if TYPE_CHECKING:
    from adlint.links.guard import AddressPolicy
    from adlint.links.request import Deadline, Hop, Requester
    from adlint.links.resolver import Resolver

if importlib.util.find_spec("sniffio") is None:
    # httpcore runs `import sniffio` on every request; when it is not installed each failed
    # import rescans sys.path (1.5 s of CPU per 1,000 URLs, measured). A None entry in
    # sys.modules makes that import fail at once, which is all httpcore needs to pick asyncio.
    sys.modules.setdefault("sniffio", None)  # type: ignore[assignment]

_BLOCKED = frozenset({401, 403, 407, 451, 999})
"""Answers that say "not to you", not "gone": reported as unreachable (research §3.2)."""


def check_urls(
    urls: Iterable[str],
    options: LinkOptions,
    *,
    progress: bool | None = None,
    policy: AddressPolicy | None = None,
    resolver: Resolver | None = None,
    normalised: bool = False,
) -> dict[str, LinkStatus]:
    """Check every URL once; results are keyed by `normalise_url(url)`.

    Non-http(s) URLs come back as "skipped" under their own spelling. `policy` replaces the
    address guard's policy (tests use it to stand in for a public host), `resolver` the
    system resolver (tests point it at a DNS server on 127.0.0.1). `normalised` says the URLs
    already went through `normalise_url` and are unique (the link stage's list).
    """
    results, todo = _plan(urls, options, normalised=normalised)
    cache = open_cache(options)
    try:
        cached = cache.load(todo, options.cache_max_age) if cache else {}
        bar = Progress(len(todo), enabled=progress)
        for status in cached.values():
            bar.advance(status)
        pending = [url for url in todo if url not in cached]
        fresh = _run(_check_all(pending, options, bar, policy, resolver)) if pending else {}
        bar.close()
        if cache:
            cache.store(fresh.values())
    finally:
        if cache:
            cache.close()
    return {**results, **cached, **fresh}


async def check_urls_async(
    urls: Iterable[str],
    options: LinkOptions,
    *,
    policy: AddressPolicy | None = None,
    resolver: Resolver | None = None,
) -> dict[str, LinkStatus]:
    """The uncached network stage for callers that already run an event loop."""
    results, todo = _plan(urls, options)
    bar = Progress(len(todo), enabled=False)
    fresh = await _check_all(todo, options, bar, policy, resolver)
    return {**results, **fresh}


def _plan(
    urls: Iterable[str], options: LinkOptions, *, normalised: bool = False
) -> tuple[dict[str, LinkStatus], list[str]]:
    """Normalise and dedupe; settle skipped and excluded URLs without any request."""
    patterns = [compile_pattern(p) for p in options.exclude]
    settled: dict[str, LinkStatus] = {}
    todo: dict[str, None] = {}
    for raw in urls:
        url = raw if normalised else normalise_url(raw)
        if url is None:
            key = raw.strip()
            settled[key] = LinkStatus(key, "skipped", None, "not an http(s) URL")
        elif url in todo or url in settled:
            continue
        elif search_any(patterns, url):
            settled[url] = LinkStatus(url, "excluded", None, "matches an exclude pattern")
        else:
            todo[url] = None
    return settled, list(todo)


def _run(coroutine: object) -> dict[str, LinkStatus]:
    """asyncio.run, or asyncio.run in a helper thread when this thread already has a loop."""
    import asyncio  # ~20 ms of import that a run answered from the cache never needs

    try:
        asyncio.get_running_loop()
        in_loop = True
    except RuntimeError:
        in_loop = False
    if not in_loop:  # outside the except block, so no exception inherits it as __context__
        return asyncio.run(coroutine)  # type: ignore[arg-type]
    import threading

    box: list[dict[str, LinkStatus]] = []
    thread = threading.Thread(target=lambda: box.append(asyncio.run(coroutine)))  # type: ignore[arg-type]
    thread.start()
    thread.join()
    return box[0]


async def _check_all(
    urls: list[str],
    options: LinkOptions,
    bar: Progress,
    policy: AddressPolicy | None,
    resolver: Resolver | None,
) -> dict[str, LinkStatus]:
    # httpx and the transport load here, not at import: a run the cache answers needs
    # neither (their import costs ~100 ms).
    import asyncio

    import httpx

    from adlint.links.guard import AddressGuard, GuardedTransport, allow_all, default_policy
    from adlint.links.request import Deadline, Requester
    from adlint.links.resolver import SystemResolver

    if policy is None:
        policy = allow_all if options.allow_private else default_policy
    system = SystemResolver()  # starts no thread until its first lookup
    guard = AddressGuard(resolver or system, policy, timeout=options.connect_timeout)
    limits = httpx.Limits(
        max_connections=options.max_concurrency, max_keepalive_connections=options.max_concurrency
    )
    timeout = httpx.Timeout(
        options.timeout, connect=options.connect_timeout, read=options.read_timeout, pool=None
    )
    headers = {"User-Agent": options.user_agent, "Accept": "text/html,*/*;q=0.8"}
    transport = GuardedTransport(guard, http2=options.http2, limits=limits)
    # trust_env=False: no proxy (the guard must judge the target) and no .netrc credentials
    # sent to whatever hosts articles link to.
    client = httpx.AsyncClient(
        transport=transport,
        timeout=timeout,
        headers=headers,
        follow_redirects=False,
        trust_env=False,
    )
    async with client:
        requester = Requester(client, guard, options)

        async def check(url: str) -> LinkStatus:
            status = await _check_one(requester, url, options, Deadline(options.url_budget))
            bar.advance(status)
            return status

        try:
            statuses = await asyncio.gather(*(check(url) for url in urls))
        finally:
            system.close()  # a hung getaddrinfo must not hold the run's end
    statuses = blame_resolver(statuses, guard.names_found, guard.names_missing)
    return {status.url: status for status in statuses}


RESOLVER_DOWN_NAMES = 3
"""Distinct host names that must all fail to resolve, with none resolving, before the
resolver rather than the links is taken to be at fault."""


def blame_resolver(
    statuses: Sequence[LinkStatus], found: set[str], missing: set[str]
) -> list[LinkStatus]:
    """When every host name of the run is said not to exist, the resolver is the likelier
    culprit (an offline laptop, a sandboxed CI runner answering NXDOMAIN to everything):
    those links become "unreachable" (a warning, and never cached) instead of "broken"
    errors that would stay in the cache for a day."""
    if found or len(missing) < RESOLVER_DOWN_NAMES:
        return list(statuses)
    warnings.warn(
        f"none of the {len(missing)} host names checked resolved: their links are reported"
        " as unreachable, not broken (is DNS working?)",
        stacklevel=2,
    )
    note = "; no host name resolved in this run (is DNS working?)"
    return [
        replace(status, verdict="unreachable", reason=status.reason + note)
        if status.verdict == "broken"
        and status.status is None
        and host_of(status.final_url or status.url) in missing
        else status
        for status in statuses
    ]


async def _check_one(
    requester: Requester, url: str, options: LinkOptions, deadline: Deadline
) -> LinkStatus:
    """Follow redirects hop by hop, detecting loops, and turn the last answer into a verdict;
    all hops share `deadline`."""
    chain: list[str] = []
    attempts = 0
    current = url
    while True:
        hop = await requester.fetch(current, deadline)
        attempts += hop.attempts
        done = dict(url=url, final_url=current, chain=tuple(chain), attempts=attempts)
        if hop.out_of_time:
            return _out_of_time(hop, deadline, **done)
        if hop.failure is not None:
            reason = _with_retries(hop.failure.reason, hop)
            return LinkStatus(verdict=hop.failure.verdict, status=None, reason=reason, **done)
        if hop.location is None:
            return _judge(hop, options, **done)
        try:  # any server writes the Location: `http://a]b/` must not stop the whole run
            target = normalise_url(urljoin(current, hop.location.strip()))
        except ValueError as exc:
            reason = f"invalid redirect location ({exc}): {hop.location[:200]}"
            return LinkStatus(verdict="broken", status=hop.status, reason=reason, **done)
        failure = None
        if target is None:
            failure = f"redirect to a non-http URL: {hop.location[:200]}"
        elif target in chain or target == url:
            failure = "redirect loop"
        elif len(chain) >= options.max_redirects:
            failure = f"too many redirects (more than {options.max_redirects})"
        if failure is not None:
            return LinkStatus(verdict="broken", status=hop.status, reason=failure, **done)
        chain.append(target)  # type: ignore[arg-type]
        current = target  # type: ignore[assignment]


def _judge(
    hop: Hop,
    options: LinkOptions,
    *,
    url: str,
    final_url: str,
    chain: tuple[str, ...],
    attempts: int,
) -> LinkStatus:
    """The verdict for a final status code."""
    from adlint.links.request import is_retryable_status  # loaded with httpx by _check_all

    status = hop.status or 0
    reason = status_reason(status)
    if status in options.accept:
        moved = chain and registered_domain(host_of(url)) != registered_domain(host_of(final_url))
        verdict = "redirected" if moved else "ok"
        if moved:
            reason = f"{reason} at {registered_domain(host_of(final_url))}"
    elif status in _BLOCKED:
        verdict, reason = "unreachable", f"{reason} (refused to the checker; not verified)"
    elif is_retryable_status(status) or status >= 500:
        verdict, reason = "unreachable", _with_retries(reason, hop)
    elif 300 <= status < 400:
        verdict, reason = "broken", f"{reason} without a Location header"
    else:
        verdict = "broken" if 400 <= status < 500 else "unreachable"
    return LinkStatus(url, verdict, status, reason, final_url, chain, attempts)


def _out_of_time(
    hop: Hop, deadline: Deadline, *, url: str, final_url: str, chain: tuple[str, ...], attempts: int
) -> LinkStatus:
    """Unreachable, never broken: a slower answer may still come, so it is not cached. The
    reason gives the limit and how far the URL got, so a user can tell a server that kept
    asking for more time from one that never answered."""
    what = hop.failure.reason if hop.failure is not None else status_reason(hop.status or 0)
    limit = f"the {deadline.seconds:g} s time limit per URL"
    counts = f"{_plural(attempts, 'attempt')}, {_plural(len(chain), 'redirect')}"
    if hop.note:
        reason = f"{what}; gave up: {hop.note} would end past {limit} ({counts})"
    else:
        reason = f"{what}; gave up at {limit} ({counts})"
    return LinkStatus(url, "unreachable", hop.status, reason, final_url, chain, attempts)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _with_retries(reason: str, hop: Hop) -> str:
    if hop.note:
        return f"{reason}; {hop.note}"
    if hop.retries:
        return f"{reason} after {hop.retries} {'retry' if hop.retries == 1 else 'retries'}"
    return reason


def status_reason(status: int) -> str:
    """`404 Not Found`; just the number for codes outside the standard."""
    from http import HTTPStatus  # loaded with httpx, which a cached run never needs

    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)
