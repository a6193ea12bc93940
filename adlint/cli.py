"""The command line: parse argv, dispatch to a subcommand, map errors to exit codes.

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or configuration error (or
a bug in adlint outside the per-file work, which reports its bugs on the file instead),
141 when the reader of the output went away (see EXIT_BROKEN_PIPE).
Only this module (and adlint/commands/) touches argv, the environment and exit codes.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Sequence

from adlint import __version__
from adlint.commands import COMMANDS, CommandParser, load
from adlint.errors import PolicyError, internal_error, raise_internal_errors

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
EXIT_BROKEN_PIPE = 128 + 13
"""Output went to a pipe whose reader left (`adlint check | head -1`): stop quietly with the
status a shell reports for grep or cat killed by SIGPIPE (13). Not 2: nothing was wrong
with the command. Not 0, as ruff and ripgrep do: the run stopped before it could tell
pass from fail, and GitHub Actions runs bash with pipefail, so 0 would turn a failing
`adlint check | head` step green. A shell without pipefail reports head's status anyway."""


OWN_WARNINGS = r"adlint(\.|$)"
"""The modules whose warnings are adlint's own output (a symlink not followed, a directory
with nothing to lint, an unusable cache), printed each time they are given, whatever
PYTHONWARNINGS or -W say: `PYTHONWARNINGS=error`, common in CI jobs that also run tests,
turned them into a reported "bug in adlint" and exit 2, and `ignore` hid them. Python's
default filter printed a repeated message once only, which hid a warning given twice
(a walk done twice): adlint says each thing once itself (adlint/commands/common.py)."""


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser for `argv`: only the command it names is imported and gets its options
    (argparse takes ~1 ms per command to add them); the others are listed, as `adlint
    --help` shows them."""
    named = next((arg for arg in argv or () if arg in COMMANDS), None)
    parser = argparse.ArgumentParser(
        prog="adlint",
        description="Audit articles for affiliate links, ad units, tracking pixels and "
        "broken outbound links.",
    )
    parser.add_argument("--version", action="version", version=f"adlint {__version__}")
    subparsers = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=CommandParser
    )
    for name, help in COMMANDS.items():
        if named in (None, name):
            load(name).add_parser(subparsers)
        else:
            subparsers.add_parser(name, help=help)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run adlint and return its exit code (tests call this directly)."""
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit:
        return int(exit.code) if isinstance(exit.code, int) else EXIT_USAGE
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            warnings.filterwarnings("always", category=UserWarning, module=OWN_WARNINGS)
            return int(args.run(args))
    except PolicyError as error:
        print(f"adlint: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        _forget_stdout()
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        print("adlint: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # not 1, which would read as "findings"
        if raise_internal_errors():
            raise
        print(f"adlint: error: {internal_error(error)}", file=sys.stderr)
        return EXIT_USAGE


def _forget_stdout() -> None:
    """If standard output is the closed pipe, point it at the null device, so the final
    flush of what it still buffers cannot fail again at exit ("Exception ignored ...
    BrokenPipeError"), as the Python documentation advises for SIGPIPE."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # closed, or not a real file (a test's capture)
        pass


def _show_warning(message: Warning | str, *_: object, **__: object) -> None:
    """Warnings (an unusable cache, say) read like adlint's errors, without source lines."""
    from adlint.formats import printable  # warnings name config paths: one printable line

    print(f"adlint: warning: {printable(str(message))}", file=sys.stderr)


def main_entry() -> None:
    """Console-script entry point."""
    sys.exit(main())
