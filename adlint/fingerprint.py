"""Stable finding fingerprints, shared by SARIF `partialFingerprints` and the baseline.

A fingerprint must survive edits elsewhere in the file, so it never includes the line or
column: it hashes the rule, the file, the offending source text (whitespace-collapsed) and
the occurrence index among identical findings in that file, so two identical links in one
article still get different fingerprints.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from adlint.finding import Finding

KEY = "adlint/v1"
"""The SARIF partialFingerprints key; versioned so the scheme can change without clashes."""


def fingerprints(findings: Sequence[Finding]) -> list[str]:
    """One fingerprint per finding, in the order given (which must be the sorted order)."""
    seen: Counter[tuple[str, str, str]] = Counter()
    result = []
    for finding in findings:
        snippet = " ".join(finding.snippet.split())
        identity = (finding.rule, finding.path, snippet)
        occurrence = seen[identity]
        seen[identity] += 1
        digest = hashlib.sha256(
            "\x1f".join((*identity, str(occurrence))).encode("utf-8", "surrogatepass")
        ).hexdigest()
        result.append(digest[:32])
    return result
