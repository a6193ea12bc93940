"""Vet a rule's `message` template when the policy loads, so that every finding renders.

A message is a `str.format` template over the finding's data. Python renders a field that
is not there as an error (adlint rendered it empty), so a typo such as `{netwrok}` silently
dropped the network from every message. The loader now knows which fields a rule can yield
(its kind's own, plus whatever its selector captures) and refuses a field that no finding
of the rule could ever hold. A field that only some findings hold (one `any` option's
`data:`, a regex group that may not take part) stays allowed and renders empty elsewhere.

Templates come from strangers' policies, and `str.format` reaches attributes and items
(`{url.__class__}`), positional arguments (`{0}`) and nested fields in format specs
(`{url:{url.__class__}}`): only plain names are accepted, with a bounded format spec.
"""

from __future__ import annotations

import difflib
import re
import string
from collections.abc import Collection
from typing import Any

from adlint.errors import PolicyError

CONVERSIONS = ("r", "s", "a")
MAX_SHOWN = 60
MAX_WIDTH = 100
"""The widest width or precision a format spec may ask for: messages are one line, and
`{url:>999999999}` would build a gigabyte string for every finding."""
_SPEC = re.compile(
    r"(?:.?[<>=^])?[-+ ]?z?#?0?(?P<width>\d*)[,_]?(?:\.(?P<precision>\d+))?[bcdeEfFgGnosxX%]?",
    re.S,
)
"""Python's format spec mini-language:
[[fill]align][sign][z][#][0][width][grouping][.precision][type]."""
_SAMPLES: tuple[Any, ...] = ("", 0, 0.0)
"""A spec is valid when some type of value could take it: fields hold strings and numbers."""


def message_fields(kind: Any) -> frozenset[str]:
    """Every field some finding of a rule with this configured kind may carry."""
    fields = set(kind.fields)
    if getattr(kind, "captures", False):
        fields.update(kind.select.fields)
    return frozenset(fields)


def validate_message(
    template: Any,
    rule_id: str,
    where: tuple[str, int],
    fields: Collection[str],
    select_where: tuple[str, int] | None = None,
) -> str:
    """Return the template, or raise a PolicyError at `where` (the `message` key's line).

    `select_where` is where the rule's selector was set when that is another file than the
    message: a field the message uses may have been lost by replacing the selector there.
    """

    def fail(reason: str) -> PolicyError:
        return PolicyError(reason, path=where[0], line=where[1], rule=rule_id, key="message")

    if not isinstance(template, str) or not template.strip():
        raise fail("must be a non-empty string")
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as error:
        raise fail(f"invalid template: {error} (write {{{{ and }}}} for literal braces)") from None
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        field = f'field "{{{_shown(name)}}}"'
        if not name.isidentifier():
            raise fail(f"{field} must be a plain name such as {{url}} (no index or attribute)")
        if name not in fields and select_where is not None:
            # The selector was replaced in another file (a config over the default policy):
            # that is the line to change, and the message may be the user's to keep.
            raise PolicyError(
                f"this select yields no {field}, which the rule's message (at "
                f"{where[0]}:{where[1]}) uses; give it the field (e.g. with data:) or set a "
                f"message of your own (this select yields: {', '.join(sorted(fields))})",
                path=select_where[0],
                line=select_where[1],
                rule=rule_id,
                key="select",
            )
        if name not in fields:
            raise fail(f"unknown {field}: {_unknown_field(name, fields)}")
        if conversion is not None and conversion not in CONVERSIONS:
            raise fail(f'{field}: unknown conversion "!{conversion}" (use !r, !s or !a)')
        if spec:
            reason = _spec_problem(spec)
            if reason:
                raise fail(f"{field}: {reason}")
    return template


def _shown(text: str) -> str:
    """A name or spec as an error quotes it: a 100,000-character one is cut short."""
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "…"


def _unknown_field(name: str, fields: Collection[str]) -> str:
    """The rest of the message for a field the rule never yields: a likely spelling and the
    fields it does yield."""
    known = sorted(fields)
    close = difflib.get_close_matches(name, known, n=1)
    hint = f'did you mean "{{{close[0]}}}"?' if close else "no finding of this rule has it"
    return f"{hint} (this rule's fields: {', '.join(map(_shown, known))})"


def _spec_problem(spec: str) -> str | None:
    """Why a format spec cannot be used, or None when it can."""
    shown = f'":{_shown(spec)}"'
    if "{" in spec or "}" in spec:
        return f"a format spec cannot hold a field or a brace ({shown})"
    shape = _SPEC.fullmatch(spec)
    if shape is None:
        return f"invalid format spec {shown}"
    for number in (shape["width"], shape["precision"]):
        if number and (len(number) > 3 or int(number) > MAX_WIDTH):
            return f"format spec {shown} asks for a width or precision over {MAX_WIDTH}"
    for sample in _SAMPLES:
        try:
            format(sample, spec)
        except (ValueError, TypeError):
            continue
        return None
    return f"invalid format spec {shown} (no string or number can take it)"
