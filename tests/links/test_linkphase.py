"""`adlint check --check-links` end to end: real articles, a real HTTP server on 127.0.0.x.

Every test runs the CLI (`adlint.cli.main`) against the loopback server of conftest.py and
reads the JSON output; the server counts what was asked of it. Nothing leaves the machine.
Ephemeral ports have five digits, so columns after a URL on the same line are fixed too.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import zlib
from pathlib import Path

import pytest

from adlint.cli import main
from adlint.resultcache import FILE_NAME
from tests.locking import locked

from .conftest import Exchange, LocalServer, redirect, status

LINK_RULES = "broken-link,link-unreachable,link-redirect,javascript-link"
QUICK = ["--no-progress", "--link-retries", "1", "--link-timeout", "2"]
LINKS = ["--check-links", "--allow-private", "--no-cache", *QUICK]


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty site as the working directory, with no user cache to fall back on."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    return tmp_path


def lint(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[dict]]:
    """Run `adlint check` with JSON output; the exit code and the findings."""
    code = main(["check", "-j", "1", "--format", "json", "--select", LINK_RULES, *argv])
    captured = capsys.readouterr()
    assert code in (0, 1), captured.err
    return code, json.loads(captured.out)["findings"]


def where(findings: list[dict]) -> list[tuple[str, str, int, int]]:
    return [(f["rule"], f["path"], f["line"], f["column"]) for f in findings]


def broken_at(text: str, path: str, written: str) -> tuple[str, str, int, int]:
    """The broken-link finding `where` expects at the first place `written` is in `text`."""
    offset = text.index(written)
    line_start = text.rfind("\n", 0, offset) + 1
    return ("broken-link", path, text.count("\n", 0, offset) + 1, offset - line_start + 1)


# --- collect once, report everywhere ---


def test_url_in_two_files_is_checked_once_and_reported_at_each_use(
    site: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = server.route("/gone", status(404))
    (site / "a.md").write_text(f"See [x]({url}).\n\n- [again]({url}#part)\n")
    (site / "b.html").write_text(f'<p>Old <a href="{url}">deal</a></p>\n')
    code, findings = lint(capsys, *LINKS, "a.md", "b.html")
    assert code == 1
    assert where(findings) == [
        ("broken-link", "a.md", 1, 9),
        ("broken-link", "a.md", 3, 11),
        ("broken-link", "b.html", 1, 17),
    ]
    assert [f["data"]["url"] for f in findings] == [url, f"{url}#part", url]
    # One check: HEAD answered 404, one GET confirmed it.
    assert (server.count("/gone", "HEAD"), server.count("/gone", "GET")) == (1, 1)


def test_spellings_of_one_url_are_checked_once(
    site: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    upper = server.url("/page").replace("http://", "HTTP://")
    (site / "a.md").write_text(f"[a]({server.url('/page')}) [b]({upper}) [c](<{upper}#top>)\n")
    (site / "b.md").write_text(f"[d]({server.url('/page')}#other)\n")
    code, findings = lint(capsys, *LINKS, "a.md", "b.md")
    assert (code, findings) == (0, [])
    assert server.count() == 1


def test_bare_autolink_and_reference_definition_are_reported_at_their_urls(
    site: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = server.route("/gone", status(404))
    (site / "a.md").write_text(f"Bare {url} here.\nAngle <{url}>.\nRef [x][r].\n\n[r]: {url}\n")
    _, findings = lint(capsys, *LINKS, "a.md")
    assert where(findings) == [
        ("broken-link", "a.md", 1, 6),
        ("broken-link", "a.md", 2, 8),
        ("broken-link", "a.md", 5, 6),
    ]
    assert server.count("/gone", "HEAD") == 1


def test_broken_srcset_candidates_are_reported_each_at_its_own_column(
    site: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    ok = server.route("/ok.png", status(200))
    gone = server.route("/gone.png", status(404))
    removed = server.route("/removed.webp", status(410))
    text = (
        "---\ntitle: Gear\n---\n\nOur pick:\n\n<picture>\n"
        f'  <source srcset="{ok} 1x, {removed} 2x" type="image/webp">\n'
        f'  <img src="{ok}" srcset="{ok} 1x,{gone} 2x" alt="camera">\n'
        "</picture>\n"
    )
    (site / "a.md").write_text(text)
    code, findings = lint(capsys, *LINKS, "a.md")
    assert code == 1

    assert where(findings) == [broken_at(text, "a.md", url + " ") for url in (removed, gone)]
    assert [f["data"]["url"] for f in findings] == [removed, gone]
    assert [f["data"]["tag"] for f in findings] == ["source", "img"]
    # Each URL is requested once, however often the article names it.
    assert (server.count("/ok.png"), server.count("/gone.png", "HEAD")) == (1, 1)


def test_video_poster_and_lazy_src_are_checked_each_at_its_own_column(
    site: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    clip = server.route("/clip.mp4", status(200))
    poster = server.route("/poster.jpg", status(404))
    lazy = server.route("/lazy.png", status(404))
    same = server.route("/same.png", status(404))
    placeholder = "data:image/gif;base64,R0lGODlhAQABAAAAACw="
    text = (
        "---\ntitle: Clips\n---\n\nWatch:\n\n"
        f'<video src="{clip}" poster="{poster}"></video>\n'
        f'<img src="{placeholder}" data-src="{lazy}" alt="lazy">\n'
        f'<img src="{same}" data-src="{same}" alt="twice">\n'
    )
    (site / "a.md").write_text(text)
    code, findings = lint(capsys, *LINKS, "a.md")
    assert code == 1

    # The poster is broken at its column, the lazy URL at data-src's, a URL in src and
    # data-src once (at src); the video's working src and the data: placeholder are silent.
    assert where(findings) == [broken_at(text, "a.md", url) for url in (poster, lazy, same)]
    assert [f["data"]["url"] for f in findings] == [poster, lazy, same]
    assert server.count("/clip.mp4", "HEAD") == 1
    assert (server.count("/same.png", "HEAD"), server.count("/same.png", "GET")) == (1, 1)


def test_page_links_image_maps_tracks_and_objects_are_checked_but_not_preconnects(
    site: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """What lychee extracts from a page's head and body, the default link rules check too;
    a preconnect or dns-prefetch names a host, not a page, and a pingback answers POST."""
    broken = {
        name: server.route(f"/{name}", status(404))
        for name in ("canonical", "style.css", "area", "sub.vtt", "movie.swf")
    }
    skipped = {name: server.route(f"/{name}", status(404)) for name in ("pre", "dns", "xmlrpc.php")}
    text = (
        "<html><head>\n"
        f'<link rel="canonical" href="{broken["canonical"]}">\n'
        f'<link rel="preconnect" href="{skipped["pre"]}">\n'
        f'<link rel="stylesheet" href="{broken["style.css"]}">\n'
        f'<link rel="DNS-Prefetch" href="{skipped["dns"]}">\n'
        f'<link rel="pingback" href="{skipped["xmlrpc.php"]}">\n'
        "</head><body><p>Map:</p>\n"
        f'<map name="m"><area shape="rect" href="{broken["area"]}" alt="x"></map>\n'
        f'<video src="{server.route("/ok.mp4", status(200))}">'
        f'<track src="{broken["sub.vtt"]}"></video>\n'
        f'<object data="{broken["movie.swf"]}"></object>\n'
        "</body></html>\n"
    )
    (site / "page.html").write_text(text)
    code, findings = lint(capsys, *LINKS, "page.html")
    assert code == 1

    assert where(findings) == [broken_at(text, "page.html", url) for url in broken.values()]
    assert all(server.count(f"/{name}") == 0 for name in skipped)


def test_suppressed_link_finding_is_kept_with_its_reason(
    site: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = server.route("/gone", status(404))
    directive = "<!-- adlint-disable-next-line broken-link -- archived page -->"
    (site / "a.md").write_text(f"{directive}\n[x]({url})\n")
    code, [finding] = lint(capsys, *LINKS, "a.md")
    assert code == 0
    assert where([finding]) == [("broken-link", "a.md", 2, 5)]
    assert finding["suppressed"] == "archived page"


# --- verdicts ---


def test_404_and_410_are_broken_link_errors(
    site: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = server.route("/missing", status(404))
    removed = server.route("/removed", status(410))
    (site / "a.md").write_text(f"[a]({missing})\n[b]({removed})\n")
    code, findings = lint(capsys, *LINKS, "a.md")
    assert code == 1
    assert where(findings) == [("broken-link", "a.md", 1, 5), ("broken-link", "a.md", 2, 5)]
    assert [f["severity"] for f in findings] == ["error", "error"]
    assert [f["message"] for f in findings] == [
        f"Broken link: {missing} (404 Not Found)",
        f"Broken link: {removed} (410 Gone)",
    ]


def test_redirect_loop_is_a_broken_link(
    site: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.route("/loop-b", redirect("/loop-a", 302))
    url = server.route("/loop-a", redirect("/loop-b"))
    (site / "a.md").write_text(f"Loop: [x]({url})\n")
    _, findings = lint(capsys, *LINKS, "a.md")
    [finding] = findings
    assert where(findings) == [("broken-link", "a.md", 1, 11)]
    assert finding["message"] == f"Broken link: {url} (redirect loop)"
    assert finding["data"]["chain"] == server.url("/loop-b")
    assert server.count() == 2


def test_500_after_retries_is_link_unreachable_with_the_reason(
    site: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = server.route("/error", status(500))
    (site / "a.md").write_text(f"[x]({url})\n")
    code, findings = lint(capsys, *LINKS, "a.md")
    [finding] = findings
    assert code == 0  # a warning does not fail the default --fail-on error
    assert where(findings) == [("link-unreachable", "a.md", 1, 5)]
    assert finding["severity"] == "warning"
    assert finding["message"] == (
        f"Could not verify link: {url} (500 Internal Server Error after 1 retry)"
    )
    assert (finding["data"]["verdict"], finding["data"]["status"]) == ("unreachable", 500)
    assert server.count("/error") == 3  # HEAD, the GET that confirms it, one retry


@pytest.mark.parametrize("source", ["flag", "config"])
def test_url_timeout_from_the_flag_or_the_config_gives_up_early(
    site: Path, server: LocalServer, capsys: pytest.CaptureFixture[str], source: str
) -> None:
    wait, limit = 3, 1.5
    url = server.route("/limited", status(429, {"Retry-After": str(wait)}))
    (site / "a.md").write_text(f"[x]({url})\n")
    flags = ["--url-timeout", str(limit)] if source == "flag" else []
    if source == "config":
        (site / ".adlint.yaml").write_text(f"links:\n  url_timeout: {limit}\n")
    code, findings = lint(capsys, *LINKS, *flags, "a.md")
    [finding] = findings
    assert code == 0 and where(findings) == [("link-unreachable", "a.md", 1, 5)]
    assert finding["data"]["verdict"] == "unreachable"
    assert finding["message"] == (
        f"Could not verify link: {url} (429 Too Many Requests; gave up: Retry-After {wait} s"
        f" would end past the {limit} s time limit per URL (1 attempt, 0 redirects))"
    )
    assert server.count("/limited") == 1  # the default 60 s would have waited and asked again


def test_private_address_without_allow_private_is_unreachable_and_never_contacted(
    site: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = server.url("/admin")
    (site / "a.md").write_text(f"Internal: [x]({url})\n")
    _, findings = lint(capsys, "--check-links", "--no-cache", *QUICK, "a.md")
    [finding] = findings
    assert where(findings) == [("link-unreachable", "a.md", 1, 15)]
    assert finding["data"]["verdict"] == "unsafe"
    assert "refused" in finding["data"]["reason"] and "loopback" in finding["data"]["reason"]
    assert server.count() == 0


def test_redirect_to_another_site_reveals_the_affiliate_network_and_id(
    site: Path,
    server: LocalServer,
    other_server: LocalServer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    final = other_server.url("/c/123456/789/1011")  # Impact's path shape matches on any host
    url = server.route("/go/deal", redirect(final, 302))
    (site / "a.md").write_text(f"Try the [deal]({url}).\n")
    code, findings = lint(capsys, *LINKS, "a.md")
    [finding] = findings
    assert code == 0
    assert where(findings) == [("link-redirect", "a.md", 1, 16)]
    assert finding["severity"] == "info"
    assert finding["message"] == (
        f"{url} redirects to another site: {final}"
        " (a cloaked Impact affiliate link, affiliate ID 123456)"
    )
    data = finding["data"]
    assert (data["network"], data["affiliate_id"]) == ("Impact", "123456")
    assert (data["final_url"], data["chain"], data["verdict"]) == (final, final, "redirected")
    assert (server.count("/go/deal"), other_server.count("/c/123456/789/1011")) == (1, 1)


def test_redirect_to_another_site_without_affiliate_reveals_nothing(
    site: Path,
    server: LocalServer,
    other_server: LocalServer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    final = other_server.url("/article")
    url = server.route("/moved", redirect(final))
    (site / "a.md").write_text(f"[x]({url})\n")
    _, [finding] = lint(capsys, *LINKS, "a.md")
    assert finding["message"] == f"{url} redirects to another site: {final}"
    assert "network" not in finding["data"] and finding["data"]["revealed"] == ""


def test_redirect_on_the_same_host_is_not_reported(
    site: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = server.route("/old", redirect("/new"))
    (site / "a.md").write_text(f"[x]({url})\n")
    assert lint(capsys, *LINKS, "a.md") == (0, [])
    assert server.count("/new") == 1


# --- local links ---


def test_relative_link_to_a_present_file_passes_and_a_missing_one_is_broken(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "other.md").write_text("Other.\n")
    (site / "a.md").write_text("[ok](./other.md) and [no](./gone.md)\n")
    _, findings = lint(capsys, *LINKS, "a.md")
    [finding] = findings
    assert where(findings) == [("broken-link", "a.md", 1, 27)]
    assert finding["message"] == "Broken link: ./gone.md (no such file: gone.md)"
    assert (finding["data"]["verdict"], finding["data"]["status"]) == ("broken", "")


def test_relative_link_with_a_name_too_long_is_broken_and_the_run_goes_on(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = "a" * 300 + ".md"  # over NAME_MAX (255): is_file() raises ENAMETOOLONG
    (site / "a.md").write_text(f"[x]({name})\n")
    (site / "b.md").write_text("[y](gone.md)\n")
    _, findings = lint(capsys, *LINKS, "a.md", "b.md")
    assert where(findings) == [("broken-link", "a.md", 1, 5), ("broken-link", "b.md", 1, 5)]
    assert findings[0]["data"]["reason"] == f"file name too long: {name}"


def test_relative_link_that_cannot_be_checked_is_unreachable(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = site / "locked"
    folder.mkdir()
    (folder / "b.md").write_text("B.\n")
    with locked(folder):
        (site / "a.md").write_text("[x](locked/b.md)\n")
        _, findings = lint(capsys, *LINKS, "a.md")
    assert where(findings) == [("link-unreachable", "a.md", 1, 5)]
    reason = "cannot check the file (Permission denied): locked/b.md"
    assert findings[0]["data"]["reason"] == reason


def test_relative_link_into_a_symlink_loop_is_broken(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "loop.md").symlink_to("loop.md")
    (site / "a.md").write_text("[x](loop.md)\n")
    _, findings = lint(capsys, *LINKS, "a.md")
    assert where(findings) == [("broken-link", "a.md", 1, 5)]
    assert findings[0]["data"]["reason"] == "symlink loop: loop.md"


def test_relative_link_resolves_from_the_article_directory(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "posts").mkdir()
    (site / "posts" / "a.md").write_text("[up](../about.md) [here](b.md)\n")
    (site / "posts" / "b.md").write_text("B.\n")
    (site / "about.md").write_text("About.\n")
    assert lint(capsys, *LINKS, "posts") == (0, [])


def test_absolute_path_resolves_against_site_root(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "public" / "img").mkdir(parents=True)
    (site / "public" / "img" / "x.png").write_bytes(b"\x89PNG")
    (site / "a.md").write_text("![x](/img/x.png)\n![y](/img/y.png)\n")
    _, findings = lint(capsys, *LINKS, "--site-root", "public", "a.md")
    [finding] = findings
    assert where(findings) == [("broken-link", "a.md", 2, 6)]
    assert finding["data"]["reason"] == "no such file: public/img/y.png"


def test_absolute_path_without_site_root_resolves_from_the_working_directory(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "img").mkdir()
    (site / "img" / "x.png").write_bytes(b"\x89PNG")
    (site / "a.md").write_text("![x](/img/x.png)\n")
    assert lint(capsys, *LINKS, "a.md") == (0, [])


def test_fragment_mailto_tel_and_data_links_are_skipped(
    site: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "a.md").write_text(
        "[top](#top) [mail](mailto:ed@example.com) [call](tel:+15551234)\n"
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="">\n'
    )
    assert lint(capsys, *LINKS, "a.md") == (0, [])
    assert server.count() == 0


def test_javascript_link_is_reported_with_and_without_check_links(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "a.md").write_text('Click <a href="javascript:void(0)">here</a>.\n')
    expected = [("javascript-link", "a.md", 1, 16)]
    _, findings = lint(capsys, *LINKS, "a.md")
    assert where(findings) == expected
    assert findings[0]["severity"] == "warning"
    _, findings = lint(capsys, "a.md")
    assert where(findings) == expected


# --- exclusions and configuration ---


def test_exclude_flag_skips_matching_urls_without_a_request(
    site: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    skipped = server.route("/private/x", status(404))
    checked = server.route("/public/x", status(404))
    (site / "a.md").write_text(f"[a]({skipped})\n[b]({checked})\n")
    _, findings = lint(capsys, *LINKS, "--exclude", "/private/", "a.md")
    assert where(findings) == [("broken-link", "a.md", 2, 5)]
    assert server.count("/private/x") == 0


def test_exclude_flag_skips_matching_local_links_too(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "a.md").write_text("[draft](./drafts/next.md) [gone](./gone.md)\n")
    _, findings = lint(capsys, *LINKS, "--exclude", "^\\./drafts/", "a.md")
    assert where(findings) == [("broken-link", "a.md", 1, 34)]


def test_exclude_in_config_skips_matching_urls_without_a_request(
    site: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    skipped = server.route("/private/x", status(404))
    (site / ".adlint.yaml").write_text("links:\n  exclude: ['/private/']\n")
    (site / "a.md").write_text(f"[a]({skipped})\n")
    assert lint(capsys, *LINKS, "a.md") == (0, [])
    assert server.count() == 0


def test_config_check_true_turns_checking_on_without_the_flag(
    site: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = server.route("/gone", status(404))
    settings = ["check: true", "cache: false", "retries: 0", "timeout: 2"]
    (site / ".adlint.yaml").write_text("links:\n" + "".join(f"  {s}\n" for s in settings))
    (site / "a.md").write_text(f"[a]({url})\n")
    argv = ["check", "-j", "1", "--format", "json", "--no-progress", "--allow-private", "a.md"]
    code = main(argv)  # --allow-private only lets the test reach its loopback server
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert code == 1
    assert [(f["rule"], f["line"], f["column"]) for f in findings] == [("broken-link", 1, 5)]
    assert server.count("/gone") == 2


def test_config_site_root_is_relative_to_the_config_file(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "static").mkdir()
    (site / "static" / "logo.svg").write_text("<svg/>")
    (site / ".adlint.yaml").write_text("links:\n  check: true\n  site_root: static\n")
    (site / "content").mkdir()
    (site / "content" / "a.md").write_text("![logo](/logo.svg) ![gone](/gone.svg)\n")
    _, findings = lint(capsys, "--no-cache", "--no-progress", "content/a.md")
    assert where(findings) == [("broken-link", "content/a.md", 1, 28)]


@pytest.mark.parametrize(
    ("setting", "line", "key", "reason"),
    [
        ("  retries: many\n", 3, "links.retries", "expected int"),
        ("  timeout: soon\n", 3, "links.timeout", "expected number"),
        ("  url_timeout: 0\n", 3, "links.url_timeout", "expected number of seconds above 0"),
        ("  exclude: '/x/'\n", 3, "links.exclude", "expected strings"),
        ("  cache_max_age: forever\n", 3, "links.cache_max_age", "not a duration"),
        ("  exclude: ['(']\n", 3, "links.exclude", "not a valid regex"),
        ("  retry: 2\n", 3, "links.retry", "unknown setting"),
        ("  allow_private: true\n", 3, "links.allow_private", "command line only"),
    ],
)
def test_bad_links_setting_exits_2_naming_file_line_and_key(
    site: Path,
    capsys: pytest.CaptureFixture[str],
    setting: str,
    line: int,
    key: str,
    reason: str,
) -> None:
    (site / ".adlint.yaml").write_text(f"links:\n  check: true\n{setting}")
    (site / "a.md").write_text("Text.\n")
    assert main(["check", "a.md"]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f'adlint: error: .adlint.yaml:{line}: key "{key}": '), error
    assert reason in error


def test_allow_private_in_config_is_refused_and_nothing_is_requested(
    site: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / ".adlint.yaml").write_text("links:\n  check: true\n  allow_private: true\n")
    (site / "a.md").write_text(f"[a]({server.url('/internal-admin')})\n")
    assert main(["check", "--no-cache", "a.md"]) == 2
    assert capsys.readouterr().err == (
        'adlint: error: .adlint.yaml:3: key "links.allow_private": allowed on the command line'
        " only (--allow-private): a config can come from a pull request, and this would let it"
        " turn off the link checker's guard against private and loopback addresses\n"
    )
    assert server.count() == 0


def test_bad_links_setting_is_an_error_even_when_checking_is_off(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / ".adlint.yaml").write_text("links:\n  retries: many\n")
    (site / "a.md").write_text("Text.\n")
    assert main(["check", "a.md"]) == 2
    assert '.adlint.yaml:2: key "links.retries": expected int' in capsys.readouterr().err


# --- the cache ---


def test_warm_cache_makes_no_requests_and_gives_the_same_findings(
    site: Path,
    server: LocalServer,
    other_server: LocalServer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    gone = server.route("/gone", status(404))
    moved = server.route("/go/x", redirect(other_server.url("/c/123456/789/1011")))
    (site / "a.md").write_text(f"[a]({gone})\n[b]({moved})\n[c]({server.url('/ok')})\n")
    cache = ["--check-links", "--allow-private", "--cache-path", "links.sqlite", *QUICK]
    _, cold = lint(capsys, *cache, "a.md")
    requests = (server.count(), other_server.count())
    _, warm = lint(capsys, *cache, "a.md")
    assert (server.count(), other_server.count()) == requests
    assert where(cold) == [("broken-link", "a.md", 1, 5), ("link-redirect", "a.md", 2, 5)]
    assert [f["message"] for f in warm] == [f["message"] for f in cold]
    assert (site / "links.sqlite").is_file()
    assert not (site / "xdg-cache").exists()


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="XDG_CACHE_HOME is for Linux")
def test_default_cache_lives_in_the_user_cache_directory(
    site: Path,
    server: LocalServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ADLINT_CACHE_DIR")  # tests/conftest.py sets it for every test
    (site / "a.md").write_text(f"[a]({server.url('/ok')})\n")
    cache = ["--check-links", "--allow-private", *QUICK]
    lint(capsys, *cache, "a.md")
    lint(capsys, *cache, "a.md")
    assert server.count() == 1
    assert (site / "xdg-cache" / "adlint" / "links.sqlite").is_file()
    assert (site / "xdg-cache" / "adlint" / "results-v1.sqlite").is_file()


def test_config_cache_path_is_relative_to_the_config_file(
    site: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / ".adlint.yaml").write_text("links:\n  cache_path: .cache/links.sqlite\n")
    (site / "content").mkdir()
    (site / "content" / "a.md").write_text(f"[a]({server.url('/ok')})\n")
    cache = ["--check-links", "--allow-private", *QUICK]
    lint(capsys, *cache, "content/a.md")
    lint(capsys, *cache, "content")
    assert server.count() == 1
    assert (site / ".cache" / "links.sqlite").is_file()


@pytest.mark.parametrize("where", ["../outside/deep/x.sqlite", "{tmp}/abs/x.sqlite"])
def test_config_cache_path_outside_the_config_directory_is_refused(
    site: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    (site / "project").mkdir()
    value = where.format(tmp=site)
    (site / "project" / ".adlint.yaml").write_text(
        f"links:\n  check: true\n  cache_path: {value}\n"
    )
    (site / "project" / "a.md").write_text("[a](other.md)\n")  # no request, even on failure
    assert main(["check", "--allow-private", "project/a.md"]) == 2
    err = capsys.readouterr().err
    assert err.startswith('adlint: error: project/.adlint.yaml:3: key "links.cache_path": must be')
    assert "use --cache-path or --cache-dir" in err
    assert not (site / "outside").exists() and not (site / "abs").exists()


def test_cache_path_flag_may_point_anywhere(
    site: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "project").mkdir()
    (site / "project" / "a.md").write_text(f"[a]({server.url('/ok')})\n")
    lint(capsys, "--check-links", "--allow-private", *QUICK, "--cache-path", "elsewhere/c.sqlite",
         "project/a.md")  # fmt: skip
    assert (site / "elsewhere" / "c.sqlite").is_file()


def test_transient_failures_are_checked_again_on_a_warm_run(
    site: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = server.route("/down", status(503))
    (site / "a.md").write_text(f"[a]({url})\n")
    cache = ["--check-links", "--allow-private", "--cache-path", "links.sqlite", *QUICK]
    _, cold = lint(capsys, *cache, "--link-retries", "0", "a.md")
    _, warm = lint(capsys, *cache, "--link-retries", "0", "a.md")
    assert where(cold) == where(warm) == [("link-unreachable", "a.md", 1, 5)]
    assert server.count("/down") == 4  # HEAD and GET, on each run


def test_no_cache_neither_reads_nor_writes_the_cache(
    site: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "a.md").write_text(f"[a]({server.url('/ok')})\n")
    cache = ["--check-links", "--allow-private", "--cache-path", "links.sqlite", *QUICK]
    lint(capsys, *cache, "a.md")
    lint(capsys, *cache, "--no-cache", "a.md")
    assert server.count() == 2


# --- off by default; the output ---


def test_without_check_links_no_request_is_made_and_reachable_rules_are_silent(
    site: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "other.md").write_text("Other.\n")
    gone = server.route("/gone", status(404))
    (site / "a.md").write_text(f"[a]({gone}) [b](./missing.md) [c]({server.url('/ok')})\n")
    assert lint(capsys, "a.md") == (0, [])
    assert lint(capsys, "--allow-private", "--no-cache", "a.md") == (0, [])
    assert server.count() == 0


def test_json_link_finding_carries_url_status_reason_verdict_and_final_url(
    site: Path,
    server: LocalServer,
    other_server: LocalServer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    gone = server.route("/gone", status(404))
    final = other_server.url("/landing")
    moved = server.route("/r", redirect(final, 307))
    (site / "a.md").write_text(f"[a]({gone})\n[b]({moved})\n")
    _, [broken, redirected] = lint(capsys, *LINKS, "a.md")
    assert broken["rule"] == "broken-link"
    assert {k: broken["data"][k] for k in ("url", "status", "reason", "verdict")} == {
        "url": gone,
        "status": 404,
        "reason": "404 Not Found",
        "verdict": "broken",
    }
    assert (broken["end_line"], broken["end_column"]) == (1, 5 + len(gone))
    assert redirected["rule"] == "link-redirect"
    assert {
        k: redirected["data"][k] for k in ("url", "status", "reason", "verdict", "final_url")
    } == {
        "url": moved,
        "status": 200,
        "reason": "200 OK at 127.0.0.2",
        "verdict": "redirected",
        "final_url": final,
    }


# --- the result cache in link runs ---


def test_warm_link_run_sends_nothing_and_writes_the_same_sarif(
    site: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    gone = server.route("/gone", status(404))
    moved = server.route("/go/x", redirect(server.url("/ok")))
    (site / "a.md").write_text(f"Pick 👍 [a]({gone})\n\n[b]({moved}) [c]({server.url('/ok')})\n")
    (site / "b.md").write_text(f"All fine: [c]({server.url('/ok')})\n")
    argv = ["check", "-j", "1", "--format", "sarif", "--check-links", "--allow-private", *QUICK]
    assert main([*argv, "a.md", "b.md"]) == 1
    cold = capsys.readouterr().out
    requests = server.count()
    assert main([*argv, "a.md", "b.md"]) == 1
    warm = capsys.readouterr().out
    assert server.count() == requests
    assert warm == cold
    [broken] = [r for r in json.loads(cold)["runs"][0]["results"] if r["ruleId"] == "broken-link"]
    region = broken["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (1, 13)  # 👍 counts two in UTF-16


def test_cached_link_findings_follow_new_verdicts(
    site: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = server.route("/flip", status(404))
    (site / "a.md").write_text(f"[a]({url})\n")
    argv = ["--check-links", "--allow-private", *QUICK, "a.md"]
    assert where(lint(capsys, *argv)[1]) == [("broken-link", "a.md", 1, 5)]
    assert where(lint(capsys, *argv)[1]) == [("broken-link", "a.md", 1, 5)]  # cached verdict
    server.route("/flip", status(410))
    [finding] = lint(capsys, *argv, "--cache-max-age", "0")[1]
    assert "410 Gone" in finding["message"] and "404" not in finding["message"]
    server.route("/flip", status(200))
    assert lint(capsys, *argv, "--cache-max-age", "0")[1] == []


def test_a_file_saved_during_the_link_check_does_not_poison_the_cache(
    site: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """The editor saves the article while its link is being checked: the link findings
    come from the new text, so they must not be cached under the key of the text the lint
    pass read. Back to that text, a warm run must report the link where it is there."""
    article = site / "a.md"
    original = "[a](URL)\n"

    async def save_then_404(exchange: Exchange) -> None:
        article.write_text("Moved on: " + original.replace("URL", gone))
        await exchange.send(404)

    gone = server.route("/gone", save_then_404)
    article.write_text(original.replace("URL", gone))
    argv = ["--check-links", "--allow-private", *QUICK, "--cache-dir", "c", "a.md"]
    # judged from what is on disk by then: the URL after "Moved on: [a](" (14 characters)
    assert where(lint(capsys, *argv)[1]) == [("broken-link", "a.md", 1, 15)]
    article.write_text(original.replace("URL", gone))
    server.route("/gone", status(404))
    assert where(lint(capsys, *argv)[1]) == [("broken-link", "a.md", 1, 5)]
    assert where(lint(capsys, *argv)[1]) == [("broken-link", "a.md", 1, 5)]  # now cached


def test_local_links_are_judged_on_disk_every_run(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "a.md").write_text("See [the guide](./guide.md).\n")
    argv = ["--check-links", *QUICK, "a.md"]
    assert where(lint(capsys, *argv)[1]) == [("broken-link", "a.md", 1, 17)]
    (site / "guide.md").write_text("# Guide\n")
    assert lint(capsys, *argv)[1] == []


def test_damaged_cached_link_findings_are_made_again(
    site: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    gone = server.route("/gone", status(404))
    (site / "a.md").write_text(f"[a]({gone})\n")
    argv = ["--check-links", "--allow-private", *QUICK, "--cache-dir", "c", "a.md"]
    cold = lint(capsys, *argv)[1]
    damaged = 0
    with sqlite3.connect(site / "c" / FILE_NAME) as db:
        for key, blob in db.execute("SELECT key, value FROM results").fetchall():
            if len(json.loads(zlib.decompress(blob))) == 2:  # [findings, columns]: links
                bad = zlib.compress(json.dumps([[["x", 1]], [["y"]]]).encode())
                db.execute("UPDATE results SET value = ? WHERE key = ?", (bad, key))
                damaged += 1
    assert damaged == 1
    assert lint(capsys, *argv)[1] == cold


def test_a_link_rule_whose_pattern_runs_out_of_time_still_has_its_links_checked(
    site: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only this rule selects the <script>, and its selector runs out of time on the long
    URL while the lint pass collects links. The URL must still be checked; it is broken,
    so the file is judged, and the rule, timing out again, says it gave up."""
    (site / "policy.yaml").write_text(
        "rules:\n  slow-link:\n    kind: reachable\n    severity: warning\n"
        "    message: 'slow {url}'\n    select: {tag: script, url: '.*.*.*.*=.*.*.*.*X'}\n"
        "    verdicts: [broken]\n"
    )
    path = "/gone?" + "a=" * 3000
    url = server.route(path, status(404))
    (site / "a.html").write_text(f'<p>x</p>\n<script src="{url}"></script>\n')
    code, findings = lint(
        capsys, *LINKS, "--policy", "policy.yaml", "--select", "slow-link", "a.html"
    )
    assert code == 0  # a warning
    [gave_up] = findings
    assert (gave_up["rule"], gave_up["path"]) == ("slow-link", "a.html")
    assert "slow-link gave up on this file" in gave_up["message"]
    assert server.count(path) >= 1  # checked, though no rule could say it selects it
