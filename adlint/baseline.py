"""Baselines: adopt adlint on an existing site by accepting today's findings.

`adlint baseline` records the fingerprints of the current findings; `adlint check
--baseline FILE` then reports only new ones (baselined findings are kept as suppressed,
reason "baseline"). Fingerprints ignore line numbers, so editing the article elsewhere
does not resurrect an accepted finding.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from adlint import __version__
from adlint.errors import PolicyError, read_named_file
from adlint.fingerprint import fingerprints
from adlint.formats.json import defuse_legacy_commands

if TYPE_CHECKING:
    from adlint.finding import Finding
    from adlint.outcome import Outcome

FORMAT_VERSION = 1


def render_baseline(findings: Sequence[Finding]) -> str:
    """The baseline file: one entry per active finding, readable by humans too."""
    active = [f for f in findings if f.suppressed is None]
    entries = [
        {"fingerprint": print_, "rule": f.rule, "path": f.path, "message": f.message}
        for f, print_ in zip(findings, fingerprints(findings), strict=False)
        if f.suppressed is None
    ]
    document = {
        "version": FORMAT_VERSION,
        "tool": f"adlint {__version__}",
        "count": len(active),
        "findings": entries,
    }
    return defuse_legacy_commands(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"


def read_baseline(path: Path) -> frozenset[str]:
    """The fingerprints a baseline file accepts; a bad file is a usage error."""
    data = read_named_file(path, "an adlint baseline file")
    try:
        document = json.loads(data.decode("utf-8"))
    except ValueError as error:
        raise PolicyError(_not_a_baseline(f"not JSON: {error}"), path=str(path)) from None
    other = _other_report(document)
    if other is not None:
        raise PolicyError(_not_a_baseline(f"it is {other}"), path=str(path))
    try:
        return frozenset(str(entry["fingerprint"]) for entry in document["findings"])
    except (KeyError, TypeError):
        raise PolicyError(
            _not_a_baseline("no findings with fingerprints"), path=str(path)
        ) from None


def _not_a_baseline(what: str) -> str:
    return f"not an adlint baseline file ({what}); `adlint baseline` writes one"


def _other_report(document: object) -> str | None:
    """Which other adlint output a JSON file is, if it is one: users reach for the report
    they have when a baseline is asked for (and an empty check report would otherwise read
    as a baseline accepting nothing)."""
    if isinstance(document, dict) and "runs" in document:
        return "a SARIF report"
    if isinstance(document, dict) and "summary" in document:
        return "an `adlint check --format json` report"
    return None


def apply_baseline(outcome: Outcome, accepted: frozenset[str]) -> Outcome:
    """Mark one file's findings the baseline accepts as suppressed with reason "baseline"."""
    if not accepted:
        return outcome
    marked = [
        replace(f, suppressed="baseline") if f.suppressed is None and p in accepted else f
        for f, p in zip(outcome.findings, outcome.fingerprints, strict=True)
    ]
    return outcome.with_findings(marked)
