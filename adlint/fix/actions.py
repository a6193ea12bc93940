"""The fix actions a rule may declare under `fix:` in YAML (a closed, validated set).

fix: {add_attr_token: {attr: rel, token: sponsored}}   # keep other tokens; add the attr
fix: {remove_element: {}}                               # the tag (through its end tag)
fix: {insert_text: {text: "...", where: after_front_matter}}  # or before_first_match
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
    """Insert `text` (Markdown) or `html` (for HTML files) once per document."""

    text: str
    where: str = "after_front_matter"
    html: str = ""


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


def parse_fix(spec: Any) -> FixAction:
    """Validate a rule's `fix:` mapping."""
    if not isinstance(spec, Mapping) or len(spec) != 1:
        raise FixSpecError(
            "fix", "must name exactly one action: add_attr_token, remove_element or insert_text"
        )
    [(name, options)] = spec.items()
    key = f"fix.{name}"
    options = options or {}
    if not isinstance(options, Mapping):
        raise FixSpecError(key, "must be a mapping of options")
    allowed = {
        "add_attr_token": {"attr", "token"},
        "remove_element": set(),
        "insert_text": {"text", "where", "html"},
    }
    if name not in allowed:
        raise FixSpecError(
            key, "unknown fix action (expected: add_attr_token, remove_element, insert_text)"
        )
    for option in options:
        if option not in allowed[name]:
            raise FixSpecError(f"{key}.{option}", "unknown option")
    if name == "add_attr_token":
        token = _text(options, "token", key)
        if any(c.isspace() or c in "\"'<>" for c in token):
            raise FixSpecError(f"{key}.token", "must be one token (no spaces or quotes)")
        attr = _text(options, "attr", key).lower()
        if not attr.replace("-", "").isalnum():
            raise FixSpecError(f"{key}.attr", "must be an attribute name")
        return AddAttrToken(attr, token)
    if name == "remove_element":
        return RemoveElement()
    where = _text(options, "where", key, "after_front_matter")
    if where not in WHERE:
        raise FixSpecError(f"{key}.where", f"must be one of: {', '.join(WHERE)}")
    html = options.get("html", "")
    if not isinstance(html, str):
        raise FixSpecError(f"{key}.html", "must be a string")
    return InsertText(_text(options, "text", key), where, html)
