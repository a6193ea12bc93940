"""Host-name resolution for the address guard, kept apart so it can be replaced.

The guard asks a `Resolver` for a host's addresses and judges them itself; runs use the
operating system's (`SystemResolver`), tests a stub that asks a DNS server on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial

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
    """The operating system's resolver (getaddrinfo: /etc/hosts, nsswitch, resolv.conf), in
    `threads` threads of its own: getaddrinfo cannot be interrupted, so a hung lookup holds
    its thread until libc gives up, and must neither fill the event loop's default executor
    nor keep the run from ending (`close` does not wait for it)."""

    def __init__(self, threads: int = LOOKUPS) -> None:
        self.threads = threads
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="adlint-dns")

    async def __call__(self, host: str) -> list[str]:
        lookup = partial(socket.getaddrinfo, host, None, type=socket.SOCK_STREAM)
        infos = await asyncio.get_running_loop().run_in_executor(self._pool, lookup)
        return [str(info[4][0]) for info in infos]

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
