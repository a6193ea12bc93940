"""Read and vet one input of `adlint merge`, so a bad input is named with what is wrong.

Shards come back from CI jobs: one may have died mid-write (a truncated file), uploaded the
wrong artifact (a log, a directory, another tool's JSON) or written the other format. Each
input is checked, before anything is merged, for every part the merge reads; a problem is a
usage error naming the file (and for broken JSON its line) and the part at fault, such as
`s2.sarif: not an adlint SARIF report: runs[0].results[4].locations is missing`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adlint.errors import PolicyError, read_named_file

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Report:
    """One vetted input: its path as typed, its format and its parsed document."""

    path: Path
    is_sarif: bool
    document: dict[str, Any]

    @property
    def format(self) -> str:
        return "SARIF" if self.is_sarif else "adlint JSON"

    @property
    def described(self) -> str:
        return "an adlint SARIF report" if self.is_sarif else "an adlint JSON report"


class _Shape(ValueError):
    """A part of a report that is missing or of the wrong type; the caller names the file."""


def load_report(path: Path) -> Report:
    """The parsed, vetted report at `path`; PolicyError naming the file otherwise."""
    text = _read(path)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        # a write cut short ends the text mid-value, or mid-string (reported at its start)
        truncated = error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated")
        reason = "ends too early (truncated?)" if truncated else "is not JSON"
        problem = error.msg if error.msg.endswith(" at") else f"{error.msg} at"
        raise PolicyError(
            f"{reason}: {problem} column {error.colno}", path=str(path), line=error.lineno
        ) from None
    except RecursionError:  # json's C decoder recurses: `[` x 100,000
        raise PolicyError("cannot read report: nested too deeply", path=str(path)) from None
    if not isinstance(document, dict):
        raise PolicyError(
            f"not an adlint report: the file holds {_a(document)}, not an object "
            'with "findings" (adlint JSON) or "runs" (SARIF)',
            path=str(path),
        )
    if "runs" not in document and "findings" not in document:
        raise PolicyError(
            'not an adlint report: it has neither "findings" (adlint JSON) nor "runs" (SARIF)',
            path=str(path),
        )
    report = Report(path, "runs" in document, document)
    try:
        (_check_sarif if report.is_sarif else _check_json)(document)
    except _Shape as error:
        raise PolicyError(f"not {report.described}: {error}", path=str(path)) from None
    return report


def _read(path: Path) -> str:
    data = read_named_file(path, "an adlint JSON or SARIF report")
    if not data.strip():
        raise PolicyError(
            "is empty, not a report (did the shard's run fail before writing?)", path=str(path)
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise PolicyError(
            f"not an adlint report: not UTF-8 text (byte {error.start})", path=str(path)
        ) from None


def _check_json(document: dict[str, Any]) -> None:
    """What merge_json and the JSON writer read: findings' place, rule, severity; the
    summary's file count."""
    for index, finding in enumerate(_get(document, "findings", list, "")):
        where = f"findings[{index}]"
        _require(finding, dict, where)
        for key in ("path", "rule"):
            _get(finding, key, str, where)
        for key in ("line", "column"):
            _get(finding, key, int, where)
        severity = _get(finding, "severity", str, where)
        if severity not in SEVERITIES:
            shown = _shown(severity)
            raise _Shape(f'{where}.severity is "{shown}", not one of {", ".join(SEVERITIES)}')
    summary = _get(document, "summary", dict, "", required=False)
    if summary is not None:
        _get(summary, "files", int, "summary", required=False)


def _check_sarif(document: dict[str, Any]) -> None:
    """What merge_sarif reads: each run's tool, rules and results, and each result's rule
    (one of the report's rules: its index is recomputed) and first location."""
    runs = _get(document, "runs", list, "")
    if not runs:
        raise _Shape("runs is empty")
    rule_ids: set[str] = set()
    for number, run in enumerate(runs):
        where = f"runs[{number}]"
        _require(run, dict, where)
        driver = _get(_get(run, "tool", dict, where), "driver", dict, f"{where}.tool")
        for index, rule in enumerate(_get(driver, "rules", list, f"{where}.tool.driver", False)):
            rule_where = f"{where}.tool.driver.rules[{index}]"
            rule_ids.add(_get(_require(rule, dict, rule_where), "id", str, rule_where))
        properties = _get(run, "properties", dict, where, required=False) or {}
        _get(properties, "droppedResults", int, f"{where}.properties", required=False)
    for number, run in enumerate(runs):
        for index, result in enumerate(_get(run, "results", list, f"runs[{number}]", False)):
            _check_result(result, f"runs[{number}].results[{index}]", rule_ids)


def _check_result(result: Any, where: str, rule_ids: set[str]) -> None:
    _require(result, dict, where)
    rule_id = _get(result, "ruleId", str, where)
    if rule_id not in rule_ids:
        raise _Shape(f'{where}.ruleId "{_shown(rule_id)}" is not one of the report\'s rules')
    _get(result, "level", str, where, required=False)
    locations = _get(result, "locations", list, where)
    if not locations:
        raise _Shape(f"{where}.locations is empty")
    first = _require(locations[0], dict, f"{where}.locations[0]")
    location = _get(first, "physicalLocation", dict, f"{where}.locations[0]")
    where = f"{where}.locations[0].physicalLocation"
    _get(_get(location, "artifactLocation", dict, where), "uri", str, f"{where}.artifactLocation")
    region = _get(location, "region", dict, where)
    _get(region, "startLine", int, f"{where}.region")
    _get(region, "startColumn", int, f"{where}.region", required=False)


def _get(parent: dict[str, Any], key: str, kind: type, where: str, required: bool = True) -> Any:
    """`parent[key]` when it is a `kind` (None when absent and not `required`)."""
    name = f"{where}.{key}" if where else key
    if key not in parent:
        if required:
            raise _Shape(f"{name} is missing")
        return [] if kind is list else None
    return _require(parent[key], kind, name)


def _require(value: Any, kind: type, name: str) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _Shape(f"{name} is {_a(value)}, not {_a(kind())}")
    return value


def _shown(text: str) -> str:
    """A value from the report as a message quotes it (the message prints it on one line)."""
    return text if len(text) <= 60 else text[:60] + "…"


def _a(value: Any) -> str:
    """A JSON value's type as JSON names it, with its article: "an array", "a number"."""
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "a number"
    return names.get(type(value), f"a {type(value).__name__}")
