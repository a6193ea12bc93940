"""Human output: findings grouped per file, colour only on a terminal, a summary line."""

from __future__ import annotations

from collections import Counter
from itertools import groupby

from adlint.finding import Finding, Severity
from adlint.formats import Run

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def _clean(text: str) -> str:
    """Keep article text from moving the cursor or recolouring the terminal."""
    return "".join(c if c.isprintable() else "\ufffd" for c in text)


def render(run: Run) -> str:
    lines: list[str] = []
    active = run.active
    for path, group in groupby(active, key=lambda f: f.path):
        lines.append(_paint(_clean(path), "1;4", run.color))
        for finding in group:
            lines.append(_line(finding, run.color))
        lines.append("")
    lines.append(summary(run))
    return "\n".join(lines) + "\n"


def _line(finding: Finding, color: bool) -> str:
    position = f"{finding.line}:{finding.column}".ljust(9)
    severity = _paint(finding.severity.value.ljust(7), _COLORS[finding.severity], color)
    rule = _paint(finding.rule, "2", color)
    return f"  {position} {severity}  {_clean(finding.message)}  {rule}"


def summary(run: Run) -> str:
    """One line: counts by severity, files, suppressed, and whether the run fails."""
    counts = Counter(f.severity for f in run.active)
    suppressed = len(run.findings) - len(run.active)
    parts = [
        f"{counts[s]} {s.value}{'s' if counts[s] != 1 and s is not Severity.INFO else ''}"
        for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
    ]
    files = f"{run.files} file{'s' if run.files != 1 else ''}"
    text = f"{', '.join(parts)} in {files}"
    if suppressed:
        text += f" ({suppressed} suppressed)"
    failing = any(f.severity >= run.fail_on for f in run.active)
    verdict = f"fails at --fail-on {run.fail_on.value}" if failing else "passes"
    return f"{text}; {verdict}."
