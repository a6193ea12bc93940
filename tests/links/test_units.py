"""Pure helpers: URL normalisation, Retry-After, accepted codes, error mapping, progress."""

from __future__ import annotations

import io
import socket

import pytest

from adlint.links import LinkStatus, normalise_url, parse_accept
from adlint.links.checker import blame_resolver
from adlint.links.guard import DnsFailure
from adlint.links.progress import Progress
from adlint.links.request import classify_error, parse_retry_after


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://Example.COM:80/a#frag", "http://example.com/a"),
        ("https://example.com:443", "https://example.com/"),
        ("//cdn.example.com/x.js", "https://cdn.example.com/x.js"),
        ("  https://example.com/p?q=1  ", "https://example.com/p?q=1"),
        ("http://[::1]:8080/p#f", "http://[::1]:8080/p"),
        ("https://example.com:8443/", "https://example.com:8443/"),
        ("mailto:ads@example.com", None),
        ("tel:+1555", None),
        ("javascript:void(0)", None),
        ("data:text/plain,hi", None),
        ("ftp://example.com/", None),
        ("/relative/path", None),
    ],
)
def test_normalise_url(url: str, expected: str | None) -> None:
    assert normalise_url(url) == expected


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    assert parse_retry_after("120") == 120.0
    now = 1_700_000_000.0  # 2023-11-14 22:13:20 GMT
    assert parse_retry_after("Tue, 14 Nov 2023 22:13:50 GMT", now=now) == 30.0
    assert parse_retry_after("Tue, 14 Nov 2023 22:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_parse_accept_reads_lychee_ranges() -> None:
    assert parse_accept("200..=204, 429") == frozenset({200, 201, 202, 203, 204, 429})
    assert parse_accept("200..202") == frozenset({200, 201})
    assert parse_accept("200-201,403") == frozenset({200, 201, 403})
    with pytest.raises(ValueError, match="not a status code"):
        parse_accept("2xx")


def test_missing_host_is_broken_but_a_flaky_resolver_is_transient() -> None:
    gone = DnsFailure("DNS lookup failed: Name or service not known", definitive=True)
    flaky = DnsFailure("DNS lookup failed: Temporary failure", definitive=False)
    assert (classify_error(gone).verdict, classify_error(gone).retryable) == ("broken", False)
    assert (classify_error(flaky).verdict, classify_error(flaky).retryable) == ("unreachable", True)


def test_dns_error_numbers_decide_definitiveness() -> None:
    from adlint.links.guard import _DEFINITIVE_DNS

    assert socket.EAI_NONAME in _DEFINITIVE_DNS and socket.EAI_AGAIN not in _DEFINITIVE_DNS


def status_of(verdict: str) -> LinkStatus:
    return LinkStatus("https://example.com/", verdict, None, "")


def test_progress_redraws_one_line_on_a_tty() -> None:
    stream = io.StringIO()
    bar = Progress(3, enabled=True, stream=stream, interval=0)
    for verdict in ("ok", "broken", "ok"):
        bar.advance(status_of(verdict))
    bar.close()
    text = stream.getvalue()
    assert text.count("\n") == 1 and text.startswith("\rlinks: 1/3 checked, 0 failed")
    assert text.endswith("\rlinks: 3/3 checked, 1 failed\n")


def test_progress_is_silent_when_not_a_tty() -> None:
    stream = io.StringIO()  # isatty() is False
    bar = Progress(2, stream=stream)
    bar.advance(status_of("broken"))
    bar.close()
    assert stream.getvalue() == ""


def dns_broken(url: str) -> LinkStatus:
    return LinkStatus(url, "broken", None, "DNS lookup failed: Name or service not known", url)


def test_when_no_host_name_resolves_the_resolver_is_blamed_not_the_links() -> None:
    statuses = [dns_broken(f"https://{name}.example/x") for name in ("a", "b", "c")]
    statuses.append(LinkStatus("https://127.0.0.1/gone", "broken", 404, "404 Not Found"))
    missing = {"a.example", "b.example", "c.example"}
    with pytest.warns(UserWarning, match="none of the 3 host names checked resolved"):
        judged = blame_resolver(statuses, set(), missing)
    assert [s.verdict for s in judged] == ["unreachable"] * 3 + ["broken"]
    assert judged[0].reason == (
        "DNS lookup failed: Name or service not known;"
        " no host name resolved in this run (is DNS working?)"
    )


@pytest.mark.parametrize(
    ("found", "missing"),
    [
        ({"shop.example"}, {"a.example", "b.example", "c.example"}),
        (set(), {"a.example", "b.example"}),
    ],
)
def test_missing_hosts_stay_broken_when_dns_evidently_works(found, missing) -> None:
    statuses = [dns_broken(f"https://{name}/x") for name in sorted(missing)]
    assert blame_resolver(statuses, found, missing) == statuses
