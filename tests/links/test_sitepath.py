"""Local links are looked for inside the site only: no existence oracle for the CI machine.

Each test builds a real site in `tmp_path/site` (the working directory) beside real files
outside it, and runs `adlint check --check-links`. A link out of the site must get the same
verdict whether or not its target exists, which is what "not looked for" means to whoever
wrote the article.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adlint.cli import main
from tests.locking import locked

RULES = ["--select", "broken-link,link-unreachable"]
CHECK = ["--check-links", "--no-cache", "--no-progress", "-j", "1", "--format", "json"]
OUTSIDE = "outside the site root ({root}): not looked for"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`tmp_path/site` as the working directory, beside `tmp_path/secret.md` (which exists)
    and `tmp_path/outside/`; no user cache to fall back on."""
    (tmp_path / "site").mkdir()
    (tmp_path / "secret.md").write_text("Secret.\n")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "key.md").write_text("Key.\n")
    monkeypatch.chdir(tmp_path / "site")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    return tmp_path / "site"


def lint(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, str]:
    """Run the link check; each failing link's URL and reason."""
    code = main(["check", *CHECK, *RULES, *argv])
    captured = capsys.readouterr()
    assert code in (0, 1), captured.err
    findings = json.loads(captured.out)["findings"]
    return {f["data"]["url"]: f["data"]["reason"] for f in findings}


def test_relative_link_out_of_the_site_is_broken_whether_or_not_the_file_exists(site, capsys):
    text = "[a](../secret.md) [b](../missing.md) [c](../../../../../../../../etc/passwd)\n"
    (site / "a.md").write_text(text)
    reasons = lint(capsys, "a.md")
    expected = OUTSIDE.format(root=".")
    assert reasons == {
        "../secret.md": expected,
        "../missing.md": expected,
        "../../../../../../../../etc/passwd": expected,
    }


def test_absolute_link_cannot_climb_above_the_site_root(site, capsys):
    (site / "public").mkdir()
    (site / "public" / "ok.md").write_text("OK.\n")
    (site / "a.md").write_text("[a](/../secret.md) [b](/ok.md) [c](/x/../../../secret.md)\n")
    reasons = lint(capsys, "--site-root", "public", "a.md")
    expected = OUTSIDE.format(root="public")
    assert reasons == {"/../secret.md": expected, "/x/../../../secret.md": expected}


def test_symlinks_out_of_the_site_are_not_followed(site, capsys):
    (site / "ext").symlink_to(site.parent / "outside", target_is_directory=True)
    (site / "leak.md").symlink_to(site.parent / "secret.md")
    (site / "hop").symlink_to("ext/..", target_is_directory=True)
    (site / "a.md").write_text("[a](ext/key.md) [b](leak.md) [c](leak) [d](hop/secret.md)\n")
    reasons = lint(capsys, "a.md")
    expected = OUTSIDE.format(root=".")
    assert reasons == {url: expected for url in ("ext/key.md", "leak.md", "leak", "hop/secret.md")}


def test_an_absolute_symlink_target_out_of_the_site_is_not_followed(site, capsys):
    (site / "posts").mkdir()
    (site / "posts" / "b.md").symlink_to("/etc/passwd")
    (site / "posts" / "a.md").write_text("[b](b.md) [same](./b)\n")
    reasons = lint(capsys, "posts/a.md")
    assert reasons == {"b.md": OUTSIDE.format(root="."), "./b": OUTSIDE.format(root=".")}


def test_symlinks_inside_the_site_are_followed(site, capsys):
    (site / "posts").mkdir()
    (site / "posts" / "b.md").write_text("B.\n")
    (site / "posts" / "index.md").write_text("Index.\n")
    (site / "alias").symlink_to("posts", target_is_directory=True)
    (site / "abs").symlink_to(site / "posts", target_is_directory=True)
    (site / "c.md").symlink_to("posts/b.md")
    (site / "a.md").write_text("[a](alias/b.md) [b](abs/b) [c](c.md) [d](alias/) [e](alias/x.md)\n")
    reasons = lint(capsys, "a.md")
    assert reasons == {"alias/x.md": "no such file: alias/x.md"}


def test_dot_segments_are_removed_as_a_browser_does(site, capsys):
    """`nope/../about.md` is `about.md` to a browser, whatever `nope` is."""
    (site / "about.md").write_text("About.\n")
    (site / "a.md").write_text("[a](nope/../about.md) [b](./x/./../about.md)\n")
    assert lint(capsys, "a.md") == {}


def test_article_beside_the_site_root_links_within_the_working_directory(site, capsys):
    """Hugo keeps articles in content/ and files in static/: the site root is static/, and
    relative links from content/ may reach the rest of the working directory, not beyond."""
    (site / "static").mkdir()
    (site / "static" / "logo.svg").write_text("<svg/>")
    (site / "content").mkdir()
    (site / "content" / "a.md").write_text("[a](../static/logo.svg) [b](../../secret.md)\n")
    reasons = lint(capsys, "--site-root", "static", "content/a.md")
    assert reasons == {"../../secret.md": OUTSIDE.format(root=".")}


def test_article_outside_the_working_directory_links_within_its_own_folder(site, capsys):
    other = site.parent / "outside"
    (other / "a.md").write_text("[a](key.md) [b](../secret.md)\n")
    reasons = lint(capsys, str(other / "a.md"))
    assert reasons == {"../secret.md": OUTSIDE.format(root=other.as_posix())}


def test_a_link_out_of_the_site_is_not_looked_for_even_where_it_would_fail(site, capsys):
    """A folder outside that cannot be read would make a look-up `unreachable`."""
    with locked(site.parent / "outside"):
        (site / "a.md").write_text("[a](../outside/key.md)\n")
        reasons = lint(capsys, "a.md")
    assert reasons == {"../outside/key.md": OUTSIDE.format(root=".")}


@pytest.mark.parametrize("value", ["..", "/", "www"])
def test_config_site_root_outside_the_config_directory_is_refused(site, capsys, value):
    (site / "www").symlink_to("/", target_is_directory=True)
    (site / ".adlint.yaml").write_text(f"links:\n  check: true\n  site_root: {value}\n")
    (site / "a.md").write_text("[a](/etc/passwd)\n")
    assert main(["check", "a.md"]) == 2
    err = capsys.readouterr().err
    assert err.startswith('adlint: error: .adlint.yaml:3: key "links.site_root": must be inside')
    assert "use --site-root" in err


def test_site_root_flag_may_point_anywhere(site, capsys):
    (site.parent / "outside" / "b.md").write_text("B.\n")
    (site / "a.md").write_text("[b](/b.md) [c](/key.md) [d](/gone.md)\n")
    reasons = lint(capsys, "--site-root", "../outside", "a.md")
    gone = (site.parent / "outside" / "gone.md").as_posix()  # shown whole: not under the cwd
    assert reasons == {"/gone.md": f"no such file: {gone}"}
