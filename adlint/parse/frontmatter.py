"""Split YAML front matter off a Markdown article, keeping its lines in the count."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

_OPENING = re.compile(r"---[ \t]*\n")
_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
MAX_FRONT_MATTER = 256 * 1024
"""Front matter larger than this is not parsed: no article needs it, and YAML is slow."""


@dataclass(frozen=True)
class FrontMatter:
    """The parsed front matter and where the body starts (in newline-normalised text)."""

    data: dict[str, Any] = field(default_factory=dict)
    body_start: int = 0
    problem: str | None = None
    problem_offset: int = 0


def split_front_matter(text: str) -> FrontMatter:
    """Parse a leading `---` ... `---` block with yaml.safe_load (no object construction)."""
    if not _OPENING.match(text):
        return FrontMatter()
    closing = _CLOSING.search(text, 4)
    if closing is None:
        return FrontMatter(problem="front matter is not closed by a '---' line")
    body_start = closing.end() + 1 if closing.end() < len(text) else closing.end()
    source = text[4 : closing.start()]
    if len(source) > MAX_FRONT_MATTER:
        return FrontMatter({}, body_start, "front matter is larger than 256 KB; not parsed", 0)
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line_offset = _line_offset(text, 4, mark.line) if mark else 0
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        return FrontMatter({}, body_start, f"invalid YAML front matter: {reason}", line_offset)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return FrontMatter({}, body_start, "front matter is not a mapping", 0)
    return FrontMatter({str(k): v for k, v in data.items()}, body_start)


def _line_offset(text: str, start: int, lines: int) -> int:
    offset = start
    for _ in range(lines):
        next_newline = text.find("\n", offset)
        if next_newline < 0:
            break
        offset = next_newline + 1
    return offset
