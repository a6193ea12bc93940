"""The two exceptions that cross module boundaries (a bad policy, an unreadable file), and
how a bug in adlint itself is reported."""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePath
from typing import BinaryIO


class PolicyError(Exception):
    """A policy or config the user wrote is wrong; the CLI prints it and exits 2.

    The message always leads with `file:line:` so editors can jump to it, then names the
    rule and the key at fault when there is one.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        rule: str | None = None,
        key: str | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.rule = rule
        self.key = key
        self.reason = message
        super().__init__(self.render())

    def render(self) -> str:
        """Format as `file:line: rule "id": key "k": reason`, on one printable line.

        Rule ids, keys, paths and quoted values come from YAML a pull request may have
        written, and the runner reads workflow commands from stderr too: a rule id holding
        a newline and `::error ...` would forge an annotation. `printable` turns line breaks
        and other controls into U+FFFD, as for article text on stdout.
        """
        from adlint.formats import printable  # formats import errors' users: import late

        parts = []
        if self.path:
            parts.append(f"{self.path}:{self.line}:" if self.line else f"{self.path}:")
        if self.rule:
            parts.append(f'rule "{self.rule}":')
        if self.key:
            parts.append(f'key "{self.key}":')
        parts.append(self.reason)
        return printable(" ".join(parts))


def flag_error(flag: str, reason: str) -> PolicyError:
    """A usage error in a command-line argument, worded as argparse words its own
    (`argument --top: ...`), which names what the user typed rather than a config key."""
    return PolicyError(f"argument {flag}: {reason}")


def require_flag_file(path: PurePath, flag: str) -> None:
    """Refuse a file named by a flag (`--config`, `--policy`) that is not there or is no
    regular file, before anything is read, worded as the other flag errors are."""
    target = Path(path)
    if target.is_file():
        return
    if target.is_dir():
        raise flag_error(flag, f"{path} is a directory, not a file")
    if target.exists():
        raise flag_error(flag, f"{path} is not a regular file")
    raise flag_error(flag, f"no such file: {path}")


MAX_NAMED_FILE_BYTES = 512 * 1024 * 1024
"""The most `read_named_file` reads of a baseline or a shard's report (512 MiB).

Both were read whole: `adlint merge /dev/zero` (or a disk image, a core dump, a log
uploaded as a shard's artifact by mistake) grew until memory ran out. No adlint output comes
near: a JSON finding takes about 600 bytes (some 900,000 findings per shard), SARIF keeps
at most 25,000 results and a baseline entry takes about 250 bytes. A larger file is
refused at once when its size is known, and after reading one byte past the cap when it
is not (a pipe, a device)."""

_CHUNK_BYTES = 1024 * 1024
"""How much is asked for at a time from a file of unknown size (a pipe, a device)."""


def read_named_file(path: Path, what: str, *, limit: int = MAX_NAMED_FILE_BYTES) -> bytes:
    """The bytes of a file the user named for a command to read (a baseline, a shard's
    report), at most `limit`, or a PolicyError on that path saying why not, worded alike for
    every such file."""
    if path.is_dir():
        raise PolicyError(f"is a directory, not {what}", path=str(path))
    try:
        with path.open("rb") as handle:
            data = _read_at_most(handle, limit)
    except FileNotFoundError:
        raise PolicyError("no such file", path=str(path)) from None
    except OSError as error:
        reason = (error.strerror or type(error).__name__).lower()
        raise PolicyError(f"cannot read: {reason}", path=str(path)) from None
    if data is None:
        raise PolicyError(f"is larger than {_size(limit)}: not {what}", path=str(path))
    return data


def _read_at_most(handle: BinaryIO, limit: int) -> bytes | None:
    """All of an open file, or None when it holds more than `limit` bytes.

    A regular file's size is known: one larger is refused unread, and one that is not is
    read with one request of that size (a file growing meanwhile is read on, up to the
    cap). Anything else is read a chunk at a time until its end or the cap.
    """
    info = os.fstat(handle.fileno())
    size = info.st_size if stat.S_ISREG(info.st_mode) else 0
    if size > limit:
        return None
    parts: list[bytes] = []
    total = 0
    while total <= limit:
        part = handle.read(min(max(size + 1 - total, _CHUNK_BYTES), limit + 1 - total))
        if not part:
            break
        parts.append(part)
        total += len(part)
    if total > limit:
        return None
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _size(limit: int) -> str:
    """A byte count as the size error words it: `512 MiB` when whole mebibytes."""
    mebibytes, rest = divmod(limit, 1024 * 1024)
    return f"{mebibytes:,} MiB" if mebibytes and not rest else f"{limit:,} bytes"


class ParseError(Exception):
    """A file could not be read or decoded; the engine turns it into a `parse-error` finding."""

    def __init__(self, reason: str, *, line: int = 1, column: int = 1) -> None:
        self.reason = reason
        self.line = line
        self.column = column
        super().__init__(reason)


DEBUG_VARIABLE = "ADLINT_DEBUG"
_PACKAGE = PurePath(__file__).parent


def raise_internal_errors() -> bool:
    """Whether a bug in adlint raises (with its traceback) rather than becoming a finding.

    By default an exception that adlint did not expect, in a parser or a rule, is reported
    on the file it happened on and the run goes on, as for any file that cannot be parsed:
    one odd article must not stop a site's audit. `ADLINT_DEBUG=1` restores the traceback
    for bug reports; the test suite sets it, so that bugs fail tests instead of hiding in
    findings.
    """
    return os.environ.get(DEBUG_VARIABLE, "") not in ("", "0")


def internal_error(error: BaseException) -> str:
    """One line on a bug in adlint: the exception, and where in adlint it was raised."""
    import traceback  # 5-10 ms to import: only once a bug has been met

    text = " ".join(str(error).split())[:200]
    where = ""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        path = PurePath(frame.filename)
        if path.is_relative_to(_PACKAGE):
            where = f" at {PurePath(_PACKAGE.name, path.relative_to(_PACKAGE)).as_posix()}"
            where += f":{frame.lineno}"
            break
    from adlint.formats import printable

    text = printable(text)  # an exception's text may quote an article or a policy
    return (
        f"internal error {type(error).__name__}{': ' if text else ''}{text}{where} "
        f"(a bug in adlint: please report it; {DEBUG_VARIABLE}=1 shows the traceback)"
    )
