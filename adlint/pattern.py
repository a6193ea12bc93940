"""Compile regular expressions from untrusted policies so they cannot hang a run.

Python's `re` backtracks, so a pattern like `(a+)+$` takes exponential time on a crafted
article, and `.*.*.*=.*X` polynomial time that is just as fatal on an 8 KB URL. Two layers:

1. At load time, reject the constructs that cause it and that no policy needs (an unbounded
   repeat nested inside another, backreferences), so the author gets `file:line: key` at once.
2. Static checks cannot catch everything (`(a|a)*c`, `(.*,){12}X`), so every match runs on
   the `regex` engine (same syntax as `re`, validated with `re` first) with a time limit:
   a match that runs past `MATCH_TIMEOUT` raises `PatternTimeout`, which the engine turns
   into a finding for that rule and file instead of a hang. Callers also cap input sizes.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
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


MATCH_TIMEOUT = 0.5
"""Seconds one search may take; honest patterns on capped inputs need microseconds."""


class UnsafePattern(ValueError):
    """The pattern is valid but could backtrack catastrophically."""


class PatternTimeout(Exception):
    """A policy pattern ran past MATCH_TIMEOUT on some input."""

    def __init__(self, pattern: str, *, disabled: bool = False) -> None:
        reason = (
            f"pattern {pattern!r} is disabled after {MAX_TIMEOUTS} timeouts"
            if disabled
            else f"pattern {pattern!r} took longer than {MATCH_TIMEOUT:g} s"
        )
        super().__init__(reason)
        self.pattern = pattern


MAX_TIMEOUTS = 3
"""After this many timeouts a pattern fails at once: one hostile pattern must not cost
half a second on each of a hundred thousand files."""


class SafePattern:
    """A compiled policy pattern whose every match is time-limited.

    Offers the part of `re.Pattern`'s interface adlint uses; match objects are the `regex`
    module's, which have the same `group`, `groupdict`, `start`, `end` and `span`.
    """

    __slots__ = ("pattern", "groupindex", "_flags", "_compiled", "_timeouts", "_prefix")

    def __init__(self, pattern: str, flags: int, parsed: Any) -> None:
        """Use `compile_pattern`: it validates `parsed` (the `re` parse of `pattern`) first."""
        self.pattern = pattern
        self.groupindex = dict(parsed.state.groupdict)
        self._flags = flags
        self._compiled: Any = None  # compiled at first use: a run the cache answers never is
        self._timeouts = 0
        self._prefix = _anchored_prefix(parsed)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> Any:
        return self._run("search", text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> Any:
        return self._run("match", text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int | None = None) -> Any:
        return self._run("fullmatch", text, pos, endpos)

    def _compile(self) -> Any:
        """The `regex` engine's compiled form, made at first use. `re` validated the pattern
        at load time, and VERSION0 is `regex`'s `re`-compatible syntax."""
        import regex  # ~10 ms of import, paid by the first file actually linted

        self._compiled = regex.compile(self.pattern, self._flags | regex.VERSION0)
        return self._compiled

    def refuses(self, text: str) -> bool:
        """True when `match(text)` is sure to return None: `text` lacks the anchored literal
        prefix (and the pattern is not disabled, when `match` would raise instead).

        A caller that tries many patterns on each input skips their calls outright, e.g. the
        catalogue's host-agnostic path shapes on every link of an article.
        """
        prefix = self._prefix
        return bool(prefix) and self._timeouts < MAX_TIMEOUTS and not text.startswith(prefix)

    def _run(self, method: str, text: str, pos: int, endpos: int | None) -> Any:
        if self._timeouts >= MAX_TIMEOUTS:
            raise PatternTimeout(self.pattern, disabled=True)
        prefix = self._prefix
        if prefix and pos == 0 and not text.startswith(prefix, 0, endpos):
            return None  # e.g. `^/click-` on every URL path: 0.15 instead of 2.4 us
        compiled = self._compiled or self._compile()  # not before: a refused text needs none
        try:
            return getattr(compiled, method)(text, pos, endpos, timeout=MATCH_TIMEOUT)
        except TimeoutError:
            self._timeouts += 1
            raise PatternTimeout(self.pattern) from None

    def __repr__(self) -> str:
        return f"SafePattern({self.pattern!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SafePattern) and other.pattern == self.pattern

    def __hash__(self) -> int:
        return hash(self.pattern)


def _anchored_prefix(parsed: Any) -> str:
    """The literal text every match starts with when the pattern begins `^literal`
    (case-sensitive, not MULTILINE: `^` then only matches at the start); else ''.

    Checking it with `str.startswith` first skips the regex engine, and its time-limit
    overhead, for the many inputs that cannot match.
    """
    if parsed.state.flags & (sre_constants.SRE_FLAG_IGNORECASE | sre_constants.SRE_FLAG_MULTILINE):
        return ""
    items = list(parsed)
    if not items or items[0] != (sre_constants.AT, sre_constants.AT_BEGINNING):
        return ""
    chars = []
    for op, argument in items[1:]:
        if op != sre_constants.LITERAL:
            break
        chars.append(chr(argument))
    return "".join(chars)


def compile_pattern(pattern: str, flags: int = 0) -> SafePattern:
    """Compile `pattern`, raising re.error for bad syntax and UnsafePattern for risky ones."""
    if len(pattern) > MAX_PATTERN:
        raise UnsafePattern(f"pattern is longer than {MAX_PATTERN} characters")
    try:
        with warnings.catch_warnings():  # "Possible nested set": judged below, not printed
            warnings.simplefilter("ignore", FutureWarning)
            parsed = sre_parse.parse(pattern, flags)  # the `re` syntax check: raises re.error
    except OverflowError as error:  # `a{99999999999}`: re raises this, not re.error
        raise re.error(str(error), pattern) from None
    _check(parsed)
    if _ENGINES_DIFFER.search(pattern):
        _check_with_regex(pattern, flags)
    return SafePattern(pattern, flags, parsed)


_ENGINES_DIFFER = re.compile(r"\[\[|\[:\^?\w*:\]")
"""Where `re` and `regex` read a pattern differently: a set inside a set, POSIX classes
(`[[:foo:]]` is a set of characters to `re`, an unknown property to `regex`). Narrow on
purpose: other patterns are compiled by `regex` only when first used, and its import (~10 ms)
stays out of runs the cache answers (the default disclosure pattern holds `[:|`)."""


def _check_with_regex(pattern: str, flags: int) -> None:
    """Compile with the engine that runs the pattern, so a pattern only `re` accepts fails at
    load time, at its file:line, instead of on every file."""
    import regex

    try:
        regex.compile(pattern, flags | regex.VERSION0)
    except regex.error as error:
        raise re.error(str(error), pattern) from None


def search_any(patterns: Iterable[SafePattern], text: str) -> bool:
    """True when one of the patterns is found in `text`. A pattern that runs past its time
    limit counts as found: callers use this to skip work (exclusions), the safe side."""
    try:
        return any(pattern.search(text) for pattern in patterns)
    except PatternTimeout:
        return True


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
