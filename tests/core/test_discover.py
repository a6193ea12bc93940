"""Directory walks stay inside the directory walked, and lose nothing they cannot read.

Articles come from pull requests: a symlink in one must not make the CI runner's own files
(`~/.ssh/id_rsa`, `/`) into articles, and a folder the walk cannot list must come out as a
finding, not vanish. Every test builds real files, symlinks and permissions in tmp_path.
"""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from adlint.cli import main
from adlint.discover import MAX_IGNORE_FILE_BYTES, discover
from tests.core.fresh import run_adlint
from tests.locking import locked

AFFILIATE = "[deal](https://www.amazon.com/dp/B000000001?tag=pub-20)\n"
SECRET = "[key](https://www.amazon.com/dp/B0SECRET01?tag=secret-20)\n"


@pytest.fixture
def layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`site/` (the directory walked, holding `post.md`) beside `outside/secret.md`; the
    working directory is tmp_path, so findings name `site/...`."""
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "post.md").write_text(AFFILIATE)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.md").write_text(SECRET)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check_json(*paths: str) -> tuple[int, dict]:
    code = main(["check", *paths, "--format", "json", "-o", "out.json", "-j1", "--no-config"])
    return code, json.loads(Path("out.json").read_text(encoding="utf-8"))


def paths_of(report: dict, rule: str) -> list[str]:
    return sorted(f["path"] for f in report["findings"] if f["rule"] == rule)


def test_walk_does_not_follow_a_file_symlink_out_of_the_walked_directory(layout, capsys):
    (layout / "site" / "key.md").symlink_to(layout / "outside" / "secret.md")
    code, report = check_json("site")
    assert paths_of(report, "affiliate-link") == ["site/post.md"]
    assert "secret-20" not in json.dumps(report)
    assert code == 1  # post.md's own findings
    err = capsys.readouterr().err
    assert "adlint: warning: site/key.md: not linted: a symlink" in err


def test_walk_does_not_enter_a_directory_symlink_out_of_the_walked_directory(layout, capsys):
    (layout / "site" / "docs").symlink_to(layout / "outside", target_is_directory=True)
    (layout / "site" / "up").symlink_to(layout, target_is_directory=True)  # `/` in small
    _, report = check_json("site")
    assert paths_of(report, "affiliate-link") == ["site/post.md"]
    err = capsys.readouterr().err
    assert "site/docs: not linted" in err and "site/up: not linted" in err


def test_walk_does_not_follow_a_chain_that_ends_outside(layout):
    (layout / "site" / "last.md").symlink_to(layout / "outside" / "secret.md")
    (layout / "site" / "first.md").symlink_to("last.md")
    skipped: list[str] = []
    found = [t.display for t in discover(["site"], on_skip=skipped.append)]
    assert found == ["site/post.md"]
    assert sorted(skipped) == ["site/first.md", "site/last.md"]


def test_symlinks_inside_the_walked_directory_are_followed(layout):
    (layout / "site" / "real").mkdir()
    (layout / "site" / "real" / "a.md").write_text(AFFILIATE)
    (layout / "site" / "alias.md").symlink_to("real/a.md")
    (layout / "site" / "mirror").symlink_to("real", target_is_directory=True)
    found = [t.display for t in discover(["site"], exclude=["site/real"])]
    assert found == ["site/alias.md", "site/post.md", "site/mirror/a.md"]  # real/ excluded


def test_a_symlink_named_on_the_command_line_is_read_as_asked(layout):
    (layout / "site" / "key.md").symlink_to(layout / "outside" / "secret.md")
    (layout / "linked").symlink_to(layout / "outside", target_is_directory=True)
    _, report = check_json("site/key.md", "linked")
    assert paths_of(report, "affiliate-link") == ["linked/secret.md", "site/key.md"]


def test_a_gitignore_symlinked_out_of_the_walk_is_not_read(layout):
    (layout / "outside" / "ignore-all").write_text("*.md\n")
    (layout / "site" / ".gitignore").symlink_to(layout / "outside" / "ignore-all")
    unread: list[tuple[str, str]] = []
    found = [t.display for t in discover(["site"], on_unread=lambda *u: unread.append(u))]
    assert found == ["site/post.md"]
    assert unread == [("site/.gitignore", "a symlink to a place outside the directory walked")]


NOT_READ = "{}: not read ({}): the files it ignores are linted"
"""The warning for an ignore file the walk does not read."""


def test_an_unreadable_gitignore_is_named_and_the_walk_goes_on(layout, capsys):
    """Its patterns cannot be applied, so what it ignores is linted: said, not silent."""
    (layout / "site" / "draft.md").write_text(AFFILIATE)
    gitignore = layout / "site" / ".gitignore"
    gitignore.write_text("draft.md\n")
    assert paths_of(check_json("site")[1], "affiliate-link") == ["site/post.md"]  # readable
    assert capsys.readouterr().err == ""
    with locked(gitignore):
        code, report = check_json("site", "site")  # named twice: warned once
    assert set(paths_of(report, "affiliate-link")) == {"site/draft.md", "site/post.md"}
    assert code == 1
    denied = os.strerror(errno.EACCES)
    assert (
        capsys.readouterr().err
        == f"adlint: warning: {NOT_READ.format('site/.gitignore', denied)}\n"
    )


def _fifo(path: Path) -> str:
    os.mkfifo(path)
    return "a FIFO, socket or device, not a regular file"


def _directory(path: Path) -> str:
    path.mkdir()
    return "a directory, not a file"


def _huge(path: Path) -> str:
    with path.open("wb") as handle:
        handle.truncate(MAX_IGNORE_FILE_BYTES)  # sparse: no disk used
    return f"larger than {MAX_IGNORE_FILE_BYTES // 2**20} MiB, which git skips too"


def _outside(path: Path) -> str:
    path.symlink_to(path.parents[1] / "outside" / "secret.md")
    return "a symlink to a place outside the directory walked"


@pytest.mark.parametrize("make", [_fifo, _directory, _huge, _outside])
def test_a_gitignore_the_walk_does_not_read_is_named_with_why(layout, make):
    """A FIFO would block the walk for ever and a huge file fill memory: not read, and
    said, in a process of its own (a hang fails on the timeout, not the whole suite)."""
    (layout / "site" / "draft.md").write_text(AFFILIATE)
    reason = make(layout / "site" / ".gitignore")
    run = run_adlint(layout, "check", "--no-config", "-j1", "site", timeout=60)
    assert run.stderr == f"adlint: warning: {NOT_READ.format('site/.gitignore', reason)}\n"
    assert run.returncode == 1
    assert "site/draft.md" in run.stdout and "site/post.md" in run.stdout  # both linted


def test_an_entry_whose_type_cannot_be_read_is_a_parse_error(layout):
    """A symlink loop cannot be told from a folder of articles: reported, not dropped."""
    (layout / "site" / "loop").symlink_to("loop")
    code, report = check_json("site")
    [error] = [f for f in report["findings"] if f["rule"] == "parse-error"]
    assert error["path"] == "site/loop"
    loop = os.strerror(errno.ELOOP)  # "Too many levels of symbolic links"
    what = "cannot tell whether this is a file or a directory"
    assert error["message"] == f"Could not read or parse: {what} ({loop}): it was not linted"
    assert code == 1


@pytest.mark.parametrize("fmt", ["text", "parsable", "sarif", "github"])
def test_an_unreadable_entry_reaches_every_output_format(layout, fmt):
    (layout / "site" / "post.md").unlink()
    (layout / "site" / "loop").symlink_to("loop")
    code = main(["check", "site", "--format", fmt, "-o", "out.txt", "-j1", "--no-config"])
    out = Path("out.txt").read_text(encoding="utf-8")
    assert code == 1
    assert "site/loop" in out and "Too many levels of symbolic links" in out


def test_a_directory_that_cannot_be_listed_is_a_parse_error(layout):
    private = layout / "site" / "private"
    private.mkdir()
    (private / "hidden.md").write_text(AFFILIATE)
    with locked(private):
        code, report = check_json("site")
    errors = {f["path"]: f["message"] for f in report["findings"] if f["rule"] == "parse-error"}
    assert list(errors) == ["site/private"]
    # a directory, not "this file" (the message said "Could not read or parse this file")
    denied = os.strerror(errno.EACCES)
    assert errors["site/private"] == (
        f"Could not read or parse: cannot read this directory ({denied}): "
        "nothing under it was linted"
    )
    assert paths_of(report, "affiliate-link") == ["site/post.md"]
    assert code == 1


def test_an_unreadable_directory_named_as_a_path_is_a_parse_error(layout):
    private = layout / "private"
    private.mkdir()
    with locked(private):
        code, report = check_json("private")
    assert paths_of(report, "parse-error") == ["private"]
    [message] = [f["message"] for f in report["findings"]]
    assert "this directory" in message and "file" not in message
    assert code == 1


WALKING_COMMANDS = [
    ["check", "--no-config"],
    ["check", "--fix", "--no-config"],
    ["fix", "--no-config"],
    ["fix", "--diff", "--no-config"],
    ["report", "--no-config", "-o", "report.html"],
    ["baseline", "--no-config", "-o", "baseline.json"],
]


@pytest.mark.parametrize("command", WALKING_COMMANDS, ids=lambda argv: " ".join(argv[:2]))
def test_each_walk_warning_is_printed_once_per_run(layout, capsys, command):
    """`check --fix` and `adlint fix` fix the files, then lint them: one walk serves both,
    so a symlink not followed and a directory with nothing to lint are named once, in
    every command that walks."""
    (layout / "site" / "key.md").symlink_to(layout / "outside" / "secret.md")
    (layout / "drafts").mkdir()
    main([*command, "-j1", "site", "drafts"])
    err = capsys.readouterr().err
    assert err.count("site/key.md: not linted: a symlink") == 1, err
    assert err.count("no files to lint under drafts/") == 1, err
    fixed = command[0] == "fix" and "--diff" not in command or "--fix" in command
    assert ((layout / "site" / "post.md").read_text() != AFFILIATE) == fixed


def test_a_path_named_twice_is_warned_about_once(layout, capsys):
    (layout / "site" / "key.md").symlink_to(layout / "outside" / "secret.md")
    main(["check", "site", "site", "-j1", "--no-config"])
    assert capsys.readouterr().err.count("site/key.md: not linted") == 1


def test_own_warnings_are_printed_whatever_pythonwarnings_says(layout, monkeypatch):
    """`PYTHONWARNINGS=error` (set in many CI jobs that also run tests) made a walk warning
    into a reported "bug in adlint" with exit 2; `ignore` hid it."""
    (layout / "site" / "key.md").symlink_to(layout / "outside" / "secret.md")
    for setting in ("error", "ignore", "always", "default"):
        monkeypatch.setenv("PYTHONWARNINGS", setting)
        run = run_adlint(layout, "check", "--no-config", "-j1", "site")
        assert run.returncode == 1, run.stderr  # post.md's findings, not a crash
        warning = "adlint: warning: site/key.md: not linted: a symlink"
        assert run.stderr.count(warning) == 1 and "internal error" not in run.stderr, setting
