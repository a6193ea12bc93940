"""Split YAML front matter off a Markdown article, keeping its lines in the count."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from adlint.yamlfile import may_nest_deeper

try:  # libyaml's SafeLoader: same safety (no object construction), many times faster
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

_OPENING = re.compile(r"---[ \t]*(?:\r\n|\r|\n)")
_CLOSING = re.compile(r"(?:\r\n|\r|\n)(?:---|\.\.\.)[ \t]*(?=\r\n|\r|\n|\Z)")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
MAX_FRONT_MATTER = 256 * 1024
"""Front matter larger than this is not parsed: no article needs it, and YAML is slow."""
MAX_NODES = 100_000
"""Front matter standing for more values than this through aliases is not used (without
aliases, MAX_FRONT_MATTER bounds it)."""


@dataclass(frozen=True)
class FrontMatter:
    """The parsed front matter and the offset where the body starts."""

    data: dict[str, Any] = field(default_factory=dict)
    body_start: int = 0
    problem: str | None = None
    problem_offset: int = 0


def split_front_matter(text: str) -> FrontMatter:
    """Parse a leading `---` ... `---` block with a safe loader (no object construction)."""
    opening = _OPENING.match(text)
    if not opening:
        return FrontMatter()
    closing = _CLOSING.search(text, opening.end() - 1)
    if closing is None:
        return FrontMatter(problem="front matter is not closed by a '---' line")
    after = _LINE_BREAK.match(text, closing.end())
    body_start = after.end() if after else closing.end()
    source = text[opening.end() : closing.start()]
    if len(source) > MAX_FRONT_MATTER:
        return FrontMatter({}, body_start, "front matter is larger than 256 KB; not parsed", 0)
    try:
        loader = yaml.SafeLoader if may_nest_deeper(source) else _SafeLoader
        data = yaml.load(source, Loader=loader)  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        offset = _line_offset(text, opening.end(), mark.line) if mark else 0
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        return FrontMatter({}, body_start, f"invalid YAML front matter: {reason}", offset)
    except RecursionError:
        return FrontMatter({}, body_start, "front matter is nested too deeply", 0)
    except ValueError as error:  # an int over 4,300 digits, a date such as 2024-13-45
        reason = str(error).split("; use sys.", 1)[0]
        return FrontMatter({}, body_start, f"invalid YAML front matter: {reason}", 0)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return FrontMatter({}, body_start, "front matter is not a mapping", 0)
    if "&" in source and _expands_beyond(data, MAX_NODES):  # no anchor, no alias
        reason = f"front matter aliases expand to more than {MAX_NODES:,} nodes; not used"
        return FrontMatter({}, body_start, reason, 0)
    return FrontMatter({str(k): v for k, v in data.items()}, body_start)


def _expands_beyond(data: Any, budget: int) -> bool:
    """Whether walking the value visits more than `budget` nodes.

    YAML aliases share one object, so a few hundred bytes (`&a [x,x,...]`, `&b [*a,*a,...]`,
    nine deep) load at once but stand for 9^9 items: the first consumer that walks or
    prints them (`str(title)` for the report, evidence search) would never finish. Counting
    stops at the budget, so this check is bounded whatever the input.
    """
    stack = [data]
    visited = 0
    while stack:
        node = stack.pop()
        visited += 1
        if visited > budget:
            return True
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def blank_front_matter(text: str, body_start: int) -> str:
    """Replace the front matter with spaces, keeping every line break and every offset."""
    if not body_start:
        return text
    head = re.sub(r"[^\r\n]", " ", text[:body_start])
    return head + text[body_start:]


def _line_offset(text: str, start: int, lines: int) -> int:
    offset = start
    for _ in range(lines):
        found = _LINE_BREAK.search(text, offset)
        if found is None:
            break
        offset = found.end()
    return offset
