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
    document = {
        "version": run.version,
        "findings": [f.to_dict() for f in run.findings],
        "summary": {
            "files": run.files,
            "findings": len(active),
            "suppressed": len(run.findings) - len(active),
            "by_severity": dict(sorted(Counter(f.severity.value for f in active).items())),
            "by_rule": dict(sorted(Counter(f.rule for f in active).items())),
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False, default=str) + "\n"
