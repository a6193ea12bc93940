"""The fix actions a rule may declare under `fix:` in YAML (a closed, validated set).

fix: {add_attr_token: {attr: rel, token: sponsored}}   # keep other tokens; add the attr
fix: {remove_element: {}}                               # the tag (through its end tag)
fix: {insert_text: {text: "*...*", where: before_first_match}}  # or after_front_matter
    # a paragraph of its own: `text` (Markdown) in Markdown articles; in HTML articles
    # `html: "<p>...</p>"` when given, else `text` rendered as HTML
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

WHERE = ("after_front_matter", "before_first_match")


@dataclass(frozen=True)
class AddAttrToken:
    """Add `token` to the space-separated attribute `attr`, creating the attribute if needed."""

    attr: str
    token: str


@dataclass(frozen=True)
class RemoveElement:
    """Remove the element; a line left empty by the removal goes too."""


@dataclass(frozen=True)
class InsertText:
    """Insert a paragraph once per document: `text` in Markdown articles, `html` in HTML ones.

    A rule author writes the disclosure once, in Markdown; without `html`, an HTML article
    gets that Markdown rendered by the parser adlint reads articles with (`*x*` becomes
    `<p><em>x</em></p>`), so the asterisks never show. `html` is for exact markup.
    """

    text: str
    where: str = "after_front_matter"
    html: str = ""
    """Empty: `text` rendered as HTML."""


FixAction = AddAttrToken | RemoveElement | InsertText


class FixSpecError(ValueError):
    """A malformed `fix:`; `key` names the offending key."""

    def __init__(self, key: str, reason: str) -> None:
        self.key = key
        super().__init__(reason)


def _text(options: Mapping[str, Any], name: str, key: str, default: str | None = None) -> str:
    value = options.get(name, default)
    if not isinstance(value, str) or not value.strip():
        raise FixSpecError(f"{key}.{name}", "must be a non-empty string")
    return value


ACTIONS: dict[str, frozenset[str]] = {
    "add_attr_token": frozenset(("attr", "token")),
    "remove_element": frozenset(),
    "insert_text": frozenset(("text", "where", "html")),
}
"""Each action and the options it takes."""


def parse_fix(spec: Any) -> FixAction:
    """Validate a rule's `fix:` mapping."""
    if not isinstance(spec, Mapping) or len(spec) != 1:
        raise FixSpecError("fix", f"must name exactly one action: {_names()}")
    [(name, options)] = spec.items()
    key = f"fix.{name}"
    options = options or {}
    if not isinstance(options, Mapping):
        raise FixSpecError(key, "must be a mapping of options")
    if name not in ACTIONS:
        raise FixSpecError(key, f"unknown fix action (expected: {_names()})")
    for option in options:
        if option not in ACTIONS[name]:
            raise FixSpecError(f"{key}.{option}", "unknown option")
    if name == "add_attr_token":
        return _add_attr_token(options, key)
    if name == "remove_element":
        return RemoveElement()
    return _insert_text(options, key)


def _names() -> str:
    return ", ".join(ACTIONS)


def _add_attr_token(options: Mapping[str, Any], key: str) -> AddAttrToken:
    token = _text(options, "token", key)
    if any(c.isspace() or c in "\"'<>" for c in token):
        raise FixSpecError(f"{key}.token", "must be one token (no spaces or quotes)")
    attr = _text(options, "attr", key).lower()
    if not attr.replace("-", "").isalnum():
        raise FixSpecError(f"{key}.attr", "must be an attribute name")
    return AddAttrToken(attr, token)


def _insert_text(options: Mapping[str, Any], key: str) -> InsertText:
    where = _text(options, "where", key, "after_front_matter")
    if where not in WHERE:
        raise FixSpecError(f"{key}.where", f"must be one of: {', '.join(WHERE)}")
    html = _text(options, "html", key) if "html" in options else ""
    return InsertText(_text(options, "text", key), where, html)
