"""`adlint report --format json`: the report's aggregates for dashboards.

Unlike `adlint check --format json` (every finding), this is the counted site view. Keys
are stable; lists are sorted as the HTML shows them; `files` lists are complete.

    {"version": "0.1.0",                 # adlint version
     "generated": "2024-05-01T12:00:00Z", # UTC; SOURCE_DATE_EPOCH pins it
     "title": "adlint compliance report",
     "policy_files": ["policies/default.yaml", ".adlint.yaml"],
     "links_checked": false,
     "summary": {"files": 12, "compliant": 9, "compliance_rate": 0.75,
                 "findings": {"error": 3, "warning": 4, "info": 20},   # active only
                 "suppressed": 1,
                 "by_rule": [{"rule", "severity", "active", "suppressed"}]},
     "inventory": {
        "networks": [{"network", "links", "files": [path]}],
        "allowlist_configured": true,
        "affiliate_ids": [{"network", "affiliate_id", "links", "files",
                           "status": "allowed|not-allowed|suppressed|unchecked"}],
        "ad_clients_checked": true,
        "ad_clients": [{"client", "placements", "files",
                        "status": "authorised|not-authorised|suppressed|unchecked",
                        "source": "ads.txt|allowlist|"}],
        "pixels": [{"vendor", "host", "count", "files"}]},
     "ad_density": {"threshold": 6.0,    # units per 1,000 words, or null
                    "histogram": [{"label", "low", "high", "files", "over"}],
                    "height_threshold": 30.0,  # max_height_share in percent, or null
                    "height_histogram": [{"label", "low", "high", "files", "over"}],
                    "screen_width": 360,  # the phone the heights are estimated on, or null
                    "min_words": 100,   # the rule's min_words, or null
                    "unmeasured": 0,    # files with ads under min_words: not in the histogram
                    "over_threshold": [{"path", "line", "measures", "detail", "units",
                                        "words", "per_1000_words", "height_share", "share",
                                        "stacked", "suppressed"}]},
     "disclosure": [{"path", "line", "network", "undisclosed", "total", "suppressed"}],
     "broken_links": [{"url", "status", "reason", "verdict", "rule", "severity",
                       "final_url", "uses": [{"path", "line"}]}],
     "worst_files": [{"path", "title", "words", "ad_units", "errors", "warnings", "info",
                      "suppressed", "findings": [<finding, as in `adlint check` JSON>]}]}

A file is compliant when it has no active (unsuppressed) error or warning.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from adlint.formats.json import defuse_legacy_commands

if TYPE_CHECKING:
    from adlint.report.model import Report


def render(report: Report) -> str:
    text = json.dumps(report.to_dict(), indent=2, ensure_ascii=False, default=str)
    return defuse_legacy_commands(text) + "\n"
