"""Document: offsets to lines, and the element indexes kinds select from."""

from __future__ import annotations

from adlint.document import line_starts_of


def test_line_starts_of_lf_only_text_uses_every_line_feed():
    assert line_starts_of("a\nbc\n\nd") == (0, 2, 5, 6)
    assert line_starts_of("no newline") == (0,)
    assert line_starts_of("") == (0,)


def test_line_starts_of_counts_crlf_once_and_lone_cr_as_a_break():
    assert line_starts_of("a\r\nb\rc\nd") == (0, 3, 5, 7)
    assert line_starts_of("\r\r\n") == (0, 1, 3)
