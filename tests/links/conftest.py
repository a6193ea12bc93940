"""A real HTTP/1.1 server on loopback, run in a thread, that records what it saw.

Hand-written on asyncio streams rather than pytest-httpserver because the tests need what a
framework hides: resets, endless bodies, slow drips, the exact time of each request and how
many were in flight at once. Every test talks only to 127.0.0.x; nothing leaves the machine.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import struct
import subprocess
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from adlint.links import LinkOptions

from .localdns import LocalDns

Handler = Callable[["Exchange"], Awaitable[None]]
REASONS = {200: "OK", 301: "Moved", 302: "Found", 404: "Not Found", 405: "Not Allowed"}


@dataclass(frozen=True)
class Hit:
    """One request as the server saw it, stamped with time.monotonic()."""

    method: str
    path: str
    at: float


class Exchange:
    """The request being answered, with helpers to answer it."""

    def __init__(self, head: str, writer: asyncio.StreamWriter) -> None:
        request_line, *lines = head.strip().split("\r\n")
        self.method, self.path, _ = request_line.split(" ", 2)
        self.headers = {
            k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines)
        }
        self.writer = writer
        self.keep_alive = True

    async def send(
        self, status: int, headers: dict[str, str] | None = None, body: bytes = b""
    ) -> None:
        head = [f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}"]
        fields = {"Content-Length": str(len(body)), **(headers or {})}
        head += [f"{k}: {v}" for k, v in fields.items()]
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode())
        if self.method != "HEAD":
            self.writer.write(body)
        await self.writer.drain()

    def reset(self) -> None:
        """Close with RST instead of FIN: the client sees "connection reset"."""
        sock = self.writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.writer.transport.abort()
        self.keep_alive = False


class LocalServer:
    """Routes by exact path; unknown paths answer 200 "ok"."""

    def __init__(self, host: str = "127.0.0.1", tls: ssl.SSLContext | None = None) -> None:
        self.host, self.tls = host, tls
        self.routes: dict[str, Handler] = {}
        self.hits: list[Hit] = []
        self.inflight = 0
        self.max_inflight = 0
        self.bytes_sent = 0
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.server = self._call(asyncio.start_server(self._serve, host, 0, ssl=tls))
        self.port = self.server.sockets[0].getsockname()[1]

    def _call(self, coroutine: Awaitable[object]) -> object:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(10)  # type: ignore[arg-type]

    def url(self, path: str) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://{self.host}:{self.port}{path}"

    def route(self, path: str, handler: Handler) -> str:
        self.routes[path] = handler
        return self.url(path)

    def count(self, path: str | None = None, method: str | None = None) -> int:
        return sum(
            1
            for hit in self.hits
            if (path is None or hit.path == path) and (method is None or hit.method == method)
        )

    def close(self) -> None:
        self._call(self._shutdown())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()

    async def _shutdown(self) -> None:
        self.server.close()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                exchange = Exchange(head.decode("latin-1"), writer)
                self.hits.append(Hit(exchange.method, exchange.path, time.monotonic()))
                self.inflight += 1
                self.max_inflight = max(self.max_inflight, self.inflight)
                try:
                    await self.routes.get(exchange.path, ok)(exchange)
                finally:
                    self.inflight -= 1
                if not exchange.keep_alive:
                    break
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()


async def ok(exchange: Exchange) -> None:
    await exchange.send(200, body=b"ok")


def status(code: int, headers: dict[str, str] | None = None) -> Handler:
    async def handler(exchange: Exchange) -> None:
        await exchange.send(code, headers)

    return handler


def redirect(location: str, code: int = 301) -> Handler:
    return status(code, {"Location": location})


def sequence(*handlers: Handler) -> Handler:
    """Answer the n-th request with the n-th handler, then repeat the last one."""
    calls = [0]

    async def handler(exchange: Exchange) -> None:
        index = min(calls[0], len(handlers) - 1)
        calls[0] += 1
        await handlers[index](exchange)

    return handler


def delayed(seconds: float, then: Handler = ok) -> Handler:
    async def handler(exchange: Exchange) -> None:
        await asyncio.sleep(seconds)
        await then(exchange)

    return handler


@pytest.fixture
def server() -> Iterator[LocalServer]:
    instance = LocalServer()
    yield instance
    instance.close()


@pytest.fixture
def other_server() -> Iterator[LocalServer]:
    """A second loopback host, so a redirect can change registered domain."""
    instance = LocalServer("127.0.0.2")
    yield instance
    instance.close()


@pytest.fixture
def dns() -> Iterator[LocalDns]:
    """A DNS server on 127.0.0.1 that answers nothing until a test adds records."""
    instance = LocalDns()
    yield instance
    instance.close()


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[LocalServer]:
    """An HTTPS server with a self-signed certificate (openssl CLI needed)."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    command += ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"]
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        pytest.skip("openssl is needed to make a self-signed certificate")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    instance = LocalServer(tls=context)
    yield instance
    instance.close()


@pytest.fixture
def options(tmp_path: Path) -> LinkOptions:
    """Loopback allowed, small timeouts and backoffs, a private cache file per test."""
    return LinkOptions(
        timeout=2.0,
        connect_timeout=1.0,
        read_timeout=1.0,
        retries=2,
        backoff_base=0.02,
        allow_private=True,
        cache_path=tmp_path / "links.sqlite",
        use_cache=False,
    )
