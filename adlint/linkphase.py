"""The link stage of a run: check each unique URL once, then let the `reachable` rules
report, each finding at its own file, line and column.

The lint pass collects each document's URLs while it is parsed (`document_links`), so
documents are not kept in memory and not parsed twice: this stage keeps each file's URL
indexes (four bytes a link), and reads again only the files that use a failing URL or
have local links (checked on disk), unless the result cache already holds their link
findings for the same verdicts.
"""

from __future__ import annotations

import errno
import json
import stat
from array import array
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from adlint import urls
from adlint.discover import Target, display_path
from adlint.engine import lint_document, read_target
from adlint.kinds import RuleContext
from adlint.kinds.reachable import VERDICTS as REPORTABLE
from adlint.links import VERDICTS, LinkOptions, LinkStatus, normalise_url
from adlint.outcome import Columns, Outcome, utf16_columns, with_extra
from adlint.pattern import PatternTimeout, SafePattern, compile_pattern, search_any
from adlint.resultcache import (
    ResultCache,
    encode_findings,
    file_key,
    links_key,
    stored_findings,
)
from adlint.sitepath import Outside, Place, Site

if TYPE_CHECKING:
    from adlint.document import Document
    from adlint.finding import Finding
    from adlint.policy import Policy, Rule

SKIPPED_SCHEMES = ("mailto:", "tel:", "data:", "javascript:", "sms:", "about:", "blob:")
PAGE_SUFFIXES = ("", ".md", ".markdown", ".html", ".htm")
INDEX_FILES = ("index.md", "index.html", "_index.md", "README.md")
PASSING = tuple(v for v in VERDICTS if v not in REPORTABLE)
"""Verdicts no `reachable` rule reports (ok, excluded, skipped)."""


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
        try:
            for element, _ in context.selected_urls(select):
                if element.url:
                    yield element.url
        except PatternTimeout:
            # The rule's pattern ran out of time: check every URL it could select. It reports
            # only failing verdicts, and judging one runs its selector again, which then
            # reports that the rule gave up on the file (never silently).
            for element in document.candidates(select.tags):
                yield from (view.url for view in element.url_views() if view.url)


def document_links(document: Document, policy: Policy) -> tuple[tuple[str, ...], bool]:
    """The normalised http(s) URLs the link rules select in this document (each once, in the
    order first met), and whether it links to local files. Run in the lint pass, while it
    is parsed; the link stage only asks which URLs a file has, not how often."""
    rules = link_rules(policy.rules_for(document.path))
    web: list[str] = []
    local = False
    for url in _document_urls(document, rules, policy):
        if urls.is_web_url(url):
            if (normalised := normalise_url(url)) is not None:
                web.append(normalised)
        elif is_local(url):
            local = True
    return tuple(dict.fromkeys(web)), local  # rules select an <a> three times


def local_status(url: str, document_path: Path, site: Site) -> LinkStatus:
    """Check a relative link against the files on disk, inside the site only."""
    path = unquote(url.split("#", 1)[0].split("?", 1)[0])
    if not path:
        return LinkStatus(url, "ok", None, "same page")
    try:
        found = _on_disk(site.place(path, document_path))
    except Outside as outside:
        # Nothing outside was looked at: an article must not learn what the CI machine holds.
        shown = display_path(outside.bound)
        return LinkStatus(url, "broken", None, f"outside the site root ({shown}): not looked for")
    except OSError as exc:
        # Only "does not exist" means no file; an article chooses the path, so any other
        # error is that link's verdict, never the end of the run.
        return _unusable(url, _as_written(path, document_path, site), exc)
    if found is None:
        shown = display_path(_as_written(path, document_path, site))
        return LinkStatus(url, "broken", None, f"no such file: {shown}")
    return LinkStatus(url, "ok", None, found)


def _as_written(path: str, document_path: Path, site: Site) -> Path:
    """The link's path on disk as written, for messages."""
    base = Path(site.root) if path.startswith("/") else document_path.parent
    return base / path.lstrip("/")


def _on_disk(place: Place) -> str | None:
    """How the link's file was found ("file exists", "directory index exists"), or None.
    Every name tried is looked up inside the site (`Place.look_up`)."""
    folder = place.directory
    if place.name:
        for suffix in PAGE_SUFFIXES:
            real, info = place.look_up(place.name + suffix)
            if info is not None and stat.S_ISREG(info.st_mode):
                return "file exists"
            if not suffix:
                folder = real if info is not None and stat.S_ISDIR(info.st_mode) else ""
    if folder:
        inside = Place(folder, "", place.bound)
        for name in INDEX_FILES:
            info = inside.look_up(name)[1]
            if info is not None and stat.S_ISREG(info.st_mode):
                return "directory index exists"
    return None


def _unusable(url: str, candidate: Path, exc: OSError) -> LinkStatus:
    """A name too long for the file system, or a symlink loop, names no file ("broken");
    other errors, such as permission denied, leave it unknown whether the file exists
    ("unreachable")."""
    shown = display_path(candidate)
    if exc.errno == errno.ENAMETOOLONG:
        return LinkStatus(url, "broken", None, f"file name too long: {shown}")
    if exc.errno == errno.ELOOP:
        return LinkStatus(url, "broken", None, f"symlink loop: {shown}")
    reason = exc.strerror or type(exc).__name__
    return LinkStatus(url, "unreachable", None, f"cannot check the file ({reason}): {shown}")


def document_statuses(
    document: Document,
    target: Target,
    rules: list[Rule],
    policy: Policy,
    checked: Mapping[str, LinkStatus],
    site: Site,
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
            statuses[url] = local_status(url, target.path, site)
    return statuses


@dataclass(frozen=True)
class _Waiting:
    """A file as the lint pass left it, waiting for its links to be judged."""

    target: Target
    outcome: Outcome
    """Its lint result, `web_links` dropped (the indexes below replace them)."""
    key: bytes | None
    """Its result-cache key, None when not cached."""
    web: array
    """Indexes of its web URLs in the run's list of unique normalised URLs (4 bytes each)."""


def run_link_phase(
    files: Iterable[tuple[Target, Outcome, bytes | None]],
    policy: Policy,
    settings: LinkSettings,
    cache: ResultCache | None = None,
    cache_settings: str | None = None,
) -> Iterator[Outcome]:
    """Check every unique URL once, then complete each file's Outcome with its link findings.

    Files whose links all pass come back as they were. The others are parsed again, unless
    the cache knows their link findings under the same verdicts (files with local links are
    always parsed: their verdicts depend on the disk, not on the checker). `cache_settings`
    is the lint pass's settings digest: a file parsed again is keyed anew from the bytes
    read then, so one saved during a long link check never files its new findings under
    the old content's key.
    """
    from adlint.links.checker import check_urls  # loaded by link-checking runs only

    index: dict[str, int] = {}
    pending: list[_Waiting] = []
    for target, outcome, key in files:
        web = array("I", [index.setdefault(url, len(index)) for url in outcome.web_links or ()])
        pending.append(_Waiting(target, replace(outcome, web_links=None), key, web))
    unique = list(index)
    checked = (
        check_urls(unique, settings.options, progress=settings.progress, normalised=True)
        if unique
        else {}
    )
    failing = {
        number
        for number, url in enumerate(unique)
        if (status := checked.get(url)) is not None and status.verdict not in PASSING
    }
    judge = _Judge(policy, checked, settings, cache, cache_settings)
    work = []
    for entry in pending:
        bad = sorted({unique[n] for n in entry.web if n in failing})
        work.append((entry, bool(bad) or entry.outcome.local_links, judge.key(entry, bad)))
    judge.prefetch(key for _, _, key in work)
    for entry, to_judge, key in work:
        # a file whose links all passed is not read again
        yield judge.complete(entry, key) if to_judge else entry.outcome


class _Judge:
    """Link findings for one file at a time, from the cache or from a fresh parse."""

    def __init__(
        self,
        policy: Policy,
        checked: Mapping[str, LinkStatus],
        settings: LinkSettings,
        cache: ResultCache | None,
        cache_settings: str | None,
    ) -> None:
        self.policy = policy
        self.cache_settings = cache_settings
        self.checked = checked
        self.site = Site.at(settings.site_root)
        self.exclude = [compile_pattern(pattern) for pattern in settings.options.exclude]
        self.cache = cache
        self.known: dict[bytes, Any] = {}

    def key(self, entry: _Waiting, failing: list[str]) -> bytes | None:
        """The cache key of the file's link findings under the verdicts of its failing
        links; None when none fails, or when the findings cannot be cached (no cache, a
        file that could not be read, or local links: the disk judges those, not the key)."""
        if (
            not failing
            or self.cache is None
            or self.cache_settings is None
            or entry.key is None
            or entry.outcome.local_links
        ):
            return None
        return links_key(entry.key, _verdicts(self.checked[url] for url in failing))

    def prefetch(self, keys: Iterable[bytes | None]) -> None:
        """Look up every file's cached link findings in one go (one query per 500 files)."""
        if self.cache is not None:
            self.known = self.cache.lookup([key for key in keys if key is not None])

    def complete(self, entry: _Waiting, key: bytes | None) -> Outcome:
        outcome = entry.outcome
        hit = self.known.pop(key, None) if key is not None else None
        if hit is not None and (stored := stored_findings(outcome.path, hit)) is not None:
            return _completed(outcome, *stored)
        extra, columns, data = self._findings(entry.target)
        if key is not None and self.cache is not None and self._unchanged(entry, data):
            self.cache.add(key, [encode_findings(extra), columns])
        return _completed(outcome, extra, columns)

    def _unchanged(self, entry: _Waiting, data: bytes | None) -> bool:
        """Whether the bytes parsed again are those the lint pass keyed the file by."""
        assert self.cache_settings is not None  # key() gives no key without it
        return (
            data is not None
            and file_key(self.cache_settings, entry.target.display, data) == entry.key
        )

    def _findings(self, target: Target) -> tuple[list[Finding], Columns | None, bytes | None]:
        document, data = read_target(target)
        rules = link_rules(self.policy.rules_for(document.path))
        statuses = document_statuses(
            document, target, rules, self.policy, self.checked, self.site, self.exclude
        )
        if all(s.verdict in PASSING for s in statuses.values()):
            return [], None, data
        findings = lint_document(document, rules, self.policy, statuses)
        return findings, utf16_columns(document.text, document.line_starts, findings), data


def _completed(outcome: Outcome, extra: list[Finding], columns: Columns | None) -> Outcome:
    """The Outcome with its link findings; a file named twice gets them twice, as its own."""
    copies = outcome.targets
    return with_extra(outcome, extra * copies, columns * copies if columns is not None else None)


_VERDICT_FIELDS = tuple(f.name for f in fields(LinkStatus) if f.name != "cached")
"""What the reachable rules may read from a verdict: every field but where it came from."""


def _verdicts(statuses: Iterable[LinkStatus]) -> str:
    """The verdicts of a file's failing links, as a key for their link findings."""
    return json.dumps([[getattr(s, name) for name in _VERDICT_FIELDS] for s in statuses])
