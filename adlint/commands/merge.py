"""`adlint merge`: combine the JSON or SARIF outputs of sharded runs into one report.

Either way the result equals what one run over all the shards' files would have written:
JSON inputs give JSON (findings re-sorted, summary recomputed); SARIF inputs give one SARIF
run (results re-sorted and capped as a run caps them, rules de-duplicated by id, every
ruleIndex recomputed). Like every output, neither carries the runner's `##[` syntax.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from adlint import __version__
from adlint.commands import COMMANDS
from adlint.commands.check import write_output
from adlint.commands.common import check_output_file, output_file
from adlint.commands.mergeinput import Report, load_report
from adlint.errors import PolicyError
from adlint.finding import Severity
from adlint.formats import json as json_format
from adlint.formats import sarif
from adlint.formats.json import defuse_legacy_commands
from adlint.setting import FAIL_ON

_SEVERITIES = {level: severity for severity, level in sarif.LEVELS.items()}
"""SARIF level -> adlint severity: the inverse of the writer's table (this module is loaded
by `adlint merge` only, so the SARIF writer costs no other command's start-up)."""


NAME = "merge"
HELP = COMMANDS[NAME]


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
        type=output_file,
        metavar="FILE",
        help="write the merged report here instead of standard output",
    )
    parser.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        help="exit 1 when a merged finding has at least this severity",
    )
    parser.set_defaults(run=run)


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
    """One run, equal to the SARIF of a single run over all the shards' files: results in
    path, line, column, rule order, at most MAX_RESULTS of them (the most severe), rules
    de-duplicated by id and every ruleIndex recomputed."""
    runs = [run for d in documents for run in d["runs"]]
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for run in runs:
        for rule in run["tool"]["driver"].get("rules", []):
            if rule["id"] not in index:
                index[rule["id"]] = len(rules)
                rules.append(rule)
    # Shards split the files, so a stable sort by position keeps each file's own order.
    results = sorted((r for run in runs for r in run.get("results", [])), key=_position)
    seen = len(results) + sum(run.get("properties", {}).get("droppedResults", 0) for run in runs)
    if len(results) > sarif.MAX_RESULTS:
        # Each shard kept its most severe results, so the run's most severe are among them.
        ranked = sorted(range(len(results)), key=lambda i: (-_rank(results[i]), i))
        results = [results[i] for i in sorted(ranked[: sarif.MAX_RESULTS])]
    merged = {**runs[0], "results": [{**r, "ruleIndex": index[r["ruleId"]]} for r in results]}
    merged["tool"] = {"driver": {**runs[0]["tool"]["driver"], "rules": rules}}
    merged["invocations"] = [{"executionSuccessful": True}]
    merged.pop("properties", None)
    sarif.note_dropped(merged, seen - len(results), sarif.MAX_RESULTS)
    return {**documents[0], "runs": [merged]}


def _position(result: dict[str, Any]) -> tuple[str, int, int, str]:
    """A result's place in a full run: Finding.sort_key, read back from SARIF (UTF-16
    columns order a line's results as code points do)."""
    location = result["locations"][0]["physicalLocation"]
    region = location["region"]
    path = unquote(location["artifactLocation"]["uri"])
    return (path, region["startLine"], region.get("startColumn", 1), result["ruleId"])


def _rank(result: dict[str, Any]) -> int:
    return _severity(result).rank


def _severity(result: dict[str, Any]) -> Severity:
    """A SARIF result's adlint severity (SARIF's default level is `warning`)."""
    return _SEVERITIES.get(result.get("level", "warning"), Severity.WARNING)


def run(args: argparse.Namespace) -> int:
    if args.output is not None:
        check_output_file(args.output, "--output")
    _refuse_repeated_inputs(args.files)
    reports = [load_report(path) for path in args.files]
    _refuse_mixed_formats(reports)
    is_sarif = reports[0].is_sarif
    documents = [report.document for report in reports]
    _refuse_overlaps(args.files, documents, _sarif_paths if is_sarif else _json_paths)
    merged = merge_sarif(documents) if is_sarif else merge_json(documents)
    write_output(_serialise(merged, is_sarif), args.output)
    if not args.fail_on:
        return 0
    threshold = Severity(args.fail_on)
    if is_sarif:
        results = merged["runs"][0]["results"]
        severities = [_severity(r) for r in results if not r.get("suppressions")]
    else:
        severities = [Severity(f["severity"]) for f in merged["findings"] if "suppressed" not in f]
    return 1 if any(s >= threshold for s in severities) else 0


def _refuse_mixed_formats(reports: list[Report]) -> None:
    """Name the first input whose format differs from the first input's."""
    first = reports[0]
    for report in reports[1:]:
        if report.is_sarif != first.is_sarif:
            raise PolicyError(
                f"{report.format} cannot be merged with {first.format} ({first.path}): merge "
                "reports of one format (all `--format json` or all `--format sarif`)",
                path=str(report.path),
            )


def _serialise(merged: dict[str, Any], is_sarif: bool) -> str:
    if is_sarif:
        return defuse_legacy_commands(json.dumps(merged, indent=2, ensure_ascii=False)) + "\n"
    # check's own writer: the merge is byte for byte the JSON of one unsharded run
    return json_format.render(merged["version"], merged["findings"], merged["summary"])


def _refuse_repeated_inputs(files: list[Path]) -> None:
    """One report named twice would count its files and findings twice."""
    seen: dict[Path, Path] = {}
    for path in files:
        first = seen.setdefault(path.resolve(), path)
        if first is not path:
            spelled = f" (as {first} and as {path})" if str(first) != str(path) else ""
            raise PolicyError(
                f"named twice{spelled}: its files and findings would be counted twice",
                path=str(path),
            )


def _refuse_overlaps(
    files: list[Path],
    documents: list[dict[str, Any]],
    paths_of: Callable[[dict[str, Any]], set[str]],
) -> None:
    """Shards split the files: a file reported by two inputs (two runs of one shard, or
    shards of different splits) would be counted twice, so the merge is refused. Only files
    with findings can be told apart; a report lists no others."""
    owner: dict[str, Path] = {}
    for path, document in zip(files, documents, strict=True):
        for reported in sorted(paths_of(document)):
            first = owner.setdefault(reported, path)
            if first != path:
                raise PolicyError(
                    f'"{reported}" is in both {first} and {path}: shards must not overlap '
                    "(merge the outputs of one `--shard K/N` run per K)"
                )


def _json_paths(document: dict[str, Any]) -> set[str]:
    return {finding["path"] for finding in document["findings"]}


def _sarif_paths(document: dict[str, Any]) -> set[str]:
    return {_position(result)[0] for run in document["runs"] for result in run.get("results", [])}
