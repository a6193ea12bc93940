"""`adlint fix`: exact edits per action, nothing else touched, idempotent, atomic."""

from __future__ import annotations

import difflib
import json
import os
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adlint.cli import main
from adlint.discover import Target
from adlint.fix.apply import FixResult, _overlaps, apply_edits, plan, resolve
from adlint.fix.diff import unified_diff
from adlint.fix.edits import PRIORITY, Edit
from adlint.policy import load_default_policy

POLICY = load_default_policy()
DISCLOSURE = (
    "*We earn a commission when you buy through links on this page, at no extra cost to you.*"
)


def fix_text(tmp_path: Path, text: str, name: str = "post.md", encoding: str = "utf-8") -> bytes:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    assert main(["fix", "--no-config", str(path)]) in (0, 1)
    return path.read_bytes()


def test_rel_is_added_when_missing(tmp_path):
    src = DISCLOSURE + '\n\n<a href="https://brand.sjv.io/c/1/2/3">x</a>\n'
    assert fix_text(tmp_path, src).decode() == (
        DISCLOSURE + '\n\n<a href="https://brand.sjv.io/c/1/2/3" rel="sponsored">x</a>\n'
    )


def test_sponsored_joins_existing_rel_tokens(tmp_path):
    src = DISCLOSURE + "\n\n<a rel='noopener' href=\"https://brand.sjv.io/c/1/2/3\">x</a>\n"
    assert "rel='noopener sponsored'" in fix_text(tmp_path, src).decode()


def test_self_closing_and_unquoted_forms(tmp_path):
    src = DISCLOSURE + "\n\n<a href=https://brand.sjv.io/c/1/2/3 rel=noopener>x</a>\n"
    assert 'rel="noopener sponsored"' in fix_text(tmp_path, src).decode()


def test_tracking_pixel_line_is_removed_entirely(tmp_path):
    src = 'Intro.\n\n<img src="https://imp.pxf.io/i/1/2/3" width="0" height="0" />\n\nEnd.\n'
    assert fix_text(tmp_path, src).decode() == "Intro.\n\n\nEnd.\n"


def test_pixel_sharing_a_line_is_removed_alone(tmp_path):
    src = 'Text <img src="https://imp.pxf.io/i/1/2/3" width="0" height="0"> more.\n'
    assert fix_text(tmp_path, src).decode() == "Text  more.\n"


def test_disclosure_is_inserted_before_the_first_affiliate_link(tmp_path):
    src = "---\ntitle: x\n---\n\nIntro paragraph.\n\n[deal](https://amzn.to/3abc)\n"
    fixed = fix_text(tmp_path, src).decode()
    assert fixed == (
        "---\ntitle: x\n---\n\nIntro paragraph.\n\n"
        + DISCLOSURE
        + "\n\n[deal](https://amzn.to/3abc)\n"
    )
    assert (
        main(
            [
                "check",
                "--no-config",
                "--select",
                "affiliate-disclosure-missing",
                str(tmp_path / "post.md"),
            ]
        )
        == 0
    )


def test_markdown_link_is_not_mangled(tmp_path, capsys):
    src = DISCLOSURE + "\n\n[deal](https://amzn.to/3abc)\n"
    assert fix_text(tmp_path, src).decode() == src
    assert "not fixable (affiliate-rel-missing)" in capsys.readouterr().err


def test_not_fixable_line_never_starts_a_workflow_command(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    (tmp_path / "::stop-commands::x.md").write_text(DISCLOSURE + "\n\n[deal](https://amzn.to/3a)\n")
    assert main(["fix", "--no-config", "--no-cache", "."]) == 0  # a warning remains
    [line] = [x for x in capsys.readouterr().err.splitlines() if "not fixable" in x]
    assert line.startswith("./::stop-commands::x.md:3:1: not fixable (affiliate-rel-missing): ")


def test_diff_under_github_actions_is_inside_a_stop_commands_pair(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    path = tmp_path / "post.md"
    path.write_text('::error title=Forged::x\n<a href="https://brand.sjv.io/c/1/2/3">x</a>\n')
    assert main(["fix", "--no-config", "--no-cache", "--diff", str(path)]) == 1
    first, *diff, last = capsys.readouterr().out.splitlines()
    token = first.removeprefix("::stop-commands::")
    assert len(token) == 32 and last == f"::{token}::"
    assert diff[0].startswith("--- a/") and " ::error title=Forged::x" in diff


def test_crlf_and_bom_are_preserved(tmp_path):
    src = "\ufeffIntro.\r\n\r\n[deal](https://amzn.to/3abc)\r\n"
    fixed = fix_text(tmp_path, src)
    assert fixed.startswith(b"\xef\xbb\xbfIntro.\r\n\r\n" + DISCLOSURE.encode() + b"\r\n\r\n")
    assert fixed.endswith(b"[deal](https://amzn.to/3abc)\r\n")
    assert b"\n" not in fixed.replace(b"\r\n", b"")


def test_utf16_without_bom_stays_utf16(tmp_path):
    src = "Intro.\n\n[deal](https://amzn.to/3abc)\n"
    fixed = fix_text(tmp_path, src, encoding="utf-16-le")
    assert not fixed.startswith((b"\xff\xfe", b"\xfe\xff"))
    assert fixed.decode("utf-16-le") == f"Intro.\n\n{DISCLOSURE}\n\n[deal](https://amzn.to/3abc)\n"


def test_fixing_twice_changes_nothing_the_second_time(tmp_path):
    src = (
        'Intro.\n\n<a href="https://brand.sjv.io/c/1/2/3">x</a>\n'
        '<img src="https://t.example/p.gif" width="1" height="1">\n'
    )
    once = fix_text(tmp_path, src)
    twice = fix_text(tmp_path, once.decode())
    assert once == twice and once != src.encode()


def test_diff_prints_and_changes_nothing(tmp_path, capsys):
    path = tmp_path / "post.md"
    path.write_text('<a href="https://brand.sjv.io/c/1/2/3">x</a>\n')
    before = path.read_bytes()
    assert main(["fix", "--no-config", "--diff", str(path)]) == 1
    out = capsys.readouterr().out
    assert (
        out.startswith("--- a/")
        and '+<a href="https://brand.sjv.io/c/1/2/3" rel="sponsored">' in out
    )
    assert path.read_bytes() == before


def test_file_mode_is_kept_and_no_temp_file_remains(tmp_path):
    path = tmp_path / "post.md"
    path.write_text('<a href="https://brand.sjv.io/c/1/2/3">x</a>\n')
    os.chmod(path, 0o640)
    main(["fix", "--no-config", str(path)])
    assert oct(path.stat().st_mode & 0o777) == "0o640"
    assert [p.name for p in tmp_path.iterdir()] == ["post.md"]


def test_overlapping_edits_resolve_deterministically():
    removal = Edit(10, 40, "", "remove", "tracking-pixel")
    attribute = Edit(20, 20, ' rel="sponsored"', "attr", "affiliate-rel-missing")
    later = Edit(50, 55, "x", "attr", "r")
    assert resolve([attribute, later, removal]) == [removal, later]


def test_bad_fix_in_a_policy_is_a_config_error(tmp_path, capsys):
    (tmp_path / ".adlint.yaml").write_text("rules:\n  tracking-pixel:\n    fix: {explode: {}}\n")
    (tmp_path / "a.md").write_text("x\n")
    assert main(["check", str(tmp_path / "a.md")]) == 2
    assert 'rule "tracking-pixel": key "fix.explode": unknown fix action' in capsys.readouterr().err


PIECES = st.sampled_from(
    [
        "Some prose.\n",
        "\n",
        "\r\n",
        "# Title\n",
        "[deal](https://amzn.to/3abc)\n",
        '<a href="https://brand.sjv.io/c/1/2/3">b</a>\n',
        '<a rel="nofollow" href="https://amzn.to/x">c</a>',
        '<img src="https://imp.pxf.io/i/1/2/3" width="0" height="0">',
        "café ☕ ",
        "`code`",
        "<!-- adlint-disable-next-line tracking-pixel -->\n",
        "We earn a commission here.\n",
    ]
)


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(PIECES, max_size=12))
def test_fix_then_check_leaves_nothing_fixable_and_keeps_other_bytes(tmp_path_factory, pieces):
    directory = tmp_path_factory.mktemp("prop")
    path = directory / "post.md"
    source = "".join(pieces)
    path.write_bytes(source.encode())
    target = Target(path, "post.md")
    first = plan(target, POLICY)
    assert first is not None
    # Bytes outside the edits are unchanged: rebuild the original from the fixed text.
    rebuilt, cursor, shift = [], 0, 0
    for edit in first.applied:
        rebuilt.append(first.fixed[cursor + shift : edit.start + shift])
        rebuilt.append(source[edit.start : edit.end])
        shift += len(edit.replacement) - (edit.end - edit.start)
        cursor = edit.end
    rebuilt.append(first.fixed[cursor + shift :])
    assert "".join(rebuilt) == source
    path.write_bytes(first.fixed.encode())
    second = plan(target, POLICY)
    assert second is not None and second.applied == []


_EDIT = st.builds(
    Edit,
    st.integers(0, 30),
    st.integers(0, 6),
    st.sampled_from(["", "x", "yz"]),
    st.sampled_from(["remove", "insert", "attr"]),
    st.sampled_from(["r1", "r2"]),
).map(lambda e: replace(e, end=e.start + (0 if e.kind == "insert" else e.end)))


@given(st.lists(_EDIT, max_size=14))
def test_resolve_keeps_what_checking_every_kept_edit_would(edits: list[Edit]):
    """The bisecting resolve must keep exactly the edits the definition keeps: in priority
    order, each edit that overlaps none kept before it."""
    kept: list[Edit] = []
    for edit in sorted(edits, key=lambda e: (PRIORITY[e.kind], e.start, e.end, e.rule)):
        if not any(_overlaps(edit, other) for other in kept):
            kept.append(edit)
    assert resolve(edits) == sorted(kept)
    text = "abcdefghij" * 4
    expected = text
    for edit in sorted(kept, reverse=True):
        expected = expected[: edit.start] + edit.replacement + expected[edit.end :]
    assert apply_edits(text, resolve(edits)) == expected


def _patched(original: str, diff: str) -> str:
    """Apply a unified diff the way `patch` would (hunks in order, context checked)."""
    old = original.splitlines(keepends=True)
    out: list[str] = []
    at = 0
    lines = diff.splitlines(keepends=True)[2:]
    for line in lines:
        if line.startswith("@@"):
            start = int(line.split()[1][1:].split(",")[0])
            length = line.split()[1].split(",")[1:] or ["1"]
            first = start - 1 if length != ["0"] else start
            out += old[at:first]
            at = first
        elif line[0] in " -":
            assert old[at] == line[1:], (old[at], line)
            at += 1
            if line[0] == " ":
                out.append(line[1:])
        else:
            out.append(line[1:])
    return "".join(out + old[at:])


_LINE = st.sampled_from(["a\n", "b\n", "<p>x</p>\n", "\n", "c\r\n", "d\rd\n"])


@given(st.lists(_LINE, max_size=30).map("".join), st.lists(_EDIT, max_size=8))
def test_diff_around_the_edits_patches_original_into_fixed(text: str, edits: list[Edit]):
    """Whatever the edits, the diff turns the original into the fixed text. (Texts end with
    a line break: like difflib's, the diff marks no missing final newline.)"""
    edits = [e for e in edits if e.end < len(text)]  # the final line break stays
    kept = resolve(edits)
    fixed = apply_edits(text, kept)
    diff = unified_diff(text, fixed, kept, "p.md")
    assert _patched(text, diff) == fixed
    if not diff:
        assert fixed.splitlines() == text.splitlines()


def test_diff_is_difflibs_for_ordinary_fixes(tmp_path):
    lines = [f"<p>para {i}</p>\n" for i in range(40)]
    lines[5] = '<a href="https://www.amazon.com/dp/B1?tag=x-20">a</a>\n'
    lines[30] = '<a href="https://www.amazon.com/dp/B2?tag=x-20">b</a>\n'
    path = tmp_path / "page.html"
    path.write_text("".join(lines))
    result = plan(Target(path, "page.html"), POLICY)
    assert result is not None and result.applied
    expected = "".join(
        difflib.unified_diff(
            result.original.splitlines(keepends=True),
            result.fixed.splitlines(keepends=True),
            fromfile="a/page.html",
            tofile="b/page.html",
        )
    )
    assert result.diff() == expected and expected.count("@@ -") == 2


def test_a_file_too_dense_to_lint_is_left_alone_and_the_others_are_fixed(tmp_path, capsys):
    """It used to stop `adlint fix` with exit 2 and an internal error."""
    (tmp_path / "dense.md").write_text("x\n\n" * 1_100_000)  # over 2,000,000 lines
    pixel = 'Intro.\n\n<img src="https://imp.pxf.io/i/1/2/3" width="0" height="0" />\n\nEnd.\n'
    (tmp_path / "post.md").write_text(pixel)

    code = main(["fix", "--no-config", "--no-cache", str(tmp_path)])

    assert code == 1
    assert (tmp_path / "post.md").read_text() == "Intro.\n\n\nEnd.\n"
    assert (tmp_path / "dense.md").stat().st_size == 3 * 1_100_000
    out = capsys.readouterr().out
    assert "parse-error" in out and "more than 2,000,000 lines" in out


def test_a_file_over_the_time_limit_is_left_alone_and_reported(tmp_path, capsys):
    line = '<img src="https://imp.pxf.io/i/1/2/{0}" width="0" height="0">\n\n'
    slow = "".join(line.format(n) for n in range(20_000))
    (tmp_path / "slow.md").write_text(slow)
    pixel = 'Intro.\n\n<img src="https://imp.pxf.io/i/1/2/3" width="0" height="0" />\n\nEnd.\n'
    (tmp_path / "post.md").write_text(pixel)

    code = main(["fix", "--no-config", "--no-cache", "--file-timeout", "0.3", str(tmp_path)])

    assert code == 1
    assert (tmp_path / "post.md").read_text() == "Intro.\n\n\nEnd.\n"
    assert (tmp_path / "slow.md").read_text() == slow
    assert "took more than 0.3 s of CPU time" in capsys.readouterr().out


def test_a_file_named_twice_is_fixed_once(tmp_path, capsys, monkeypatch):
    """`fix site site/post.md` walks to post.md twice: one diff, one count, one "not
    fixable" line for the Markdown link (rel cannot be added to it), as the check after
    fixing reports the file once."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "site").mkdir()
    post = tmp_path / "site" / "post.md"
    original = "[deal](https://www.amazon.com/dp/B000000001?tag=pub-20)\n"
    post.write_text(original)
    assert main(["fix", "--diff", "--no-config", "site", "site/post.md"]) == 1
    out, err = capsys.readouterr()
    assert out.count("+++ b/site/post.md") == 1 and out.count(f"+{DISCLOSURE}") == 1
    assert err.count("site/post.md:1:1: not fixable (affiliate-rel-missing)") == 1
    assert err.endswith("adlint: would fix 1 finding in 1 file\n")
    assert post.read_text() == original  # --diff changes nothing

    main(["fix", "--no-config", "site", "./site/post.md"])
    out, err = capsys.readouterr()
    assert post.read_text().count(DISCLOSURE) == 1
    assert err.count("not fixable (affiliate-rel-missing)") == 1
    assert "adlint: fixed 1 finding in 1 file\n" in err


def test_a_symlinked_article_is_fixed_through_the_link(tmp_path):
    """The fix used to rename the fixed copy over the link: the link became a regular file
    and the real article, the one the site builds, stayed unfixed."""
    real = tmp_path / "real"
    real.mkdir()
    src = DISCLOSURE + '\n\n<a href="https://brand.sjv.io/c/1/2/3">x</a>\n'
    (real / "a.md").write_text(src)
    alias = tmp_path / "alias.md"
    alias.symlink_to(real / "a.md")
    assert main(["fix", "--no-config", str(alias)]) == 0
    assert alias.is_symlink() and os.readlink(alias) == str(real / "a.md")
    fixed = src.replace('3">x', '3" rel="sponsored">x')
    assert (real / "a.md").read_text() == fixed
    assert sorted(p.name for p in real.iterdir()) == ["a.md"]  # no temp file left beside it


UNFIXABLE = (
    "Intro.\n\n"
    'Our pick: <a href="https://brand.sjv.io/c/1/2/3">gear</a> and '
    "[deal](https://amzn.to/3abc) today.\n"
)
"""No disclosure (one is inserted above the paragraph), an `<a>` that gets rel="sponsored"
before the Markdown link on its line, and the Markdown link, which cannot carry rel (its
finding is on the link, at the `[`)."""


def line_column(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def test_not_fixable_is_said_where_the_fixed_file_has_it(tmp_path, capsys, monkeypatch):
    """The note named the place in the file before fixing: lines below an inserted
    disclosure, and columns after an added rel, had moved by the time the check after
    fixing reported the same finding."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text(UNFIXABLE)
    argv = ["--no-config", "--no-cache", "--format", "json", "-o", "out.json", "a.md"]
    assert main(["check", "--fix", *argv]) == 0  # the Markdown link's warning remains
    fixed = (tmp_path / "a.md").read_text()
    assert fixed != UNFIXABLE and 'rel="sponsored">gear' in fixed
    where = line_column(fixed, fixed.index("[deal]"))
    assert where != line_column(UNFIXABLE, UNFIXABLE.index("[deal]"))
    err = capsys.readouterr().err.splitlines()
    assert [x.split(": not fixable")[0] for x in err if "not fixable" in x] == [
        f"a.md:{where[0]}:{where[1]}"
    ]
    remaining = json.loads((tmp_path / "out.json").read_text())["findings"]
    rel = [f for f in remaining if f["rule"] == "affiliate-rel-missing"]
    assert [(f["line"], f["column"]) for f in rel] == [where]
    # and `check --fix` says what it fixed, as `adlint fix` does: rel and the disclosure
    assert "adlint: fixed 2 findings in 1 file" in err


def test_not_fixable_under_diff_is_said_where_the_unchanged_file_has_it(tmp_path, capsys):
    (tmp_path / "a.md").write_text(UNFIXABLE)
    assert main(["fix", "--diff", "--no-config", "--no-cache", str(tmp_path / "a.md")]) == 1
    assert (tmp_path / "a.md").read_text() == UNFIXABLE
    line, column = line_column(UNFIXABLE, UNFIXABLE.index("[deal]"))
    assert f"a.md:{line}:{column}: not fixable (affiliate-rel-missing)" in capsys.readouterr().err


_TEXT = st.lists(st.sampled_from(["ab\n", "cd", "\r\n", "\r", "efg"]), min_size=1, max_size=20)


@given(_TEXT.map("".join), st.lists(_EDIT, max_size=10), st.data())
def test_position_after_follows_an_untouched_character_into_the_fixed_text(
    text: str, edits: list[Edit], data: st.DataObject
):
    """Mark one character no edit touches: its place in the fixed text, found by looking for
    the mark, is what `position_after` says (lines end at \\n, \\r\\n and \\r alike)."""
    edits = [e for e in edits if e.end <= len(text)]
    kept = resolve(edits)
    touched = {i for e in kept for i in range(e.start, e.end)}
    free = [i for i in range(len(text)) if i not in touched and text[i] not in "\r\n"]
    if not free:
        return
    at = data.draw(st.sampled_from(free))
    marked = text[:at] + "#" + text[at + 1 :]
    kept = [e for e in kept if "#" not in e.replacement]
    result = FixResult("p.md", marked, apply_edits(marked, kept), kept)
    fixed_at = result.fixed.index("#")
    assert result.position_after(*_line_column(marked, at)) == _line_column(result.fixed, fixed_at)


def _line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based, with every line ending adlint knows, counted the slow and obvious way."""
    lines = text[:offset].replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return len(lines), len(lines[-1]) + 1
