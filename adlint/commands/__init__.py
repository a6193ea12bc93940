"""Subcommands: one module each, with `add_parser(subparsers)` setting `run(args) -> int`."""

from __future__ import annotations

from types import ModuleType

from adlint.commands import baseline, check, fix, merge, report, rules

COMMANDS: list[ModuleType] = [check, fix, report, rules, baseline, merge]
