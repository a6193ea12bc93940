"""`adlint check`'s outputs and `--fix`: every flag and file is checked before an article is
changed or an output opened, and no two outputs share a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from adlint.cli import main

PIXEL = '<p>Hi</p>\n<img src="https://imp.pxf.io/i/1/2/3" width="0" height="0">\n'


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "pixel.html").write_text(PIXEL)
    (tmp_path / "existing_dir").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` with its bytes."""
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_check_fix_fixes_when_every_flag_is_good(site: Path, capsys):
    assert main(["check", "--fix", "site", "-o", "out.json"]) == 0
    assert "imp.pxf.io" not in (site / "site" / "pixel.html").read_text()


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--baseline", "does-not-exist.json"], "does-not-exist.json: no such file"),
        (["-o", "existing_dir"], "argument --output: existing_dir is a directory, not a file"),
        (["--also", "json:existing_dir"], "argument --also: existing_dir is a directory"),
        (["--output-sarif", "existing_dir"], "argument --output-sarif: existing_dir is a dir"),
        (["-o", "x.json", "--also", "json:x.json"], "x.json: named twice"),
        (["-o", "existing_dir/sub/x.json"], None),  # control: a good output fixes
        (["--select", "tracking-pixl"], 'argument --select: unknown rule "tracking-pixl"'),
        (["--check-links", "--accept", "999x"], "argument --accept: not a status code"),
        (["--shard", "4/3"], "argument --shard:"),
        (["--policy", "nope.yaml"], "nope.yaml"),
    ],
)
def test_check_fix_with_a_bad_flag_changes_nothing(site: Path, capsys, flags, message):
    before = tree(site / "site")
    code = main(["check", "--fix", *flags, "site"])
    err = capsys.readouterr().err
    if message is None:
        assert code == 0 and tree(site / "site") != before
        return
    assert code == 2 and message in err and "Traceback" not in err
    assert tree(site / "site") == before


def test_check_fix_with_an_unwritable_output_changes_nothing(site: Path, capsys):
    (site / "blocker").write_text("a file, so blocker/ cannot be a folder\n")
    before = tree(site / "site")
    assert main(["check", "--fix", "site", "-o", "blocker/out.json"]) == 2
    assert "blocker/out.json: cannot write output" in capsys.readouterr().err
    assert tree(site / "site") == before


def test_fix_with_a_bad_link_flag_changes_nothing(site: Path, capsys):
    before = tree(site / "site")
    assert main(["fix", "--check-links", "--accept", "999x", "site"]) == 2
    assert tree(site / "site") == before


@pytest.mark.parametrize(
    ("flags", "first", "second"),
    [
        (["-o", "dup.json", "--also", "sarif:dup.json"], "--output", "--also"),
        (["-o", "dup.json", "--output-sarif", "./dup.json"], "--output", "--output-sarif"),
        (["--also", "json:a/dup.json", "--also", "text:a/../a/dup.json"], "--also", "--also"),
        (["-o", "sarif:dup.json", "--output-sarif", "dup.json"], "--output", "--output-sarif"),
    ],
)
def test_one_file_named_by_two_outputs_is_a_usage_error(site: Path, capsys, flags, first, second):
    assert main(["check", "site", *flags]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("adlint: error: ") and "dup.json: named twice" in err
    assert f"by {first} and by {second}" in err
    assert not list(site.rglob("dup.json"))


@pytest.mark.parametrize("flag", ["-o", "--output-sarif"])
def test_output_ending_in_a_separator_names_a_directory(site: Path, capsys, flag):
    assert main(["check", "site", flag, "newdir/"]) == 2
    assert "names a directory, not a file: 'newdir/'" in capsys.readouterr().err
    assert not (site / "newdir").exists()


def test_also_ending_in_a_separator_names_a_directory(site: Path, capsys):
    assert main(["check", "site", "--also", "json:newdir/"]) == 2
    assert "argument --also: names a directory" in capsys.readouterr().err
    assert not (site / "newdir").exists()


@pytest.mark.parametrize("command", ["report", "baseline"])
def test_other_commands_refuse_a_directory_output_before_linting(site: Path, capsys, command):
    assert main([command, "site", "-o", "newdir/"]) == 2
    assert "names a directory, not a file: 'newdir/'" in capsys.readouterr().err
    assert main([command, "site", "-o", "existing_dir"]) == 2
    assert "argument --output: existing_dir is a directory" in capsys.readouterr().err
