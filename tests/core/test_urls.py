"""URL splitting: the fast path for plain http(s) URLs equals urlsplit on every input."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from adlint import urls
from adlint.urls import split, split_general

PIECES = st.sampled_from(
    [
        "http",
        "HTTPS",
        "https",
        "://",
        "//",
        "/",
        "?",
        "#",
        "&",
        "=",
        "@",
        ":",
        "[",
        "]",
        "%",
        "%41",
        "a",
        "Ex",
        "K",
        "\u212a",
        "é",
        ".",
        "-",
        "_",
        " ",
        "\t",
        "\n",
        "\x00",
        "8080",
        "tag=x-20",
        "example.com",
        "ſ",
        "\x7f",
        "\\",
        '"',
        "^",
        "~",
        "$",
    ]
)


@settings(max_examples=3000, deadline=None)
@given(st.lists(PIECES, max_size=14).map("".join))
@example("https://www.Example.com:8080/dp/B0?tag=x-20&a=&b#frag?x")
@example("https://u@host/x")
@example("http://[::1]:80/")
@example("https://exa%41mple.com/")
@example("HTTPS://HOST.example/P?Q#F")
@example("https://host/a b?c d")
@example("https://ho\tst/")
@example("https://host/x#y?z")
def test_plain_url_fast_path_equals_urlsplit(url: str):
    raw = url.strip()
    raw = "https:" + raw if raw.startswith("//") else raw
    assert split.__wrapped__(url) == split_general(raw)


def test_plain_affiliate_url_parts():
    parts = split("//Shop.Example.com:443/order/checkout.php?PRODS=1&AFFILIATE=190024#x")
    assert parts is not None
    assert (parts.scheme, parts.host, parts.path) == (
        "https",
        "shop.example.com",
        "/order/checkout.php",
    )
    assert parts.param("affiliate") == "190024"


_LABEL = st.sampled_from(["a", "b", "example", "co", "uk", "com"])
_HOST = st.lists(_LABEL, min_size=1, max_size=4).map(".".join)


@given(st.lists(st.one_of(_HOST, _HOST.map("*.{}".format)), max_size=6), _HOST)
def test_third_party_agrees_with_matching_each_site(sites: list[str], host: str):
    """The indexed lookup must answer as trying every site in turn did."""
    url = f"https://{host}/page"
    domain = urls.registered_domain(host)
    expected = not any(domain == s or urls.host_matches(host, s) for s in sites)
    assert urls.is_third_party(url, tuple(sites)) == expected
