"""A real DNS server on 127.0.0.1 (UDP, A records only) and a stub resolver that asks it.

The checker resolves through getaddrinfo, which reads the machine's resolv.conf: a test
cannot point it at a server of its own. `check_urls(resolver=...)` is the seam the run
itself uses (`SystemResolver`); `LocalDns.resolver` fills it with a client that sends a real
query over UDP and waits for the real answer, so a name the server never answers hangs the
way a dead or firewalled name server does, and a slow answer takes the time it takes.
"""

from __future__ import annotations

import asyncio
import socket
import struct
import threading
import time
from dataclasses import dataclass

_HEADER = struct.Struct("!HHHHHH")
_A, _IN = 1, 1


@dataclass(frozen=True)
class Query:
    """One question as the server received it, stamped with time.monotonic()."""

    name: str
    at: float


def encode_query(ident: int, name: str) -> bytes:
    labels = b"".join(bytes([len(part)]) + part.encode() for part in name.split("."))
    return _HEADER.pack(ident, 0x0100, 1, 0, 0, 0) + labels + b"\0" + struct.pack("!HH", _A, _IN)


def _read_name(packet: bytes, offset: int) -> tuple[str, int]:
    """An uncompressed name (all a query has) and the offset after it."""
    labels = []
    while packet[offset]:
        length = packet[offset]
        labels.append(packet[offset + 1 : offset + 1 + length].decode())
        offset += 1 + length
    return ".".join(labels), offset + 1


def decode_answer(packet: bytes) -> list[str]:
    """The A records of a reply from `LocalDns` (answers name the question by pointer)."""
    _, flags, _, answers, _, _ = _HEADER.unpack_from(packet)
    if flags & 0x000F:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    offset = _read_name(packet, _HEADER.size)[1] + 4
    found = []
    for _ in range(answers):
        kind, _, _, length = struct.unpack_from("!HHIH", packet, offset + 2)
        offset += 12
        if kind == _A:
            found.append(socket.inet_ntoa(packet[offset : offset + length]))
        offset += length
    return found


class LocalDns(asyncio.DatagramProtocol):
    """Answers the names in `records` (address, seconds to wait before answering) and never
    answers any other: the client waits until someone gives up on it."""

    def __init__(self, records: dict[str, tuple[str, float]] | None = None) -> None:
        self.records = dict(records or {})
        self.give_up = 30.0
        self.queries: list[Query] = []
        self.unanswered = 0
        self.most_unanswered = 0
        """The most questions waiting for an answer at once."""
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        endpoint = self.loop.create_datagram_endpoint(lambda: self, local_addr=("127.0.0.1", 0))
        self.transport, _ = asyncio.run_coroutine_threadsafe(endpoint, self.loop).result(10)
        self.port: int = self.transport.get_extra_info("sockname")[1]

    def count(self, name: str) -> int:
        return sum(1 for query in self.queries if query.name == name)

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:  # type: ignore[override]
        name, end = _read_name(data, _HEADER.size)
        self.queries.append(Query(name, time.monotonic()))
        if name not in self.records:
            return
        self.unanswered += 1
        self.most_unanswered = max(self.most_unanswered, self.unanswered)
        address, delay = self.records[name]
        ident = _HEADER.unpack_from(data)[0]
        reply = _HEADER.pack(ident, 0x8180, 1, 1, 0, 0) + data[_HEADER.size : end + 4]
        reply += struct.pack("!HHHIH", 0xC00C, _A, _IN, 60, 4) + socket.inet_aton(address)
        self.loop.call_later(delay, self._answer, reply, addr)

    def _answer(self, reply: bytes, addr: tuple[str, int]) -> None:
        self.unanswered -= 1
        self.transport.sendto(reply, addr)

    async def resolver(self, host: str) -> list[str]:
        """A stub resolver for `check_urls(resolver=...)`: one query, given up after
        `give_up` seconds as libc gives up (resolv.conf's timeout), longer than any test
        waits, so the checker's own limits are what end the wait."""
        loop = asyncio.get_running_loop()
        reply: asyncio.Future[bytes] = loop.create_future()

        class Client(asyncio.DatagramProtocol):
            def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:  # type: ignore[override]
                if not reply.done():
                    reply.set_result(data)

        transport, _ = await loop.create_datagram_endpoint(
            Client, remote_addr=("127.0.0.1", self.port)
        )
        try:
            transport.sendto(encode_query(id(reply) & 0xFFFF, host))
            data = await asyncio.wait_for(reply, self.give_up)
        except asyncio.TimeoutError:  # noqa: UP041 (not the builtin on Python 3.10)
            failure = "Temporary failure in name resolution"
            raise socket.gaierror(socket.EAI_AGAIN, failure) from None
        finally:
            transport.close()
        return decode_answer(data)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.transport.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()
