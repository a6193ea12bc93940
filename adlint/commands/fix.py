"""`adlint fix`: apply the fixes rules declare, in place (or print a diff with --diff)."""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from typing import TYPE_CHECKING, cast

from adlint.commands import COMMANDS, CommandParser, check
from adlint.commands.common import (
    add_lint_arguments,
    add_policy_arguments,
    file_time_limit,
    fix_targets,
    load_policy_from_args,
    reads_stdin,
)
from adlint.engine import MAX_FILE_BYTES
from adlint.errors import PolicyError
from adlint.formats import counted, printable
from adlint.timelimit import TimeLimitExceeded, cpu_time_limit

if TYPE_CHECKING:
    from adlint.commands.common import Targets
    from adlint.policy import Policy

NAME = "fix"
HELP = COMMANDS[NAME]


CHECK_FLAGS = (
    "--format",
    "--output",
    "-o",
    "--also",
    "--output-sarif",
    "--baseline",
    "--fail-on",
    "--color",
    "--show-suppressed",
)
"""`adlint check` options for the report after fixing, which `fix` (text to stdout) lacks."""


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = cast(
        CommandParser,
        subparsers.add_parser(
            NAME,
            help=HELP,
            description="Apply the fixes rules declare (add rel=sponsored, remove tracking "
            "pixels, insert a disclosure), then report what remains like `adlint check`.",
        ),
    )
    parser.unknown_hints.update(
        {flag: f"to fix, then report, use `adlint check --fix {flag} ...`" for flag in CHECK_FLAGS}
    )
    add_lint_arguments(parser)
    add_policy_arguments(parser)
    parser.add_argument(
        "--diff", action="store_true", help="print a unified diff of the fixes and change nothing"
    )
    parser.set_defaults(run=run)


def apply_fixes(
    args: argparse.Namespace,
    *,
    diff: bool,
    policy: Policy | None = None,
    targets: Targets | None = None,
) -> tuple[int, int]:
    """Fix every target; return (files changed, edits applied).

    `policy` and `targets` are the check's when a check follows (`check --fix`), so the
    config is loaded and the PATHs walked once; else they are loaded and walked here.
    Standard input's article goes to standard output whole, fixed or not (what an editor's
    "fix on save" replaces its buffer with), in its own encoding and BOM; with --diff, only
    its diff, as for files.
    """
    from adlint.fix.apply import plan, write  # loaded by fixing runs only

    if policy is None:
        policy, _ = load_policy_from_args(args)
    limit = file_time_limit(args, policy)
    files = edits = 0
    fixed: set[str] = set()
    for target, restricted in fix_targets(args, policy, targets):
        if target.display in fixed:
            continue  # named twice (`site site/a.md`): one fix, one diff, one count
        fixed.add(target.display)
        if target.data is not None and len(target.data) > MAX_FILE_BYTES:
            raise PolicyError(f"standard input is larger than {MAX_FILE_BYTES:,} bytes; not fixed")
        try:
            with cpu_time_limit(limit):
                result = plan(target, restricted)
        except TimeLimitExceeded:
            result = None  # the check after fixing gives it up too, and reports it
        for finding, reason in result.skipped if result is not None else ():
            # where the finding is once fixed, as the check after fixing reports it; a diff
            # changes nothing, so there it is where it was
            line, column = (
                (finding.line, finding.column)
                if diff
                else result.position_after(finding.line, finding.column)
            )
            print(  # the path is a file name: no terminal escapes from it
                f"{_shown(finding.path)}:{line}:{column}: not fixable "
                f"({printable(finding.rule)}): {printable(reason)}",
                file=sys.stderr,
            )
        changed = result is not None and result.changed
        if changed:
            files += 1
            edits += len(result.applied)
        if target.data is not None and not diff:
            sys.stdout.flush()
            sys.stdout.buffer.write(result.payload() if changed else target.data)
            sys.stdout.buffer.flush()
        elif changed and diff:
            sys.stdout.write(result.diff())
        elif changed:
            write(target, result)
    return files, edits


def _shown(path: str) -> str:
    """The file name made printable, and never starting with `:`: a line starting with `::`
    is a workflow command in an Actions log (`::stop-commands::x.md` would silence every
    annotation after it). `./` keeps it a path that editors open."""
    shown = printable(path)
    return f"./{shown}" if shown.startswith(":") else shown


def run(args: argparse.Namespace) -> int:
    if args.diff or reads_stdin(args):
        # --diff changes nothing to check; standard input is consumed (`adlint check -`
        # reports what remains)
        with ExitStack() as stack:
            if args.diff:  # a diff's lines are article text: pause workflow commands as check
                check.stop_workflow_commands(sys.stdout, stack)
                sys.stdout.flush()  # before any "not fixable" line reaches the log on stderr
            edits = fix_and_count(args, diff=args.diff)
        return 1 if args.diff and edits else 0
    defaults = {
        "format": "text",
        "output": None,
        "extra_outputs": [],
        "fail_on": None,
        "color": "auto",
        "show_suppressed": False,
        "baseline": None,
    }
    for name, value in defaults.items():
        setattr(args, name, getattr(args, name, value))
    # check validates every flag before it lets the fixes be written
    return check.run(
        args, fix=lambda policy, targets: fix_and_count(args, policy, targets, diff=False)
    )


def fix_and_count(
    args: argparse.Namespace,
    policy: Policy | None = None,
    targets: Targets | None = None,
    *,
    diff: bool,
) -> int:
    """Fix (with `diff`, print the fixes) and say how many on standard error; the edits."""
    files, edits = apply_fixes(args, diff=diff, policy=policy, targets=targets)
    verb = "would fix" if diff else "fixed"
    what = f"{counted(edits, 'finding')} in {counted(files, 'file')}"
    print(f"adlint: {verb} {what}", file=sys.stderr)
    return edits
