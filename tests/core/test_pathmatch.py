"""Path globs (`exclude_paths`, rule `paths`, `overrides`): gitignore's meaning, no backtracking.

The differential test compares the segment matcher with a one-regex translation of the same
globs (the way adlint matched them before), which is a fine oracle on short paths: it is
only slow, not wrong, and short inputs keep its backtracking cheap.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adlint.pathmatch import matches_any


@pytest.mark.parametrize(
    ("path", "glob", "expected"),
    [
        ("drafts/a.md", "drafts/**", True),
        ("drafts", "drafts/**", False),  # `dir/**` is what is inside dir
        ("x/drafts/a.md", "drafts", True),  # a bare name matches at any depth
        ("x/drafts/a.md", "drafts/*", False),  # a glob with `/` is anchored
        ("x/drafts/a.md", "/drafts", False),
        ("news/a.md", "archive/**", False),
        ("a.md", "*.md", True),
        ("deep/er/a.md", "*.md", True),
        ("a.md/b.txt", "*.md", True),  # a parent directory named so
        ("news/2024/amp/a.html", "news/**/amp/*.html", True),
        ("news/amp/a.html", "news/**/amp/*.html", True),  # `**` may be no segment
        ("news/amp/a.html/x", "news/**/amp/*.html", True),  # ...and the match's children
        ("news/a/b.html", "news/*.html", False),  # `*` stays in one segment
        ("news/ab.md", "news/a?.md", True),
        ("news/a/.md", "news/a?.md", False),  # `?` is no `/`
        ("drafts/a.md", "drafts/", True),
        ("drafts", "drafts/", False),  # a trailing `/` matches folders only
        ("best-draft-2.md", "*-draft-*.md", True),
        ("best-draft.md", "*-draft-*.md", False),
        ("aXb.md", "a**b.md", True),  # `**` inside a segment is a plain `*`
        ("a/b.md", "a**b.md", False),
        ("x/y/z.md", "**/**/z.md", True),
        ("./a/b.md", "a/b.md", True),
        ("a/b.md", "./a/*", True),
        (".github/workflows/a.md", ".github/**", True),  # a leading dot is a name
        (".hidden.md", "hidden.md", False),
        ("a\\b.md", "a/*.md", True),  # Windows separators
    ],
)
def test_glob_meaning(path: str, glob: str, expected: bool) -> None:
    assert matches_any(path, [glob]) is expected


def dotless(text: str) -> str:
    return re.sub(r"^(?:\./)+", "", text)


def oracle(path: str, glob: str) -> bool:
    """One regex for the whole glob: `**/` any segments, a final `/**` anything below."""
    path, pattern = dotless(path), dotless(glob.strip())
    anchored = "/" in pattern.rstrip("/")
    pattern = pattern.lstrip("/")
    directory = pattern.endswith("/")
    pattern = pattern.rstrip("/")
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        else:
            char = pattern[i]
            out.append("[^/]*" if char == "*" else "[^/]" if char == "?" else re.escape(char))
            i += 1
    prefix = "" if anchored else "(?:.*/)?"
    suffix = "/.*" if directory else "(?:/.*)?"
    return re.match(f"^{prefix}{''.join(out)}{suffix}$", path) is not None


_SEGMENT = st.text(alphabet="ab*?.", min_size=1, max_size=4).filter(lambda s: "**" not in s)
_GLOB = st.builds(
    lambda lead, segments, trail: lead + "/".join(segments) + trail,
    st.sampled_from(["", "/"]),
    st.lists(st.one_of(_SEGMENT, st.just("**")), min_size=1, max_size=4),
    st.sampled_from(["", "/"]),
)
_PATH = st.lists(st.text(alphabet="ab.", min_size=1, max_size=3), min_size=1, max_size=5)


@settings(max_examples=3000, deadline=None)
@given(_GLOB, _PATH)
def test_segment_matcher_agrees_with_one_regex(glob: str, parts: list[str]) -> None:
    path = "/".join(parts)
    assert matches_any(path, [glob]) is oracle(path, glob), (glob, path)
