"""SARIF 2.1.0 for GitHub code scanning (research/sarif-github.md has the requirements).

Columns are declared as UTF-16 code units, as GitHub expects; adlint counts code points, so
lines with characters outside the BMP (emoji) are converted using the file's text. Beyond
GitHub's limit of 25,000 results per run, the most severe results are kept and the run says
how many were dropped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from adlint.finding import Finding, Severity
from adlint.fingerprint import KEY, fingerprints
from adlint.formats import Run
from adlint.policy import Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/adlint/adlint"
MAX_RESULTS = 25_000
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
SECURITY_SEVERITY = {Severity.ERROR: "7.0", Severity.WARNING: "5.0", Severity.INFO: "2.0"}


def _pascal(rule_id: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[-_/]", rule_id))


def _limit(text: str, size: int = 1024) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def descriptor(rule: Rule) -> dict[str, Any]:
    """A SARIF reportingDescriptor for one rule."""
    description = " ".join(rule.description.split()) or rule.message
    help_text = " ".join(rule.help.split()) or description
    markdown = help_text + (f"\n\n[Documentation]({rule.docs})" if rule.docs else "")
    properties: dict[str, Any] = {"tags": list(rule.tags)[:20], "precision": rule.precision}
    if "security" in rule.tags:
        properties["security-severity"] = SECURITY_SEVERITY[rule.severity]
    else:
        properties["problem.severity"] = (
            rule.severity.value if rule.severity is not Severity.INFO else "recommendation"
        )
    record: dict[str, Any] = {
        "id": rule.id,
        "name": _pascal(rule.id),
        "shortDescription": {"text": _limit(_first_sentence(description))},
        "fullDescription": {"text": _limit(description)},
        "help": {"text": help_text, "markdown": markdown},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": properties,
    }
    if rule.docs:
        record["helpUri"] = rule.docs
    return record


def _first_sentence(text: str) -> str:
    end = text.find(". ")
    return text[: end + 1] if end > 0 else text


@lru_cache(maxsize=256)
def _lines(path: str) -> tuple[str, ...] | None:
    """The file's lines as adlint decoded them, for UTF-16 column conversion."""
    from adlint.document import line_starts_of
    from adlint.errors import ParseError
    from adlint.parse.source import decode

    try:
        text, _ = decode(Path(path).read_bytes())
    except (OSError, ValueError, ParseError):  # a binary file is a parse-error finding
        return None
    starts = line_starts_of(text)
    ends = (*starts[1:], len(text))
    return tuple(text[a:b] for a, b in zip(starts, ends, strict=False))


def utf16_column(path: str, line: int, column: int) -> int:
    """Convert a 1-based code-point column to UTF-16 code units (surrogate pairs count 2)."""
    lines = _lines(path)
    if lines is None or line > len(lines):
        return column
    prefix = lines[line - 1][: column - 1]
    if prefix.isascii():
        return column
    return len(prefix.encode("utf-16-le", "surrogatepass")) // 2 + 1


def result(finding: Finding, rule_index: int, fingerprint: str) -> dict[str, Any]:
    """A SARIF result with exactly one location."""
    record: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message or finding.rule},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {
                        # Display paths are POSIX already; on POSIX a `\\` is part of
                        # a file name, so it is percent-encoded, never turned into `/`.
                        "uri": quote(finding.path),
                        "uriBaseId": "%SRCROOT%",
                    },
                    "region": {
                        "startLine": finding.line,
                        "startColumn": utf16_column(finding.path, finding.line, finding.column),
                        "endLine": finding.end_line,
                        "endColumn": utf16_column(
                            finding.path, finding.end_line, finding.end_column
                        ),
                    },
                }
            }
        ],
        "partialFingerprints": {KEY: fingerprint},
    }
    if finding.suppressed is not None:
        kind = "external" if finding.suppressed == "baseline" else "inSource"
        record["suppressions"] = [{"kind": kind, "justification": finding.suppressed}]
    return record


def _rules_in_effect(run: Run) -> list[Rule]:
    rules = list(run.rules)
    known = {rule.id for rule in rules}
    for finding in run.findings:
        if finding.rule not in known:  # e.g. merged runs: describe every rule referenced
            known.add(finding.rule)
            rules.append(Rule(finding.rule, None, finding.severity, finding.rule))
    return rules


def _keep(findings: Sequence[Finding]) -> list[Finding]:
    if len(findings) <= MAX_RESULTS:
        return list(findings)
    ranked = sorted(findings, key=lambda f: (-f.severity.rank, f.sort_key()))
    return sorted(ranked[:MAX_RESULTS], key=Finding.sort_key)


def render(run: Run) -> str:
    rules = _rules_in_effect(run)
    index = {rule.id: position for position, rule in enumerate(rules)}
    prints = dict(zip(map(id, run.findings), fingerprints(run.findings), strict=False))
    kept = _keep(run.findings)
    sarif_run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "adlint",
                "version": run.version,
                "semanticVersion": run.version,
                "informationUri": INFORMATION_URI,
                "rules": [descriptor(r) for r in rules],
            }
        },
        "automationDetails": {"id": "adlint/"},
        "columnKind": "utf16CodeUnits",
        "results": [result(f, index[f.rule], prints[id(f)]) for f in kept],
        "invocations": [{"executionSuccessful": True}],
    }
    dropped = len(run.findings) - len(kept)
    if dropped:
        sarif_run["invocations"][0]["toolExecutionNotifications"] = [
            {
                "level": "warning",
                "message": {
                    "text": f"{dropped} less severe results were left out: GitHub accepts "
                    f"at most {MAX_RESULTS} results per run"
                },
            }
        ]
        sarif_run["properties"] = {"droppedResults": dropped}
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [sarif_run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
