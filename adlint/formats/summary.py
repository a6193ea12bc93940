"""The Markdown job summary for `$GITHUB_STEP_SUMMARY`.

GitHub keeps only ten annotations of each level per step, so the summary carries the whole
picture: counts per rule and severity and the worst files. It shows no images and no
clickable URLs (article URLs can be trackers), and escapes everything taken from files.
"""

from __future__ import annotations

import re
from collections import Counter

from adlint.formats import Run

WORST_FILES = 10
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~!])")


def escape(text: str) -> str:
    """Make file-derived text inert in GitHub Markdown: no links, HTML or formatting."""
    text = " ".join(text.split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("://", ":&#8203;//")


def render(run: Run) -> str:
    active = run.active
    counts = Counter(f.severity.value for f in active)
    lines = [
        "## adlint",
        "",
        f"{run.files} files checked: **{counts['error']} errors**, {counts['warning']} warnings,"
        f" {counts['info']} info"
        + (
            f" ({len(run.findings) - len(active)} suppressed)"
            if len(run.findings) != len(active)
            else ""
        )
        + ".",
        "",
    ]
    by_rule = Counter((f.rule, f.severity.value) for f in active)
    if by_rule:
        lines += ["| rule | severity | findings |", "|---|---|---:|"]
        for (rule, severity), count in sorted(by_rule.items(), key=lambda i: (-i[1], i[0])):
            lines.append(f"| {escape(rule)} | {severity} | {count} |")
        lines.append("")
    worst = Counter(f.path for f in active if f.severity.value != "info")
    if worst:
        lines += ["**Worst files**", "", "| file | errors and warnings |", "|---|---:|"]
        for path, count in worst.most_common(WORST_FILES):
            lines.append(f"| {escape(path)} | {count} |")
        lines.append("")
    return "\n".join(lines) + "\n"
