"""The config's top-level settings, checked where they are written so that none is misread.

Each file that sets `fail_on`, `exclude_paths`, `extensions`, `check_links`, `cache`,
`file_timeout` or `links` has the value checked here as the file is merged, and the policy
keeps it normalised: a lone string becomes a one-item list (as for `site` and `networks`),
and `links` values become the link checker's types, with paths resolved against the file's
directory. Every key
of CONFIG_KEYS has a checker (a test holds it to that), so a wrong type stops the run with
`file:line: key "...": ...` instead of a string being iterated character by character or
"no" being read as true.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from adlint.errors import PolicyError
from adlint.pattern import UnsafePattern, compile_pattern

FAIL_ON = ("error", "warning", "info")
_EXTENSION = re.compile(r"^\.?\w[\w.+-]*$")
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhdw]?)")
"""Matched against the stripped text: spaces on both sides of an optional part backtrack
quadratically over a long run of them."""
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}

LINK_KEYS: dict[str, str] = {
    "check": "bool",
    "cache": "bool",
    "cache_max_age": "duration",
    "cache_path": "path",
    "exclude": "strings",
    "timeout": "seconds",
    "url_timeout": "seconds",
    "concurrency": "count",
    "per_host": "count",
    "retries": "int",
    "accept": "accept",
    "user_agent": "str",
    "max_redirects": "int",
    "site_root": "path",
}
"""The keys of the `links:` mapping and the type each must have."""
COMMAND_LINE_ONLY = {
    "allow_private": "--allow-private",
}
"""Link settings a config may not hold, and the flag to use instead. Configs and policies
come from pull requests: one that could lift the address guard would have the CI runner
request intranet hosts and cloud metadata (169.254.169.254) for whoever wrote it."""
CONFINED = {
    "cache_path": "--cache-path or --cache-dir",
    "site_root": "--site-root",
}
"""Config paths that must lie in or below the config's directory, and the flags that may
point elsewhere. The cache creates folders and an SQLite file: a config from a pull request
must not pick them anywhere the CI user can write (`../../..`, `/home/runner/.bashrc.d/x`).
Local links are looked for only inside the site root: `site_root: /` would let an article
test whether any file on the CI machine exists."""


class _Bad(ValueError):
    """A value of the wrong shape; `key` and `line` narrow the place (e.g. `links.retries`)."""

    def __init__(self, reason: str, key: str | None = None, line: int | None = None) -> None:
        super().__init__(reason)
        self.key = key
        self.line = line


def _flag(value: Any, base: Path) -> bool:
    if not isinstance(value, bool):
        raise _Bad(f"must be true or false, not {value!r}")
    return value


def _fail_on(value: Any, base: Path) -> str:
    if not isinstance(value, str) or value not in FAIL_ON:
        raise _Bad(f"must be {', '.join(FAIL_ON[:-1])} or {FAIL_ON[-1]}, not {value!r}")
    return value


def _strings(value: Any, what: str) -> list[str]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
        raise _Bad(f"must be {what} or a list of them (strings), not {value!r}")
    return list(items)


def _globs(value: Any, base: Path) -> list[str]:
    return _strings(value, 'a glob such as "drafts/**"')


def _extensions(value: Any, base: Path) -> list[str]:
    items = _strings(value, 'a file extension such as ".md"')
    if not items:
        raise _Bad(
            "must list at least one extension (files named on the command line are linted "
            "whatever their extension)"
        )
    for item in items:
        if not _EXTENSION.match(item):
            raise _Bad(f'{item!r} is not a file extension (write ".md", not a glob or a path)')
    return items


def _links(value: Any, base: Path) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Bad("must be a mapping of link-checking settings")
    line_of = getattr(value, "line_of", lambda key: None)
    converted = {}
    for key, item in value.items():
        if key in COMMAND_LINE_ONLY:
            flag = COMMAND_LINE_ONLY[key]
            reason = (
                f"allowed on the command line only ({flag}): a config can come from a pull"
                " request, and this would let it turn off the link checker's guard against"
                " private and loopback addresses"
            )
            raise _Bad(reason, key, line_of(key))
        if key not in LINK_KEYS:
            raise _Bad(f"unknown setting (expected: {', '.join(LINK_KEYS)})", key, line_of(key))
        try:
            converted[key] = convert(LINK_KEYS[key], item, base)
            if key in CONFINED:
                _confine(converted[key], base, CONFINED[key])
            for pattern in converted[key] if key == "exclude" else ():
                check_link_pattern(pattern)
        except (ValueError, TypeError) as error:
            raise _Bad(str(error), key, line_of(key)) from None
    return converted


def _confine(path: Path, base: Path, flags: str) -> None:
    """A config's paths stay in or below the config's directory (see CONFINED)."""
    if not path.is_relative_to(base.resolve()):
        raise ValueError(
            "must be inside the directory of the config file that sets it (a config can come"
            f" from a pull request); use {flags} for a place elsewhere"
        )


def _time_limit(value: Any, base: Path) -> float:
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not number or not 0 <= value < math.inf:
        raise _Bad(f"must be a number of seconds, 0 for no limit, not {value!r}")
    return float(value)


CHECKERS: dict[str, Callable[[Any, Path], Any]] = {
    "fail_on": _fail_on,
    "exclude_paths": _globs,
    "extensions": _extensions,
    "check_links": _flag,
    "links": _links,
    "cache": _flag,
    "file_timeout": _time_limit,
}
"""One checker per config key: it returns the value normalised or raises _Bad."""


def check_setting(key: str, value: Any, *, path: str, line: int, base: Path) -> Any:
    """The value of top-level setting `key` as written at `path:line`, checked and normalised.

    `base` is the directory of the file, for the relative paths in `links:`.
    """
    try:
        return CHECKERS[key](value, base)
    except _Bad as error:
        where = f"{key}.{error.key}" if error.key else key
        raise PolicyError(str(error), path=path, line=error.line or line, key=where) from None


def parse_duration(text: str) -> float:
    """Seconds from "3600", "90m", "1d"."""
    match = _DURATION.fullmatch(str(text).strip())
    if not match:
        raise ValueError(f"not a duration: {text!r} (use e.g. 3600, 90m, 1d)")
    return float(match.group(1)) * _UNITS[match.group(2)]


def convert(kind: str, value: Any, base: Path) -> Any:
    """One `links:` value as the link checker's type; TypeError names the expected type."""
    if kind == "bool" and isinstance(value, bool):
        return value
    if kind == "int" and isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if kind == "count" and isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "seconds" and number and 0 < value < math.inf:
        return float(value)
    if kind == "duration" and isinstance(value, (int, float, str)) and not isinstance(value, bool):
        return parse_duration(str(value))
    if kind == "accept" and isinstance(value, (str, int, list)) and not isinstance(value, bool):
        from adlint.links.options import parse_accept  # only configs that set `accept`

        items = value if isinstance(value, list) else [value]
        return parse_accept(",".join(str(i) for i in items))
    if kind == "strings" and isinstance(value, list) and all(isinstance(i, str) for i in value):
        return tuple(value)
    if kind == "str" and isinstance(value, str):
        return value
    if kind == "path" and isinstance(value, str):
        return (base / value).resolve()
    expected = {"count": "int of 1 or more", "seconds": "number of seconds above 0"}
    raise TypeError(f"expected {expected.get(kind, kind)}, not {value!r}")


def check_link_pattern(pattern: str) -> None:
    """Refuse a link `exclude` regex that is invalid or could run away."""
    try:
        compile_pattern(pattern)
    except re.error as error:
        raise ValueError(f"exclude pattern {pattern!r} is not a valid regex: {error}") from None
    except UnsafePattern as error:
        raise ValueError(f"exclude pattern {pattern!r} is unsafe: {error}") from None
