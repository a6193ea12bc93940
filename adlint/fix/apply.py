"""Apply fixes to files: resolve overlapping edits, keep every other byte, write atomically."""

from __future__ import annotations

import bisect
import functools
import itertools
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from adlint.document import line_starts_of
from adlint.engine import lint_document, target_bytes
from adlint.errors import ParseError
from adlint.fix.actions import FixAction, parse_fix
from adlint.fix.diff import unified_diff
from adlint.fix.edits import PRIORITY, Edit, NotFixable, apply_edits, edit_for
from adlint.parse import parse_text
from adlint.parse.source import decode, file_encoding

if TYPE_CHECKING:
    from adlint.discover import Target
    from adlint.finding import Finding
    from adlint.policy import Policy


@dataclass
class FixResult:
    """What fixing one file did (or would do, with --diff)."""

    path: str
    original: str = ""
    fixed: str = ""
    applied: list[Edit] = field(default_factory=list)
    skipped: list[tuple[Finding, str]] = field(default_factory=list)
    bom: bytes = b""
    encoding: str = "utf-8"
    """The file's BOM and encoding, kept to write it back the way it was read."""

    @property
    def changed(self) -> bool:
        return self.fixed != self.original

    def payload(self) -> bytes:
        """The fixed article as bytes, with the BOM and encoding it was read with."""
        return self.bom + self.fixed.encode(self.encoding)

    def diff(self) -> str:
        return unified_diff(self.original, self.fixed, self.applied, self.path)

    def position_after(self, line: int, column: int) -> tuple[int, int]:
        """Where the original's 1-based (line, column) is in the fixed text: what a finding
        left unfixed is reported at by the check after fixing (an inserted disclosure moves
        everything below it down). Logarithmic per call: a file can have thousands of
        unfixable findings and thousands of edits."""
        ends, shifts, original_starts, fixed_starts = self._moves
        offset = original_starts[line - 1] + column - 1
        before = bisect.bisect_right(ends, offset)  # edits ending at or before it
        moved = offset + shifts[before]
        if before < len(self.applied) and self.applied[before].start < offset:
            moved -= offset - self.applied[before].start  # inside a replaced span: its start
        index = bisect.bisect_right(fixed_starts, moved) - 1
        return index + 1, moved - fixed_starts[index] + 1

    @functools.cached_property
    def _moves(self) -> tuple[list[int], list[int], tuple[int, ...], tuple[int, ...]]:
        """The applied edits' ends, the shift of every offset past the first n of them, and
        both texts' line starts, for `position_after` (computed once per file)."""
        ends = [edit.end for edit in self.applied]
        shifts = [
            0,
            *itertools.accumulate(len(e.replacement) - (e.end - e.start) for e in self.applied),
        ]
        return ends, shifts, line_starts_of(self.original), line_starts_of(self.fixed)


def resolve(edits: list[Edit]) -> list[Edit]:
    """Keep a deterministic, non-overlapping subset: removals first, then by position.

    The kept edits stay sorted by position, and being disjoint, only the one before a new
    edit and the two from its start on can clash with it (comparing with every kept edit
    made 20,000 fixable links take 32 s).
    """
    kept: list[Edit] = []
    for edit in sorted(edits, key=lambda e: (PRIORITY[e.kind], e.start, e.end, e.rule)):
        at = bisect.bisect_left(kept, (edit.start, edit.start), key=_span)
        if any(_overlaps(edit, other) for other in kept[max(at - 1, 0) : at + 2]):
            continue
        bisect.insort(kept, edit, key=_span)
    return sorted(kept)


def _span(edit: Edit) -> tuple[int, int]:
    return edit.start, edit.end


def _overlaps(a: Edit, b: Edit) -> bool:
    """Two insertions clash at the same point; an insertion clashes strictly inside a range."""
    if a.start == a.end and b.start == b.end:
        return a.start == b.start
    if a.start == a.end:
        return b.start < a.start < b.end
    if b.start == b.end:
        return a.start < b.start < a.end
    return a.start < b.end and b.start < a.end


def plan(target: Target, policy: Policy) -> FixResult | None:
    """Compute the fixes for one file; None when it cannot be fixed safely (e.g. bad UTF-8)."""
    try:
        data = target_bytes(target)
        text, problem = decode(data)
    except (OSError, ValueError, ParseError):
        return None
    if problem:
        return None  # re-encoding replaced bytes would change the file outside any fix
    try:
        document = parse_text(target.display, text, outline=True)
    except (ParseError, RecursionError, MemoryError):
        return None  # too big or dense to lint: the check after fixing reports why
    rules = {rule.id: rule for rule in policy.rules_for(document.path)}
    findings = lint_document(document, rules.values(), policy)
    bom, encoding = file_encoding(data)
    result = FixResult(target.display, text, bom=bom, encoding=encoding)
    edits: list[Edit] = []
    inserted: set[str] = set()
    for finding in findings:
        rule = rules.get(finding.rule)
        if finding.suppressed is not None or rule is None or not rule.fix:
            continue
        action: FixAction = parse_fix(rule.fix)
        if finding.rule in inserted:
            continue
        offset = document.line_starts[finding.line - 1] + finding.column - 1
        try:
            edit = edit_for(action, document, offset, finding.rule)
        except NotFixable as reason:
            result.skipped.append((finding, str(reason)))
            continue
        if edit.kind == "insert":
            inserted.add(finding.rule)
        edits.append(edit)
    result.applied = resolve(edits)
    result.fixed = apply_edits(text, result.applied)
    return result


def write(target: Target, result: FixResult) -> None:
    """Replace the file atomically (temp file in the same directory, then rename).

    A symlinked article is written through, as editors and other fixers write it: renamed
    over the link itself, the fix replaced the link with a copy and left the real article,
    the one the site builds, unfixed.
    """
    payload = result.payload()
    destination = Path(os.path.realpath(target.path)) if target.path.is_symlink() else target.path
    mode = destination.stat().st_mode
    handle, temporary = tempfile.mkstemp(dir=destination.parent, prefix=".adlint-fix-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode & 0o7777)
        os.replace(temporary, destination)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
