"""The Markdown job summary for `$GITHUB_STEP_SUMMARY`.

GitHub keeps only ten annotations of each level per step, so the summary carries the whole
picture: counts per rule and severity and the worst files. It shows no images and no
clickable URLs (article URLs can be trackers), and escapes everything taken from files.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from adlint.formats import RunInfo, Tally, counted
from adlint.formats.inert import prose

if TYPE_CHECKING:
    from adlint.outcome import Outcome

WORST_FILES = 10


class SummaryWriter:
    """Counts only, written at the end: memory does not grow with the run."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._tally = Tally(worst_files=WORST_FILES)

    def begin(self, info: RunInfo) -> None:
        pass

    def file(self, outcome: Outcome) -> None:
        self._tally.add(outcome)

    def end(self) -> None:
        self._stream.write(render(self._tally))


def render(tally: Tally) -> str:
    counts = tally.by_severity
    lines = [
        "## adlint",
        "",
        f"{counted(tally.files, 'file')} checked: **{counted(counts['error'], 'error')}**, "
        f"{counted(counts['warning'], 'warning')}, {counts['info']} info"
        + (f" ({tally.suppressed} suppressed)" if tally.suppressed else "")
        + ".",
        "",
    ]
    by_rule = tally.by_rule_severity
    if by_rule:
        lines += ["| rule | severity | findings |", "|---|---|---:|"]
        for (rule, severity), count in sorted(by_rule.items(), key=lambda i: (-i[1], i[0])):
            lines.append(f"| {prose(rule)} | {severity} | {count} |")
        lines.append("")
    worst = tally.worst()
    if worst:
        lines += ["**Worst files**", "", "| file | errors and warnings |", "|---|---:|"]
        for path, count in worst:
            lines.append(f"| {prose(path)} | {count} |")
        lines.append("")
    return "\n".join(lines) + "\n"
