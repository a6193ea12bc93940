"""A unified diff of what `adlint fix` changes, computed around its edits.

`difflib.unified_diff` over whole files matches every line against every similar line: on a
page whose lines repeat just too rarely for its junk heuristic it took 45 s at 330 KB and
more than two minutes at 650 KB. The fixer knows where it edited, so only the lines its
edits touch are compared (with difflib, so a hunk reads as it always did); the lines
between are equal by construction. The format is difflib's: `---`/`+++` headers, `@@`
ranges, three lines of context.
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from adlint.fix.edits import apply_edits

if TYPE_CHECKING:
    from adlint.fix.edits import Edit

CONTEXT = 3
Opcode = tuple[str, int, int, int, int]


def unified_diff(original: str, fixed: str, edits: Sequence[Edit], path: str) -> str:
    """The diff from `original` to `fixed`, which is `original` with `edits` applied."""
    old = original.splitlines(keepends=True)
    new = fixed.splitlines(keepends=True)
    opcodes = _opcodes(original, old, new, sorted(edits))
    if opcodes is None:  # the edits did not keep to whole lines: compare everything
        opcodes = difflib.SequenceMatcher(None, old, new).get_opcodes()
    groups = list(_grouped(opcodes))
    if not groups:
        return ""
    lines = [f"--- a/{path}\n", f"+++ b/{path}\n"]
    for group in groups:
        first, last = group[0], group[-1]
        lines.append(
            f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n",
        )
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += (" " + line for line in old[i1:i2])
                continue
            lines += ("-" + line for line in old[i1:i2])
            lines += ("+" + line for line in new[j1:j2])
    return "".join(lines)


def _opcodes(
    original: str, old: list[str], new: list[str], edits: list[Edit]
) -> list[Opcode] | None:
    """difflib's opcodes for the whole files, from the lines around each edit; None when the
    changed regions do not split `new` into the same lines (an edit joined two lines)."""
    starts = [0]
    for line in old:
        starts.append(starts[-1] + len(line))
    regions: list[list[int]] = []  # [first line, past the last line, first edit, past the last]
    for index, edit in enumerate(edits):
        first = bisect.bisect_right(starts, edit.start) - 1
        last = bisect.bisect_right(starts, max(edit.end - 1, edit.start)) - 1
        first, last = min(first, len(old)), min(last + 1, len(old))
        if regions and first <= regions[-1][1]:
            regions[-1][1] = max(regions[-1][1], last)
            regions[-1][3] = index + 1
        else:
            regions.append([first, last, index, index + 1])
    opcodes: list[Opcode] = []
    old_at = new_at = 0
    for first, last, edit_from, edit_to in regions:
        if first > old_at:
            opcodes.append(("equal", old_at, first, new_at, new_at + first - old_at))
            new_at += first - old_at
        text = apply_edits(original, edits[edit_from:edit_to], starts[first], starts[last])
        region_new = text.splitlines(keepends=True)
        if new[new_at : new_at + len(region_new)] != region_new:
            return None
        matcher = difflib.SequenceMatcher(None, old[first:last], region_new)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            opcodes.append((tag, first + i1, first + i2, new_at + j1, new_at + j2))
        old_at, new_at = last, new_at + len(region_new)
    if len(old) - old_at != len(new) - new_at or old[old_at:] != new[new_at:]:
        return None
    if old_at < len(old):
        opcodes.append(("equal", old_at, len(old), new_at, len(new)))
    return opcodes


def _grouped(opcodes: list[Opcode]) -> Iterator[list[Opcode]]:
    """Hunks: the changes with up to CONTEXT equal lines around them, as difflib groups
    them (equal runs longer than twice the context split two hunks)."""
    codes: list[Opcode] = []
    for code in opcodes:
        if code[1] == code[2] and code[3] == code[4]:
            continue
        if codes and code[0] == "equal" == codes[-1][0]:  # one run, as difflib has it
            codes[-1] = ("equal", codes[-1][1], code[2], codes[-1][3], code[4])
        else:
            codes.append(code)
    if not any(code[0] != "equal" for code in codes):
        return
    if codes[0][0] == "equal":
        _, i1, i2, j1, j2 = codes[0]
        codes[0] = ("equal", max(i1, i2 - CONTEXT), i2, max(j1, j2 - CONTEXT), j2)
    if codes[-1][0] == "equal":
        _, i1, i2, j1, j2 = codes[-1]
        codes[-1] = ("equal", i1, min(i2, i1 + CONTEXT), j1, min(j2, j1 + CONTEXT))
    group: list[Opcode] = []
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal" and i2 - i1 > 2 * CONTEXT:
            group.append((tag, i1, i1 + CONTEXT, j1, j1 + CONTEXT))
            yield group
            group = []
            i1, j1 = max(i1, i2 - CONTEXT), max(j1, j2 - CONTEXT)
        group.append((tag, i1, i2, j1, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        yield group


def _range(start: int, stop: int) -> str:
    """A unified-diff range: `start,length`, 1-based (`start` alone for one line)."""
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start if not length else start + 1},{length}"
