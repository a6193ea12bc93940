"""The SQLite cache: warm runs make no requests; transient failures are always re-checked."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from adlint.links import LinkOptions, check_urls
from adlint.links.cache import open_cache
from adlint.links.options import LinkStatus

from .conftest import LocalServer, redirect, status


def test_warm_cache_makes_no_requests(server: LocalServer, options: LinkOptions) -> None:
    cached = replace(options, use_cache=True)
    urls = [
        server.url("/ok"),
        server.route("/gone", status(404)),
        server.route("/r", redirect("/ok")),
    ]
    cold = check_urls(urls, cached, progress=False)
    requests = server.count()
    warm = check_urls(urls, cached, progress=False)
    assert server.count() == requests
    assert all(s.cached for s in warm.values()) and not any(s.cached for s in cold.values())
    # attempts are those of the check that reached the verdict: outputs do not change
    assert [cold[u].attempts for u in urls] == [1, 2, 2]  # 404: HEAD, then GET to confirm
    assert {u: (s.verdict, s.status, s.chain, s.attempts) for u, s in warm.items()} == {
        u: (s.verdict, s.status, s.chain, s.attempts) for u, s in cold.items()
    }


def test_transient_failures_are_not_cached(server: LocalServer, options: LinkOptions) -> None:
    cached = replace(options, use_cache=True, retries=0)
    url = server.route("/down", status(503))
    check_urls([url], cached, progress=False)
    [again] = check_urls([url], cached, progress=False).values()
    assert again.verdict == "unreachable" and not again.cached
    assert server.count("/down") == 4  # HEAD + GET, twice


def test_unsafe_verdicts_are_not_cached(server: LocalServer, options: LinkOptions) -> None:
    guarded = replace(options, use_cache=True, allow_private=False)
    check_urls([server.url("/x")], guarded, progress=False)
    [allowed] = check_urls([server.url("/x")], replace(guarded, allow_private=True)).values()
    assert allowed.verdict == "ok" and not allowed.cached


def test_expired_entries_are_checked_again(server: LocalServer, options: LinkOptions) -> None:
    cached = replace(options, use_cache=True)
    check_urls([server.url("/ok")], cached, progress=False)
    [again] = check_urls([server.url("/ok")], replace(cached, cache_max_age=0)).values()
    assert not again.cached and server.count("/ok") == 2


def test_max_age_zero_reuses_nothing_stored_in_the_same_tick(options: LinkOptions) -> None:
    """`--cache-max-age 0` means check again: a verdict stamped at the very instant of the
    lookup (or after it, when the clock stepped back) passed `checked_at >= now - 0`."""
    cache = open_cache(replace(options, use_cache=True))
    assert cache is not None
    gone = LinkStatus("https://gone.example/", "broken", 404, "404 Not Found")
    cache.store([gone], now=1_000.0)
    assert cache.load([gone.url], 0, now=1_000.0) == {}
    assert cache.load([gone.url], 0, now=999.0) == {}
    assert cache.load([gone.url], 1, now=1_000.0)[gone.url].verdict == "broken"


def test_use_cache_false_neither_reads_nor_writes(
    server: LocalServer, options: LinkOptions, tmp_path: Path
) -> None:
    path = tmp_path / "off.sqlite"
    off = replace(options, use_cache=False, cache_path=path)
    check_urls([server.url("/ok")], off, progress=False)
    assert not path.exists()
    check_urls([server.url("/ok")], replace(off, use_cache=True), progress=False)
    [again] = check_urls([server.url("/ok")], off, progress=False).values()
    assert not again.cached and server.count("/ok") == 3


def test_changed_accept_codes_do_not_reuse_verdicts(
    server: LocalServer, options: LinkOptions
) -> None:
    cached = replace(options, use_cache=True)
    url = server.route("/teapot", status(418))
    check_urls([url], cached, progress=False)
    [result] = check_urls([url], replace(cached, accept=frozenset({418}))).values()
    assert result.verdict == "ok" and not result.cached


def test_unusable_cache_file_only_warns(
    server: LocalServer, options: LinkOptions, tmp_path: Path
) -> None:
    bad = tmp_path / "not-a-db.sqlite"
    bad.write_bytes(b"this is not sqlite" * 100)
    cached = replace(options, use_cache=True, cache_path=bad)

    with pytest.warns(UserWarning, match="link cache"):
        [result] = check_urls([server.url("/ok")], cached, progress=False).values()
    assert result.verdict == "ok"


def test_cache_rows_hold_the_normalised_url(server: LocalServer, options: LinkOptions) -> None:
    cached = replace(options, use_cache=True)
    check_urls([server.url("/ok#frag")], cached, progress=False)
    with sqlite3.connect(options.cache_path) as db:
        assert [row[0] for row in db.execute("SELECT url FROM verdicts")] == [server.url("/ok")]
