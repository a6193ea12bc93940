"""`adlint check`: lint files and report findings; the exit code says pass or fail."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from adlint.commands.common import (
    add_lint_arguments,
    add_policy_arguments,
    fail_on,
    lint,
    load_policy_from_args,
    use_color,
)
from adlint.errors import PolicyError
from adlint.formats import Run, renderers

FORMATS = ("auto", "text", "json", "sarif", "github")


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "check", help="lint articles", description="Lint articles and report findings."
    )
    add_lint_arguments(parser)
    add_policy_arguments(parser)
    output = parser.add_argument_group("output")
    output.add_argument(
        "--format",
        choices=FORMATS,
        default="auto",
        help="output format (auto: github under GitHub Actions, else text)",
    )
    output.add_argument(
        "--output",
        "-o",
        type=Path,
        metavar="FILE",
        help="write the report to FILE instead of standard output",
    )
    output.add_argument(
        "--fail-on",
        choices=("error", "warning", "info"),
        help="exit 1 when a finding has at least this severity "
        "(default: error, or fail_on in config)",
    )
    output.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour text output (auto: only on a terminal)",
    )
    output.add_argument(
        "--show-suppressed",
        action="store_true",
        help="text output: also list findings suppressed by directives",
    )
    parser.set_defaults(run=run)


def resolve_format(name: str) -> str:
    if name != "auto":
        return name
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def run(args: argparse.Namespace) -> int:
    policy, _ = load_policy_from_args(args)
    threshold = fail_on(args, policy)
    result = lint(args, policy)
    format_name = resolve_format(args.format)
    table = renderers()
    if format_name not in table:
        raise PolicyError(f'output format "{format_name}" is not available', key="--format")
    run_record = Run(
        findings=result.findings,
        rules=result.rules,
        files=result.files,
        fail_on=threshold,
        color=use_color(args, args.output) and format_name == "text",
        policy_files=policy.files,
    )
    if args.show_suppressed and format_name == "text":
        from dataclasses import replace

        shown = [replace(f, suppressed=None) for f in result.findings]
        run_record = replace(run_record, findings=shown)
    write_output(table[format_name](run_record), args.output)
    failing = any(f.severity >= threshold for f in result.findings if f.suppressed is None)
    return 1 if failing else 0


def write_output(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise PolicyError(f"cannot write output: {error.strerror}", path=str(output)) from None
