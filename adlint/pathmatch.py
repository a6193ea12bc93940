"""Match POSIX-style relative paths against gitignore-like globs (`**`, `*`, `?`)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable


@functools.lru_cache(maxsize=1024)
def glob_regex(glob: str) -> re.Pattern[str]:
    """Compile a glob: `**` spans directories, `*` and `?` do not; a bare name matches anywhere."""
    pattern = glob.strip().lstrip("./") if glob.startswith("./") else glob.strip()
    anchored = "/" in pattern.rstrip("/")
    pattern = pattern.lstrip("/")
    directory = pattern.endswith("/")
    pattern = pattern.rstrip("/")
    out = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        out.append("[^/]*" if char == "*" else "[^/]" if char == "?" else re.escape(char))
        i += 1
    body = "".join(out)
    prefix = "" if anchored else "(?:.*/)?"
    suffix = "/.*" if directory else "(?:/.*)?"
    return re.compile(f"^{prefix}{body}{suffix}$")


def matches_any(path: str, globs: Iterable[str]) -> bool:
    """True when the relative POSIX path (or one of its parent directories) matches a glob."""
    path = (
        path.replace("\\", "/").lstrip("./") if path.startswith("./") else path.replace("\\", "/")
    )
    return any(glob_regex(glob).match(path) for glob in globs)
