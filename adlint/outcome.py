"""One file's lint result in the form outputs consume, so the document can be dropped at once.

Why a record beside Finding: SARIF needs UTF-16 columns and SARIF and baselines need
fingerprints, and both used to be computed after the whole run, re-reading every file. An
Outcome is computed where the document is still in memory (in the worker process), carries
exactly what the outputs need, and lets `adlint check` stream: the parent never holds more
than a few files' findings.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from adlint.engine import lint_document, problem_document, read_target
from adlint.errors import internal_error, raise_internal_errors
from adlint.fingerprint import fingerprints
from adlint.timelimit import TimeLimitExceeded, cpu_time_limit

if TYPE_CHECKING:
    from adlint.discover import Target
    from adlint.document import Document
    from adlint.finding import Finding, Measure
    from adlint.policy import Policy

Columns = tuple[tuple[int, int], ...]
"""Per finding, (start column, end column) in UTF-16 code units."""


@dataclass(frozen=True)
class FileStats:
    """What the compliance report needs from a parsed document, kept instead of it (here,
    not in report/model.py, so `adlint check` never loads the report package)."""

    path: str
    words: int = 0
    """Visible prose words, the denominator of ad density."""
    title: str = ""
    """The front matter `title`, if any (article text: always escaped when shown)."""
    measures: Mapping[str, Measure] = field(default_factory=dict)
    """Each measuring rule's measure of the document, by rule id: the report bins files
    by the `ad-density` rule's own count, flagged or not."""


MAX_TITLE = 200
MAX_TITLE_SCAN = 65_536
"""An HTML <title> sits in the head; never scan a whole large file for one."""
_TITLE_START = re.compile(r"<title\b", re.I)
_TITLE_END = re.compile(r"</title\s*>", re.I)


def file_stats(document: Document, measures: Mapping[str, Measure] | None = None) -> FileStats:
    """Keep what the report needs from a parsed document so the document can be dropped."""
    title = document.front_matter.get("title") if document.front_matter else None
    if title in (None, "") and document.format == "html":
        title = _html_title(document.text[:MAX_TITLE_SCAN])
    text = " ".join(str(title).split())[:MAX_TITLE] if title not in (None, "") else ""
    return FileStats(document.path, document.words, text, dict(measures or {}))


def _html_title(head: str) -> str | None:
    """The first `<title>` element's text. Found in steps, not with one regex: a lazy
    `<title>(.*?)</title>` re-scans to the end from every `<title>` when none is closed
    (3 s for a page of 9,000 of them)."""
    start = _TITLE_START.search(head)
    opened = head.find(">", start.end()) if start else -1
    closing = _TITLE_END.search(head, opened) if opened >= 0 else None
    return html.unescape(head[opened + 1 : closing.start()]) if closing else None


@dataclass(frozen=True)
class Outcome:
    """The findings of one file (sorted, suppressed ones included) and their derived facts."""

    path: str
    findings: tuple[Finding, ...]
    fingerprints: tuple[str, ...]
    """One per finding (adlint/fingerprint.py), over this file's findings in order."""
    utf16: Columns | None = None
    """UTF-16 columns per finding; None when they equal the code-point columns (ASCII lines)."""
    targets: int = 1
    """Files linted for this path: 2 when it was named twice (counted twice, as always)."""
    stats: FileStats | None = None
    """Words and title for the compliance report (None for a path that was not parsed)."""
    web_links: tuple[str, ...] | None = None
    """With link checking: the normalised http(s) URLs its link rules select (each once), so
    the link stage need not parse the file again to collect them. None when not collected."""
    local_links: bool = False
    """With link checking: whether it has links to local files (checked on disk)."""

    def with_findings(self, findings: Sequence[Finding]) -> Outcome:
        """The same file with findings changed in place (e.g. baseline suppressions)."""
        return replace(self, findings=tuple(findings))


def lint_outcome(target: Target, policy: Policy) -> Outcome:
    """Read, parse and lint one file; keep only its Outcome."""
    return lint_file(target, policy)[0]


def lint_file(
    target: Target, policy: Policy, *, links: bool = False, time_limit: float | None = None
) -> tuple[Outcome, bytes | None]:
    """Lint one file and return its Outcome and the bytes it was linted from (None when
    unreadable or given up), which key the result cache. `links` also collects its links;
    a file using more than `time_limit` seconds of CPU time becomes a parse-error."""
    try:
        with cpu_time_limit(time_limit):
            document, data = read_target(target)
            return lint_parsed(document, policy, links=links), data
    except TimeLimitExceeded:
        reason = (
            f"linting this file took more than {time_limit:g} s of CPU time, so it was given "
            "up (the limit is file_timeout in config, --file-timeout on the command line)"
        )
    except Exception as error:  # a bug outside any one rule: the file is reported, not lost
        if raise_internal_errors():
            raise
        reason = f"adlint could not lint this file: {internal_error(error)}"
    return problem_outcome(target.display, reason, policy, links=links), None


def problem_outcome(path: str, reason: str, policy: Policy, *, links: bool = False) -> Outcome:
    """The Outcome of a file that could not be linted, for `reason` (its parse-error)."""
    return lint_parsed(problem_document(path, reason), policy, links=links)


def lint_parsed(document: Document, policy: Policy, *, links: bool = False) -> Outcome:
    """Lint a parsed document (or a problem document) into its Outcome."""
    measures: dict[str, Measure] = {}
    findings = lint_document(document, policy.rules_for(document.path), policy, None, measures)
    outcome = outcome_of(document, findings, measures)
    if links:
        from adlint.linkphase import document_links

        web, local = document_links(document, policy)
        outcome = replace(outcome, web_links=web, local_links=local)
    return outcome


def outcome_of(
    document: Document,
    findings: Sequence[Finding],
    measures: Mapping[str, Measure] | None = None,
) -> Outcome:
    """Derive fingerprints, UTF-16 columns and report stats while the document is at hand."""
    return Outcome(
        path=document.path,
        findings=tuple(findings),
        fingerprints=tuple(fingerprints(findings)),
        utf16=utf16_columns(document.text, document.line_starts, findings),
        stats=file_stats(document, measures),
    )


def utf16_columns(
    text: str, line_starts: Sequence[int], findings: Sequence[Finding]
) -> Columns | None:
    """The findings' columns in UTF-16 code units (what SARIF and editors count), or None
    when they equal the code-point columns: only characters beyond U+FFFF (emoji) differ,
    counting two. Their offsets are found once per line, so a column is a bisection, not
    an encoding of the line up to it (per finding, that took 33 s for 40,000 links on one
    line)."""
    if text.isascii() or _ASTRAL.search(text) is None:
        return None
    astral: dict[int, list[int]] = {}

    def convert(line: int, column: int) -> int:
        if line > len(line_starts):
            return column
        positions = astral.get(line)
        if positions is None:
            start = line_starts[line - 1]
            end = line_starts[line] if line < len(line_starts) else len(text)
            found = _ASTRAL.finditer(text, start, end)
            positions = astral[line] = [match.start() - start for match in found]
        return column + bisect.bisect_left(positions, column - 1)

    columns = tuple(
        (convert(f.line, f.column), convert(f.end_line, f.end_column)) for f in findings
    )
    if all(pair == (f.column, f.end_column) for pair, f in zip(columns, findings, strict=False)):
        return None
    return columns


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
"""Characters that UTF-16 writes as a surrogate pair."""


def merge_parts(parts: Sequence[Outcome]) -> Outcome:
    """One Outcome for the Outcomes of one path (a file named twice is linted twice).

    Outputs are sorted by path, line, column, rule; a path that occurs twice must interleave
    its two findings lists exactly as one global stable sort would, and its fingerprints
    must count occurrences across both.
    """
    first = parts[0]
    if len(parts) == 1:
        return first
    pairs = [(f, _columns(part, i)) for part in parts for i, f in enumerate(part.findings)]
    return replace(_sorted(first, pairs), targets=sum(part.targets for part in parts))


def _sorted(outcome: Outcome, pairs: list[tuple[Finding, tuple[int, int]]]) -> Outcome:
    """`outcome` holding the (finding, UTF-16 columns) pairs in output order, fingerprinted."""
    pairs.sort(key=lambda pair: pair[0].sort_key())
    merged = [finding for finding, _ in pairs]
    exact = all(c == (f.column, f.end_column) for f, c in pairs)
    return replace(
        outcome,
        findings=tuple(merged),
        fingerprints=tuple(fingerprints(merged)),
        utf16=None if exact else tuple(c for _, c in pairs),
    )


def _columns(outcome: Outcome, index: int) -> tuple[int, int]:
    if outcome.utf16 is not None:
        return outcome.utf16[index]
    finding = outcome.findings[index]
    return finding.column, finding.end_column


def with_extra(
    outcome: Outcome, extra: Sequence[Finding], columns: Columns | None = None
) -> Outcome:
    """Add findings made after the lint pass (link checking) to a file's Outcome.

    `columns` are the extra findings' UTF-16 columns (None: equal to their code-point
    columns), computed where their document was parsed. The merged order is what one stable
    sort of (own findings, then extra) gives.
    """
    if not extra:
        return outcome
    pairs = [(f, _columns(outcome, i)) for i, f in enumerate(outcome.findings)]
    pairs += [(f, columns[i] if columns else (f.column, f.end_column)) for i, f in enumerate(extra)]
    return _sorted(outcome, pairs)
