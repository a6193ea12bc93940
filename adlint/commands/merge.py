"""`adlint merge`: combine the JSON or SARIF outputs of sharded runs into one report.

JSON inputs give JSON (findings re-sorted, summary recomputed); SARIF inputs give one SARIF
run (rules de-duplicated by id, every ruleIndex recomputed).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

from adlint import __version__
from adlint.commands.check import write_output
from adlint.errors import PolicyError

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


NAME = "merge"
HELP = "combine sharded JSON or SARIF outputs"


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        NAME,
        help=HELP,
        description="Combine the JSON (or SARIF) outputs of `adlint check --shard K/N` runs.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="write the merged report here instead of standard output",
    )
    parser.add_argument(
        "--fail-on",
        choices=("error", "warning", "info"),
        help="exit 1 when a merged finding has at least this severity",
    )
    parser.set_defaults(run=run)


def _load(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise PolicyError(f"cannot read report: {error}", path=str(path)) from None
    if not isinstance(document, dict) or not ("findings" in document or "runs" in document):
        raise PolicyError("not an adlint JSON or SARIF report", path=str(path))
    return document


def merge_json(documents: list[dict[str, Any]]) -> dict[str, Any]:
    findings = [f for d in documents for f in d["findings"]]
    findings.sort(key=lambda f: (f["path"], f["line"], f["column"], f["rule"]))
    active = [f for f in findings if "suppressed" not in f]
    return {
        "version": documents[0].get("version", __version__),
        "summary": {
            "files": sum(d.get("summary", {}).get("files", 0) for d in documents),
            "findings": len(active),
            "suppressed": len(findings) - len(active),
            "by_severity": dict(sorted(Counter(f["severity"] for f in active).items())),
            "by_rule": dict(sorted(Counter(f["rule"] for f in active).items())),
        },
        "findings": findings,
    }


def merge_sarif(documents: list[dict[str, Any]]) -> dict[str, Any]:
    runs = [run for d in documents for run in d["runs"]]
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    results = []
    for run in runs:
        for rule in run["tool"]["driver"].get("rules", []):
            if rule["id"] not in index:
                index[rule["id"]] = len(rules)
                rules.append(rule)
        for result in run.get("results", []):
            results.append({**result, "ruleIndex": index[result["ruleId"]]})
    merged = {**runs[0], "results": results}
    merged["tool"] = {"driver": {**runs[0]["tool"]["driver"], "rules": rules}}
    return {**documents[0], "runs": [merged]}


def run(args: argparse.Namespace) -> int:
    documents = [_load(path) for path in args.files]
    kinds = {"runs" in d for d in documents}
    if len(kinds) > 1:
        raise PolicyError("cannot merge JSON and SARIF reports together", key="files")
    sarif = kinds == {True}
    merged = merge_sarif(documents) if sarif else merge_json(documents)
    write_output(json.dumps(merged, indent=2, ensure_ascii=False) + "\n", args.output)
    if not args.fail_on:
        return 0
    threshold = SEVERITY_RANK[args.fail_on]
    levels = {"note": "info", "warning": "warning", "error": "error"}
    if sarif:
        severities = [
            levels.get(r.get("level", "warning"), "warning")
            for r in merged["runs"][0]["results"]
            if not r.get("suppressions")
        ]
    else:
        severities = [f["severity"] for f in merged["findings"] if "suppressed" not in f]
    return 1 if any(SEVERITY_RANK[s] >= threshold for s in severities) else 0
