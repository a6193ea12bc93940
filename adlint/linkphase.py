"""The link stage of a run: collect every document's URLs, check each unique one once, then
let the `reachable` rules report, each finding at its own file, line and column.

Documents are not kept in memory: the collect pass keeps only each file's URL indexes (four
bytes a link), and the report pass reads again only the files that use a failing URL or
have local links (checked on disk). Files without link rules are never read here.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from adlint import urls
from adlint.discover import Target, display_path
from adlint.document import Document
from adlint.engine import lint_document, read_document
from adlint.finding import Finding
from adlint.kinds import RuleContext
from adlint.links import LinkOptions, LinkStatus, normalise_url
from adlint.pattern import PatternTimeout, SafePattern, compile_pattern, search_any
from adlint.policy import Policy, Rule

SKIPPED_SCHEMES = ("mailto:", "tel:", "data:", "javascript:", "sms:", "about:", "blob:")
PAGE_SUFFIXES = ("", ".md", ".markdown", ".html", ".htm")
INDEX_FILES = ("index.md", "index.html", "_index.md", "README.md")
PASSING = ("ok", "excluded", "skipped")
"""Verdicts no `reachable` rule reports."""


@dataclass(frozen=True)
class LinkSettings:
    """Whether and how to check links: CLI flags over the config's `links:` mapping."""

    options: LinkOptions = field(default_factory=LinkOptions)
    site_root: Path | None = None
    """Where `/absolute/paths` resolve on disk; relative ones resolve from their article."""
    progress: bool | None = None


def link_rules(rules: Iterable[Rule]) -> list[Rule]:
    """The rules that read link-check results."""
    return [rule for rule in rules if getattr(rule.kind, "needs_links", False)]


def is_local(url: str) -> bool:
    """A link to a file of the site itself: no scheme, not a fragment, not protocol-relative."""
    stripped = url.strip()
    if not stripped or stripped.startswith(("#", "//", "?")):
        return False
    if stripped.lower().startswith(SKIPPED_SCHEMES):
        return False
    scheme = urlsplit(stripped).scheme if ":" in stripped.split("/")[0] else ""
    return not scheme


def _document_urls(document: Document, rules: list[Rule], policy: Policy) -> Iterator[str]:
    context = RuleContext(document, policy.sites, policy.catalogue)
    for rule in rules:
        select = rule.kind.select
        for element in document.candidates(select.tags):
            try:
                selected = element.url and select.match(element, context) is not None
            except PatternTimeout:
                selected = False  # the lint pass reports the timeout for this rule and file
            if selected:
                yield element.url


@dataclass(frozen=True)
class FileLinks:
    """What the report pass needs to know about one file without parsing it again."""

    target: Target
    web: array
    """Indexes of its web URLs in the run's list of unique normalised URLs."""
    local: bool
    """Whether it has local links (checked on disk in the report pass)."""


def collect_links(targets: Iterable[Target], policy: Policy) -> tuple[list[str], list[FileLinks]]:
    """The unique normalised http(s) URLs the link rules select, and each file's links.

    Files whose rules include no link rule are not read at all.
    """
    index: dict[str, int] = {}
    files: list[FileLinks] = []
    for target in targets:
        rules = link_rules(policy.rules_for(target.display))
        if not rules:
            continue
        document = read_document(target)
        web = array("I")
        local = False
        for url in _document_urls(document, rules, policy):
            if urls.is_web_url(url):
                if (normalised := normalise_url(url)) is not None:
                    web.append(index.setdefault(normalised, len(index)))
            elif is_local(url):
                local = True
        files.append(FileLinks(target, web, local))
    return list(index), files


def local_status(url: str, document_path: Path, site_root: Path) -> LinkStatus:
    """Check a relative link against the files on disk."""
    path = unquote(url.split("#", 1)[0].split("?", 1)[0])
    if not path:
        return LinkStatus(url, "ok", None, "same page")
    base = site_root if path.startswith("/") else document_path.parent
    candidate = base / path.lstrip("/")
    for suffix in PAGE_SUFFIXES:
        target = candidate.with_name(candidate.name + suffix) if suffix else candidate
        if target.is_file():
            return LinkStatus(url, "ok", None, "file exists")
    if candidate.is_dir() and any((candidate / name).is_file() for name in INDEX_FILES):
        return LinkStatus(url, "ok", None, "directory index exists")
    return LinkStatus(url, "broken", None, f"no such file: {display_path(candidate)}")


def document_statuses(
    document: Document,
    target: Target,
    rules: list[Rule],
    policy: Policy,
    checked: Mapping[str, LinkStatus],
    site_root: Path,
    exclude: Iterable[SafePattern] = (),
) -> dict[str, LinkStatus]:
    """Map each URL as written in this document to its status.

    `exclude` applies to local links as written; web URLs were excluded by the checker.
    """
    patterns = tuple(exclude)
    statuses: dict[str, LinkStatus] = {}
    for url in _document_urls(document, rules, policy):
        if url in statuses:
            continue
        if urls.is_web_url(url):
            normalised = normalise_url(url)
            if normalised is not None and normalised in checked:
                statuses[url] = checked[normalised]
        elif is_local(url) and not search_any(patterns, url):
            statuses[url] = local_status(url, target.path, site_root)
    return statuses


def run_link_phase(
    targets: Iterable[Target], policy: Policy, settings: LinkSettings
) -> list[Finding]:
    """Check links for all targets; findings for every file using a failing link."""
    from adlint.links.checker import check_urls  # httpx is imported only when links are checked

    unique, files = collect_links(targets, policy)
    checked = check_urls(unique, settings.options, progress=settings.progress) if unique else {}
    failing = {
        number
        for number, url in enumerate(unique)
        if (status := checked.get(url)) is not None and status.verdict not in PASSING
    }
    site_root = settings.site_root or Path.cwd()
    exclude = [compile_pattern(pattern) for pattern in settings.options.exclude]
    findings: list[Finding] = []
    for entry in files:
        if not entry.local and failing.isdisjoint(entry.web):
            continue  # every link of this file passed: no need to read it again
        document = read_document(entry.target)
        rules = link_rules(policy.rules_for(document.path))
        statuses = document_statuses(
            document, entry.target, rules, policy, checked, site_root, exclude
        )
        if any(s.verdict not in PASSING for s in statuses.values()):
            findings.extend(lint_document(document, rules, policy, statuses))
    return findings
