"""`adlint baseline`: write the current findings to a baseline file (see adlint/baseline.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

from adlint.baseline import render_baseline
from adlint.commands import COMMANDS
from adlint.commands.check import write_output
from adlint.commands.common import (
    add_lint_arguments,
    add_policy_arguments,
    check_output_file,
    lint,
    load_policy_from_args,
    output_file,
)
from adlint.formats import counted

NAME = "baseline"
HELP = COMMANDS[NAME]


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        NAME,
        help=HELP,
        description="Record the current findings so `adlint check --baseline FILE` reports "
        "only new ones.",
    )
    add_lint_arguments(parser)
    add_policy_arguments(parser)
    parser.add_argument(
        "-o",
        "--output",
        type=output_file,
        default=Path(".adlint-baseline.json"),
        metavar="FILE",
        help="baseline file to write (default: .adlint-baseline.json)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    check_output_file(args.output, "--output")
    policy, _ = load_policy_from_args(args)
    result = lint(args, policy)
    write_output(render_baseline(result.findings), args.output)
    active = sum(1 for f in result.findings if f.suppressed is None)
    what = f"{counted(active, 'finding')} from {counted(result.files, 'file')}"
    print(f"adlint: wrote {what} to {args.output}")
    return 0
