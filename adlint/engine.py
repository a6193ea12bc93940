"""Run a policy's rules over documents: stamp hits into findings, apply directives, sort.

The engine is the only place that reads article files. Everything it calls works on
strings and records, so `lint_text` gives tests the exact path the CLI takes.
"""

from __future__ import annotations

import functools
import os
import re
import stat
import string
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adlint.directives import suppression_reasons, suppressions
from adlint.errors import ParseError, internal_error, raise_internal_errors
from adlint.finding import Finding, Hit, Measure
from adlint.kinds import RuleContext
from adlint.pattern import PatternTimeout
from adlint.record import frozen_record

if TYPE_CHECKING:
    from adlint.discover import Target
    from adlint.document import Document
    from adlint.policy import Policy, Rule

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Larger files are reported, not parsed: articles are kilobytes, and memory must stay flat."""
_TOO_LARGE = f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB"
MAX_SNIPPET = 200
GAVE_UP = "gave_up"
"""Hit data key of a rule that could not finish a file; its reason becomes the message."""


class _Fields(dict):  # type: ignore[type-arg]
    """Message data where a missing field renders as empty instead of raising."""

    def __missing__(self, key: str) -> str:
        return ""


_OPTIONAL_PART = re.compile(r"\s?\([^(){}]*\{(\w+)(?:[!:][^{}]*)?\}[^(){}]*\)")
"""A parenthesised part of a message holding exactly one field, e.g. ` (affiliate ID {id})`.

Policies come from strangers: the field's name must end where a conversion or format spec
(`!r`, `:>10`) begins, or a long name could be split between the two in every way (a
valid 40,000-character template took 3.4 s before this was strict)."""


@functools.lru_cache(maxsize=256)
def _optional_fields(template: str) -> tuple[str, ...]:
    """The fields of a template's optional parts (templates are few; findings are many)."""
    return tuple(part.group(1) for part in _OPTIONAL_PART.finditer(template))


def render_message(template: str, data: Mapping[str, Any]) -> str:
    """Fill a rule's message template; the policy loader vetted it (adlint/message.py).

    A parenthesised part whose one field is empty is left out, so a link without an ID reads
    "Amazon Associates affiliate link: URL" rather than "... (affiliate ID ): URL".
    """
    if any(data.get(name) in (None, "") for name in _optional_fields(template)):
        template = _OPTIONAL_PART.sub(
            lambda part: part.group(0) if data.get(part.group(1)) not in (None, "") else "",
            template,
        )
    try:
        text = template.format_map(_Fields(data))
    except (ValueError, TypeError):
        text = _LENIENT.vformat(template, (), _Fields(data))
    return " ".join(text.split())


class _Lenient(string.Formatter):
    """Renders a field whose value its format spec does not fit (`{url:.1f}`, a number
    spec on a field that is sometimes text) as plain text, not the whole message raw."""

    def format_field(self, value: Any, format_spec: str) -> str:
        try:
            return format(value, format_spec)
        except (ValueError, TypeError):
            return str(value)


_LENIENT = _Lenient()


def read_document(target: Target) -> Document:
    """Read and parse one file; unreadable files become a Document holding only a problem."""
    return read_target(target)[0]


def read_target(target: Target) -> tuple[Document, bytes | None]:
    """The parsed document and the bytes it was parsed from (None when they could not be read).

    The bytes key the result cache: a file that cannot be read is linted every time.
    """
    from adlint.parse import parse_bytes  # the parsers load at the first file not cached

    data = None
    try:
        data = target_bytes(target)
        return parse_bytes(target.display, data), data
    except FileNotFoundError:
        return problem_document(target.display, "file not found"), None
    except IsADirectoryError:
        return problem_document(target.display, "is a directory"), None
    except PermissionError:
        return problem_document(target.display, "permission denied"), None
    except OSError as error:
        return problem_document(target.display, f"cannot read file: {error.strerror}"), None
    except ParseError as error:
        return problem_document(target.display, error.reason), data
    except RecursionError:
        return problem_document(target.display, "document is nested too deeply to parse"), data
    except MemoryError:  # what was built is freed by now: the other files go on
        return problem_document(target.display, "not enough memory to parse this file"), data
    except Exception as error:
        if raise_internal_errors():
            raise
        reason = f"adlint could not parse this file: {internal_error(error)}"
        return problem_document(target.display, reason), data


def target_bytes(target: Target) -> bytes:
    """The article's bytes: those given with the target (standard input), else the file's.

    Both are held to MAX_FILE_BYTES, so a huge pipe is reported like a huge file. A target
    the directory walk could not read is never opened: its reason is the parse error.
    """
    if target.problem is not None:
        raise ParseError(target.problem)
    if target.data is None:
        return read_article_bytes(target.path)
    if len(target.data) > MAX_FILE_BYTES:
        raise ParseError(_TOO_LARGE)
    return target.data


def read_article_bytes(path: Path) -> bytes:
    """Read at most MAX_FILE_BYTES from a regular file.

    FIFOs, sockets and devices are refused (reading `/dev/zero` never ends, a FIFO blocks
    for ever): the file is opened non-blocking and judged by `fstat` on the open handle, so
    swapping the path between a check and the open changes nothing. The read is bounded
    even if the file grows after the size check.
    """
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(handle, "rb") as stream:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise ParseError("not a regular file (a FIFO, socket or device); not read")
        if info.st_size > MAX_FILE_BYTES:
            raise ParseError(_TOO_LARGE)
        # Ask for the size fstat gave (a 64 MB request costs its buffer on every file), then
        # for whatever the file grew by since, still bounded by the cap.
        data = stream.read(info.st_size + 1)
        if len(data) > info.st_size:
            data += stream.read(MAX_FILE_BYTES + 1 - len(data))
    if len(data) > MAX_FILE_BYTES:
        raise ParseError(_TOO_LARGE)
    return data


def problem_document(path: str, reason: str) -> Document:
    """A Document holding only why the file could not be parsed (the `parse` rule kind
    reports it), so unreadable files flow through the same rules and outputs as the rest."""
    from adlint.document import Document, Problem

    return Document(
        path=path, text="", format="unknown", problems=(Problem(0, reason),), line_starts=(0,)
    )


def lint_document(
    document: Document,
    rules: Iterable[Rule],
    policy: Policy,
    link_statuses: Mapping[str, Any] | None = None,
    measures: dict[str, Measure] | None = None,
) -> list[Finding]:
    """Run rules over one document and return its sorted findings; `measures`, when given,
    receives each measuring rule's measure of the document, by rule id."""
    context = RuleContext(
        document,
        policy.sites,
        policy.catalogue,
        link_statuses=link_statuses or {},
        rule_ids=policy.rule_ids,
    )
    findings: dict[tuple[Any, ...], Finding] = {}
    for rule in rules:
        context.measure = None
        for hit in _safe_hits(rule, document, context):
            finding = stamp(rule, hit, document)
            key = (
                finding.line,
                finding.column,
                finding.end_line,
                finding.end_column,
                finding.rule,
                finding.message,
            )
            findings.setdefault(key, finding)
        if measures is not None and context.measure is not None:
            measures[rule.id] = context.measure
    found = list(findings.values())
    directives = suppressions(document) if document.comments else []
    if directives:
        reasons = suppression_reasons(directives, [(f.rule, f.line) for f in found])
        found = [
            f if reason is None else replace(f, suppressed=reason)
            for f, reason in zip(found, reasons, strict=True)
        ]
    return sorted(found, key=Finding.sort_key)


def _safe_hits(rule: Rule, document: Document, context: RuleContext) -> Iterator[Hit]:
    """Kinds never raise for content; if one does, report it rather than lose the file (and
    the other rules' findings on it)."""
    try:
        yield from rule.kind.check(document, context)
    except RecursionError:
        yield Hit(0, 0, {GAVE_UP: f"rule {rule.id} gave up: document nested too deeply"})
    except MemoryError:
        yield Hit(0, 0, {GAVE_UP: f"rule {rule.id} gave up on this file: not enough memory"})
    except PatternTimeout as timeout:
        yield Hit(0, 0, {GAVE_UP: f"rule {rule.id} gave up on this file: {timeout}"})
    except Exception as error:
        if raise_internal_errors():
            raise
        yield Hit(0, 0, {GAVE_UP: f"rule {rule.id} failed on this file: {internal_error(error)}"})


def stamp(rule: Rule, hit: Hit, document: Document) -> Finding:
    """Turn a kind's hit into a Finding: positions, severity, message."""
    end = hit.end if hit.end > hit.start else min(hit.start + 1, len(document.text))
    line, column = document.position(hit.start)
    end_line, end_column = document.position(end)
    if (end_line, end_column) < (line, column):
        end_line, end_column = line, column
    return frozen_record(  # Finding(...) without its frozen __init__: ~30 per article
        Finding,
        {
            "path": document.path,
            "line": line,
            "column": column,
            "end_line": end_line,
            "end_column": end_column,
            "rule": rule.id,
            "severity": rule.severity,
            "message": hit.data.get(GAVE_UP) or render_message(rule.message, hit.data),
            "data": {k: v for k, v in hit.data.items() if v is not None},
            "snippet": document.text[hit.start : min(end, hit.start + MAX_SNIPPET)],
            "suppressed": None,
        },
    )


def lint_target(
    target: Target, policy: Policy, link_statuses: Mapping[str, Any] | None = None
) -> list[Finding]:
    """Read, parse and lint one file."""
    document = read_document(target)
    return lint_document(document, policy.rules_for(document.path), policy, link_statuses)


def lint_text(text: str, policy: Policy, *, path: str = "article.md") -> list[Finding]:
    """Lint a string as if it were the file `path` (the format follows its suffix)."""
    from adlint.parse import parse_text

    document = parse_text(path, text)
    return lint_document(document, policy.rules_for(path), policy)
