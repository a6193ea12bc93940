"""One hop of a link check: HEAD, GET when HEAD is not believed, retries, politeness.

HEAD is trusted only when it says yes (2xx) or points elsewhere (3xx). Every other answer
is confirmed with a GET, because servers get HEAD wrong in every way (405 and 501 from
frameworks, 403 from WAFs, 404 or 500 from routers that only know GET) and a false
"broken" costs the user more than one extra request on the few links that fail.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import ssl
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx

from adlint.links.guard import AddressGuard, DnsFailure, UnsafeAddress
from adlint.links.url import host_of

if TYPE_CHECKING:
    from adlint.links.options import LinkOptions

REDIRECTS = frozenset({301, 302, 303, 307, 308})
_RETRYABLE_4XX = frozenset({408, 425, 429})
_PERMANENT_5XX = frozenset({501, 505})
_BAD_LOCATION = "Invalid URL in location header"
"""How httpx words the RemoteProtocolError for a Location it cannot parse (httpx 0.28)."""


@dataclass(frozen=True)
class Failure:
    """No usable response: what it means and whether trying again could help."""

    verdict: str
    reason: str
    retryable: bool


_TIMED_OUT = Failure("unreachable", "timed out", True)
_LOOKUP_TIMED_OUT = Failure("unreachable", "DNS lookup timed out", True)
_NO_RETRY = "the wait for the next retry"
"""What would have passed the URL's time limit, for Hop.note, when no Retry-After was sent."""


@dataclass(frozen=True)
class Hop:
    """The outcome of requesting one URL, retries included."""

    status: int | None
    location: str | None
    failure: Failure | None
    attempts: int
    retries: int
    note: str = ""
    """Why retrying stopped early, e.g. a Retry-After beyond the cap."""
    out_of_time: bool = False
    """Stopped by the URL's time limit (`Deadline`): `note` names the wait that would have
    ended past it, and is empty when the limit cut a request short."""


class Deadline:
    """One URL's time budget (`LinkOptions.url_budget`), shared by all its hops, their DNS
    lookups and retries.

    The clock runs only while the URL is being worked on: it starts when its first lookup is
    under way (`AddressGuard.begin`) and is paused while a later lookup waits for a lookup
    slot or a request for its connection slots (global and per-host). Queueing depends on how
    many other links the run has, not on this server, and counting it would make every link
    of a large site time out.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._started: float | None = None
        self._queued = 0.0

    def got_slots(self, waited_since: float) -> None:
        """A lookup or request got its slots after waiting since `waited_since`
        (time.monotonic()); the first call starts the clock."""
        now = time.monotonic()
        if self._started is None:
            self._started = now
        else:
            self._queued += now - waited_since

    def remaining(self) -> float:
        """Seconds left; all of them before the first request starts."""
        if self._started is None:
            return self.seconds
        return self.seconds - (time.monotonic() - self._started - self._queued)

    def allows(self, delay: float) -> bool:
        """Whether a wait of `delay` seconds would end before the limit, leaving time to ask."""
        return delay < self.remaining()


class OutOfTime(Exception):
    """The URL's time limit cut a request or DNS lookup short (`sent`) or left no time to
    begin it."""

    def __init__(self, sent: bool) -> None:
        super().__init__("URL time limit reached")
        self.sent = sent


def is_retryable_status(status: int) -> bool:
    """408/425/429 and 5xx other than 501/505, which no retry will change."""
    return status in _RETRYABLE_4XX or (status >= 500 and status not in _PERMANENT_5XX)


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delay-seconds or an HTTP-date (RFC 9110)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _seconds(value: float) -> str:
    """2.0 as "2", 0.43 as "0.4": how long a wait is, to a tenth of a second."""
    return f"{round(value, 1):g}"


def _cause(exc: BaseException, kind: type[BaseException]) -> BaseException | None:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def classify_error(exc: BaseException) -> Failure:
    """Map an exception from a request to a verdict: definitive ones are "broken"."""
    if isinstance(exc, UnsafeAddress):
        return Failure("unsafe", str(exc), False)
    if isinstance(exc, DnsFailure):
        return Failure("broken" if exc.definitive else "unreachable", str(exc), not exc.definitive)
    if isinstance(exc, (asyncio.TimeoutError, TimeoutError, httpx.TimeoutException)):
        return Failure("unreachable", "timed out", True)
    if isinstance(exc, (httpx.InvalidURL, httpx.UnsupportedProtocol, httpx.LocalProtocolError)):
        return Failure("broken", f"invalid URL: {exc}", False)
    tls = _cause(exc, ssl.SSLError)
    if tls is not None:
        if isinstance(tls, ssl.SSLCertVerificationError):
            return Failure("broken", f"TLS certificate verify failed: {tls.verify_message}", False)
        return Failure("broken", f"TLS handshake failed: {tls.reason or tls}", False)
    if _cause(exc, ConnectionRefusedError) is not None:
        return Failure("unreachable", "connection refused", True)
    if isinstance(exc, httpx.ConnectError):
        return Failure("unreachable", f"connection failed: {exc}", True)
    if isinstance(exc, httpx.RemoteProtocolError):
        if str(exc).startswith(_BAD_LOCATION):  # httpx parses Location even when not following
            detail = str(exc)[len(_BAD_LOCATION) :].strip(" :.")
            return Failure("broken", f"invalid redirect location: {detail}", False)
        return Failure("unreachable", "server disconnected without a response", True)
    if isinstance(exc, (httpx.ReadError, httpx.WriteError)):
        return Failure("unreachable", "connection reset", True)
    return Failure("unreachable", f"request failed: {type(exc).__name__}: {exc}", False)


class Requester:
    """Sends requests under the global and per-host limits, with the run's one client."""

    def __init__(self, client: httpx.AsyncClient, guard: AddressGuard, options: LinkOptions):
        self.client = client
        self.guard = guard
        self.options = options
        self._global = asyncio.Semaphore(options.max_concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._rng = random.Random()

    async def fetch(self, url: str, deadline: Deadline) -> Hop:
        """Request `url` (not following redirects) until an answer, the retries run out or
        `deadline` would pass: a wait that would end past it is not slept."""
        method, attempts, retries = "HEAD", 0, 0
        while True:
            try:
                await self._vet(url, deadline)
            except OutOfTime as exc:
                failure = _LOOKUP_TIMED_OUT if exc.sent else _TIMED_OUT
                return Hop(None, None, failure, attempts, retries, "", True)
            except (UnsafeAddress, DnsFailure, httpx.InvalidURL) as exc:
                failure = classify_error(exc)
                if not failure.retryable or retries >= self.options.retries:
                    return Hop(None, None, failure, attempts, retries)
                delay = self._backoff(retries)
                if not deadline.allows(delay):
                    return Hop(None, None, failure, attempts, retries, _NO_RETRY, True)
                await asyncio.sleep(delay)
                retries += 1
                continue
            attempts += 1
            try:
                status, headers = await self._send(method, url, deadline)
            except OutOfTime as exc:
                if not exc.sent:
                    attempts -= 1
                return Hop(None, None, _TIMED_OUT, attempts, retries, "", True)
            except Exception as exc:  # every failure becomes a verdict, never a crash
                failure = classify_error(exc)
                if not failure.retryable or retries >= self.options.retries:
                    return Hop(None, None, failure, attempts, retries)
                delay = self._backoff(retries)
                if not deadline.allows(delay):
                    return Hop(None, None, failure, attempts, retries, _NO_RETRY, True)
            else:
                if status in REDIRECTS and headers.get("location"):
                    return Hop(status, headers["location"], None, attempts, retries)
                if status in self.options.accept:
                    return Hop(status, None, None, attempts, retries)
                if method == "HEAD" and status != 429:
                    method = "GET"
                    continue
                if not is_retryable_status(status) or retries >= self.options.retries:
                    return Hop(status, None, None, attempts, retries)
                wait = parse_retry_after(headers.get("retry-after"))
                if wait is not None and wait > self.options.retry_after_cap:
                    cap = self.options.retry_after_cap
                    note = f"Retry-After {wait:.0f} s exceeds the {cap:g} s cap"
                    return Hop(status, None, None, attempts, retries, note)
                delay = self._backoff(retries) if wait is None else self._after(wait)
                if not deadline.allows(delay):
                    note = _NO_RETRY if wait is None else f"Retry-After {_seconds(wait)} s"
                    return Hop(status, None, None, attempts, retries, note, True)
            await asyncio.sleep(delay)
            retries += 1

    def _backoff(self, retry: int) -> float:
        """Exponential with equal jitter: half the step fixed, half random, so clients that
        failed together do not retry together."""
        step = self.options.backoff_base * (2**retry)
        return step / 2 + self._rng.uniform(0, step / 2)

    def _after(self, wait: float) -> float:
        """Never earlier than the server asked; a little later, spread out."""
        return wait + self._rng.uniform(0, 0.1 * max(wait, self.options.backoff_base))

    async def _vet(self, url: str, deadline: Deadline) -> None:
        """Refuse before any connection, for every hop; the transport checks again. The lookup
        gets the guard's limit clipped to what is left of the URL's time (OutOfTime when that
        clipping ends it): a redirect to a host whose DNS hangs must not add the guard's
        whole limit to a URL that has almost none left."""
        host = host_of(url)
        if not host:
            raise httpx.InvalidURL("no host")
        queued = time.monotonic()
        lookup = await self.guard.begin(host)
        deadline.got_slots(queued)
        left = deadline.remaining()
        if left <= 0:
            raise OutOfTime(sent=False)
        try:
            await asyncio.wait_for(self.guard.addresses(host, lookup), left)
        except asyncio.TimeoutError:  # noqa: UP041 (not the builtin on Python 3.10)
            raise OutOfTime(sent=True) from None

    async def _send(self, method: str, url: str, deadline: Deadline) -> tuple[int, httpx.Headers]:
        """One exchange under the slots, bounded by the request timeout clipped to what is
        left of the URL's time; OutOfTime when that clipping is what ended it."""
        host = host_of(url)
        queued = time.monotonic()
        async with self._host_slot(host), self._global:
            deadline.got_slots(queued)
            left = deadline.remaining()
            if left <= 0:
                raise OutOfTime(sent=False)
            try:
                return await asyncio.wait_for(
                    self._exchange(method, url), min(self.options.timeout, left)
                )
            except asyncio.TimeoutError:  # noqa: UP041 (not the builtin on Python 3.10)
                if left < self.options.timeout:
                    raise OutOfTime(sent=True) from None
                raise

    @asynccontextmanager
    async def _host_slot(self, host: str) -> AsyncIterator[None]:
        # Taken before the global slot, so a busy host never holds global slots while waiting.
        semaphore = self._hosts.get(host)
        if semaphore is None:
            semaphore = self._hosts[host] = asyncio.Semaphore(self.options.per_host)
        async with semaphore:
            yield

    async def _exchange(self, method: str, url: str) -> tuple[int, httpx.Headers]:
        response = await self.client.send(self.client.build_request(method, url), stream=True)
        try:
            if method == "GET":
                await self._drain(response)
            return response.status_code, response.headers
        finally:
            await response.aclose()

    async def _drain(self, response: httpx.Response) -> None:
        """Read a small declared body so the connection can be reused; never more than
        max_bytes, and nothing at all when the length is unknown or too large."""
        length = response.headers.get("content-length", "")
        if not length.isdigit() or int(length) > self.options.max_bytes:
            return
        read = 0
        async for chunk in response.aiter_raw():
            read += len(chunk)
            if read >= self.options.max_bytes:
                break
