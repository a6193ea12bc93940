"""SARIF 2.1.0 for GitHub code scanning (research/sarif-github.md has the requirements).

Columns are declared as UTF-16 code units, as GitHub expects; adlint counts code points, so
lines with characters outside the BMP (emoji) are converted using the file's text (by the
worker that parsed it: adlint/outcome.py). Beyond GitHub's limit of 25,000 results per run,
the most severe results are kept and the run says how many were dropped.
"""

from __future__ import annotations

import heapq
import json
import re
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import quote

from adlint.finding import Finding, Severity
from adlint.fingerprint import KEY
from adlint.formats import RunInfo
from adlint.formats.json import defuse_legacy_commands
from adlint.policy import Rule

if TYPE_CHECKING:
    from adlint.outcome import Outcome

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


def result(
    finding: Finding, rule_index: int, fingerprint: str, columns: tuple[int, int]
) -> dict[str, Any]:
    """A SARIF result with exactly one location; `columns` are in UTF-16 code units."""
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
                        "startColumn": columns[0],
                        "endLine": finding.end_line,
                        "endColumn": columns[1],
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


class _Kept:
    """A result held for the end; ordered so the one to drop first is the smallest."""

    __slots__ = ("finding", "fingerprint", "columns", "key", "rank", "order")

    def __init__(
        self, finding: Finding, fingerprint: str, columns: tuple[int, int], order: int
    ) -> None:
        self.finding = finding
        self.fingerprint = fingerprint
        self.columns = columns
        self.key = finding.sort_key()
        self.rank = finding.severity.rank
        self.order = order

    def __lt__(self, other: _Kept) -> bool:
        if self.rank != other.rank:
            return self.rank < other.rank
        return (self.key, self.order) > (other.key, other.order)


class SarifWriter:
    """One SARIF log, written at the end from bounded state.

    SARIF is one JSON document and GitHub takes at most MAX_RESULTS results per run, so the
    writer keeps at most that many: the most severe, then the first in path order (a
    min-heap on that rank once the cap is reached). Memory is bounded by the cap, not by the
    size of the run; results are serialised one at a time on the way out.
    """

    def __init__(self, stream: TextIO, *, max_results: int | None = None) -> None:
        self._stream = stream
        self._max = MAX_RESULTS if max_results is None else max_results
        self._info = RunInfo(rules=())
        self._rules: list[Rule] = []
        self._known: set[str] = set()
        self._kept: list[_Kept] = []
        self._capped = False
        self._seen = 0

    def begin(self, info: RunInfo) -> None:
        self._info = info
        self._rules = list(info.rules)
        self._known = {rule.id for rule in self._rules}

    def file(self, outcome: Outcome) -> None:
        for position, finding in enumerate(outcome.findings):
            if finding.rule not in self._known:  # e.g. merged runs: describe every rule used
                self._known.add(finding.rule)
                self._rules.append(Rule(finding.rule, None, finding.severity, finding.rule))
            columns = (
                outcome.utf16[position]
                if outcome.utf16 is not None
                else (finding.column, finding.end_column)
            )
            self._offer(finding, outcome.fingerprints[position], columns)

    def _offer(self, finding: Finding, fingerprint: str, columns: tuple[int, int]) -> None:
        order = self._seen
        self._seen += 1
        kept = self._kept
        if not self._capped:
            kept.append(_Kept(finding, fingerprint, columns, order))
            if len(kept) > self._max:
                heapq.heapify(kept)
                heapq.heappop(kept)
                self._capped = True
            return
        worst, rank = kept[0], finding.severity.rank
        if rank < worst.rank or (
            rank == worst.rank and (finding.sort_key(), order) > (worst.key, worst.order)
        ):
            return
        heapq.heapreplace(kept, _Kept(finding, fingerprint, columns, order))

    def end(self) -> None:
        kept = self._kept
        if self._capped:  # back to path order; ties as a stable sort by severity would leave them
            kept = sorted(kept, key=lambda e: (e.key, -e.rank, e.order))
        rules = self._rules
        index = {rule.id: position for position, rule in enumerate(rules)}
        version = self._info.version
        sarif_run: dict[str, Any] = {
            "tool": {
                "driver": {
                    "name": "adlint",
                    "version": version,
                    "semanticVersion": version,
                    "informationUri": INFORMATION_URI,
                    "rules": [descriptor(r) for r in rules],
                }
            },
            "automationDetails": {"id": "adlint/"},
            "columnKind": "utf16CodeUnits",
            "results": _RESULTS,
            "invocations": [{"executionSuccessful": True}],
        }
        note_dropped(sarif_run, self._seen - len(kept), self._max)
        log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [sarif_run]}
        serialised = json.dumps(log, indent=2, ensure_ascii=False)
        head, tail = defuse_legacy_commands(serialised).split(_RESULTS_JSON)
        write = self._stream.write
        if not kept:
            write(head + '"results": []' + tail + "\n")
            return
        write(head + '"results": [\n')
        for number, entry in enumerate(kept):
            record = result(
                entry.finding, index[entry.finding.rule], entry.fingerprint, entry.columns
            )
            text = json.dumps(record, indent=2, ensure_ascii=False).replace("\n", _NEWLINE)
            text = defuse_legacy_commands(text)
            write(("," + _NEWLINE if number else _INDENT) + text)
        write("\n" + _INDENT[:-2] + "]" + tail + "\n")


def note_dropped(sarif_run: dict[str, Any], dropped: int, max_results: int) -> None:
    """Say in the run how many results the cap left out (nothing when none were)."""
    if not dropped:
        return
    sarif_run["invocations"][0]["toolExecutionNotifications"] = [
        {
            "level": "warning",
            "message": {
                "text": f"{dropped} less severe results were left out: GitHub accepts "
                f"at most {max_results} results per run"
            },
        }
    ]
    sarif_run["properties"] = {"droppedResults": dropped}


_RESULTS = "\x00results"
"""Placeholder for the results array: dumped as `"\\u0000results"`, which no text can be."""
_RESULTS_JSON = '"results": "\\u0000results"'
_INDENT = " " * 8
"""Results sit four levels deep (log, runs, run, results) in the indent=2 layout."""
_NEWLINE = "\n" + _INDENT
