"""What the srcset and lazy-URL tests share: an article head, positions, a rule's hits."""

from __future__ import annotations

from adlint.engine import lint_text
from adlint.policy import load_default_policy

POLICY = load_default_policy()
FRONT = "---\ntitle: Best cameras\ntags: [a, b]\n---\n\n"
"""Front matter, so every position below it counts its lines too."""


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of `offset`, counted from the text (LF newlines)."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def hits(text: str, rule: str, path: str, field: str) -> list[tuple[int, int, str]]:
    """(line, column, the finding's `field`) of each finding of `rule` in the article."""
    return [
        (f.line, f.column, f.data.get(field, ""))
        for f in lint_text(text, POLICY, path=path)
        if f.rule == rule
    ]
