"""Host-name resolution for the address guard, kept apart so it can be replaced.

The guard asks a `Resolver` for a host's addresses and judges them itself; runs use the
operating system's (`SystemResolver`), tests a stub that asks a DNS server on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

Resolver = Callable[[str], Awaitable[Sequence[str]]]
"""Resolves a host name to IP address strings, raising socket.gaierror as getaddrinfo does.
It must give up on its own, as getaddrinfo does after resolv.conf's timeouts: a lookup keeps
its slot until it returns, even when the guard has stopped waiting for it. Runs use
`SystemResolver`; tests pass one that asks a DNS server they run on 127.0.0.1."""

LOOKUPS = 16
"""Host-name lookups in flight at once (and `SystemResolver` threads). A run starts the lookup
of every host at once; were they all handed to a thread pool, the later ones would spend
their time limit queued behind the others and time out on a large site however fast DNS is."""


class SystemResolver:
    """The operating system's resolver (getaddrinfo: /etc/hosts, nsswitch, resolv.conf), each
    lookup on a daemon thread of its own.

    getaddrinfo cannot be interrupted: a hung lookup holds its thread until libc gives up
    (resolv.conf's timeouts times its attempts: 10 s and more). On the event loop's default
    executor such threads queued the other lookups; on a ThreadPoolExecutor's, Python joins
    them at exit, so a run whose links were all judged still waited for them before it
    ended. A daemon thread is not waited for. The guard runs at most `LOOKUPS` lookups at
    once and each host's once per run, so a thread per lookup (~0.1 ms to start, against a
    DNS round trip) needs no pool.
    """

    def __init__(self, getaddrinfo: Callable[..., Sequence[Any]] = socket.getaddrinfo) -> None:
        self.getaddrinfo = getaddrinfo
        """`socket.getaddrinfo`; a test gives one that waits on a real socket for ever."""

    async def __call__(self, host: str) -> list[str]:
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[list[str]] = loop.create_future()
        thread = threading.Thread(
            target=self._look_up, args=(host, loop, answer), name="adlint-dns", daemon=True
        )
        thread.start()
        return await answer

    def _look_up(
        self, host: str, loop: asyncio.AbstractEventLoop, answer: asyncio.Future[list[str]]
    ) -> None:
        """Resolve on this thread and hand the answer (or the error) to the waiting lookup."""
        found: list[str] | None = None
        error: BaseException | None = None
        try:
            infos = self.getaddrinfo(host, None, type=socket.SOCK_STREAM)
            found = [str(info[4][0]) for info in infos]
        except BaseException as raised:  # raised where the lookup is awaited
            error = raised
        with contextlib.suppress(RuntimeError):  # the loop closed while this lookup hung
            loop.call_soon_threadsafe(_settle, answer, found, error)

    def close(self) -> None:
        """Nothing to wait for: a lookup still running ends with its thread or the process."""


def _settle(
    answer: asyncio.Future[list[str]], found: list[str] | None, error: BaseException | None
) -> None:
    if answer.done():  # cancelled: the run ended while it was looked up
        return
    if error is not None:
        answer.set_exception(error)
    else:
        answer.set_result(found or [])
