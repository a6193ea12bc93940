"""Subcommands: one module each, with `add_parser(subparsers)` setting `run(args) -> int`.

Only the module of the command being run is imported (`load`): `adlint check` never loads
the report, fix, merge or baseline code, which is start-up time on every pre-commit run.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from importlib import import_module
from types import ModuleType
from typing import Any

COMMANDS: dict[str, str] = {
    "check": "lint articles",
    "fix": "fix what can be fixed, in place",
    "report": "write a compliance report for a whole site",
    "rules": "list or explain rules",
    "baseline": "accept the current findings",
    "merge": "combine sharded JSON or SARIF outputs",
}
"""Each command's name and one-line help, in the order `adlint --help` lists them."""


def load(name: str) -> ModuleType:
    """The module of command `name` (a key of COMMANDS)."""
    return import_module(f"adlint.commands.{name}")


class CommandParser(argparse.ArgumentParser):
    """A subcommand's parser: PATHs and options intermix (`adlint check site/ --select
    ad-unit more/`), as in ruff and grep, and an argument it does not know is its own usage
    error, shown with its own usage rather than the top level's.

    argparse's intermixed parsing refuses a parser with subparsers, so it is done here, one
    level down: the top-level parser hands the command everything after its name.
    `unknown_hints` maps an option this command lacks to where it is found instead.
    """

    unknown_hints: dict[str, str]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unknown_hints = {}
        self._intermixing = False

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        if self._intermixing:  # parse_known_intermixed_args's own two passes
            return self._parse_pass(list(args or ()), namespace)
        self._intermixing = True
        try:
            namespace, extras = self.parse_known_intermixed_args(args, namespace)
        finally:
            self._intermixing = False
        if extras:
            self.error(_unrecognized(extras, self.unknown_hints))
        return namespace, extras

    def _parse_pass(
        self, args: list[str], namespace: argparse.Namespace | None
    ) -> tuple[argparse.Namespace, list[str]]:
        """One pass; the first, options only, leaves `--` and what follows it to the second.

        Python 3.11's first pass lets its disabled positionals swallow the `--`, so
        `adlint check -- -odd-name.md` would read the file name as an option.
        """
        options_only = any(a.nargs == argparse.SUPPRESS for a in self._get_positional_actions())
        if not options_only or "--" not in args:
            return super().parse_known_args(args, namespace)
        end = args.index("--")
        namespace, rest = super().parse_known_args(args[:end], namespace)
        return namespace, [*rest, *args[end:]]


def _unrecognized(extras: Sequence[str], hints: dict[str, str]) -> str:
    message = f"unrecognized arguments: {' '.join(extras)}"
    hint = next((hints[arg.split("=")[0]] for arg in extras if arg.split("=")[0] in hints), None)
    return f"{message} ({hint})" if hint else message
