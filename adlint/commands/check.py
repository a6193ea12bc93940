"""`adlint check`: lint files and report findings; the exit code says pass or fail.

Every output of a run (the main one, `--also`, `--output-sarif`, the step summary) is a
Writer fed the same per-file Outcomes as they arrive; this command keeps only counters, so
a static run's memory does not grow with the number of files or findings.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TextIO, cast

from adlint.commands import COMMANDS
from adlint.commands.common import (
    Targets,
    add_lint_arguments,
    add_policy_arguments,
    check_output_file,
    fail_on,
    format_from_ending,
    lint_stream,
    load_policy_from_args,
    output_file,
    use_color,
)
from adlint.errors import PolicyError, flag_error
from adlint.formats import FORMATS as WRITERS
from adlint.formats import RunInfo, Tally, Writer, writer_for
from adlint.formats.summary import SummaryWriter
from adlint.formats.text import TextWriter
from adlint.setting import FAIL_ON

if TYPE_CHECKING:
    from adlint.policy import Policy

Fixer = Callable[["Policy", Targets], object]
"""Fixes the files before a check (`check --fix`, `adlint fix`): given the check's policy and
its files, walked once for both."""

FORMATS = ("auto", *WRITERS)
_FORMAT_PREFIX = re.compile(rf"^({'|'.join(WRITERS)}):(.+)$")


NAME = "check"
HELP = COMMANDS[NAME]


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        NAME, help=HELP, description="Lint articles and report findings."
    )
    add_lint_arguments(parser)
    add_policy_arguments(parser)
    output = parser.add_argument_group("output")
    output.add_argument(
        "--format",
        choices=FORMATS,
        help="output format (default: from the --output extension, .sarif or .sarif.json "
        "for sarif and .json for json; else auto: github under GitHub Actions, else text)",
    )
    output.add_argument(
        "--statistics",
        action="store_true",
        help="print findings and files per rule instead of every finding "
        "(the same as --format statistics)",
    )
    output.add_argument(
        "--output",
        "-o",
        type=main_output,
        metavar="FILE",
        help="write the report to FILE instead of standard output "
        "(FORMAT:FILE writes that format there instead)",
    )
    output.add_argument(
        "--output-sarif",
        dest="extra_outputs",
        action="append",
        default=[],
        type=sarif_output,
        metavar="FILE",
        help="also write SARIF to FILE from the same run",
    )
    output.add_argument(
        "--also",
        dest="extra_outputs",
        action="append",
        type=also_output,
        metavar="FORMAT:FILE",
        help=f"also write FORMAT ({', '.join(WRITERS)}) to FILE (repeatable)",
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
        choices=FAIL_ON,
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
        help="text output: also list suppressed findings (directives, baseline), marked "
        "[suppressed: reason] and not counted",
    )
    parser.set_defaults(run=run)


SUFFIX_FORMATS = ((".sarif", "sarif"), (".sarif.json", "sarif"), (".json", "json"))
"""Output file endings that name a format, as `adlint report` reads its --output's."""


def resolve_format(name: str | None, output: Path | None = None) -> str:
    """An explicit --format wins; else the output file's ending; else auto."""
    if name is None and output is not None:
        named = format_from_ending(output, SUFFIX_FORMATS)
        if named is not None:
            return named
    if name not in (None, "auto"):
        return name
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def _statistics(args: argparse.Namespace) -> str | None:
    """--format, with --statistics as ruff users spell `--format statistics`."""
    if not getattr(args, "statistics", False):
        return args.format  # type: ignore[no-any-return]
    if args.format not in (None, "auto", "statistics"):
        raise flag_error("--statistics", f"not allowed with --format {args.format}")
    return "statistics"


def run(args: argparse.Namespace, fix: Fixer | None = None) -> int:
    """Lint and write every output; `fix` (`check --fix`, `adlint fix`) first fixes the files.

    Every usage error (config, flags, the baseline, the outputs) is raised before `fix` runs
    and before any output is opened: a run that exits 2 has changed no article. `fix` is
    given this run's policy and files, so the PATHs are walked once and the files fixed
    are the files linted.
    """
    if fix is None and getattr(args, "fix", False):
        fix = _fixer(args)
    policy, _ = load_policy_from_args(args)
    threshold = fail_on(args, policy)
    main_output, extra_outputs = split_outputs(args.output, args.extra_outputs)
    accepted = None
    if args.baseline is not None:
        from adlint.baseline import apply_baseline, read_baseline  # baseline runs only

        accepted = read_baseline(args.baseline)
    format_name = resolve_format(_statistics(args), main_output)
    written = [path for _, path in extra_outputs]
    stream = lint_stream(
        args,
        policy,
        [main_output, *written] if main_output else written,
        walk_once=fix is not None,
    )
    info = RunInfo(rules=stream.rules, fail_on=threshold, policy_files=policy.files)
    tally = Tally()
    with ExitStack() as stack:
        main_stream = _open(main_output, stack)
        extra_streams = [(name, _open(path, stack)) for name, path in extra_outputs]
        if fix is not None:
            fix(policy, stream.targets)
        if format_name in ("text", "parsable") and main_output is None:
            stop_workflow_commands(main_stream, stack)  # their lines start with paths
        if format_name == "text":
            color = use_color(args, main_output)
            outputs: list[tuple[Writer, RunInfo]] = [
                (
                    TextWriter(main_stream, show_suppressed=args.show_suppressed),
                    replace(info, color=color),
                )
            ]
        else:
            outputs = [(writer_for(format_name)(main_stream), info)]
        outputs += [(writer_for(name)(stream), info) for name, stream in extra_streams]
        summary = _step_summary(format_name)
        if summary is not None:
            outputs.append((SummaryWriter(summary), info))
        for writer, writer_info in outputs:
            writer.begin(writer_info)
        for outcome in stream.outcomes:
            if accepted is not None:
                outcome = apply_baseline(outcome, accepted)
            tally.add(outcome)
            for writer, _ in outputs:
                writer.file(outcome)
        for writer, _ in outputs:
            writer.end()
    if summary is not None:
        write_step_summary(summary.getvalue())
    return 1 if tally.failing(threshold) else 0


def _fixer(args: argparse.Namespace) -> Fixer:
    """`check --fix` fixes as `adlint fix` does and says so alike ("fixed N findings in M
    files" on standard error): it used to fix in silence."""
    from adlint.commands.fix import fix_and_count  # fixing runs only

    return lambda policy, targets: fix_and_count(args, policy, targets, diff=False)


def stop_workflow_commands(stream: TextIO, stack: ExitStack) -> None:
    """Under GitHub Actions, text and parsable output go to the job log, where a line
    starting with `::` is a workflow command: a file named `::error::x.md` would forge one.
    The runner's `::stop-commands::TOKEN` ... `::TOKEN::` pair turns command processing off
    in between; the token is random, so no article can end the pause early."""
    if os.environ.get("GITHUB_ACTIONS") != "true":
        return
    import secrets

    token = secrets.token_hex(16)
    stream.write(f"::stop-commands::{token}\n")
    stack.callback(lambda: stream.write(f"::{token}::\n"))


def _open(path: Path | None, stack: ExitStack) -> TextIO:
    """Standard output, or FILE opened for streaming (its folder created as needed)."""
    if path is None:
        sink = _Sink(sys.stdout, "<stdout>")
        stack.callback(sink.flush)
        return cast(TextIO, sink)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("w", encoding="utf-8")
    except OSError as error:
        raise PolicyError(f"cannot write output: {error.strerror}", path=str(path)) from None
    sink = _Sink(handle, str(path))
    stack.callback(sink.close)  # writes are buffered: the last ones can fail here
    return cast(TextIO, sink)


class _Sink:
    """A text stream whose write errors (disk full, say) are errors naming it.

    A closed pipe is no error: the reader (`head`, a pager) has left, and the CLI stops
    quietly (see adlint.cli.EXIT_BROKEN_PIPE), so BrokenPipeError goes through as it is.
    """

    def __init__(self, stream: TextIO, name: str) -> None:
        self._stream = stream
        self._name = name

    def write(self, text: str) -> int:
        with self._errors():
            return self._stream.write(text)

    def flush(self) -> None:
        with self._errors():
            self._stream.flush()

    def close(self) -> None:
        with self._errors():
            self._stream.close()

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except BrokenPipeError:
            raise
        except OSError as error:
            raise PolicyError(f"cannot write output: {error.strerror}", path=self._name) from None


class Output(NamedTuple):
    """A file named by --output, --also or --output-sarif: what to write there, and where."""

    format: str | None
    """The format; None for the main report (--format, else the file's ending)."""
    path: Path
    flag: str
    """The flag that named it, for errors."""


def main_output(text: str) -> Output:
    """An argparse type: --output's FILE, or FORMAT:FILE for another format."""
    match = _FORMAT_PREFIX.match(text)
    if match:
        return Output(match.group(1), output_file(match.group(2)), "--output")
    return Output(None, output_file(text), "--output")


def also_output(text: str) -> Output:
    """An argparse type: --also's FORMAT:FILE."""
    match = _FORMAT_PREFIX.match(text)
    if not match:
        raise argparse.ArgumentTypeError(
            f"expected FORMAT:FILE with FORMAT one of {', '.join(WRITERS)}, not {text!r}"
        )
    return Output(match.group(1), output_file(match.group(2)), "--also")


def sarif_output(text: str) -> Output:
    """An argparse type: --output-sarif's FILE."""
    return Output("sarif", output_file(text), "--output-sarif")


def split_outputs(
    output: Output | None, extras: list[Output]
) -> tuple[Path | None, list[tuple[str, Path]]]:
    """`--output FILE` is the main report; `--output FORMAT:FILE`, `--also FORMAT:FILE` and
    `--output-sarif FILE` add more reports from the same run (e.g. annotations plus a SARIF
    file to upload). Each must be a file, and a different one: two writers streaming into
    one file would interleave into a corrupt report."""
    named = ([output] if output is not None else []) + list(extras)
    seen: dict[Path, Output] = {}
    for entry in named:
        check_output_file(entry.path, entry.flag)
        first = seen.setdefault(entry.path.resolve(), entry)
        if first is not entry:
            raise PolicyError(
                f"named twice, by {first.flag} and by {entry.flag}: each output needs a file "
                "of its own",
                path=str(entry.path),
            )
    main = output.path if output is not None and output.format is None else None
    return main, [(entry.format, entry.path) for entry in named if entry.format is not None]


def _step_summary(format_name: str) -> io.StringIO | None:
    """Under GitHub Actions, the run also yields the Markdown summary for the job page
    (annotations are capped at ten per level, the summary is not)."""
    if not os.environ.get("GITHUB_STEP_SUMMARY") or format_name != "github":
        return None
    return io.StringIO()


def write_step_summary(text: str) -> None:
    """Append to `$GITHUB_STEP_SUMMARY`; failing to is a warning, not a failed check."""
    target = os.environ["GITHUB_STEP_SUMMARY"]
    try:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(text)
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
