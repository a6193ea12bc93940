"""Where a local link leads on disk, without ever looking outside the site.

Articles come from pull requests and the link check runs on CI machines: a relative link
`../../../../etc/shadow` (or `/../x`, or one through a symlink the article's author
committed) must not make adlint test whether a file exists elsewhere on the machine. So a
link's path is first normalised as a browser does (dot segments removed, RFC 3986 5.2.4),
then walked from the site's root one component at a time with `lstat`, symlinks followed
by hand: the first step that would leave the site ends the walk, before anything outside
is touched. Only a path proved to stay inside is looked up.

Paths are plain strings here: a site's links are checked by the hundred thousand, and
pathlib objects made this stage half again slower.
"""

from __future__ import annotations

import errno
import os
import stat
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

MAX_SYMLINKS = 40
"""Symlinks followed in one path before giving up (Linux's limit, ELOOP)."""


class Outside(Exception):
    """The path leaves the site: it is not looked at."""

    def __init__(self, bound: str) -> None:
        super().__init__(bound)
        self.bound = Path(bound)  # the folder the path had to stay in


@dataclass(frozen=True)
class Place:
    """Where a local link leads: its folder (real, inside `bound`) and its last name."""

    directory: str
    name: str
    """The link's last path segment; "" when the link names its folder itself."""
    bound: str
    """The folder the link must stay in (real)."""

    def look_up(self, name: str) -> tuple[str, os.stat_result | None]:
        """`name` in the link's folder: its real path and status (None if missing), a
        symlink resolved inside the site; raises Outside if it leads out."""
        path = os.path.join(self.directory, name)
        info = _lstat(path)
        if info is None or not stat.S_ISLNK(info.st_mode):
            return path, info
        real = walk(self.bound, [*_below(self.directory, self.bound), name], self.bound)
        return real, _lstat(real)  # walk ends on a real name: lstat is stat


@dataclass
class Site:
    """The folders local links must stay in, and the folders resolved so far (one instance
    per run: a site's links mostly share a few folders, each walked once)."""

    root: str
    """Where `/absolute` links resolve (`--site-root`, `links.site_root`), real."""
    working: str
    """The working directory, real: the bound of relative links from articles outside
    `root` (Hugo's `content/` beside `static/`)."""
    _starts: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)
    _folders: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)

    @classmethod
    def at(cls, root: Path | None) -> Site:
        """The site rooted at `root` (default: the working directory)."""
        working = os.path.realpath(Path.cwd())
        return cls(os.path.realpath(root) if root is not None else working, working)

    def place(self, path: str, document_path: Path) -> Place:
        """Where `path` (a link's path, unquoted) leads from the article at `document_path`;
        raises Outside, having looked at nothing outside the site, if it leaves."""
        start, bound = self._start(path, document_path)
        joined = os.path.normpath(os.path.join(start, path.lstrip("/")))
        if joined == bound:
            return Place(bound, "", bound)
        if not _inside(joined, bound):
            raise Outside(bound)
        parent, name = os.path.split(joined)
        folder = self._folders.get((parent, bound))
        if folder is None:
            folder = walk(bound, _below(parent, bound), bound)
            self._folders[parent, bound] = folder
        return Place(folder, name, bound)

    def _start(self, path: str, document_path: Path) -> tuple[str, str]:
        """The real folder `path` starts from, and the one it must stay in: the site root
        for `/absolute` links; for relative ones the article's folder, bound by the site root
        when the article is in it, else by the working directory when it is in that, else by
        the article's folder itself."""
        if path.startswith("/"):
            return self.root, self.root
        key = os.fspath(document_path.parent)
        known = self._starts.get(key)
        if known is None:
            start = os.path.realpath(key)
            bound = next((b for b in (self.root, self.working) if _inside(start, b)), start)
            known = self._starts[key] = (start, bound)
        return known


def _inside(path: str, bound: str) -> bool:
    """Whether normalised `path` is `bound` or below it."""
    return path == bound or path.startswith(bound if bound.endswith(os.sep) else bound + os.sep)


def _below(path: str, bound: str) -> list[str]:
    """The components of `path` under `bound` (`path` inside it)."""
    return [part for part in path[len(bound) :].split(os.sep) if part]


def _lstat(path: str) -> os.stat_result | None:
    """`path`'s own status; None when there is no such file (a name with a NUL, which no
    file has, included). Other errors (permission denied, a name too long) are raised."""
    try:
        return os.lstat(path)
    except (FileNotFoundError, NotADirectoryError, ValueError):
        return None


def walk(start: str, parts: list[str], bound: str) -> str:
    """Follow `parts` from `start` (a real folder inside `bound`), resolving symlinks by
    hand; raises Outside at the first step out of `bound`, before it is taken. Components
    past a missing one are taken as written (nothing there to resolve)."""
    current = start
    pending = deque(parts)
    hops = 0
    while pending:
        part = pending.popleft()
        if part in ("", "."):
            continue
        if part == "..":
            if current == bound:
                raise Outside(bound)
            current = os.path.dirname(current)
            continue
        step = os.path.join(current, part)
        info = _lstat(step)
        if info is None or not stat.S_ISLNK(info.st_mode):
            current = step
            continue
        hops += 1
        if hops > MAX_SYMLINKS:
            raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), step)
        target = os.readlink(step)
        if os.path.isabs(target):
            if not _inside(target, bound):  # as written: `..` in it is walked below
                raise Outside(bound)
            current, target = bound, target[len(bound) :]
        pending.extendleft(reversed(target.split(os.sep)))
    return current
