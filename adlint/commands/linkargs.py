"""Link-checking flags and the config's `links:` mapping, merged into LinkSettings.

CLI flags win over the config; the config wins over LinkOptions' defaults.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adlint.errors import PolicyError
from adlint.linkphase import LinkSettings
from adlint.links import LinkOptions, parse_accept
from adlint.pattern import UnsafePattern, compile_pattern

if TYPE_CHECKING:
    from adlint.policy import Policy

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}

CONFIG_KEYS: dict[str, str] = {
    "check": "bool",
    "allow_private": "bool",
    "cache": "bool",
    "cache_max_age": "duration",
    "cache_path": "path",
    "exclude": "strings",
    "timeout": "seconds",
    "concurrency": "count",
    "per_host": "count",
    "retries": "int",
    "accept": "accept",
    "user_agent": "str",
    "max_redirects": "int",
    "site_root": "path",
}


def add_link_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("link checking (see README: Checking links)")
    group.add_argument(
        "--check-links",
        action="store_true",
        default=None,
        help="check every outbound and local link (enables broken-link and "
        "the other reachable rules)",
    )
    group.add_argument(
        "--allow-private",
        action="store_true",
        default=None,
        help="allow connections to loopback, private and link-local addresses",
    )
    group.add_argument(
        "--cache-max-age",
        type=duration,
        metavar="DURATION",
        help="reuse cached results younger than this (e.g. 3600, 90m, 1d; default 1d)",
    )
    group.add_argument(
        "--cache-path",
        type=Path,
        metavar="FILE",
        help="the link cache's SQLite file (default: links.sqlite in the cache "
        "directory, see --cache-dir; config: links.cache_path)",
    )
    group.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="REGEX",
        help="do not check URLs matching this regex (repeatable)",
    )
    group.add_argument(
        "--site-root",
        type=Path,
        metavar="DIR",
        help="where /absolute links resolve on disk (default: the working "
        "directory; config: links.site_root)",
    )
    group.add_argument(
        "--link-timeout",
        type=seconds,
        metavar="SECONDS",
        help="total time for one request (default 10)",
    )
    group.add_argument(
        "--link-concurrency",
        type=whole_number(1),
        metavar="N",
        help="requests in flight overall (default 64)",
    )
    group.add_argument(
        "--link-per-host",
        type=whole_number(1),
        metavar="N",
        help="requests in flight per host (default 8)",
    )
    group.add_argument(
        "--link-retries",
        type=whole_number(0),
        metavar="N",
        help="retries for timeouts, 5xx and 429 (default 3)",
    )
    group.add_argument(
        "--accept", metavar="CODES", help='status codes that count as ok, e.g. "200..=299,403"'
    )
    group.add_argument("--user-agent", metavar="STRING", help="User-Agent header to send")
    group.add_argument(
        "--max-redirects",
        type=whole_number(0),
        metavar="N",
        help="redirect hops to follow (default 10)",
    )
    group.add_argument(
        "--no-progress",
        action="store_true",
        help="no progress bar (it is only shown on a terminal anyway)",
    )


def whole_number(minimum: int) -> Callable[[str], int]:
    """An argparse type: an integer of at least `minimum`. Checked while parsing, so a bad
    value is a usage error naming the flag (exit 2) before anything runs."""

    def convert(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be {minimum} or more, not {value}")
        return value

    return convert


def seconds(text: str) -> float:
    """An argparse type: a time limit in seconds, more than 0 (and finite)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value < math.inf:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds, not {text}")
    return value


def duration(text: str) -> float:
    """An argparse type: seconds from a duration such as "3600", "90m", "1d"."""
    try:
        return parse_duration(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def parse_duration(text: str) -> float:
    """Seconds from "3600", "90m", "1d"."""
    match = _DURATION.match(str(text))
    if not match:
        raise ValueError(f"not a duration: {text!r} (use e.g. 3600, 90m, 1d)")
    return float(match.group(1)) * _UNITS[match.group(2)]


def _config(policy: Policy) -> tuple[dict[str, Any], str, int]:
    raw = policy.settings.get("links", {})
    origin = policy.raw.setting_origins.get("links", ("config", 0)) if policy.raw else ("", 0)
    if not isinstance(raw, dict):
        raise PolicyError(
            "must be a mapping of link-checking settings",
            path=origin[0],
            line=origin[1],
            key="links",
        )
    for key in raw:
        if key not in CONFIG_KEYS:
            raise PolicyError(
                f"unknown setting (expected: {', '.join(CONFIG_KEYS)})",
                path=origin[0],
                line=_line(raw, key, origin[1]),
                key=f"links.{key}",
            )
    return raw, origin[0], origin[1]


def _line(mapping: Any, key: str, default: int) -> int:
    line_of = getattr(mapping, "line_of", None)
    return line_of(key) if line_of else default


def link_settings(args: argparse.Namespace, policy: Policy) -> LinkSettings | None:
    """The settings for this run, or None when link checking is off.

    The `links:` mapping is validated even when checking is off, so a typo fails the
    everyday run rather than the nightly one that passes --check-links.
    """
    config, path, line = _config(policy)
    values: dict[str, Any] = {}
    for key, value in config.items():
        try:
            values[key] = _convert(CONFIG_KEYS[key], value, Path(path).parent)
            for pattern in values[key] if key == "exclude" else ():
                _compile(pattern)
        except (ValueError, TypeError) as error:
            raise PolicyError(
                str(error), path=path, line=_line(config, key, line), key=f"links.{key}"
            ) from None
    for pattern in getattr(args, "exclude", None) or ():
        try:
            _compile(pattern)
        except ValueError as error:
            raise PolicyError(str(error), key="--exclude") from None
    enabled = args.check_links or values.get("check") or policy.settings.get("check_links")
    if not enabled:
        return None
    try:
        return _settings(args, values)
    except ValueError as error:
        raise PolicyError(str(error), key="link-checking flags") from None


def _convert(kind: str, value: Any, base: Path) -> Any:
    if kind == "bool" and isinstance(value, bool):
        return value
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "int" and number and isinstance(value, int) and value >= 0:
        return value
    if kind == "count" and number and isinstance(value, int) and value >= 1:
        return value
    if kind == "seconds" and number and 0 < value < math.inf:
        return float(value)
    if kind == "duration" and isinstance(value, (int, float, str)):
        return parse_duration(str(value))
    if kind == "accept" and isinstance(value, (str, int, list)):
        items = value if isinstance(value, list) else [value]
        return parse_accept(",".join(str(i) for i in items))
    if kind == "strings" and isinstance(value, list) and all(isinstance(i, str) for i in value):
        return tuple(value)
    if kind == "str" and isinstance(value, str):
        return value
    if kind == "path" and isinstance(value, str):
        return (base / value).resolve()
    expected = {"count": "int of 1 or more", "seconds": "number of seconds above 0"}
    raise TypeError(f"expected {expected.get(kind, kind)}")


def _compile(pattern: str) -> None:
    try:
        compile_pattern(pattern)
    except re.error as error:
        raise ValueError(f"exclude pattern {pattern!r} is not a valid regex: {error}") from None
    except UnsafePattern as error:
        raise ValueError(f"exclude pattern {pattern!r} is unsafe: {error}") from None


def _settings(args: argparse.Namespace, config: dict[str, Any]) -> LinkSettings:
    pick = {
        "allow_private": args.allow_private,
        "timeout": args.link_timeout,
        "max_concurrency": args.link_concurrency,
        "per_host": args.link_per_host,
        "retries": args.link_retries,
        "user_agent": args.user_agent,
        "max_redirects": args.max_redirects,
    }
    renames = {"concurrency": "max_concurrency", "cache": "use_cache"}
    fields: dict[str, Any] = {
        renames.get(k, k): v for k, v in config.items() if k not in ("check", "site_root")
    }
    fields.update({k: v for k, v in pick.items() if v is not None})
    if args.no_cache:
        fields["use_cache"] = False
    if args.cache_max_age is not None:
        fields["cache_max_age"] = args.cache_max_age
    if getattr(args, "cache_dir", None):
        fields["cache_path"] = args.cache_dir.resolve() / "links.sqlite"
    if args.cache_path:
        fields["cache_path"] = args.cache_path.resolve()
    if args.accept:
        fields["accept"] = parse_accept(args.accept)
    if args.exclude:
        fields["exclude"] = (*fields.get("exclude", ()), *args.exclude)
    if "timeout" in fields:
        fields.setdefault("read_timeout", fields["timeout"])
    for pattern in fields.get("exclude", ()):
        _compile(pattern)
    known = {f.name for f in dataclasses.fields(LinkOptions)}
    options = LinkOptions(**{k: v for k, v in fields.items() if k in known})
    site_root = args.site_root.resolve() if args.site_root else config.get("site_root")
    progress = False if args.no_progress else None
    return LinkSettings(options=options, site_root=site_root, progress=progress)
