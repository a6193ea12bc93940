"""Compile regular expressions from untrusted policies so they cannot hang a run.

Python's `re` backtracks, so a pattern like `(a+)+$` takes exponential time on a crafted
article. Rather than add a second regex engine, we reject the constructs that cause it:
an unbounded repeat nested inside another unbounded repeat, and backreferences. Inputs are
also bounded by the callers (URLs, element text and prose slices have size caps).
"""

from __future__ import annotations

import re
from typing import Any

try:  # Python 3.11+
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

MAXREPEAT = sre_constants.MAXREPEAT
_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT)
MAX_PATTERN = 2000


class UnsafePattern(ValueError):
    """The pattern is valid but could backtrack catastrophically."""


def compile_pattern(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Compile `pattern`, raising re.error for bad syntax and UnsafePattern for risky ones."""
    if len(pattern) > MAX_PATTERN:
        raise UnsafePattern(f"pattern is longer than {MAX_PATTERN} characters")
    compiled = re.compile(pattern, flags)
    _check(sre_parse.parse(pattern, flags))
    return compiled


def _check(parsed: Any) -> None:
    for op, argument in parsed:
        if op in _REPEATS:
            low, high, body = argument
            unbounded = high == MAXREPEAT or high > 100
            if unbounded and _can_repeat(body):
                raise UnsafePattern(
                    "nested unbounded repetition (like `(a+)+`) can take exponential time"
                )
            _check(body)
        elif op == sre_constants.GROUPREF or op == sre_constants.GROUPREF_EXISTS:
            raise UnsafePattern("backreferences are not allowed in policy patterns")
        elif op == sre_constants.SUBPATTERN:
            _check(argument[-1])
        elif op == sre_constants.BRANCH:
            for branch in argument[1]:
                _check(branch)
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            _check(argument[1])


def _can_repeat(parsed: Any) -> bool:
    """True when the body itself contains an unbounded repeat."""
    for op, argument in parsed:
        if op in _REPEATS:
            _, high, body = argument
            if high == MAXREPEAT or high > 100 or _can_repeat(body):
                return True
        elif (
            op == sre_constants.SUBPATTERN
            and _can_repeat(argument[-1])
            or op == sre_constants.BRANCH
            and any(_can_repeat(b) for b in argument[1])
        ):
            return True
    return False
