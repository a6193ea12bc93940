"""`adlint report`: the publisher compliance report, as HTML, Markdown or JSON.

A report is informational, so it exits 0 however many findings it shows; `--fail-on`
(only when given on the command line, never from config, where `fail_on` is meant for
`adlint check`) makes it exit 1 like `check` would. Usage and config errors exit 2.

Findings come from the same `lint_stream()` as `adlint check`, so the report always agrees
with it, link checking included (`--check-links` and the other link flags come with the lint
arguments; broken and unreachable links fill the report's Broken links section).

Files stream from the same workers as `check`: each brings its findings and a FileStats
record (words for ad density, the title) computed while its document was parsed, and the
Aggregator keeps counters, the inventory and a bounded heap of the worst files, never the
documents or every finding (with --check-links the findings are collected first, as in
`check`).
"""

from __future__ import annotations

import argparse
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from adlint import __version__
from adlint.commands import COMMANDS
from adlint.commands.check import write_output
from adlint.commands.common import (
    add_lint_arguments,
    add_policy_arguments,
    check_output_file,
    flag_error,
    format_from_ending,
    lint_stream,
    load_policy_from_args,
    output_file,
)
from adlint.commands.linkargs import link_settings
from adlint.finding import Severity
from adlint.report import DEFAULT_TOP
from adlint.setting import FAIL_ON

if TYPE_CHECKING:
    from adlint.report.model import Report

FORMATS = ("html", "markdown", "json")
SUFFIX_FORMATS = {
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
}


NAME = "report"
HELP = COMMANDS[NAME]


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        NAME,
        help=HELP,
        description="Lint articles and write a publisher compliance report: summary, "
        "inventory of affiliate networks, IDs, ad clients and pixels, ad density, "
        "disclosure, broken links and the worst files.",
    )
    add_lint_arguments(parser)
    add_policy_arguments(parser)
    output = parser.add_argument_group("report")
    output.add_argument(
        "--format",
        choices=FORMATS,
        help="report format (default: from the --output extension; markdown on stdout)",
    )
    output.add_argument(
        "--output", "-o", type=output_file, metavar="FILE", help="write the report to FILE"
    )
    output.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        help="exit 1 when an active finding has at least this severity (default: always 0)",
    )
    output.add_argument(
        "--top",
        type=int,
        default=DEFAULT_TOP,
        metavar="N",
        help=f"list the N worst files with their details (default {DEFAULT_TOP}; 0: all)",
    )
    output.add_argument("--title", default="adlint compliance report", help="report heading")
    parser.set_defaults(run=run)


def resolve_format(name: str | None, output: Path | None) -> str:
    """--format wins; else the output's extension; Markdown on stdout reads in a terminal."""
    if name:
        return name
    if output is None:
        return "markdown"
    named = format_from_ending(output, SUFFIX_FORMATS.items())
    if named is None:
        raise flag_error(
            "--output",
            f'cannot tell the report format from "{output.name}"; use --format html, '
            "markdown or json",
        )
    return named


def run(args: argparse.Namespace) -> int:
    from adlint.outcome import FileStats
    from adlint.report.aggregate import Aggregator  # loaded by this command only

    if args.output is not None:
        check_output_file(args.output, "--output")
    format_name = resolve_format(args.format, args.output)
    if args.top < 0:
        raise flag_error("--top", "must be 0 (all) or more")
    policy, _ = load_policy_from_args(args)
    stream = lint_stream(args, policy, [args.output] if args.output else [])
    aggregator = Aggregator(stream.rules, top=args.top)
    threshold = Severity(args.fail_on) if args.fail_on else None
    failing = False
    for outcome in stream.outcomes:
        stats = outcome.stats or FileStats(outcome.path)
        aggregator.add(stats, outcome.findings)
        for _ in range(outcome.targets - 1):  # a file named twice counts twice
            aggregator.add(stats, ())
        if threshold is not None and not failing:
            failing = any(f.severity >= threshold for f in outcome.findings if f.suppressed is None)
    report = aggregator.finish(
        version=__version__,
        generated=generated_at(),
        policy_files=policy.files,
        links_checked=link_settings(args, policy) is not None,
        title=args.title,
    )
    write_output(render(format_name, report), args.output)
    return 1 if failing else 0


def generated_at() -> str:
    """Now, in UTC; SOURCE_DATE_EPOCH (reproducible-builds.org) pins it for stable output."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else datetime.now(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def render(format_name: str, report: Report) -> str:
    from adlint.report import html, json, markdown

    renderers = {"html": html.render, "markdown": markdown.render, "json": json.render}
    return renderers[format_name](report)
