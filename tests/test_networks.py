"""The affiliate network catalogue: one realistic link per network, the look-alikes that must
not match, loader errors with file:line, and how user catalogues merge over the shipped one."""

from __future__ import annotations

from pathlib import Path

import pytest

from adlint.errors import PolicyError
from adlint.networks import Catalogue, NetworkMatch, builtin_catalogue_text, load_catalogue

CATALOGUE_PATH = Path(__file__).parents[1] / "policies" / "networks.yaml"
SHIPPED = ("policies/networks.yaml", CATALOGUE_PATH.read_text(encoding="utf-8"))
FIXTURES = Path(__file__).parent / "fixtures" / "networks"


def _lines(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _read_cases(path: Path) -> list[tuple[str, str, str, str | None]]:
    """Rows of `network id | network name | affiliate ID or - | URL`."""
    rows = [[cell.strip() for cell in line.split(" | ", 3)] for line in _lines(path)]
    return [(url, name, nid, None if aff == "-" else aff) for nid, name, aff, url in rows]


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue([SHIPPED])


# (url, network name, network id, affiliate id)
POSITIVE = _read_cases(FIXTURES / "links.txt")
NEGATIVE = [*_lines(FIXTURES / "not-affiliate.txt"), ""]


@pytest.mark.parametrize(
    ("url", "name", "network_id", "affiliate_id"), POSITIVE, ids=[row[2] for row in POSITIVE]
)
def test_known_network_link_yields_network_and_affiliate_id(
    catalogue: Catalogue, url: str, name: str, network_id: str, affiliate_id: str | None
) -> None:
    found = catalogue.classify(url)
    assert found is not None, url
    assert (found.network, found.network_id, found.affiliate_id) == (name, network_id, affiliate_id)


@pytest.mark.parametrize(
    ("url", "affiliate_id"),
    [
        ("https://bluetties.sjv.io/c/5597632/2039292/17094", "5597632"),
        ("https://appsumo.8odi.net/c/5597632/2082535/7443", "5597632"),
    ],
)
def test_seed_impact_click_yields_mpid(catalogue: Catalogue, url: str, affiliate_id: str) -> None:
    assert catalogue.classify(url) == NetworkMatch("Impact", "impact", affiliate_id)


def test_seed_2checkout_vendor_checkout_yields_affiliate(catalogue: Catalogue) -> None:
    url = "https://shop.pcdj.com/order/checkout.php?PRODS=4698832&QTY=1&AFFILIATE=108875&CART=1"
    found = catalogue.classify(url)
    assert found == NetworkMatch("2Checkout/Avangate", "2checkout", "108875")


def test_seed_2checkout_affiliate_redirect_yields_affiliate_and_destination(
    catalogue: Catalogue,
) -> None:
    url = (
        "https://shop.mondly.com/affiliate.php?ACCOUNT=ATISTUDI&AFFILIATE=108875"
        "&PATH=https%3A%2F%2Fwww.mondly.com"
    )
    found = catalogue.classify(url)
    assert found == NetworkMatch(
        "2Checkout/Avangate", "2checkout", "108875", "https://www.mondly.com"
    )


@pytest.mark.parametrize(
    ("url", "destination"),
    [
        (
            "https://goto.walmart.com/c/123456/565706/9383?u=https%3A%2F%2Fwww.walmart.com%2Fip%2F1",
            "https://www.walmart.com/ip/1",
        ),
        (
            "https://www.anrdoezrs.net/click-8123456-13579246?url=https%3A%2F%2Fshop.example%2Fa",
            "https://shop.example/a",
        ),
        (
            "https://www.jdoqocy.com/links/8123456/type/dlg/https%3A%2F%2Fshop.example%2Fb",
            "https://shop.example/b",
        ),
        (
            "https://www.awin1.com/cread.php?awinmid=1&awinaffid=2&ued=https%3A%2F%2Fs.example%2Fc",
            "https://s.example/c",
        ),
        (
            "https://click.linksynergy.com/deeplink?id=lMh2Xiq9xN0&mid=1&murl=https%3A%2F%2Fs.example",
            "https://s.example",
        ),
        (
            "https://www.shareasale.com/r.cfm?u=1&b=2&m=3&urllink=www.shop.example%2Fp",
            "https://www.shop.example/p",
        ),
        (
            "https://prf.hn/click/camref:1100lABC/destination:https://s.example/d/e",
            "https://s.example/d/e",
        ),
        (
            "https://go.skimresources.com/?id=1X2&url=https%253A%252F%252Fs.example%252Ff",
            "https://s.example/f",
        ),
        (
            "https://example.valuecommerce.ne.jp/cgi-bin/a1b2c3?vc_url=https%3A%2F%2Fs.jp%2Fp",
            "https://s.jp/p",
        ),
    ],
)
def test_deep_link_destination_is_decoded(catalogue: Catalogue, url: str, destination: str) -> None:
    found = catalogue.classify(url)
    assert found is not None and found.destination == destination


@pytest.mark.parametrize("url", NEGATIVE)
def test_non_affiliate_url_is_not_classified(catalogue: Catalogue, url: str) -> None:
    assert catalogue.classify(url) is None


@pytest.mark.parametrize(
    ("look_alike", "affiliate", "network_id"),
    [
        (
            "https://aws.amazon.com/ec2/?tag=cloud-20",
            "https://www.amazon.com/ec2/?tag=cloud-20",
            "amazon",
        ),
        (
            "https://music.amazon.com/albums/B0C1234567?tag=example-20",
            "https://amazon.com/albums/B0C1234567?tag=example-20",
            "amazon",
        ),
        ("https://shrsl.com/", "https://shrsl.com/?~4a5b6", "shareasale"),
    ],
)
def test_look_alike_of_an_affiliate_link_is_not_classified(
    catalogue: Catalogue, look_alike: str, affiliate: str, network_id: str
) -> None:
    """Each look-alike differs from a real affiliate link only by its subdomain (exact
    `=host` patterns) or by a valueless `~code` parameter (`query_string`)."""
    assert catalogue.classify(look_alike) is None
    assert catalogue.classify(affiliate).network_id == network_id


@pytest.mark.parametrize(
    "url",
    [
        "//www.amazon.com/dp/B0C1234567?tag=example-20",
        "http://www.amazon.com/dp/B0C1234567?tag=example-20",
        "HTTPS://WWW.AMAZON.COM/dp/B0C1234567?tag=example-20",
        "  https://www.amazon.com./dp/B0C1234567?tag=example-20  ",
    ],
)
def test_url_spelling_does_not_hide_the_network(catalogue: Catalogue, url: str) -> None:
    assert catalogue.classify(url) == NetworkMatch("Amazon Associates", "amazon", "example-20")


def test_url_over_8kb_is_ignored(catalogue: Catalogue) -> None:
    url = "https://www.amazon.com/dp/B0C1234567?tag=example-20&pad=" + "a" * 20_000
    assert catalogue.classify(url) is None


def test_hostile_urls_are_classified_without_error(catalogue: Catalogue) -> None:
    """Patterns are anchored and nested repeats are refused at load, so these return at
    once; speed itself is measured in bench/, never asserted here."""
    urls = ["https://x.sjv.io/c/" + "1/" * 2000, "https://a.example/" + "click-1" * 1000]
    urls += ["https://" + "a." * 3000 + "sjv.io/c/1/2/3", "https://" + "pj." * 2500 + "x/t/"]
    urls += ["https://prf.hn/click/" + "camref:" * 1000, "https://a.example/?" + "a_aid&" * 1000]
    results = [catalogue.classify(url) for url in urls]
    assert all(r is None or isinstance(r, NetworkMatch) for r in results)
    assert results[2] is None  # a host longer than DNS allows is never classified


def test_shipped_catalogue_lists_at_least_25_networks(catalogue: Catalogue) -> None:
    assert len(catalogue) >= 25
    assert len(set(catalogue.network_ids)) == len(catalogue)
    listing = catalogue.listing()
    assert ("impact", "Impact") in [(nid, name) for nid, name, _ in listing]
    assert "*.sjv.io" in catalogue.get("impact").hosts and "any" in catalogue.get("impact").hosts


def test_every_shipped_network_has_a_positive_case(catalogue: Catalogue) -> None:
    assert set(catalogue.network_ids) == {network_id for _, _, network_id, _ in POSITIVE}


def test_builtin_catalogue_text_is_the_shipped_file() -> None:
    assert builtin_catalogue_text() == SHIPPED[1]


# --- loader errors -----------------------------------------------------------------------


def _error(text: str) -> str:
    with pytest.raises(PolicyError) as caught:
        load_catalogue([("my-networks.yaml", text)])
    return str(caught.value)


def test_unknown_network_key_names_file_line_and_key() -> None:
    text = "networks:\n  acme:\n    name: Acme\n    hostz: [acme.example]\n"
    message = _error(text)
    assert message.startswith("my-networks.yaml:4:") and 'key "hostz"' in message
    assert '"acme"' in message


def test_unknown_matcher_key_names_file_line_and_key() -> None:
    text = (
        "networks:\n  acme:\n    name: Acme\n    match:\n"
        "      - hosts: [acme.example]\n        id_from: none\n        paht: '^/r/'\n"
    )
    message = _error(text)
    assert message.startswith("my-networks.yaml:7:") and 'key "paht"' in message


def test_bad_regex_names_file_line_and_key() -> None:
    text = (
        "networks:\n  acme:\n    name: Acme\n    match:\n"
        "      - hosts: [acme.example]\n        path: '^/r/(?P<id>[0-9+'\n        id_from: none\n"
    )
    message = _error(text)
    assert message.startswith("my-networks.yaml:6:") and 'key "path"' in message
    assert "invalid regex" in message


def test_nested_quantifier_regex_is_refused() -> None:
    text = (
        "networks:\n  acme:\n    name: Acme\n    match:\n"
        "      - hosts: any\n        path: '^/(a+)+$'\n        id_from: none\n"
    )
    message = _error(text)
    assert message.startswith("my-networks.yaml:6:") and "unsafe regex" in message


@pytest.mark.parametrize(
    "id_from", ["qury:tag", "'query:'", "path:missing", "dns_label:first", "[none, query:a]"]
)
def test_bad_id_from_names_file_line_and_key(id_from: str) -> None:
    text = (
        "networks:\n  acme:\n    name: Acme\n    match:\n"
        "      - hosts: [acme.example]\n        path: '^/r/(?P<ref>[a-z]+)'\n"
        f"        id_from: {id_from}\n"
    )
    message = _error(text)
    assert message.startswith("my-networks.yaml:7:") and 'key "id_from"' in message


def test_yaml_syntax_error_names_file_and_line() -> None:
    message = _error("networks:\n  acme:\n    name: [Acme\n    match: x\n")
    assert message.startswith("my-networks.yaml:") and "YAML syntax error" in message
    assert int(message.split(":")[1]) in (3, 4, 5)


@pytest.mark.parametrize(
    ("text", "line", "key"),
    [
        (
            "networks:\n  acme:\n    name: Acme\n    match:\n      - hosts: [Not A Host]\n"
            "        id_from: none\n",
            5,
            "hosts",
        ),
        (
            "networks:\n  acme:\n    name: Acme\n    match:\n      - hosts: any\n"
            "        id_from: none\n",
            5,
            "hosts",
        ),
        (
            "networks:\n  acme:\n    name: Acme\n    match:\n      - hosts: [a.example]\n",
            5,
            "id_from",
        ),
        (
            "networks:\n  acme:\n    match:\n      - hosts: [a.example]\n        id_from: none\n",
            2,
            "name",
        ),
        ("networks:\n  acme:\n    name: 3\n    match: []\n", 3, "name"),
        ("networks:\n  acme:\n    name: Acme\n    match: []\n", 4, "match"),
        (
            "networks:\n  acme:\n    name: Acme\n    match:\n      - hosts: [a.example]\n"
            "        query: {tag: '(x'}\n        id_from: none\n",
            6,
            "query",
        ),
        (
            "networks:\n  acme:\n    name: Acme\n    match:\n      - hosts: [a.example]\n"
            "        ignore_param_case: yes please\n        id_from: none\n",
            6,
            "ignore_param_case",
        ),
        (
            "networks:\n  acme:\n    name: Acme\n    match:\n      - hosts: ['=*.a.example']\n"
            "        id_from: none\n",
            5,
            "hosts",
        ),
        (
            "networks:\n  acme:\n    name: Acme\n    match:\n      - hosts: [a.example, =pj.*]\n"
            "        id_from: none\n",
            5,
            "hosts",
        ),
        (
            "networks:\n  acme:\n    name: Acme\n    match:\n      - hosts: [a.example]\n"
            "        query_string: '~(x'\n        id_from: none\n",
            6,
            "query_string",
        ),
        (
            "networks:\n  acme:\n    name: Acme\n    match:\n      - hosts: [a.example]\n"
            "        id_from: none\n        query_string: [x]\n",
            7,
            "query_string",
        ),
        (
            "networks:\n  acme:\n    name: Acme\n    match:\n      - hosts: any\n"
            "        id_from: none\n        query_string: '~(a+)+$'\n",
            7,
            "query_string",
        ),
        ("netwerks: {}\n", 1, "netwerks"),
        ("version: 2\nnetworks: {}\n", 1, "version"),
        ("networks:\n  Acme Network:\n    name: Acme\n", 2, "Acme Network"),
        ("networks:\n  acme: true\n", 2, "acme"),
    ],
)
def test_invalid_definition_names_file_line_and_key(text: str, line: int, key: str) -> None:
    message = _error(text)
    assert message.startswith(f"my-networks.yaml:{line}:"), message
    assert f'key "{key}"' in message


def test_bad_host_pattern_error_lists_the_exact_form() -> None:
    text = "networks:\n  acme:\n    name: Acme\n    match:\n      - hosts: ['==a.example']\n"
    message = _error(text + "        id_from: none\n")
    assert message.startswith("my-networks.yaml:5:") and "=example.com" in message


def _acme(*matchers: str) -> str:
    """A one-network catalogue; each matcher is its YAML lines after `- `."""
    body = "".join("      - " + m.replace("\n", "\n        ") + "\n" for m in matchers)
    return f"networks:\n  acme:\n    name: Acme\n    match:\n{body}"


def test_exact_host_pattern_matches_that_host_only() -> None:
    catalogue = load_catalogue([("acme.yaml", _acme("hosts: [=go.acme.example]\nid_from: none"))])
    assert catalogue.classify("https://GO.Acme.example./r") == NetworkMatch("Acme", "acme", None)
    assert catalogue.classify("https://eu.go.acme.example/r") is None
    assert catalogue.classify("https://acme.example/r") is None


@pytest.mark.parametrize("exact_first", [True, False])
def test_exact_and_suffix_host_patterns_keep_catalogue_order(exact_first: bool) -> None:
    exact = "networks:\n  exact:\n    name: Exact\n    match:\n"
    exact += "      - hosts: [=shop.example]\n        id_from: none\n"
    suffix = "networks:\n  suffix:\n    name: Suffix\n    match:\n"
    suffix += "      - hosts: [shop.example]\n        id_from: none\n"
    files = [("exact.yaml", exact), ("suffix.yaml", suffix)]
    catalogue = load_catalogue(files if exact_first else files[::-1])
    assert catalogue.classify("https://shop.example/").network_id == (
        "exact" if exact_first else "suffix"
    )
    assert catalogue.classify("https://www.shop.example/").network_id == "suffix"


def test_query_string_pattern_requires_a_valueless_parameter_on_any_host() -> None:
    matcher = "hosts: any\nquery_string: '~[a-z0-9]+(?:&|$)'\nid_from: none"
    catalogue = load_catalogue([("acme.yaml", _acme(matcher))])
    assert catalogue.classify("https://a.example/?~abc1") == NetworkMatch("Acme", "acme", None)
    assert catalogue.classify("https://b.example/x?~abc1&utm_source=y").network_id == "acme"
    for url in ("https://a.example/", "https://a.example/?x=~abc1", "https://a.example/?~ABC"):
        assert catalogue.classify(url) is None, url


def test_query_string_and_named_parameters_must_both_hold() -> None:
    matcher = "hosts: [a.example]\nquery: [u]\nquery_string: 'go&'\nid_from: query:u"
    catalogue = load_catalogue([("acme.yaml", _acme(matcher))])
    assert catalogue.classify("https://a.example/?go&u=7") == NetworkMatch("Acme", "acme", "7")
    assert catalogue.classify("https://a.example/?u=7&go&") is None
    assert catalogue.classify("https://a.example/?go&v=7") is None


def test_python_tags_are_refused_not_run() -> None:
    message = _error("networks: !!python/object/apply:os.system ['true']\n")
    assert message.startswith("my-networks.yaml:1:")


# --- merging user catalogues ---------------------------------------------------------------

USER = """\
networks:
  acme:
    name: Acme Partners
    match:
      - hosts: [go.acme.example]
        path: '^/r/(?P<partner>[a-z0-9]+)$'
        id_from: path:partner
        dest_from: query:to
  booking:
    name: Booking.com (our deal)
  bluehost: false
  walmart:
    match:
      - hosts: [goto.walmart.com]
        path: '^/c/(?P<mpid>[0-9]+)/'
        query: [u]
        id_from: path:mpid
"""


@pytest.fixture(scope="module")
def merged() -> Catalogue:
    return load_catalogue([SHIPPED, ("team-networks.yaml", USER)])


def test_user_file_adds_a_network(merged: Catalogue) -> None:
    found = merged.classify("https://go.acme.example/r/jane7?to=https%3A%2F%2Facme.example%2Fx")
    assert found == NetworkMatch("Acme Partners", "acme", "jane7", "https://acme.example/x")
    assert merged.network_ids[-1] == "acme"


def test_user_file_overrides_one_key_and_keeps_the_rest(merged: Catalogue) -> None:
    found = merged.classify("https://www.booking.com/index.html?aid=1234567")
    assert found == NetworkMatch("Booking.com (our deal)", "booking", "1234567")


def test_user_override_of_match_replaces_the_list(merged: Catalogue) -> None:
    assert merged.classify("https://goto.walmart.com/c/123456/565706/9383?u=x").network_id == (
        "walmart"
    )
    # Without `u` the new Walmart matcher fails; the generic Impact /c/ shape still applies.
    plain = merged.classify("https://goto.walmart.com/c/123456/565706/9383")
    assert plain.network_id == "impact"


def test_user_file_removes_a_network_with_false(merged: Catalogue) -> None:
    assert "bluehost" not in merged
    assert merged.classify("https://www.bluehost.com/track/janeblog/") is None


def test_host_matcher_of_a_later_network_beats_host_agnostic_shapes() -> None:
    brand = (
        "networks:\n  brandx:\n    name: BrandX Partners\n    match:\n"
        "      - hosts: [goto.brandx.example]\n"
        "        path: '^/c/(?P<mpid>[0-9]+)/'\n        id_from: path:mpid\n"
    )
    catalogue = load_catalogue([SHIPPED, ("brand.yaml", brand)])
    found = catalogue.classify("https://goto.brandx.example/c/1234567/123456/1234")
    assert found == NetworkMatch("BrandX Partners", "brandx", "1234567")


def test_override_of_undefined_network_without_name_is_an_error() -> None:
    with pytest.raises(PolicyError) as caught:
        load_catalogue([SHIPPED, ("team.yaml", "networks:\n  newnet:\n    owner: X\n")])
    assert str(caught.value).startswith("team.yaml:2:") and 'key "name"' in str(caught.value)


def test_empty_sources_give_an_empty_catalogue() -> None:
    catalogue = load_catalogue([("empty.yaml", "")])
    assert len(catalogue) == 0 and catalogue.classify("https://amzn.to/3AbCdEf") is None
