"""`parse`: report what could not be read or parsed, so no file is silently skipped.

What it checks:
    Files that cannot be read (missing, unreadable, binary), text that is not valid UTF-8,
    malformed front matter, and other parser problems. The rest of the file is still linted
    whenever there is anything left to lint.

Options:
    none.

Message fields:
    reason, path (the file's path as findings report it).

Example:
    parse-error:
      kind: parse
      severity: error
      message: "Could not parse {path}: {reason}"
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from adlint.finding import Hit

if TYPE_CHECKING:
    from adlint.document import Document
    from adlint.kinds import RuleContext


@dataclass(frozen=True)
class Parse:
    """Turn each parser problem into a hit."""

    name: ClassVar[str] = "parse"
    fields: ClassVar[tuple[str, ...]] = ("reason", "path")

    def check(self, document: Document, context: RuleContext) -> Iterator[Hit]:
        for problem in document.problems:
            end = min(problem.start + 1, len(document.text))
            yield Hit(problem.start, end, {"reason": problem.reason, "path": document.path})
