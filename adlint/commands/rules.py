"""`adlint rules`: list the rules in effect, or explain one with its YAML."""

from __future__ import annotations

import argparse
import inspect
from typing import TYPE_CHECKING, Any

from adlint import select
from adlint.commands import COMMANDS
from adlint.commands.common import (
    add_policy_arguments,
    flag_error,
    load_policy_from_args,
    unknown_rule,
)
from adlint.kinds import kinds

if TYPE_CHECKING:
    from adlint.policy import Rule


NAME = "rules"
HELP = COMMANDS[NAME]


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        NAME,
        help=HELP,
        description="List every rule in effect, or explain one rule and show its YAML.",
    )
    parser.add_argument("rule", nargs="?", metavar="RULE", help="the rule to explain")
    parser.add_argument(
        "--kinds", action="store_true", help="document the rule kinds and the selector keys instead"
    )
    add_policy_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.kinds:
        print(kinds_help())
        return 0
    policy, config = load_policy_from_args(args)
    if args.rule:
        rule = next((r for r in policy.rules if r.id == args.rule), None)
        if rule is None:
            if args.rule in policy.rule_ids:
                raise flag_error("RULE", f'disabled rule "{args.rule}" (see `adlint rules`)')
            raise flag_error("RULE", unknown_rule(args.rule, policy.rule_ids))
        print(explain(rule))
        return 0
    width = max((len(r.id) for r in policy.rules), default=10)
    print(f"{'RULE'.ljust(width)}  {'KIND':9}  {'SEVERITY':8}  DESCRIPTION")
    for rule in policy.rules:
        summary = _first_sentence(rule.description or rule.message)
        print(f"{rule.id.ljust(width)}  {rule.kind_name:9}  {rule.severity.value:8}  {summary}")
    print(f"\npolicy: {' + '.join(policy.files)}")
    return 0


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    end = text.find(". ")
    return text[: end + 1] if end > 0 else text


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def explain(rule: Rule) -> str:
    """A rule's documentation and its merged YAML definition."""
    lines = [
        f"{rule.id} ({rule.kind_name}, {rule.severity.value})",
        f"defined at {rule.source}",
        "",
    ]
    for title, text in (("Why", rule.description), ("Fix", rule.help), ("Docs", rule.docs)):
        if text:
            lines.append(f"{title}: {' '.join(text.split())}")
    import yaml  # loaded by `adlint rules RULE` only

    definition = yaml.safe_dump(
        {rule.id: _plain(rule.definition)}, sort_keys=False, allow_unicode=True, width=100
    )
    lines += ["", "YAML:", definition.rstrip()]
    return "\n".join(lines)


def kinds_help() -> str:
    """Every kind's user documentation (its module docstring) and the selector keys."""
    parts = []
    for name, kind in kinds().items():
        module = inspect.getmodule(kind)
        parts.append(f"== kind: {name} ==\n{inspect.cleandoc(module.__doc__ or '')}")
    parts.append(f"== selectors ==\n{inspect.cleandoc(select.__doc__ or '')}")
    return "\n\n".join(parts)
