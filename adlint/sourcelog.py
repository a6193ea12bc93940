"""Remember every file read while a policy is built, so the result cache can key on them.

A cached lint result is only as good as the policy that made it. Hashing the files the
policy was built from (config, `--policy` files, everything they extend, network
catalogues, ads.txt files) catches any change, including in a file three `extends` away,
without having to describe a built policy (compiled patterns, closures) in a stable way.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_recording: list[list[tuple[str, bytes]]] = []


def read_source(path: Path, *, errors: str = "strict") -> str:
    """`path.read_text(encoding="utf-8")` (newlines translated alike), noted in every active
    recording."""
    data = path.read_bytes()
    if _recording:
        entry = (str(path.resolve()), hashlib.blake2b(data, digest_size=16).digest())
        for log in _recording:
            log.append(entry)
    return data.decode("utf-8", errors).replace("\r\n", "\n").replace("\r", "\n")


@contextmanager
def recording() -> Iterator[list[tuple[str, bytes]]]:
    """Collect (resolved path, content digest) of each source read inside the block."""
    log: list[tuple[str, bytes]] = []
    _recording.append(log)
    try:
        yield log
    finally:
        _recording.remove(log)


def digest_of(log: list[tuple[str, bytes]]) -> str:
    """One digest over a recording, in read order (order changes the merged policy)."""
    hasher = hashlib.blake2b(digest_size=16)
    for path, content in log:
        hasher.update(path.encode("utf-8", "surrogatepass") + b"\0" + content)
    return hasher.hexdigest()
