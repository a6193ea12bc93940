"""`adlint report`: the publisher compliance report, as HTML, Markdown or JSON.

A report is informational, so it exits 0 however many findings it shows; `--fail-on`
(only when given on the command line, never from config, where `fail_on` is meant for
`adlint check`) makes it exit 1 like `check` would. Usage and config errors exit 2.

Findings come from the same `lint()` as `adlint check`, so the report always agrees with
it, link checking included (`--check-links` and the other link flags come with the lint
arguments; broken and unreachable links fill the report's Broken links section).

Word counts for ad density come from a second, streaming pass that parses one file at a
time and keeps only a FileStats record: parsing twice costs some time, holding every
document would cost memory without bound (linkphase.py makes the same trade).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from itertools import groupby
from pathlib import Path

from adlint import __version__
from adlint.commands.check import write_output
from adlint.commands.common import (
    add_lint_arguments,
    add_policy_arguments,
    lint,
    load_policy_from_args,
)
from adlint.commands.linkargs import link_settings
from adlint.discover import DEFAULT_EXTENSIONS, discover
from adlint.engine import read_document
from adlint.errors import PolicyError
from adlint.finding import Finding, Severity
from adlint.policy import Policy, Rule
from adlint.report.aggregate import DEFAULT_TOP, Aggregator, file_stats
from adlint.report.model import FileStats, Report

FORMATS = ("html", "markdown", "json")
SUFFIX_FORMATS = {
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
}


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "report",
        help="write a compliance report for a whole site",
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
        "--output", "-o", type=Path, metavar="FILE", help="write the report to FILE"
    )
    output.add_argument(
        "--fail-on",
        choices=("error", "warning", "info"),
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
    suffix = output.suffix.lower()
    if suffix not in SUFFIX_FORMATS:
        raise PolicyError(
            f'cannot tell the report format from "{output.name}"; use --format html, '
            "markdown or json",
            key="--output",
        )
    return SUFFIX_FORMATS[suffix]


def run(args: argparse.Namespace) -> int:
    format_name = resolve_format(args.format, args.output)
    if args.top < 0:
        raise PolicyError("must be 0 (all) or more", key="--top")
    policy, _ = load_policy_from_args(args)
    result = lint(args, policy)
    report = build_report(args, policy, result.findings, result.rules)
    write_output(render(format_name, report), args.output)
    if args.fail_on is None:
        return 0
    threshold = Severity(args.fail_on)
    failing = any(f.severity >= threshold for f in result.findings if f.suppressed is None)
    return 1 if failing else 0


def build_report(
    args: argparse.Namespace, policy: Policy, findings: Sequence[Finding], rules: Sequence[Rule]
) -> Report:
    """Feed the aggregator file by file, in discovery order."""
    aggregator = Aggregator(rules, top=args.top)
    by_path = {path: list(group) for path, group in groupby(findings, key=lambda f: f.path)}
    for stats in collect_stats(args, policy):
        aggregator.add(stats, by_path.pop(stats.path, []))
    for path, leftover in by_path.items():  # only if discovery changed between the passes
        aggregator.add(FileStats(path), leftover)
    return aggregator.finish(
        version=__version__,
        generated=generated_at(),
        policy_files=policy.files,
        links_checked=link_settings(args, policy) is not None,
        title=args.title,
    )


def collect_stats(args: argparse.Namespace, policy: Policy) -> Iterator[FileStats]:
    """Parse each file lint() saw, one at a time, keeping only its FileStats."""
    settings = policy.settings
    extensions = (
        [e for e in args.extensions.split(",") if e]
        if args.extensions
        else settings.get("extensions", DEFAULT_EXTENSIONS)
    )
    exclude = [*settings.get("exclude_paths", []), *args.exclude_path]
    for target in discover(args.paths, extensions=extensions, exclude=exclude):
        yield file_stats(read_document(target))


def generated_at() -> str:
    """Now, in UTC; SOURCE_DATE_EPOCH (reproducible-builds.org) pins it for stable output."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else datetime.now(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def render(format_name: str, report: Report) -> str:
    from adlint.report import html, json, markdown

    renderers = {"html": html.render, "markdown": markdown.render, "json": json.render}
    return renderers[format_name](report)
