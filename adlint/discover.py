"""Find the article files to lint: named files always, directories walked with care.

Directory walks skip VCS and dependency folders, honour `.gitignore` files, never follow a
symlink twice into the same directory (no loops), and keep a stable sorted order.

Articles come from pull requests, so a walk stays inside the directory it was asked to
walk: a symlink whose target lies outside it (`docs/x.md -> ~/.ssh/id_rsa`, a folder
linked to `/`) is not followed, only named to `on_skip`; ruff does not follow directory
symlinks met in a walk and ripgrep follows none without `--follow`. Paths named on the
command line are read as asked, symlinks included. A directory or entry the walk cannot
read is not dropped: it comes out as a Target carrying the reason, which the engine
reports as that path's `parse-error`, like an unreadable file. A `.gitignore` it cannot
read is named to `on_unread`, with why: its patterns are not applied, which the user must
know, since files it ignores are then linted.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from adlint.pathmatch import matches_any

DEFAULT_EXTENSIONS = (".md", ".markdown", ".mdx", ".html", ".htm")
SKIPPED_DIRECTORIES = frozenset(
    (".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".cache")
)


@dataclass(frozen=True)
class Target:
    """A file to lint: its path on disk and the path findings report (relative, POSIX)."""

    path: Path
    display: str
    data: bytes | None = field(default=None, repr=False, compare=False)
    """The article itself when it came on standard input (`adlint check -`); `path` then
    only places it (per-path rules, relative local links) and need not exist."""
    problem: str | None = None
    """Why the walk could not read this path (a directory it may not list, say): the path
    is reported as a `parse-error` with this reason and never opened."""


def display_path(path: Path) -> str:
    """Relative to the working directory when possible, with forward slashes.

    Bytes of a file name that are not UTF-8 (Python holds them as lone surrogates, PEP 383)
    are shown as `\\xNN`, like `ls -b`: every output (JSON, SARIF, annotations, reports) must
    encode the path as UTF-8, and a lone surrogate cannot be.
    """
    try:
        shown = path.absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        shown = path.as_posix()
    try:
        return shown.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate not from undecodable bytes (Windows names)
        return shown.encode("utf-8", "backslashreplace").decode("utf-8")


MAX_IGNORE_FILE_BYTES = 100 * 1024 * 1024
"""A larger `.gitignore` is not read (with a warning), as git does (PATTERN_MAX_FILE_SIZE
in git's dir.c): no real one comes near, and one from a pull request must not fill memory."""

Unread = Callable[[str, str], None]
"""Told of an ignore file the walk found but did not read: its path (as findings show
paths) and why."""


class _GitIgnore:
    """The .gitignore patterns in force for one directory (negations supported)."""

    def __init__(
        self, parent: _GitIgnore | None, directory: Path, root: Path, on_unread: Unread
    ) -> None:
        self.parent = parent
        self.directory = directory
        self.rules: list[tuple[str, bool]] = []
        path = directory / ".gitignore"
        text, problem = _ignore_file_text(path, root)
        if problem is not None:
            on_unread(display_path(path), problem)
        for line in text.splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            negated = line.startswith("!")
            self.rules.append((line[1:] if negated else line, negated))

    def ignored(self, path: Path, is_dir: bool) -> bool:
        verdict = self.parent.ignored(path, is_dir) if self.parent else False
        relative = path.relative_to(self.directory).as_posix()
        for pattern, negated in self.rules:
            if pattern.endswith("/") and not is_dir:
                continue
            if matches_any(relative, [pattern.rstrip("/")]):
                verdict = not negated
        return verdict


def discover(
    paths: Iterable[str],
    *,
    extensions: Iterable[str] = DEFAULT_EXTENSIONS,
    exclude: Iterable[str] = (),
    on_empty: Callable[[str], None] | None = None,
    on_skip: Callable[[str], None] | None = None,
    on_unread: Unread | None = None,
) -> Iterator[Target]:
    """Yield the files to lint, in a stable order; missing paths are yielded too.

    A missing path becomes a `parse-error` finding downstream rather than an abort, so a
    typo never hides the results for the other paths. A directory that yields no file is
    passed to `on_empty`, a symlink a walk does not follow, because it leads out of the
    walked directory, to `on_skip`, and a `.gitignore` the walk finds but does not read
    (unreadable, a symlink out of the walk, not a regular file, too large), with why, to
    `on_unread`: its patterns are not applied, so files it ignores are linted (the caller
    warns; this module never prints).
    """
    suffixes = tuple(e.lower() if e.startswith(".") else f".{e.lower()}" for e in extensions)
    excluded = tuple(exclude)
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = False
            walk = _walk(path, suffixes, excluded, on_skip or _ignore, on_unread or _ignore)
            for target in walk:
                found = True
                yield target
            if not found and on_empty is not None:
                on_empty(raw)
        elif not (excluded and matches_any(display_path(path), excluded)):
            yield Target(path, display_path(path))


def _ignore(*_: str) -> None:
    """The default `on_skip` and `on_unread`: say nothing."""


def _escapes(path: Path, root: Path) -> bool:
    """Whether `path` resolves (every symlink in its chain) to somewhere outside `root`.

    `os.path.realpath` rather than `Path.resolve`: it leaves a symlink loop unresolved
    instead of raising, and the loop's own error is then reported where it is read.
    """
    return not Path(os.path.realpath(path)).is_relative_to(root)


def _walk(
    start: Path,
    suffixes: tuple[str, ...],
    excluded: tuple[str, ...],
    on_skip: Callable[[str], None],
    on_unread: Unread,
) -> Iterator[Target]:
    root = Path(os.path.realpath(start))
    seen: set[tuple[int, int]] = set()
    stack: list[tuple[Path, _GitIgnore | None]] = [(start, None)]
    while stack:
        directory, parent_ignore = stack.pop()
        try:
            info = directory.stat()
            entries = sorted(os.scandir(directory), key=lambda e: e.name, reverse=True)
        except OSError as error:
            yield _unreadable(
                directory, "cannot read this directory", error, "nothing under it was linted"
            )
            continue
        if (info.st_dev, info.st_ino) in seen:
            continue
        seen.add((info.st_dev, info.st_ino))
        ignore = _GitIgnore(parent_ignore, directory, root, on_unread)
        files = []
        for entry in entries:
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir()
            except OSError as error:  # a symlink loop, say: it could hide a folder of articles
                if not _skipped(path, False, ignore, excluded):
                    what = "cannot tell whether this is a file or a directory"
                    files.append(_unreadable(path, what, error, "it was not linted"))
                continue
            if _skipped(path, is_dir, ignore, excluded):
                continue
            if is_dir and entry.name in SKIPPED_DIRECTORIES:
                continue
            if not is_dir and not entry.name.lower().endswith(suffixes):
                continue
            if entry.is_symlink() and _escapes(path, root):
                on_skip(display_path(path))  # only articles and folders are named
            elif is_dir:
                stack.append((path, ignore))
            else:
                files.append(Target(path, display_path(path)))
        yield from reversed(files)


def _ignore_file_text(path: Path, root: Path) -> tuple[str, str | None]:
    """The text of the ignore file at `path` ("" when there is none), and why it was not
    read when it is there but unread (None otherwise).

    Opened non-blocking and judged by `fstat` on the open handle, as articles are
    (adlint/engine.py): a FIFO named `.gitignore` would block the walk for ever. A symlink
    leading out of the walk is not read, like any file outside it (`-> /dev/zero`).
    """
    if path.is_symlink() and _escapes(path, root):
        return "", "a symlink to a place outside the directory walked"
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        handle = os.open(path, flags)
    except (FileNotFoundError, NotADirectoryError):
        return "", None  # no ignore file here (or a dangling symlink, which git skips too)
    except OSError as error:
        return "", error.strerror or type(error).__name__
    info = os.fstat(handle)
    problem = _not_a_readable_ignore_file(info)
    if problem is not None:
        os.close(handle)
        return "", problem
    with os.fdopen(handle, "rb") as stream:
        try:
            data = stream.read(info.st_size + 1)  # the size fstat gave, then what it grew by
            if len(data) > info.st_size:
                data += stream.read(MAX_IGNORE_FILE_BYTES - len(data))
        except OSError as error:
            return "", error.strerror or type(error).__name__
    if len(data) >= MAX_IGNORE_FILE_BYTES:
        return "", _TOO_LARGE
    return data.decode("utf-8", errors="replace"), None


_TOO_LARGE = f"larger than {MAX_IGNORE_FILE_BYTES >> 20} MiB, which git skips too"


def _not_a_readable_ignore_file(info: os.stat_result) -> str | None:
    """Why an open ignore file is not read (a directory, a FIFO, too large), or None."""
    if stat.S_ISDIR(info.st_mode):
        return "a directory, not a file"
    if not stat.S_ISREG(info.st_mode):
        return "a FIFO, socket or device, not a regular file"
    if info.st_size >= MAX_IGNORE_FILE_BYTES:
        return _TOO_LARGE
    return None


def _skipped(path: Path, is_dir: bool, ignore: _GitIgnore, excluded: tuple[str, ...]) -> bool:
    """Ignored by a `.gitignore` or excluded by `exclude_paths`/`--exclude-path`."""
    return ignore.ignored(path, is_dir) or bool(
        excluded and matches_any(display_path(path), excluded)
    )


def _unreadable(path: Path, what: str, error: OSError, outcome: str) -> Target:
    """The Target standing for a path the walk could not read, with the reason."""
    reason = error.strerror or type(error).__name__
    return Target(path, display_path(path), problem=f"{what} ({reason}): {outcome}")
