"""Document: offsets to lines, and the element indexes kinds select from."""

from __future__ import annotations

import pickle
from dataclasses import fields

from hypothesis import given
from hypothesis import strategies as st

from adlint.document import Element, line_starts_of
from adlint.finding import Finding, Severity
from adlint.outcome import utf16_columns
from adlint.parse import parse_text


def test_line_starts_of_lf_only_text_uses_every_line_feed():
    assert line_starts_of("a\nbc\n\nd") == (0, 2, 5, 6)
    assert line_starts_of("no newline") == (0,)
    assert line_starts_of("") == (0,)


def test_line_starts_of_counts_crlf_once_and_lone_cr_as_a_break():
    assert line_starts_of("a\r\nb\rc\nd") == (0, 3, 5, 7)
    assert line_starts_of("\r\r\n") == (0, 1, 3)


def test_frozen_elements_equal_their_dataclass_construction():
    document = parse_text("t.md", 'Hi <a href="https://x.example/1" class="c">one  two</a>\n')
    [element] = document.elements
    assert set(vars(element)) == {f.name for f in fields(Element)}
    expected = Element(
        tag="a",
        attrs={"href": "https://x.example/1", "class": "c"},
        start=3,
        end=43,
        url="https://x.example/1",
        url_start=12,
        url_end=31,
        text_runs=(1, 2),
    )
    assert element == expected and repr(element) == repr(expected)
    assert document.element_text(element) == "one two"
    assert pickle.loads(pickle.dumps(element)) == element


def test_hidden_ancestor_is_named_innermost_first_and_ancestors_skip_plain_tags():
    html = (
        '<div id="wrap"><div style="display:none"><span><p class="x"><img src="/a.png">'
        '</p></span></div><ul><li><a href="/b">b</a></li></ul></div>'
    )
    document = parse_text("t.html", html)
    wrap, hiding, p, img, link = document.elements
    assert (hiding.hidden, p.hidden, img.hidden) == (
        "display:none",
        "inside hidden <div>",
        "inside hidden <p>",
    )
    assert document.ancestors(img) == [p, hiding, wrap]
    assert (img.parent, p.parent, hiding.parent, wrap.parent) == (p.index, hiding.index, 0, -1)
    assert (link.hidden, document.ancestors(link), document.element_text(link)) == ("", [wrap], "b")


@given(
    st.lists(st.text(alphabet="a é👍\r\n\ud800", max_size=12), min_size=1, max_size=6),
    st.lists(st.tuples(st.integers(1, 7), st.integers(1, 14)), max_size=12),
)
def test_utf16_columns_count_surrogate_pairs_as_two(lines: list[str], places):
    """Against the definition: the UTF-16 length of the line before the column, plus one."""
    text = "\n".join(lines)
    starts = line_starts_of(text)
    split = [text[a:b] for a, b in zip(starts, (*starts[1:], len(text)), strict=True)]
    findings = [
        Finding("p", line, column, line, column, "r", Severity.INFO, "m")
        for line, column in places
        if line <= len(split) and column <= len(split[line - 1]) + 1
    ]

    def expected(line: int, column: int) -> int:
        return len(split[line - 1][: column - 1].encode("utf-16-le", "surrogatepass")) // 2 + 1

    columns = utf16_columns(text, starts, findings)
    wanted = tuple((expected(f.line, f.column),) * 2 for f in findings)
    if columns is None:
        assert all(
            pair == (f.column, f.end_column) for pair, f in zip(wanted, findings, strict=True)
        )
    else:
        assert columns == wanted
