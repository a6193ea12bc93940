"""Link checking inside a real `adlint check` run, against a loopback server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adlint.cli import main
from tests.links.conftest import redirect, status

FLAGS = [
    "--check-links",
    "--allow-private",
    "--no-progress",
    "--link-retries",
    "1",
    "--link-timeout",
    "3",
    "--format",
    "json",
    "--no-config",
]


def check(capsys, *argv: str) -> tuple[int, list[dict]]:
    code = main(["check", *argv])
    return code, json.loads(capsys.readouterr().out)["findings"]


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path


def test_each_url_is_checked_once_and_reported_where_it_is_used(site, server, capsys):
    dead = server.route("/dead", status(404))
    alive = server.url("/alive")
    (site / "a.md").write_text(f"Intro [one]({dead}) and [two]({dead}).\n\n[ok]({alive})\n")
    (site / "b.md").write_text(f'# B\n\nSee <a href="{dead}">this</a>.\n')
    code, findings = check(capsys, *FLAGS, "--no-cache", "a.md", "b.md")
    broken = [(f["path"], f["line"], f["column"]) for f in findings if f["rule"] == "broken-link"]
    assert code == 1
    assert broken == [("a.md", 1, 13), ("a.md", 1, 13 + len(dead) + 12), ("b.md", 3, 14)]
    assert server.count("/dead") == 2  # HEAD, then one GET to confirm: once for three uses
    [first] = [f for f in findings if f["rule"] == "broken-link"][:1]
    assert first["data"]["status"] == 404 and first["data"]["verdict"] == "broken"


def test_cloaked_affiliate_redirect_is_revealed(site, server, other_server, capsys):
    target = other_server.url("/c/123456/789/1011")
    cloaked = server.route("/go/deal", redirect(target, 302))
    (site / "post.md").write_text(f"We earn commissions.\n\n[deal]({cloaked})\n")
    _, findings = check(capsys, *FLAGS, "--no-cache", "post.md")
    [hop] = [f for f in findings if f["rule"] == "link-redirect"]
    assert (hop["line"], hop["column"]) == (3, 8)
    assert "cloaked Impact affiliate link, affiliate ID 123456" in hop["message"]
    assert hop["data"]["final_url"] == target


def test_private_addresses_are_refused_without_allow_private(site, server, capsys):
    (site / "post.md").write_text(f"[x]({server.url('/anything')})\n")
    argv = [f for f in FLAGS if f != "--allow-private"]
    _, findings = check(capsys, *argv, "--no-cache", "post.md")
    [refused] = [f for f in findings if f["rule"] == "link-unreachable"]
    assert "127.0.0.1" in refused["message"] and server.count() == 0


def test_local_links_are_checked_on_disk(site, capsys):
    (site / "img").mkdir()
    (site / "img" / "x.png").write_bytes(b"png")
    (site / "other.md").write_text("# Other\n")
    (site / "post.md").write_text(
        "[ok](./other.md) [gone](./missing.md) ![i](/img/x.png) ![j](/img/nope.png)\n"
        "[top](#top) [mail](mailto:a@b.example) [tel](tel:123) ![d](data:image/png;base64,AA)\n"
    )
    _, findings = check(capsys, *FLAGS, "--site-root", str(site), "post.md")
    broken = [
        (f["line"], f["column"], f["data"]["reason"])
        for f in findings
        if f["rule"] == "broken-link"
    ]
    assert broken == [(1, 25, "no such file: missing.md"), (1, 61, "no such file: img/nope.png")]


def test_cached_verdicts_make_no_requests_the_second_time(site, server, capsys):
    dead = server.route("/dead", status(404))
    (site / "post.md").write_text(f"[x]({dead})\n")
    _, first = check(capsys, *FLAGS, "post.md")
    hits = server.count()
    _, second = check(capsys, *FLAGS, "post.md")

    def summary(findings: list[dict]) -> list[tuple]:
        return [(f["rule"], f["line"], f["column"], f["message"]) for f in findings]

    assert server.count() == hits and summary(first) == summary(second)
    assert [f["data"]["attempts"] for f in second if f["rule"] == "broken-link"] == [0]


def test_transient_failures_are_checked_again(site, server, capsys):
    flaky = server.route("/flaky", status(503))
    (site / "post.md").write_text(f"[x]({flaky})\n")
    _, first = check(capsys, *FLAGS, "post.md")
    hits = server.count()
    check(capsys, *FLAGS, "post.md")
    assert [f["rule"] for f in first if f["rule"].startswith("link")] == ["link-unreachable"]
    assert server.count() > hits


def test_excluded_urls_and_unchecked_runs_make_no_requests(site, server, capsys):
    (site / "post.md").write_text(f"[x]({server.url('/skip/me')})\n")
    check(capsys, *FLAGS, "--no-cache", "--exclude", "/skip/", "post.md")
    check(capsys, "--format", "json", "--no-config", "post.md")
    assert server.count() == 0


def test_links_config_turns_checking_on_and_bad_values_exit_2(site, server, capsys):
    dead = server.route("/dead", status(410))
    (site / "post.md").write_text(f"[x]({dead})\n")
    (site / ".adlint.yaml").write_text(
        "links: {check: true, allow_private: true, retries: 0, cache: false}\n"
    )
    code, findings = check(capsys, "--format", "json", "--no-progress", "post.md")
    assert code == 1 and [f["rule"] for f in findings if f["rule"] == "broken-link"]
    (site / ".adlint.yaml").write_text("links:\n  check: true\n  retries: many\n")
    assert main(["check", "post.md"]) == 2
    assert '.adlint.yaml:3: key "links.retries"' in capsys.readouterr().err
