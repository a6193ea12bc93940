"""The time limit per URL (`url_timeout`) against a real server on 127.0.0.1.

Counts and reasons are asserted, not speed: every scenario is built so that the server's own
sleeps, not the machine's load, decide how many requests fit in the budget.
"""

from __future__ import annotations

import math
import time
from dataclasses import replace

from adlint.links import LinkOptions, check_urls
from adlint.links.resolver import LOOKUPS

from .conftest import LocalServer, delayed, redirect, sequence, status
from .localdns import LocalDns


def check_one(url: str, options: LinkOptions, dns: LocalDns | None = None):
    resolver = dns.resolver if dns else None
    [result] = check_urls([url], options, progress=False, resolver=resolver).values()
    return result


def test_retry_after_past_the_limit_is_not_slept(server: LocalServer, options: LinkOptions) -> None:
    wait, limit = 2, 1.0
    url = server.route("/limited", status(429, {"Retry-After": str(wait)}))
    result = check_one(url, replace(options, retries=5, url_timeout=limit))
    assert (result.verdict, result.status, result.chain) == ("unreachable", 429, ())
    assert result.reason == (
        f"429 Too Many Requests; gave up: Retry-After {wait} s would end past"
        f" the {limit:g} s time limit per URL (1 attempt, 0 redirects)"
    )
    # Without the limit: the HEAD and five retries, 2 s apart. The first wait never happened.
    assert result.attempts == 1 == server.count("/limited")


def test_retry_after_waits_that_fit_are_slept(server: LocalServer, options: LinkOptions) -> None:
    # Retry-After 1 s against 2 s: the first wait fits, the second would end past 2 s (the
    # server's own sleep already used more than 1 s of it), so exactly two requests.
    url = server.route("/limited", status(429, {"Retry-After": "1"}))
    result = check_one(url, replace(options, retries=5, url_timeout=2.0))
    assert result.verdict == "unreachable" and result.attempts == 2 == server.count("/limited")
    assert result.reason.endswith("(2 attempts, 0 redirects)")
    first, second = server.hits
    assert second.at - first.at >= 1.0  # the fitting wait was honoured in full


def test_backoff_past_the_limit_is_not_slept(server: LocalServer, options: LinkOptions) -> None:
    # backoff_base 4: the first backoff is 2-4 s, past a 1 s limit; HEAD then GET, no retry.
    url = server.route("/down", status(503))
    result = check_one(url, replace(options, backoff_base=4.0, retries=3, url_timeout=1.0))
    assert (result.verdict, result.status, result.attempts) == ("unreachable", 503, 2)
    assert result.reason == (
        "503 Service Unavailable; gave up: the wait for the next retry would end past"
        " the 1 s time limit per URL (2 attempts, 0 redirects)"
    )
    assert [hit.method for hit in server.hits] == ["HEAD", "GET"]


def test_slow_redirect_chain_is_cut_mid_request(server: LocalServer, options: LinkOptions) -> None:
    # Each hop takes 1 s and the limit is 1.9 s: hop 0 answers, hop 1 is cut short at 1.9 s
    # (it cannot answer before 2 s). Were the request not clipped to the limit, it would run
    # to the 20 s request timeout, or answer and add a second hop to the chain. The read
    # timeout is raised too: the fixture's 1 s would race the server's 1 s sleep.
    hops = 5
    for n in range(hops - 1):
        server.route(f"/hop{n}", delayed(1.0, redirect(f"/hop{n + 1}", 302)))
    server.route(f"/hop{hops - 1}", delayed(1.0))
    began = time.monotonic()
    patient = replace(options, timeout=20.0, read_timeout=20.0, url_timeout=1.9)
    result = check_one(server.url("/hop0"), patient)
    took = time.monotonic() - began
    assert (result.verdict, result.status) == ("unreachable", None)
    assert result.chain == (server.url("/hop1"),) and result.final_url == server.url("/hop1")
    assert (
        result.reason
        == "timed out; gave up at the 1.9 s time limit per URL (2 attempts, 1 redirect)"
    )
    assert result.attempts == 2 == server.count()
    assert took < 10  # far from the 20 s an unclipped request would wait


def test_time_queued_for_a_slot_does_not_count(server: LocalServer, options: LinkOptions) -> None:
    # 15 URLs, each a redirect then a page, one request at a time to the host, 0.1 s each:
    # 3 s of requests in all, 0.2 s for any one URL. With a 0.6 s limit, counting the queue
    # would time out most of them (and every second hop queues behind the others' first).
    count, step, limit = 15, 0.1, 0.6
    urls = []
    for n in range(count):
        server.route(f"/q{n}", delayed(step, redirect(f"/q{n}/", 301)))
        server.route(f"/q{n}/", delayed(step))
        urls.append(server.url(f"/q{n}"))
    serial = replace(options, per_host=1, max_concurrency=4, url_timeout=limit)
    results = check_urls(urls, serial, progress=False)
    assert [results[url].verdict for url in urls] == ["ok"] * count
    assert server.max_inflight == 1 and server.count() == 2 * count
    hit_at = {hit.path: hit.at for hit in server.hits}
    assert max(hit.at for hit in server.hits) - min(hit_at.values()) >= (2 * count - 1) * step
    longest = max(hit_at[f"/q{n}/"] - hit_at[f"/q{n}"] for n in range(count))
    assert longest > limit  # some URL's second hop waited longer than the whole limit


def test_limit_verdict_is_not_cached(server: LocalServer, options: LinkOptions) -> None:
    url = server.route("/limited", status(429, {"Retry-After": "2"}))
    cached = replace(options, use_cache=True, url_timeout=1.0)
    [first] = check_urls([url], cached, progress=False).values()
    [again] = check_urls([url], cached, progress=False).values()
    assert first.verdict == again.verdict == "unreachable" and not again.cached
    assert server.count("/limited") == 2  # asked again on the second run


def test_limit_leaves_a_quick_url_alone(server: LocalServer, options: LinkOptions) -> None:
    server.route("/a", redirect("/b", 302))
    url = server.route("/b", sequence(status(500), status(200)))
    result = check_one(server.url("/a"), replace(options, url_timeout=5.0))
    assert (result.verdict, result.chain, result.attempts) == ("ok", (url,), 3)


def test_redirect_to_a_name_dns_never_answers_is_cut_at_the_limit(
    server: LocalServer, dns: LocalDns, options: LinkOptions
) -> None:
    # The lookup's own limit (connect_timeout, 5 s) is ten times the URL's: the lookup of
    # the second hop must be cut when the URL's time runs out, not when its own does.
    limit = 0.5
    slow = f"http://slow.test:{server.port}/page"
    url = server.route("/out", redirect(slow, 302))
    patient = replace(options, connect_timeout=5.0, url_timeout=limit)
    began = time.monotonic()
    result = check_one(url, patient, dns)
    took = time.monotonic() - began
    assert (result.verdict, result.status) == ("unreachable", None)
    assert result.chain == (slow,) and result.final_url == slow
    assert result.reason == (
        f"DNS lookup timed out; gave up at the {limit:g} s time limit per URL"
        " (1 attempt, 1 redirect)"
    )
    assert dns.count("slow.test") == 1 and server.count("/page") == 0
    assert took < patient.connect_timeout


def test_first_lookup_and_its_retries_count_against_the_limit(
    server: LocalServer, dns: LocalDns, options: LinkOptions
) -> None:
    # Each lookup gives up after 0.3 s and is retried (five retries allowed); the URL's 0.8 s
    # cut the third one short. Before any request, so nothing else used the time.
    own, limit = 0.3, 0.8
    url = f"http://slow.test:{server.port}/"
    retrying = replace(options, connect_timeout=own, url_timeout=limit, retries=5)
    result = check_one(url, retrying, dns)
    assert (result.verdict, result.attempts, result.chain) == ("unreachable", 0, ())
    assert result.reason == (
        f"DNS lookup timed out; gave up at the {limit:g} s time limit per URL"
        " (0 attempts, 0 redirects)"
    )
    assert dns.count("slow.test") == math.ceil(limit / own) and server.count() == 0


def test_lookup_that_fits_in_the_limit_is_not_cut(
    server: LocalServer, dns: LocalDns, options: LinkOptions
) -> None:
    dns.records["fast.test"] = (server.host, 0.3)
    target = f"http://fast.test:{server.port}/page"
    url = server.route("/out", redirect(target, 302))
    result = check_one(url, replace(options, url_timeout=1.0), dns)
    assert (result.verdict, result.status, result.chain) == ("redirected", 200, (target,))
    assert dns.count("fast.test") == 1 and server.count("/page", "HEAD") == 1


def test_lookup_cut_by_the_limit_is_not_cached(
    server: LocalServer, dns: LocalDns, options: LinkOptions
) -> None:
    url = server.route("/out", redirect(f"http://slow.test:{server.port}/", 302))
    cached = replace(options, use_cache=True, connect_timeout=5.0, url_timeout=0.4)
    first = check_one(url, cached, dns)
    again = check_one(url, cached, dns)
    assert first.verdict == again.verdict == "unreachable" and not again.cached
    assert again.reason.startswith("DNS lookup timed out; gave up at the 0.4 s time limit")
    assert dns.count("slow.test") == 2 and server.count("/out", "HEAD") == 2


def test_time_queued_for_a_lookup_slot_does_not_count(
    server: LocalServer, dns: LocalDns, options: LinkOptions
) -> None:
    # LOOKUPS names resolve at a time, each in 0.25 s: four waves, so the last names wait
    # 0.75 s for a slot, longer than the whole 0.7 s limit; counting it would time them out.
    waves, delay, limit = 4, 0.25, 0.7
    names = [f"n{n}.test" for n in range((waves - 1) * LOOKUPS + 1)]
    for name in names:
        dns.records[name] = (server.host, delay)
    urls = [f"http://{name}:{server.port}/" for name in names]
    results = check_urls(urls, replace(options, url_timeout=limit), resolver=dns.resolver)
    assert [results[url].verdict for url in urls] == ["ok"] * len(urls)
    assert dns.most_unanswered == LOOKUPS and len(dns.queries) == len(names)
    first, last = dns.queries[0].at, dns.queries[-1].at
    assert last - first >= (waves - 1) * delay > limit


def test_default_limit_is_six_request_timeouts() -> None:
    assert LinkOptions().url_budget == 6 * LinkOptions().timeout
    assert LinkOptions(timeout=30).url_budget == 180  # a longer request timeout is never cut
    assert LinkOptions(timeout=30, url_timeout=45).url_budget == 45
