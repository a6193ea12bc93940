"""Machine output: the documented JSON shape, sorted, stable across runs.

    {"version": "0.1.0",
     "findings": [{"rule", "severity", "path", "line", "column", "end_line",
                   "end_column", "message", "data": {...}, "snippet", "suppressed"?}],
     "summary": {"files": N, "findings": N, "suppressed": N,
                 "by_severity": {...}, "by_rule": {...}}}

Suppressed findings are included with their `suppressed` reason so dashboards and the
compliance report see them; `summary` counts only active ones.
"""

from __future__ import annotations

import json
from collections import Counter

from adlint.formats import Run


def render(run: Run) -> str:
    active = run.active
    document: dict[str, object] = {
        "version": run.version,
        "summary": {
            "files": run.files,
            "findings": len(active),
            "suppressed": len(run.findings) - len(active),
            "by_severity": dict(sorted(Counter(f.severity.value for f in active).items())),
            "by_rule": dict(sorted(Counter(f.rule for f in active).items())),
        },
        "findings": [f.to_dict() for f in run.findings],
    }
    # One finding per line: readable, diffable, and the C encoder does the work (indent=2
    # falls back to the pure-Python encoder, the slowest part of a large run).
    findings = document.pop("findings")
    summary = document.pop("summary")
    body = ",\n".join(f"    {_dump(finding)}" for finding in findings)
    lines = [f"  {_dump(key)}: {_dump(value)}," for key, value in document.items()]
    lines.append(f'  "findings": [\n{body}\n  ],' if findings else '  "findings": [],')
    lines.append(f'  "summary": {_dump(summary)}')
    return "{\n" + "\n".join(lines) + "\n}\n"


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
