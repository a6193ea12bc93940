"""Arguments and steps shared by the subcommands that lint (check, report, baseline)."""

from __future__ import annotations

import argparse
import math
import os
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

from adlint.commands.linkargs import add_link_arguments, link_settings, whole_number
from adlint.config import load_config
from adlint.discover import DEFAULT_EXTENSIONS, Target, discover, display_path
from adlint.engine import MAX_FILE_BYTES
from adlint.errors import PolicyError, flag_error
from adlint.finding import Finding, Severity
from adlint.linkphase import run_link_phase
from adlint.outcome import Outcome, merge_parts
from adlint.parallel import (
    Linted,
    PolicyInputs,
    default_jobs,
    in_shard,
    lint_parallel,
    parse_shard,
)
from adlint.resultcache import open_results, settings_digest
from adlint.timelimit import DEFAULT_SECONDS

if TYPE_CHECKING:
    from adlint.policy import Policy, Rule

Targets = Callable[[], Iterator[Target]]
"""Walks the PATHs (or reads standard input) when called: the files a command works on."""


def add_policy_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("policy")
    group.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="use this config file instead of looking for .adlint.yaml or "
        "[tool.adlint] in pyproject.toml",
    )
    group.add_argument(
        "--no-config",
        action="store_true",
        help="ignore project config files; use the built-in default policy",
    )
    group.add_argument(
        "--policy",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="apply this policy file on top of the config (repeatable)",
    )


def add_lint_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        default=["."],
        metavar="PATH",
        help="files and directories to lint (default: .); - reads one article from standard input",
    )
    parser.add_argument(
        "--stdin-filename",
        metavar="PATH",
        help="with PATH -: the path the article on standard input is reported and "
        "linted as (per-path rules, Markdown or HTML, relative links)",
    )
    group = parser.add_argument_group("selection")
    group.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="RULE[,RULE]",
        help="run only these rules (repeatable)",
    )
    group.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="RULE[,RULE]",
        help="do not run these rules (repeatable)",
    )
    group.add_argument(
        "--exclude-path",
        action="append",
        default=[],
        metavar="GLOB",
        help="skip files matching this glob (repeatable; adds to config)",
    )
    group.add_argument(
        "--extensions",
        metavar="EXT[,EXT]",
        help="file extensions to lint when walking directories "
        f"(default: {','.join(DEFAULT_EXTENSIONS)})",
    )
    group.add_argument(
        "-j",
        "--jobs",
        type=whole_number(1),
        metavar="N",
        help="worker processes (default: the number of CPUs; 1 runs in this process)",
    )
    group.add_argument(
        "--file-timeout",
        type=time_limit,
        metavar="SECONDS",
        help="give up a file after this much CPU time and report it as a parse-error "
        f"(default {DEFAULT_SECONDS:g}, or file_timeout in config; 0: no limit)",
    )
    group.add_argument(
        "--shard",
        metavar="K/N",
        help="lint only part K of N of the files (split by path hash), for CI matrices",
    )
    cache = parser.add_argument_group("cache")
    cache.add_argument(
        "--no-cache",
        action="store_true",
        default=None,
        help="neither read nor write the caches (lint results and link verdicts)",
    )
    cache.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        help="keep the caches here (default: $ADLINT_CACHE_DIR, else the user cache "
        "directory, e.g. ~/.cache/adlint)",
    )
    add_link_arguments(parser)


def time_limit(text: str) -> float:
    """An argparse type: CPU seconds a file may take, 0 for no limit."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 <= value < math.inf:
        raise argparse.ArgumentTypeError(f"must be 0 (no limit) or more seconds, not {text}")
    return value


def file_time_limit(args: argparse.Namespace, policy: Policy) -> float | None:
    """--file-timeout, else file_timeout in config, else the default; None: no limit."""
    given = getattr(args, "file_timeout", None)
    if given is None:
        given = policy.settings.get("file_timeout", DEFAULT_SECONDS)
    return given or None


def _split(values: Iterable[str]) -> set[str]:
    return {item.strip() for value in values for item in value.split(",") if item.strip()}


def format_from_ending(output: Path, endings: Iterable[tuple[str, str]]) -> str | None:
    """The format an output file's name ends in (`report.sarif.json` -> sarif), or None;
    `endings` are (ending, format) pairs, the first that fits wins."""
    name = output.name.lower()
    return next((format_name for ending, format_name in endings if name.endswith(ending)), None)


def config_start(args: argparse.Namespace) -> Path:
    """Where config lookup starts: the first PATH's directory, else the working directory.

    `adlint check site/content` from anywhere should use site's own .adlint.yaml, as ruff
    and yamllint use the configuration nearest to the files they lint.
    """
    paths = getattr(args, "paths", None) or []
    if paths == [STDIN]:
        paths = [args.stdin_filename] if args.stdin_filename else []
    if paths:
        first = Path(paths[0])
        directory = first if first.is_dir() else first.parent
        if directory.exists():
            return directory.resolve()
    return Path.cwd()


def load_policy_from_args(args: argparse.Namespace) -> tuple[Policy, Path | None]:
    return load_config(
        config=args.config,
        policies=args.policy,
        cwd=config_start(args),
        discover=not args.no_config,
        cache_dir=cache_directory(args),
    )


def cache_directory(args: argparse.Namespace) -> Path | None:
    """Where this command keeps its caches; None for --no-cache and for commands without
    cache options (`adlint rules` should not leave files behind)."""
    if not hasattr(args, "no_cache") or args.no_cache:
        return None
    from adlint.links.options import default_cache_dir

    return (getattr(args, "cache_dir", None) or default_cache_dir()).resolve()


def selected_rules(policy: Policy, args: argparse.Namespace) -> set[str]:
    """Rule ids to run after --select / --ignore; unknown ids are a usage error."""
    known = set(policy.rule_ids)
    select, ignore = _split(getattr(args, "select", [])), _split(getattr(args, "ignore", []))
    for flag, named in (("--select", select), ("--ignore", ignore)):
        for rule_id in sorted(named - known):
            raise flag_error(flag, unknown_rule(rule_id, known))
    chosen = select or known
    return chosen - ignore


def unknown_rule(rule_id: str, known: Iterable[str]) -> str:
    """`unknown rule "x" (did you mean "y"?)` for a rule id on the command line."""
    from adlint.policy import rule_hint

    return f'unknown rule "{rule_id}" ({rule_hint(rule_id, known)})'


def output_file(text: str) -> Path:
    """An argparse type: a file to write. A name ending in a path separator names a
    directory, even one that does not exist yet (Path would drop the separator and write a
    file of that name)."""
    if text.endswith(("/", os.sep)):
        raise argparse.ArgumentTypeError(f"names a directory, not a file: {text!r}")
    return Path(text)


def check_output_file(path: Path, flag: str) -> None:
    """Refuse an output that is an existing directory, before any file is read or written:
    a long run must not fail at its end, nor `check --fix` after fixing."""
    if path.is_dir():
        raise flag_error(flag, f"{path} is a directory, not a file")


def fail_on(args: argparse.Namespace, policy: Policy) -> Severity:
    """--fail-on (argparse checks its choices), else the config's (checked at load)."""
    return Severity(getattr(args, "fail_on", None) or policy.settings.get("fail_on", "error"))


@dataclass
class LintResult:
    """A finished lint over many files, collected (for commands that need it all at once)."""

    findings: list[Finding]
    rules: list[Rule]
    files: int


@dataclass
class LintStream:
    """A lint in progress: one Outcome per linted path, in path order, findings sorted.

    Concatenated, the Outcomes' findings are sorted by path, line, column, rule: the
    order of every output, so outputs can be written as the Outcomes arrive.
    """

    rules: list[Rule]
    outcomes: Iterator[Outcome]
    targets: Targets
    """The files linted (walked when first called; see `lint_stream`'s `walk_once`)."""


def lint(args: argparse.Namespace, policy: Policy) -> LintResult:
    """Discover files, lint each, and collect sorted findings."""
    stream = lint_stream(args, policy)
    findings: list[Finding] = []
    files = 0
    for outcome in stream.outcomes:
        files += outcome.targets
        findings.extend(outcome.findings)
    return LintResult(findings, stream.rules, files)


def lint_stream(
    args: argparse.Namespace,
    policy: Policy,
    written: Sequence[Path] = (),
    *,
    walk_once: bool = False,
) -> LintStream:
    """Lint lazily: the static lint streams in flat memory, file by file.

    `written` are the files this run writes its reports to: never linted, so a report
    written into the audited site (`adlint report . -o compliance.html`) is not counted as
    an article by the next run, nor is a check's output read while it is being written.

    With link checking, every URL is checked once per run after all files are read, so the
    Outcomes are collected first and completed with the link findings (memory then grows
    with the findings; the network is the bottleneck of such runs anyway).
    Usage errors (unknown rules, bad link settings, a bad --shard) are raised here, before
    any file is read or output written.

    With `walk_once`, the stream's `targets` can be called before the lint (`check --fix`
    fixes the files first): the PATHs are walked at that first call only, and the lint
    gets the same files again (see `replayed`).
    """
    chosen = selected_rules(policy, args)
    restricted = _restrict(policy, chosen)
    targets = _target_finder(args, policy, warn_empty=True, written=written)
    if walk_once:
        targets = replayed(targets)
    links = link_settings(args, policy) if hasattr(args, "check_links") else None

    directory = cache_directory(args) if policy.settings.get("cache", True) else None
    cache = open_results(directory) if directory is not None else None
    inputs = PolicyInputs(
        config=args.config,
        policies=tuple(args.policy),
        start=config_start(args),
        discover=not args.no_config,
        rules=frozenset(chosen),
        links=links is not None,
        cache_settings=settings_digest(policy.sources, chosen) if cache is not None else None,
        cache_dir=directory if cache is not None else None,
        time_limit=file_time_limit(args, policy),
    )
    jobs = getattr(args, "jobs", None) or default_jobs()
    # in_path_order rebuilds targets from their paths, which would drop piped-in bytes
    ordered = targets if reads_stdin(args) else lambda: in_path_order(targets())

    def outcomes() -> Iterator[Outcome]:
        try:
            linted = _coalesced(
                lint_parallel(ordered(), restricted, inputs, _restrict, jobs, cache)
            )
            if links is None:
                yield from (outcome for _, outcome, _ in linted)
            else:
                yield from run_link_phase(linted, restricted, links, cache, inputs.cache_settings)
        finally:
            if cache is not None:
                cache.close()

    return LintStream([r for r in policy.rules if r.id in chosen], outcomes(), targets)


def replayed(targets: Targets) -> Targets:
    """`targets`, walked at the first call only; later calls give the same files again.

    `check --fix` (and `adlint fix`) works on the files twice: fixes them, then lints what
    remains. Walking the PATHs twice doubled a large site's system calls, printed every
    warning of the walk (a symlink not followed, an unreadable `.gitignore`) twice, and
    could lint a file the fix never saw (one added between the walks). The Targets are held
    for the run, as `in_path_order` holds their paths anyway. A walk cut short (by an
    error) is walked again at the next call.
    """
    found: list[Target] | None = None

    def replay() -> Iterator[Target]:
        nonlocal found
        if found is not None:
            yield from found
            return
        walked = []
        for target in targets():
            walked.append(target)
            yield target
        found = walked

    return replay


def _coalesced(linted: Iterable[Linted]) -> Iterator[Linted]:
    """One entry per path (a file named twice is linted twice and merged, see merge_parts)."""
    for _, group in groupby(linted, key=lambda entry: entry[1].path):
        parts = list(group)
        target, _, key = parts[0]
        yield target, merge_parts([outcome for _, outcome, _ in parts]), key


def in_path_order(targets: Iterable[Target]) -> Iterator[Target]:
    """Targets sorted by reported path (stable), the order outputs list findings in.

    Directory walks list a folder's files before its subfolders, which is not string order
    (`a/z.md` comes before `a/b/c.md`). Only the two path strings of each target are held,
    usually just one, as they are mostly the same; a target the walk could not read is held
    whole, for its reason.
    """
    entries: list[str | tuple[str, str] | Target] = []
    for target in targets:
        path = os.fspath(target.path)
        if target.problem is not None:  # rare (an unreadable folder): kept whole
            entries.append(target)
        else:
            entries.append(path if path == target.display else (target.display, path))
    entries.sort(key=_display)
    for entry in entries:
        if isinstance(entry, Target):
            yield entry
        elif isinstance(entry, str):
            yield Target(Path(entry), entry)
        else:
            yield Target(Path(entry[1]), entry[0])


def _display(entry: str | tuple[str, str] | Target) -> str:
    if isinstance(entry, Target):
        return entry.display
    return entry if isinstance(entry, str) else entry[0]


def fix_targets(
    args: argparse.Namespace, policy: Policy, targets: Targets | None = None
) -> Iterator[tuple[Target, Policy]]:
    """The files `adlint fix` (or `check --fix`) works on, with the rules selected: `targets`
    when the run walked them already (the check after fixing lints the same files), else
    the PATHs walked now."""
    restricted = _restrict(policy, selected_rules(policy, args))
    if targets is None:
        targets = _target_finder(args, policy, warn_empty=True)
    for target in targets():
        yield target, restricted


def _target_finder(
    args: argparse.Namespace,
    policy: Policy,
    *,
    warn_empty: bool = False,
    written: Sequence[Path] = (),
) -> Targets:
    """A function that walks the PATHs when called (extensions, excluded paths and --shard
    applied), or reads standard input for `-`; flags are validated now, before any file is
    read.

    With `warn_empty`, a directory PATH holding no file to lint gets a warning (once), as
    ruff warns of "no Python files found": the run still exits 0, since an empty directory
    (or a shard with no files) is not an error, but it must not pass unremarked.
    """
    settings = policy.settings
    extensions = (
        [e for e in args.extensions.split(",") if e]
        if getattr(args, "extensions", None)
        else settings.get("extensions", DEFAULT_EXTENSIONS)
    )
    exclude = [*settings.get("exclude_paths", []), *getattr(args, "exclude_path", [])]
    shard = _shard(args)
    _check_stdin_use(args)
    if reads_stdin(args):
        return lambda: _stdin_target(args.stdin_filename)
    warned: set[str] = set()
    not_followed: set[str] = set()

    def empty(path: str) -> None:
        shown = display_path(Path(path))  # `drafts`, `drafts/` and `./drafts`: one folder
        if warn_empty and shown not in warned:
            warned.add(shown)
            warnings.warn(_nothing_under(path, extensions, exclude), stacklevel=2)

    def skipped(path: str) -> None:
        if path in not_followed:
            return
        not_followed.add(path)
        warnings.warn(
            f"{path}: not linted: a symlink to a place outside the directory walked"
            " (name it or its target as a PATH to lint it)",
            stacklevel=2,
        )

    unread: set[str] = set()

    def not_read(path: str, reason: str) -> None:
        if path in unread:
            return
        unread.add(path)
        warnings.warn(f"{path}: not read ({reason}): the files it ignores are linted", stacklevel=2)

    unwritten = _not_written(written)

    def targets() -> Iterator[Target]:
        found = discover(
            args.paths,
            extensions=extensions,
            exclude=exclude,
            on_empty=empty,
            on_skip=skipped,
            on_unread=not_read,
        )
        return (t for t in found if in_shard(t.display, shard) and unwritten(t))

    return targets


def _not_written(written: Sequence[Path]) -> Callable[[Target], bool]:
    """Whether a target is none of the files the run writes (compared once resolved, and
    only for a target of the same name, so a big site costs no extra system calls)."""
    if not written:
        return lambda target: True
    names = {path.name for path in written}
    resolved = {path.resolve() for path in written}
    return lambda target: target.path.name not in names or target.path.resolve() not in resolved


STDIN = "-"
"""The PATH that stands for standard input, as in ruff, ESLint and Vale."""


def reads_stdin(args: argparse.Namespace) -> bool:
    return STDIN in (getattr(args, "paths", None) or ())


def _check_stdin_use(args: argparse.Namespace) -> None:
    """`-` must be the only PATH, `--stdin-filename` needs it, and `check --fix` cannot
    both rewrite and report the one read of standard input."""
    if not reads_stdin(args):
        if getattr(args, "stdin_filename", None) is not None:
            raise PolicyError(
                "--stdin-filename names the article read from standard input: pass - as the PATH"
            )
        return
    if len(args.paths) > 1:
        raise flag_error("PATH", "- (standard input) cannot be combined with other paths")
    if getattr(args, "fix", False):
        raise flag_error("--fix", "use `adlint fix -` to fix standard input")


def _stdin_target(name: str | None) -> Iterator[Target]:
    """The one target a `-` PATH stands for, read when first asked for.

    The piped article is always linted: `exclude_paths` and `--shard` choose among files on
    disk, and an editor piping the buffer it shows wants its findings (ruff does the same).
    """
    path = Path(name) if name else Path(STDIN)
    yield Target(path, display_path(path) if name else STDIN, _read_stdin())


def _read_stdin() -> bytes:
    """At most one byte more than an article may have (the engine reports it as too large)."""
    if sys.stdin is None:
        raise flag_error("PATH", "standard input is closed")
    try:
        return sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise flag_error("PATH", f"cannot read standard input: {error.strerror}") from None


def _nothing_under(path: str, extensions: Iterable[str], exclude: Iterable[str]) -> str:
    shown = path if path.endswith(("/", os.sep)) else f"{path}/"
    what = f"extensions: {', '.join(extensions)}"
    if exclude:
        what += f"; excluding: {', '.join(exclude)}"
    return f"no files to lint under {shown} ({what})"


def _shard(args: argparse.Namespace) -> tuple[int, int] | None:
    value = getattr(args, "shard", None)
    if not value:
        return None
    try:
        return parse_shard(value)
    except ValueError as error:
        raise flag_error("--shard", str(error)) from None


def _restrict(policy: Policy, chosen: set[str]) -> Policy:
    if chosen >= {rule.id for rule in policy.rules}:
        return policy
    restricted = replace(policy, rules=[r for r in policy.rules if r.id in chosen])
    original = restricted.rules_for

    def rules_for(path: str) -> list[Rule]:
        return [r for r in original(path) if r.id in chosen]

    restricted.rules_for = rules_for  # type: ignore[method-assign]
    return restricted


def use_color(args: argparse.Namespace, output: Path | None) -> bool:
    choice = getattr(args, "color", "auto")
    if choice in ("always", "never"):
        return choice == "always"
    return output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
