"""Remember every file read while a policy is built, so the result cache can key on them.

A cached lint result is only as good as the policy that made it. Hashing the files the
policy was built from (config, `--policy` files, everything they extend, network
catalogues, ads.txt files) catches any change, including in a file three `extends` away,
without having to describe a built policy (compiled patterns, closures) in a stable way.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_recording: list[list[tuple[str, bytes]]] = []


MAX_SOURCE = 5 * 1024 * 1024
"""Bytes a source may have: MAX_YAML's 5 MB (no policy, catalogue or ads.txt needs more)."""


class SourceRefused(OSError):
    """A source that is not a regular file, or is larger than MAX_SOURCE: never read."""

    def __str__(self) -> str:
        return self.strerror or "refused"


def read_source(path: Path, *, errors: str = "strict") -> str:
    """`path.read_text(encoding="utf-8")` (newlines translated alike), noted in every active
    recording.

    Paths come from configs a pull request may write (`ads_txt: /dev/zero`, a committed
    symlink to a huge file): only a regular file of at most MAX_SOURCE bytes is read, and
    it is opened without blocking, so a FIFO cannot hang the run. Raises SourceRefused.
    """
    data = _read_bounded(path)
    if _recording:
        entry = (str(path.resolve()), hashlib.blake2b(data, digest_size=16).digest())
        for log in _recording:
            log.append(entry)
    return data.decode("utf-8", errors).replace("\r\n", "\n").replace("\r", "\n")


def _read_bounded(path: Path) -> bytes:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)  # of what was opened: no swap between a check and the read
        if not stat.S_ISREG(info.st_mode):
            raise SourceRefused(errno.EINVAL, "not a regular file", str(path))
        data = handle.read(MAX_SOURCE + 1)  # st_size may be stale, or lie (/proc)
    if len(data) > MAX_SOURCE:
        raise SourceRefused(errno.EFBIG, f"larger than {MAX_SOURCE // 2**20} MB", str(path))
    return data


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
