"""Verdicts, retries, redirects and limits against a real server on 127.0.0.1."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from adlint.links import LinkOptions, check_urls, normalise_url

from .conftest import Exchange, LocalServer, delayed, redirect, sequence, status


def check_one(url: str, options: LinkOptions):
    [result] = check_urls([url], options, progress=False).values()
    return result


def test_200_is_ok_after_one_head(server: LocalServer, options: LinkOptions) -> None:
    result = check_one(server.url("/page"), options)
    assert (result.verdict, result.status, result.reason) == ("ok", 200, "200 OK")
    assert result.attempts == 1 and server.count("/page", "HEAD") == 1


def test_404_is_broken_after_get_confirms_it(server: LocalServer, options: LinkOptions) -> None:
    url = server.route("/gone", status(404))
    result = check_one(url, options)
    assert (result.verdict, result.status, result.reason) == ("broken", 404, "404 Not Found")
    assert [h.method for h in server.hits] == ["HEAD", "GET"]


def test_410_is_broken(server: LocalServer, options: LinkOptions) -> None:
    result = check_one(server.route("/removed", status(410)), options)
    assert (result.verdict, result.status) == ("broken", 410)


def test_500_is_retried_then_unreachable(server: LocalServer, options: LinkOptions) -> None:
    url = server.route("/error", status(500))
    result = check_one(url, replace(options, retries=2))
    assert result.verdict == "unreachable" and result.status == 500
    assert result.reason == "500 Internal Server Error after 2 retries"
    # HEAD, the GET that confirms it, then two retries of the GET.
    assert result.attempts == 4 == server.count("/error")


def test_500_then_200_is_ok(server: LocalServer, options: LinkOptions) -> None:
    url = server.route("/flaky", sequence(status(500), status(500), status(200)))
    result = check_one(url, options)
    assert (result.verdict, result.attempts) == ("ok", 3)


def test_redirect_chain_is_recorded(server: LocalServer, options: LinkOptions) -> None:
    server.route("/b", redirect("/c", 302))
    server.route("/c", redirect(server.url("/final"), 307))
    result = check_one(server.route("/a", redirect("/b")), options)
    assert result.verdict == "ok" and result.status == 200
    assert result.chain == (server.url("/b"), server.url("/c"), server.url("/final"))
    assert result.final_url == server.url("/final") and result.attempts == 4


def test_redirect_to_another_domain_is_redirected(
    server: LocalServer, other_server: LocalServer, options: LinkOptions
) -> None:
    url = server.route("/go/deal", redirect(other_server.url("/product?tag=abc-20")))
    result = check_one(url, options)
    assert result.verdict == "redirected" and result.status == 200
    assert result.final_url == other_server.url("/product?tag=abc-20")
    assert result.chain == (result.final_url,)


def test_redirect_loop_is_broken(server: LocalServer, options: LinkOptions) -> None:
    server.route("/loop-b", redirect("/loop-a"))
    result = check_one(server.route("/loop-a", redirect("/loop-b")), options)
    assert (result.verdict, result.reason) == ("broken", "redirect loop")
    assert server.count() == 2


def test_too_many_redirects_is_broken(server: LocalServer, options: LinkOptions) -> None:
    for n in range(5):
        server.route(f"/hop{n}", redirect(f"/hop{n + 1}"))
    result = check_one(server.url("/hop0"), replace(options, max_redirects=3))
    assert (result.verdict, result.reason) == ("broken", "too many redirects (more than 3)")
    assert len(result.chain) == 3


@pytest.mark.parametrize("location", ["http://a]b/", "//[x"])
def test_unparsable_redirect_location_is_broken_and_the_run_goes_on(
    server: LocalServer, options: LinkOptions, location: str
) -> None:
    bad = server.route("/bad", redirect(location, 302))
    results = check_urls([bad, server.route("/gone", status(404))], options, progress=False)
    assert results[bad].verdict == "broken" and results[bad].status == 302
    assert results[bad].reason.startswith("invalid redirect location (Invalid IPv6 URL): ")
    assert results[server.url("/gone")].verdict == "broken"


def test_redirect_location_httpx_cannot_parse_is_broken_not_a_disconnect(
    server: LocalServer, options: LinkOptions
) -> None:
    result = check_one(server.route("/bad", redirect("http://[::1/x", 302)), options)
    assert result.verdict == "broken" and result.reason.startswith("invalid redirect location")
    assert server.count("/bad") == 1  # not retried: the same Location would come back


def test_429_waits_for_retry_after(server: LocalServer, options: LinkOptions) -> None:
    limited = status(429, {"Retry-After": "1"})
    url = server.route("/limited", sequence(limited, status(200)))
    result = check_one(url, options)
    assert (result.verdict, result.attempts) == ("ok", 2)
    first, second = server.hits
    assert first.method == second.method == "HEAD"
    assert second.at - first.at >= 1.0  # measured by the server, not the client


def test_retry_after_beyond_the_cap_gives_up_at_once(
    server: LocalServer, options: LinkOptions
) -> None:
    url = server.route("/busy", status(503, {"Retry-After": "3600"}))
    result = check_one(url, replace(options, retry_after_cap=5))
    assert result.verdict == "unreachable" and result.attempts == 2  # HEAD, then GET
    assert "Retry-After 3600 s exceeds the 5 s cap" in result.reason


def test_405_on_head_falls_back_to_get(server: LocalServer, options: LinkOptions) -> None:
    async def no_head(exchange: Exchange) -> None:
        await exchange.send(405 if exchange.method == "HEAD" else 200, body=b"hello")

    result = check_one(server.route("/no-head", no_head), options)
    assert (result.verdict, result.attempts) == ("ok", 2)
    assert [h.method for h in server.hits] == ["HEAD", "GET"]


def test_slow_response_times_out_and_is_retried(server: LocalServer, options: LinkOptions) -> None:
    url = server.route("/slow", delayed(30))
    result = check_one(url, replace(options, timeout=0.3, retries=1))
    assert result.verdict == "unreachable" and result.status is None
    assert result.reason == "timed out after 1 retry" and result.attempts == 2


def test_slow_drip_is_cut_by_the_total_timeout(server: LocalServer, options: LinkOptions) -> None:
    async def drip(exchange: Exchange) -> None:
        for byte in b"HTTP/1.1 200 OK\r\nX-Drip: " + b"x" * 1000:
            exchange.writer.write(bytes([byte]))
            await exchange.writer.drain()
            await asyncio.sleep(0.05)  # always under the read timeout

    url = server.route("/drip", drip)
    result = check_one(url, replace(options, timeout=0.5, read_timeout=1.0, retries=0))
    assert (result.verdict, result.reason, result.attempts) == ("unreachable", "timed out", 1)


def test_connection_reset_is_unreachable(server: LocalServer, options: LinkOptions) -> None:
    async def reset(exchange: Exchange) -> None:
        exchange.reset()

    result = check_one(server.route("/reset", reset), replace(options, retries=1))
    assert result.verdict == "unreachable" and result.attempts == 2 == server.count("/reset")
    assert result.reason in {
        "connection reset after 1 retry",
        "server disconnected without a response after 1 retry",
    }


def test_endless_body_is_never_read(server: LocalServer, options: LinkOptions) -> None:
    async def endless(exchange: Exchange) -> None:
        if exchange.method == "HEAD":
            await exchange.send(405)
            return
        exchange.writer.write(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")
        chunk = b"\0" * 65536
        while server.bytes_sent < 1 << 30:
            exchange.writer.write(chunk)
            await exchange.writer.drain()
            server.bytes_sent += len(chunk)
        exchange.keep_alive = False

    result = check_one(server.route("/huge", endless), options)
    assert (result.verdict, result.status) == ("ok", 200)
    assert server.bytes_sent < 64 << 20  # socket buffers at most, never the gigabyte


def test_per_host_limit_bounds_requests_in_flight(
    server: LocalServer, options: LinkOptions
) -> None:
    urls = [server.route(f"/busy/{n}", delayed(0.05)) for n in range(24)]
    results = check_urls(urls, replace(options, per_host=3, max_concurrency=50), progress=False)
    assert {r.verdict for r in results.values()} == {"ok"}
    assert server.max_inflight <= 3


def test_global_limit_bounds_requests_in_flight(server: LocalServer, options: LinkOptions) -> None:
    urls = [server.route(f"/all/{n}", delayed(0.05)) for n in range(24)]
    check_urls(urls, replace(options, per_host=10, max_concurrency=2), progress=False)
    assert server.max_inflight <= 2


def test_each_unique_url_is_checked_once(server: LocalServer, options: LinkOptions) -> None:
    spellings = [
        server.url("/same"),
        server.url("/same#section"),
        server.url("/same").replace("http://", "HTTP://"),
        server.url("/same"),
    ]
    results = check_urls(spellings * 5, options, progress=False)
    assert list(results) == [normalise_url(server.url("/same"))]
    assert server.count("/same") == 1


def test_tls_certificate_failure_is_broken(tls_server: LocalServer, options: LinkOptions) -> None:
    result = check_one(tls_server.url("/secure"), options)
    assert result.verdict == "broken" and result.attempts == 1
    assert result.reason.startswith("TLS certificate verify failed")


def test_excluded_urls_are_not_requested(server: LocalServer, options: LinkOptions) -> None:
    url = server.url("/private/area")
    result = check_one(url, replace(options, exclude=(r"/private/",)))
    assert result.verdict == "excluded" and server.count() == 0


def test_non_http_urls_are_skipped(options: LinkOptions) -> None:
    [result] = check_urls(["mailto:ads@example.com"], options).values()
    assert (result.url, result.verdict) == ("mailto:ads@example.com", "skipped")


def test_accepted_codes_are_configurable(server: LocalServer, options: LinkOptions) -> None:
    url = server.route("/teapot", status(418))
    result = check_one(url, replace(options, accept=frozenset({200, 418})))
    assert result.verdict == "ok" and result.attempts == 1


def test_403_is_unreachable_not_broken(server: LocalServer, options: LinkOptions) -> None:
    result = check_one(server.route("/walled", status(403)), options)
    assert result.verdict == "unreachable" and result.status == 403
    assert result.reason == "403 Forbidden (refused to the checker; not verified)"


def test_user_agent_is_sent(server: LocalServer, options: LinkOptions) -> None:
    seen: list[str] = []

    async def spy(exchange: Exchange) -> None:
        seen.append(exchange.headers["user-agent"])
        await exchange.send(200)

    check_one(server.route("/ua", spy), replace(options, user_agent="adlint-test/1"))
    assert seen == ["adlint-test/1"]


def test_default_user_agent_names_adlint() -> None:
    assert "adlint/" in LinkOptions().user_agent and LinkOptions().user_agent.startswith("Mozilla")
