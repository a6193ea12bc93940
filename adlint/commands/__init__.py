"""Subcommands: one module each, with `add_parser(subparsers)` setting `run(args) -> int`.

Only the module of the command being run is imported (`load`): `adlint check` never loads
the report, fix, merge or baseline code, which is start-up time on every pre-commit run.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

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
