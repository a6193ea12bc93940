"""Turn one merged rule definition into a Rule: check its keys, build its kind's options.

A kind's options are its dataclass fields, so the dataclass is the single source of truth:
the YAML key names, their types (from the annotations) and their defaults.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adlint.errors import PolicyError
from adlint.finding import Severity
from adlint.kinds import kinds
from adlint.message import message_fields, validate_message
from adlint.pattern import SafePattern, UnsafePattern, compile_pattern
from adlint.select import Selector, SelectorError

if TYPE_CHECKING:
    from adlint.policy import Rule, _Origin

SEVERITIES = ("error", "warning", "info", "off")
_RULE_ID = re.compile(r"^[a-z0-9]+(?:[-_/][a-z0-9]+)*$")


class _Bad(ValueError):
    """An option value of the wrong shape; the caller adds file, line, rule and key."""

    def __str__(self) -> str:
        return str(self.args[0])


PRECISIONS = ("very-high", "high", "medium", "low")
"""The values GitHub code scanning reads from a SARIF rule's `precision` property."""
_WEB_ADDRESS = re.compile(r"https?://[^\s/?#]+[^\s]*\Z", re.I)


def _selector(value: Any, key: str) -> Selector:
    try:
        return Selector(value, key=key)
    except SelectorError as error:
        raise _Bad(str(error), error.key) from None


def _pattern(value: Any, key: str) -> SafePattern:
    if not isinstance(value, str):
        raise _Bad("must be a regular expression string", key)
    try:
        return compile_pattern(value)
    except re.error as error:
        raise _Bad(f"invalid regular expression: {error}", key) from None
    except UnsafePattern as error:
        raise _Bad(f"unsafe regular expression: {error}", key) from None


def _string(value: Any, key: str) -> str:
    if not isinstance(value, str):
        raise _Bad("must be a string", key)
    return value


def _number(value: Any, key: str) -> float:
    """Every numeric option is a count, a limit or a share: none can be negative."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise _Bad("must be a number", key)
    if value < 0:
        raise _Bad(f"must be 0 or more, not {value}", key)
    return float(value)


def _integer(value: Any, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Bad("must be an integer", key)
    if value < 0:
        raise _Bad(f"must be 0 or more, not {value}", key)
    return value


def _strings(value: Any, key: str) -> tuple[str, ...]:
    items = [value] if isinstance(value, (str, int)) and not isinstance(value, bool) else value
    if not isinstance(items, list) or not all(
        isinstance(i, (str, int)) and not isinstance(i, bool) for i in items
    ):
        raise _Bad("must be a string or a list of strings", key)
    return tuple(str(i) for i in items)


def _front_matter(value: Any, key: str) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise _Bad("must map front-matter keys to a regex or true", key)
    return {str(k): v if v is True else _pattern(v, f"{key}.{k}") for k, v in value.items()}


CONVERTERS: dict[str, Callable[[Any, str], Any]] = {
    "Selector": _selector,
    "Selector | None": _selector,
    "SafePattern | None": _pattern,
    "str": _string,
    "str | None": _string,
    "float": _number,
    "float | None": _number,
    "int | None": _integer,
    "int": _integer,
    "tuple[str, ...]": _strings,
    "Mapping[str, Any]": _front_matter,
}


def kind_options(kind: type) -> dict[str, dataclasses.Field[Any]]:
    internal = getattr(kind, "internal", ())
    return {f.name: f for f in dataclasses.fields(kind) if f.name not in internal}


def build_rule(rule_id: str, definition: Mapping[str, Any], origin: _Origin) -> Rule | None:
    """Validate a merged definition; None when its severity is `off`."""
    from adlint.policy import RULE_KEYS, Rule, key_origin

    def fail(reason: str, key: str | None = None) -> PolicyError:
        path, line = key_origin(origin, key.split(".")[0]) if key else (origin.path, origin.line)
        return PolicyError(reason, path=path, line=line, rule=rule_id, key=key)

    if not _RULE_ID.match(rule_id):
        raise fail("rule ids are lower-case words joined by '-' (e.g. my-rule)")
    for required in ("kind", "severity", "message"):
        if required not in definition:
            raise fail(f'missing required key "{required}"')
    kind_name = definition["kind"]
    registry = kinds()
    if kind_name not in registry:
        raise fail(f'unknown kind "{kind_name}" (expected: {", ".join(registry)})', "kind")
    kind = registry[kind_name]
    severity = definition["severity"]
    if severity is False:
        severity = "off"
    if severity not in SEVERITIES:
        raise fail(f"must be one of: {', '.join(SEVERITIES)}", "severity")
    options = kind_options(kind)
    for key in definition:
        if key not in RULE_KEYS and key not in options:
            expected = ", ".join(sorted(options))
            raise fail(f'unknown option for kind "{kind_name}" (kind options: {expected})', key)
    configured = _configure(kind, options, definition, fail)
    message = _message(rule_id, definition["message"], configured, origin)
    if severity == "off":
        return None
    texts = {k: definition.get(k, "") for k in ("description", "help", "docs")}
    for key, value in texts.items():
        if not isinstance(value, str):
            raise fail("must be a string", key)
    if texts["docs"] and not _WEB_ADDRESS.match(texts["docs"]):
        raise fail("must be an http(s) URL (SARIF's helpUri, a link in reports)", "docs")
    precision = definition.get("precision", "high")
    if precision not in PRECISIONS:
        raise fail(f"must be one of: {', '.join(PRECISIONS)} (GitHub code scanning's)", "precision")
    if definition.get("fix") is not None:
        from adlint.fix.actions import FixSpecError, parse_fix

        try:
            parse_fix(definition["fix"])
        except FixSpecError as error:
            raise fail(str(error), error.key) from None
    include, exclude = _paths(definition.get("paths"), fail)
    try:
        tags = _strings(definition.get("tags", []), "tags")
    except _Bad as error:
        raise fail(str(error), "tags") from None
    return Rule(
        id=rule_id,
        kind=configured,
        severity=Severity(severity),
        message=message,
        tags=tags,
        precision=precision,
        include=include,
        exclude=exclude,
        source=f"{origin.path}:{origin.line}",
        definition=dict(definition),
        fix=definition.get("fix"),
        **texts,
    )


def _message(rule_id: str, template: Any, kind: Any, origin: _Origin) -> str:
    """The vetted template; an unknown field names where the selector came from when an
    override or a later file set it (replacing a selector can drop a field the message
    uses). When the message was set after the selector, the message is what changed."""
    from adlint.policy import key_origin

    where = key_origin(origin, "message")
    select_where = key_origin(origin, "select") if "select" in origin.key_lines else None
    keys = list(origin.key_lines)
    if select_where is not None and (
        select_where[0] == where[0]
        or ("message" in keys and keys.index("message") > keys.index("select"))
    ):
        select_where = None
    fields = message_fields(kind)
    return validate_message(template, rule_id, where, fields, select_where)


def _configure(
    kind: type,
    options: dict[str, Any],
    definition: Mapping[str, Any],
    fail: Callable[..., PolicyError],
) -> Any:
    values: dict[str, Any] = {}
    for name, option in options.items():
        if name not in definition:
            if option.default is dataclasses.MISSING and (
                option.default_factory is dataclasses.MISSING  # type: ignore[misc]
            ):
                raise fail(f'kind "{kind.name}" needs option "{name}"')
            continue
        if definition[name] is None and option.default is None:
            # `null` unsets an optional option a rule inherited: the only way to skip one of
            # the default ad-density's measures, or its `navigation`, from a config.
            continue
        converter = CONVERTERS[str(option.type)]
        try:
            values[name] = converter(definition[name], name)
        except _Bad as error:
            raise fail(str(error), error.args[1] if len(error.args) > 1 else name) from None
        allowed = getattr(kind, "choices", {}).get(name)
        if allowed and values[name] not in allowed:
            raise fail(f"must be one of: {', '.join(allowed)}", name)
        maximum = getattr(kind, "maxima", {}).get(name)
        if maximum is not None and values[name] > maximum:
            raise fail(f"must be at most {maximum:g}, not {values[name]:g}", name)
        minimum = getattr(kind, "minima", {}).get(name)
        if minimum is not None and values[name] < minimum:
            raise fail(f"must be at least {minimum:g}, not {values[name]:g}", name)
    if kind.name == "allowlist" and values.get("ads_txt"):
        values["ads_txt_ids"] = _read_ads_txt(values, fail)
    return kind(**values)


def _read_ads_txt(values: dict[str, Any], fail: Callable[..., PolicyError]) -> frozenset[str]:
    from adlint.kinds.allowlist import parse_ads_txt
    from adlint.sourcelog import read_source

    path = Path(values["ads_txt"])
    try:
        text = read_source(path, errors="replace")
    except OSError as error:
        raise fail(f"cannot read ads.txt file {path}: {error.strerror}", "ads_txt") from None
    return parse_ads_txt(text, values.get("ads_txt_system", "google.com"))


def _paths(value: Any, fail: Callable[..., PolicyError]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if value is None:
        return (), ()
    if isinstance(value, list):
        value = {"include": value}
    if not isinstance(value, Mapping) or set(value) - {"include", "exclude"}:
        raise fail("must be a list of globs or {include: [...], exclude: [...]}", "paths")
    try:
        return (
            _strings(value.get("include", []), "paths.include"),
            _strings(value.get("exclude", []), "paths.exclude"),
        )
    except _Bad as error:
        raise fail(str(error), "paths") from None
