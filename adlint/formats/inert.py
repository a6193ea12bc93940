"""Article text made inert in GitHub-flavoured Markdown (step summary, Markdown report).

GitHub renders these with inline HTML, autolinks, math, `@mentions` and issue references,
and an article (its file name, title, URLs, IDs) comes from whoever opened the pull
request. So every value taken from files is put on one line with its control characters
made visible (`printable`: ESC, CSI, bidi overrides and isolates, zero-width and other
format characters become U+FFFD), then either

- `prose`: every Markdown and HTML metacharacter backslash-escaped (so `&lt;` stays those
  four characters, `$x$` is not math, `<b>` is not a tag), and a zero-width space (U+200B,
  as `&#8203;`) put where GitHub would otherwise make a link or a notification: after the
  `@` of `@name` and `@org/team` (a backslash does not stop a mention: GitHub finds them in
  the rendered text), after the `#` of `#123` and the `GH-` of `GH-123`, inside `://` and
  after `www`. Dependabot and Renovate break mentions the same way; the text reads the same.
- `code`: a code span holding the value verbatim. GitHub neither autolinks, mentions nor
  references inside code, and entities there are not decoded, so only `|` (GFM splits table
  cells before spans) needs escaping.
"""

from __future__ import annotations

import re

from adlint.formats import printable

_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()<>#+!|~&$])")
_TICKS = re.compile(r"`+")
_BREAKS = re.compile(r"(www)\.|(?<=@)(?=[A-Za-z0-9])|(?<=\\#)(?=[0-9])|(?<=\bGH-)(?=[0-9])", re.I)
"""Where GitHub would link: `www.`, `@name`, `#1` (escaped as `\\#1` by then), `GH-1`."""
ZERO_WIDTH_SPACE = "&#8203;"


def one_line(value: object) -> str:
    """`value` as text on one line (runs of whitespace, line and paragraph separators
    included, become one space) with every other unprintable character shown as U+FFFD."""
    return printable(" ".join(str(value).split()))


def prose(value: object) -> str:
    """Text that renders as itself and nothing more: no markup, link, mention or reference."""
    text = _PUNCTUATION.sub(r"\\\1", one_line(value)).replace("://", f":{ZERO_WIDTH_SPACE}//")
    return _BREAKS.sub(_break, text)


def _break(match: re.Match[str]) -> str:
    www = match.group(1)
    return f"{www}{ZERO_WIDTH_SPACE}." if www else ZERO_WIDTH_SPACE


def code(value: object) -> str:
    """A code span holding `value` verbatim (pipes escaped: GFM splits cells before spans)."""
    body = one_line(value).replace("|", "\\|")
    if not body:
        return ""
    fence = "`" * (max((len(t) for t in _TICKS.findall(body)), default=0) + 1)
    pad = " " if body.startswith("`") or body.endswith("`") else ""
    return f"{fence}{pad}{body}{pad}{fence}"
