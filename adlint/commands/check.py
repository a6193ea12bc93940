"""`adlint check`: lint files and report findings; the exit code says pass or fail."""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import replace
from pathlib import Path

from adlint.baseline import apply_baseline, read_baseline
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
_FORMAT_PREFIX = re.compile(r"^(text|json|sarif|github):(.+)$")


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
        help="write the report to FILE instead of standard output "
        "(FORMAT:FILE writes that format there instead)",
    )
    output.add_argument(
        "--output-sarif",
        dest="extra_outputs",
        action="append",
        default=[],
        type=lambda value: f"sarif:{value}",
        metavar="FILE",
        help="also write SARIF to FILE from the same run",
    )
    output.add_argument(
        "--also",
        dest="extra_outputs",
        action="append",
        metavar="FORMAT:FILE",
        help="also write FORMAT (text, json, sarif, github) to FILE (repeatable)",
    )
    output.add_argument(
        "--fix",
        action="store_true",
        help="apply the fixes rules declare first, then report what remains",
    )
    output.add_argument(
        "--baseline",
        type=Path,
        metavar="FILE",
        help="report only findings not in this baseline (see `adlint baseline`)",
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
    if getattr(args, "fix", False):
        from adlint.commands.fix import apply_fixes

        apply_fixes(args, diff=False)
    policy, _ = load_policy_from_args(args)
    threshold = fail_on(args, policy)
    main_output, extra_outputs = split_outputs(args.output, args.extra_outputs)
    result = lint(args, policy)
    findings = result.findings
    if args.baseline is not None:
        findings = apply_baseline(findings, read_baseline(args.baseline))
    format_name = resolve_format(args.format)
    run_record = Run(
        findings=findings,
        rules=result.rules,
        files=result.files,
        fail_on=threshold,
        color=use_color(args, main_output) and format_name == "text",
        policy_files=policy.files,
    )
    shown = run_record
    if args.show_suppressed and format_name == "text":
        shown = replace(run_record, findings=[replace(f, suppressed=None) for f in findings])
    table = renderers()
    write_output(table[format_name](shown), main_output)
    for extra_format, path in extra_outputs:
        write_output(table[extra_format](replace(run_record, color=False)), path)
    write_step_summary(run_record, format_name)
    failing = any(f.severity >= threshold for f in findings if f.suppressed is None)
    return 1 if failing else 0


def split_outputs(
    output: Path | None, extras: list[str]
) -> tuple[Path | None, list[tuple[str, Path]]]:
    """`--output FILE` is the main report; `--output FORMAT:FILE` and `--output-sarif FILE`
    add more reports from the same run (e.g. annotations plus a SARIF file to upload)."""
    outputs: list[tuple[str, Path]] = []
    main = output
    if output is not None and (match := _FORMAT_PREFIX.match(str(output))):
        main, outputs = None, [(match.group(1), Path(match.group(2)))]
    for value in extras:
        match = _FORMAT_PREFIX.match(value)
        if not match:
            raise PolicyError(
                f"expected FORMAT:FILE with FORMAT one of {', '.join(FORMATS[1:])}", key="--output"
            )
        outputs.append((match.group(1), Path(match.group(2))))
    return main, outputs


def write_step_summary(run: Run, format_name: str) -> None:
    """Under GitHub Actions, add the Markdown summary to the job page (annotations are capped
    at ten per level, the summary is not)."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target or format_name != "github":
        return
    from adlint.formats import summary

    try:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(summary.render(run))
    except OSError as error:
        print(f"adlint: warning: cannot write the step summary: {error.strerror}", file=sys.stderr)


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
