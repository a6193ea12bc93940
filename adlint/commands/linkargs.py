"""Link-checking flags and the config's `links:` mapping, merged into LinkSettings.

CLI flags win over the config; the config wins over LinkOptions' defaults.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adlint.linkphase import LinkSettings
from adlint.links import LinkOptions, default_cache_path, parse_accept
from adlint.setting import check_link_pattern, parse_duration

if TYPE_CHECKING:
    from adlint.policy import Policy


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
        type=link_pattern,
        metavar="REGEX",
        help="do not check URLs matching this regex (repeatable)",
    )
    group.add_argument(
        "--site-root",
        type=Path,
        metavar="DIR",
        help="where /absolute links resolve on disk, and the folder local links must stay "
        "in (default: the working directory; config: links.site_root)",
    )
    group.add_argument(
        "--link-timeout",
        type=seconds,
        metavar="SECONDS",
        help="total time for one request (default 10)",
    )
    group.add_argument(
        "--url-timeout",
        type=seconds,
        metavar="SECONDS",
        help="total time for one URL: every redirect, DNS lookup, retry and Retry-After "
        "wait; time queued for a free slot does not count (default: 6 x --link-timeout, 60)",
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
        "--accept",
        type=status_codes,
        metavar="CODES",
        help='status codes that count as ok, e.g. "200..=299,403"',
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
        raise argparse.ArgumentTypeError(f"must be a finite number more than 0, not {text}")
    return value


def duration(text: str) -> float:
    """An argparse type: seconds from a duration such as "3600", "90m", "1d"."""
    try:
        return parse_duration(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def status_codes(text: str) -> frozenset[int]:
    """An argparse type: --accept's status codes ("200..=299,403")."""
    try:
        return parse_accept(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def link_pattern(text: str) -> str:
    """An argparse type: an --exclude regex, checked as the config's `links.exclude` is."""
    try:
        check_link_pattern(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


def link_settings(args: argparse.Namespace, policy: Policy) -> LinkSettings | None:
    """The settings for this run, or None when link checking is off.

    The config's `links:` mapping was checked and converted when the policy was loaded
    (setting.py), and the flags while parsing, so a typo fails the everyday run rather than
    the nightly one that passes --check-links.
    """
    values: dict[str, Any] = policy.settings.get("links", {})
    enabled = args.check_links or values.get("check") or policy.settings.get("check_links")
    if not enabled:
        return None
    return _settings(args, values)


def _settings(args: argparse.Namespace, config: dict[str, Any]) -> LinkSettings:
    pick = {
        "allow_private": args.allow_private,
        "timeout": args.link_timeout,
        "url_timeout": args.url_timeout,
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
        fields["cache_path"] = default_cache_path(args.cache_dir.resolve())
    if args.cache_path:
        fields["cache_path"] = args.cache_path.resolve()
    if args.accept:
        fields["accept"] = args.accept
    if args.exclude:
        fields["exclude"] = (*fields.get("exclude", ()), *args.exclude)
    if "timeout" in fields:
        fields.setdefault("read_timeout", fields["timeout"])
    known = {f.name for f in dataclasses.fields(LinkOptions)}
    options = LinkOptions(**{k: v for k, v in fields.items() if k in known})
    site_root = args.site_root.resolve() if args.site_root else config.get("site_root")
    progress = False if args.no_progress else None
    return LinkSettings(options=options, site_root=site_root, progress=progress)
