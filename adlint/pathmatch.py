"""Match POSIX-style relative paths against gitignore-like globs (`**`, `*`, `?`).

Globs come from configs and policies, which strangers write (a fork's `.adlint.yaml`), and
are matched against every file's path, so matching must stay fast whatever the glob. One
regex for a whole glob backtracks exponentially: `*a*a*a*a*a*a*a*b` took 10 s on a
60-letter name, `**/**/**/**/x` 1.9 s on a 400-character path. So a glob is matched a
segment at a time: a set of positions in the glob advances over the path's segments (at
most one step per glob segment per path segment), and each segment's own pattern is built
like CPython's `fnmatch`, whose atomic groups make a match linear in the segment's length.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_ANY_SEGMENTS = None
"""A `**` segment: any number of whole path segments, none included."""

Segment = str | re.Pattern[str] | None
"""A literal segment, a wildcard segment's pattern, or `**`."""


@dataclass(frozen=True)
class Glob:
    """A compiled glob: its segments, matched against a path's one by one."""

    segments: tuple[Segment, ...]
    directory: bool
    """Written with a trailing `/`: matches directories only, so only a path's parents."""

    def matches(self, parts: Sequence[str]) -> bool:
        """True when the glob matches the path or one of its parent directories, i.e. the
        first k segments of the path for some k (a directory glob: some k short of all)."""
        segments = self.segments
        done = len(segments)
        states = self._closure({0})
        for part in parts[: len(parts) - 1] if self.directory else parts:
            moved = set()
            for state in states:
                if state == done:
                    continue
                segment = segments[state]
                if segment is _ANY_SEGMENTS:
                    moved.add(state)
                elif (segment == part) if isinstance(segment, str) else segment.fullmatch(part):
                    moved.add(state + 1)
            states = self._closure(moved)
            if done in states:
                return True
            if not states:
                return False
        return False

    def _closure(self, states: set[int]) -> set[int]:
        """The states plus those reached by letting a `**` match no segment (one step is
        enough: compile_glob never puts two `**` side by side)."""
        segments = self.segments
        anywhere = [s for s in states if s < len(segments) and segments[s] is _ANY_SEGMENTS]
        return states.union(s + 1 for s in anywhere)


@functools.lru_cache(maxsize=1024)
def compile_glob(glob: str) -> Glob:
    """`**` spans directories, `*` and `?` do not; a bare name (no `/`) matches anywhere.

    As in gitignore, `**` is special only as a whole segment; elsewhere (`a**b`) it is a
    plain `*`. A trailing `/**` matches everything inside, so one segment at least.
    """
    pattern = _relative(glob.strip())
    anchored = "/" in pattern.rstrip("/")
    pattern = pattern.lstrip("/")
    directory = pattern.endswith("/")
    written = pattern.rstrip("/").split("/")
    segments: list[Segment] = [] if anchored else [_ANY_SEGMENTS]
    for index, text in enumerate(written):
        if text == "**" and index == len(written) - 1 and index > 0:
            segments.append(_segment("*"))  # `dir/**`: whatever is inside
        elif text == "**":
            if not segments or segments[-1] is not _ANY_SEGMENTS:  # `**/**` is one `**`
                segments.append(_ANY_SEGMENTS)
        else:
            segments.append(_segment(text))
    return Glob(tuple(segments), directory)


def _segment(text: str) -> Segment:
    """A literal, or a pattern for one segment: the text before the first `*` is literal,
    each star up to the last takes the shortest run that lets its literal follow (an atomic
    group, never revisited), and the last star takes whatever leaves the end to match."""
    if "*" not in text and "?" not in text:
        return text
    chunks = [_literal(chunk) for chunk in re.sub(r"\*+", "*", text).split("*")]
    if len(chunks) == 1:
        return re.compile(chunks[0], re.DOTALL)
    middle = "".join(f"(?>.*?{chunk})" for chunk in chunks[1:-1])
    return re.compile(f"{chunks[0]}{middle}.*{chunks[-1]}", re.DOTALL)


def _literal(chunk: str) -> str:
    return "".join("." if char == "?" else re.escape(char) for char in chunk)


def _relative(path: str) -> str:
    """Without leading `./` (not `lstrip("./")`, which made `.github/x` into `github/x`)."""
    while path.startswith("./"):
        path = path[2:]
    return path


def matches_any(path: str, globs: Iterable[str]) -> bool:
    """True when the relative POSIX path (or one of its parent directories) matches a glob."""
    parts = _relative(path.replace("\\", "/")).split("/")
    return any(compile_glob(glob).matches(parts) for glob in globs)
