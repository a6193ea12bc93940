"""The selector: a declarative predicate over one element, written in YAML.

Keys combine with AND; a list value means "any of". A match returns the data it captured
(regex named groups, the affiliate network and ID, constants from `data:`), which becomes
the hit's message data. Selectors are compiled once, when the policy loads.

| key | matches when |
|---|---|
| `tag` | the element's tag is one of these |
| `origin` | `html` (markup) or `markdown` (Markdown link/image syntax) |
| `format` | the element is in an `html` page or a `markdown` file (an article's body) |
| `class` | the element has any of these classes |
| `attr` | `{name: regex}` matches the value, `{name: true}` present, `{name: false}` absent |
| `text` | a regex matches the element's visible text (or inline script) |
| `url` | a regex matches the element's URL |
| `host` | the URL host is one of these (`example.com` includes subdomains, `*.x.io` globs) |
| `domain` | the URL's registered domain is one of these |
| `param` | the URL has any of these query parameters |
| `scheme` | the URL scheme is one of these (`http`, `https`, `javascript`, ...) |
| `party` | `first` or `third`, relative to the policy's `site` domains |
| `hidden` | the element is (true) or is not (false) invisible to readers |
| `affiliate` | the URL is (true) or is not (false) an affiliate link in the network catalogue |
| `inside` | some enclosing element matches this selector |
| `any` / `all` / `not` | a list of selectors (one / every must match) / one that must not |
| `data` | constants added to the captured data when everything else matches |

The URL keys (`url`, `host`, `domain`, `param`, `scheme`, `party`, `affiliate`) test each
URL of the element in turn (`Element.url_views`): an `<img>` is tried with its `src`, its
lazy loader's `data-src` and each image candidate of its `srcset`, a `<video>` with its
`src` and its `poster`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from adlint import urls
from adlint.pattern import SafePattern, UnsafePattern, compile_pattern

if TYPE_CHECKING:
    from adlint.document import Document, Element

Captured = dict[str, Any]
Predicate = Callable[["Element", "MatchContext", Captured], bool]

MAX_URL = 8192


class Classifier(Protocol):
    """What the selector needs from the affiliate network catalogue."""

    def classify(self, url: str) -> Any: ...


@dataclass
class MatchContext:
    """What a selector may consult besides the element: its document, the site, networks."""

    document: Document
    sites: tuple[str, ...]
    catalogue: Classifier | None
    _affiliates: dict[str, Any] = field(default_factory=dict, init=False, repr=False)
    _selections: dict[str, list[tuple[Element, Captured]]] = field(
        default_factory=dict, init=False, repr=False
    )
    _texts: dict[int, str] = field(default_factory=dict, init=False, repr=False)
    _memos: dict[str, dict[int, Any]] = field(default_factory=dict, init=False, repr=False)

    def memo(self, selector: Selector) -> dict[int, Any]:
        """Per element index, what an `inside` selector found around it in this document."""
        return self._memos.setdefault(selector.key, {})

    def element_text(self, element: Element) -> str:
        """The element's text (Document.element_text), read once per document."""
        try:
            return self._texts[element.index]
        except KeyError:
            text = self._texts[element.index] = self.document.element_text(element)
            return text

    def selected(self, selector: Selector) -> Iterator[tuple[Element, Captured]]:
        """The elements `selector` matches in this document, each once, in order, with their
        captures: for an element with several URLs, the first URL it matches with
        (see `selected_urls`). For what counts elements: ad units, the first affiliate link.
        """
        done = self._selections.get(selector.key)
        if done is not None and not self.document.has_more_urls:
            yield from done  # one match per element already
            return
        last = -1
        for element, captured in done if done is not None else self.selected_urls(selector):
            if element.index != last:
                last = element.index
                yield element, captured

    def selected_urls(self, selector: Selector) -> Iterator[tuple[Element, Captured]]:
        """What `selector` matches in this document, once per URL of each element
        (`Element.url_views`: an `<img>` is tried with its `src` and with each of its
        `more_urls`), in order, with their captures. For what reports each URL at its place.

        Rules share selectors (`affiliate: true` three times in the default policy, the ad
        units twice), so a finished selection is kept, by spec, for the next rule to read.
        The captured dicts are shared between those rules: read them, never change them.
        Matches are yielded as found, so a rule whose pattern times out part way still
        reports the elements before that point, as when it matched them itself.
        """
        done = self._selections.get(selector.key)
        if done is not None:
            yield from done
            return
        found = []
        for element in self.document.candidates(selector.tags):
            if element.more_urls:
                for view in element.url_views():
                    captured = selector.match(view, self)
                    if captured is not None:
                        found.append((view, captured))
                        yield view, captured
                continue
            captured = selector.match(element, self)
            if captured is not None:
                found.append((element, captured))
                yield element, captured
        self._selections[selector.key] = found

    def affiliate(self, url: str) -> Any:
        """The network match for a URL, or None.

        Cached per process (some links repeat across articles) and per document: several rules
        ask about each link, and a file with more unique links than the process cache holds
        would otherwise evict every answer before the next rule asks again.
        """
        if self.catalogue is None:
            return None
        try:
            return self._affiliates[url]
        except KeyError:
            found = self._affiliates[url] = _classify(self.catalogue, url)
            return found


AFFILIATE_FIELDS = ("network", "network_id", "affiliate_id")
"""What `affiliate: true` captures from the network catalogue's match."""


@functools.lru_cache(maxsize=4096)
def _classify(catalogue: Classifier, url: str) -> Any:
    return catalogue.classify(url)


class SelectorError(ValueError):
    """A selector is malformed; `key` names the offending key path."""

    def __init__(self, key: str, reason: str) -> None:
        self.key = key
        super().__init__(reason)


KEYS = [
    "tag",
    "origin",
    "format",
    "class",
    "hidden",
    "attr",
    "scheme",
    "host",
    "domain",
    "param",
    "url",
    "text",
    "party",
    "affiliate",
    "inside",
    "any",
    "all",
    "not",
    "data",
]
"""Every selector key, cheapest test first: predicates run in this order."""


class Selector:
    """A compiled selector; `match(element, context)` returns captured data or None."""

    def __init__(self, spec: Mapping[str, Any], *, key: str = "select") -> None:
        if not isinstance(spec, Mapping):
            raise SelectorError(key, "must be a mapping of selector keys")
        if not spec:
            # `{}` matched every element: as `navigation` it silently made a whole page
            # navigation and switched ad-density off; as `select` it flagged every element.
            raise SelectorError(key, "is empty, which would match every element: give it a key")
        self.spec = dict(spec)
        self.constants: dict[str, Any] = {}
        self.predicates: list[Predicate] = []
        self.options: list[Selector] = []
        """The compiled options of an `any` key (their tags make this one's)."""
        self.fields: set[str] = set()
        """Every data name some match of this selector may capture (a regex's named groups,
        `affiliate`'s, `data:` keys, those of `any`/`all`/`inside` options, never `not`'s):
        the policy loader refuses a message field that no match could ever fill."""
        for name in spec:
            if name not in KEYS:
                expected = ", ".join(KEYS)
                raise SelectorError(f"{key}.{name}", f"unknown selector key (expected: {expected})")
        for name in KEYS:
            if name in spec:
                self.predicates.append(_COMPILERS[name](spec[name], f"{key}.{name}", self))
        self.tags = self._tags()
        self.key = repr(self.spec)
        """Equal for selectors written alike (insertion order included), which match alike."""

    def _tags(self) -> frozenset[str] | None:
        """The only tags this selector can match, or None when any tag may match.

        Kinds use it to look only at the candidate elements of a document.
        """
        if "tag" in self.spec:
            return frozenset(t.lower() for t in _strings(self.spec["tag"], "tag"))
        if self.options and all(option.tags is not None for option in self.options):
            return frozenset().union(*(option.tags for option in self.options))  # type: ignore[arg-type]
        return None

    def match(self, element: Element, context: MatchContext) -> Captured | None:
        captured: Captured = {}
        for predicate in self.predicates:
            if not predicate(element, context, captured):
                return None
        captured.update(self.constants)
        return captured


def _strings(value: Any, key: str) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    valid = all(isinstance(item, (str, int)) and not isinstance(item, bool) for item in items)
    if not items or not valid:
        raise SelectorError(key, "must be a string or a list of strings")
    return tuple(str(item) for item in items)


def _regex(value: Any, key: str) -> SafePattern:
    if not isinstance(value, str):
        raise SelectorError(key, "must be a regular expression string")
    try:
        return compile_pattern(value)
    except re.error as error:
        raise SelectorError(key, f"invalid regular expression: {error}") from None
    except UnsafePattern as error:
        raise SelectorError(key, f"unsafe regular expression: {error}") from None


def _bool(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise SelectorError(key, "must be true or false")
    return value


def _capture(match: re.Match[str], captured: Captured) -> None:
    captured.update({k: v for k, v in match.groupdict().items() if v is not None})


def _tag(value: Any, key: str, _: Selector) -> Predicate:
    tags = frozenset(t.lower() for t in _strings(value, key))
    return lambda e, c, d: e.tag in tags


def _origin(value: Any, key: str, _: Selector) -> Predicate:
    origins = frozenset(_strings(value, key))
    if not origins <= {"html", "markdown"}:
        raise SelectorError(key, "must be html or markdown")
    return lambda e, c, d: e.origin in origins


def _format(value: Any, key: str, _: Selector) -> Predicate:
    """The kind of file the element is in. A Markdown file is an article's body, which a
    site's template puts inside its <article>: its <header> or <aside> is the article's own,
    never the page's, though no <article> tag in the file says so."""
    formats = frozenset(_strings(value, key))
    if not formats <= {"html", "markdown"}:
        raise SelectorError(key, "must be html or markdown")
    return lambda e, c, d: c.document.format in formats


def _class(value: Any, key: str, _: Selector) -> Predicate:
    wanted = frozenset(_strings(value, key))
    return lambda e, c, d: bool(wanted.intersection(e.classes))


def _attr(value: Any, key: str, owner: Selector) -> Predicate:
    if not isinstance(value, Mapping) or not value:
        raise SelectorError(key, "must map attribute names to a regex, true or false")
    checks: list[tuple[str, Any]] = []
    for name, expected in value.items():
        if isinstance(expected, bool):
            checks.append((str(name).lower(), expected))
        else:
            pattern = _regex(expected, f"{key}.{name}")
            owner.fields.update(pattern.groupindex)
            checks.append((str(name).lower(), pattern))

    def predicate(element: Element, context: MatchContext, captured: Captured) -> bool:
        for name, expected in checks:
            present = name in element.attrs
            if isinstance(expected, bool):
                if present != expected:
                    return False
                continue
            found = present and expected.search(element.attrs[name][:MAX_URL])
            if not found:
                return False
            _capture(found, captured)
        return True

    return predicate


def _text(value: Any, key: str, owner: Selector) -> Predicate:
    pattern = _regex(value, key)
    owner.fields.update(pattern.groupindex)

    def predicate(element: Element, context: MatchContext, captured: Captured) -> bool:
        found = pattern.search(context.element_text(element))
        if found:
            _capture(found, captured)
        return bool(found)

    return predicate


def _url(value: Any, key: str, owner: Selector) -> Predicate:
    pattern = _regex(value, key)
    owner.fields.update(pattern.groupindex)

    def predicate(element: Element, context: MatchContext, captured: Captured) -> bool:
        found = element.url is not None and pattern.search(element.url[:MAX_URL])
        if found:
            _capture(found, captured)
        return bool(found)

    return predicate


def _host(value: Any, key: str, _: Selector) -> Predicate:
    patterns = _strings(value, key)

    def predicate(element: Element, context: MatchContext, captured: Captured) -> bool:
        parts = urls.split(element.url) if element.url else None
        return bool(parts and any(urls.host_matches(parts.host, p) for p in patterns))

    return predicate


def _domain(value: Any, key: str, _: Selector) -> Predicate:
    domains = frozenset(d.lower() for d in _strings(value, key))

    def predicate(element: Element, context: MatchContext, captured: Captured) -> bool:
        parts = urls.split(element.url) if element.url else None
        return bool(parts and urls.registered_domain(parts.host) in domains)

    return predicate


def _param(value: Any, key: str, _: Selector) -> Predicate:
    names = _strings(value, key)

    def predicate(element: Element, context: MatchContext, captured: Captured) -> bool:
        parts = urls.split(element.url) if element.url else None
        return bool(parts and any(parts.param(n) is not None for n in names))

    return predicate


def _scheme(value: Any, key: str, _: Selector) -> Predicate:
    schemes = frozenset(s.lower() for s in _strings(value, key))

    def predicate(element: Element, context: MatchContext, captured: Captured) -> bool:
        parts = urls.split(element.url) if element.url else None
        return bool(parts and parts.scheme in schemes)

    return predicate


def _party(value: Any, key: str, _: Selector) -> Predicate:
    if value not in ("first", "third"):
        raise SelectorError(key, "must be first or third")
    third = value == "third"

    def predicate(element: Element, context: MatchContext, captured: Captured) -> bool:
        if not element.url or not urls.is_web_url(element.url):
            return not third
        return urls.is_third_party(element.url, context.sites) == third

    return predicate


def _hidden(value: Any, key: str, owner: Selector) -> Predicate:
    wanted = _bool(value, key)
    if wanted:  # `hidden: false` matches only elements with nothing to capture
        owner.fields.add("hidden")

    def predicate(element: Element, context: MatchContext, captured: Captured) -> bool:
        if element.hidden:
            captured.setdefault("hidden", element.hidden)
        return bool(element.hidden) == wanted

    return predicate


def _affiliate(value: Any, key: str, owner: Selector) -> Predicate:
    wanted = _bool(value, key)
    if wanted:
        owner.fields.update(AFFILIATE_FIELDS)

    def predicate(element: Element, context: MatchContext, captured: Captured) -> bool:
        found = context.affiliate(element.url) if element.url else None
        if found is not None and wanted:
            captured["network"] = found.network
            captured["network_id"] = found.network_id
            captured["affiliate_id"] = found.affiliate_id or ""
        return (found is not None) == wanted

    return predicate


def _inside(value: Any, key: str, owner: Selector) -> Predicate:
    inner = Selector(value, key=key)
    owner.fields.update(inner.fields)

    def predicate(element: Element, context: MatchContext, captured: Captured) -> bool:
        found = context.document.nearest_ancestor(
            element, lambda ancestor: inner.match(ancestor, context), context.memo(inner)
        )
        if found is None:
            return False
        for name, item in found.items():
            captured.setdefault(name, item)
        return True

    return predicate


def _any(value: Any, key: str, owner: Selector) -> Predicate:
    # An option with a `tag` key tests it first, so a wrong tag rules it out before any
    # other predicate runs: skip the call (the ad-unit options name seven tags). The owner
    # keeps the compiled options for its own tags: compiling them again there doubled the
    # work at every level of nesting (14 nested `any` took 7 s to load).
    owner.options = _selectors(value, key)
    owner.fields.update(*(option.fields for option in owner.options))
    options = [(o, o.tags if "tag" in o.spec else None) for o in owner.options]

    def predicate(element: Element, context: MatchContext, captured: Captured) -> bool:
        for option, tags in options:
            if tags is not None and element.tag not in tags:
                continue
            found = option.match(element, context)
            if found is not None:
                captured.update(found)
                return True
        return False

    return predicate


def _all(value: Any, key: str, owner: Selector) -> Predicate:
    options = _selectors(value, key)
    owner.fields.update(*(option.fields for option in options))

    def predicate(element: Element, context: MatchContext, captured: Captured) -> bool:
        for option in options:
            found = option.match(element, context)
            if found is None:
                return False
            captured.update(found)
        return True

    return predicate


def _not(value: Any, key: str, _: Selector) -> Predicate:
    inner = Selector(value, key=key)
    return lambda e, c, d: inner.match(e, c) is None


def _data(value: Any, key: str, owner: Selector) -> Predicate:
    if not isinstance(value, Mapping):
        raise SelectorError(key, "must map names to constant values")
    owner.constants.update({str(k): v for k, v in value.items()})
    owner.fields.update(owner.constants)
    return lambda e, c, d: True


def _selectors(value: Any, key: str) -> list[Selector]:
    if not isinstance(value, list) or not value:
        raise SelectorError(key, "must be a non-empty list of selectors")
    return [Selector(item, key=f"{key}[{i}]") for i, item in enumerate(value)]


_COMPILERS: dict[str, Callable[[Any, str, Selector], Predicate]] = {
    "tag": _tag,
    "origin": _origin,
    "format": _format,
    "class": _class,
    "attr": _attr,
    "text": _text,
    "url": _url,
    "host": _host,
    "domain": _domain,
    "param": _param,
    "scheme": _scheme,
    "party": _party,
    "hidden": _hidden,
    "affiliate": _affiliate,
    "inside": _inside,
    "any": _any,
    "all": _all,
    "not": _not,
    "data": _data,
}
