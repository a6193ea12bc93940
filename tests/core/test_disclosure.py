"""What counts as an affiliate disclosure (the default `affiliate-disclosure-missing` rule).

The FTC accepts a plain statement of the material connection placed before the link ("I get
commissions for purchases made through links in this post"), not a link to a disclosure
elsewhere; the UK ASA prefers the labels "Ad", "Advert", "Advertisement", "Advertising";
Amazon accepts "(paid link)" next to the link (research/domain.md §4.3, §4.4, §4.6).
"""

from __future__ import annotations

import pytest

from adlint.engine import lint_text
from adlint.policy import load_default_policy

POLICY = load_default_policy()
URL = "https://www.amazon.com/dp/B0XXXXXXXX?tag=example-20"
LINK = f'Buy the <a rel="sponsored" href="{URL}">Widget</a> today.'


def missing(text: str) -> list[tuple[int, int]]:
    findings = lint_text(text, POLICY)
    return [(f.line, f.column) for f in findings if f.rule == "affiliate-disclosure-missing"]


def at_url(text: str) -> tuple[int, int]:
    """Where the URL starts in `text`, counted by hand."""
    offset = text.index(URL)
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def article(disclosure: str, link: str = LINK, front_matter: str = "") -> str:
    return f"{front_matter}# Review\n\n{disclosure}\n\n{link}\n"


@pytest.mark.parametrize(
    "disclosure",
    [
        "We earn a commission when you buy through links on this page.",
        "Some of the links below are affiliate links, meaning that at no additional cost to "
        "you, I will earn a commission if you click through and make a purchase.",
        "If you buy through these links I'll earn a small commission.",
        "We may be compensated when you click on links to products in this article.",
        "Wirecutter may earn a commission when you buy through links on this page.",
        "Buying through our links may earn us an affiliate commission.",
        "We are a participant in the Amazon Services LLC Associates Program, an affiliate "
        "advertising program designed to provide a means for us to earn fees by linking to "
        "Amazon.com and affiliated sites.",
        "*As an Amazon Associate I earn from qualifying purchases.*",
        "Ad",
        "**Advertisement**",
        "Advertising: this article contains paid-for links.",
        "This post is sponsored by Acme.",
        "#ad",
        "This post [contains affiliate links](/disclosure) and we earn a commission on them.",
    ],
)
def test_a_statement_or_label_before_the_link_is_a_disclosure(disclosure: str):
    assert missing(article(disclosure)) == []


@pytest.mark.parametrize(
    "disclosure",
    [
        "See our [affiliate disclosure](/about/disclosure).",
        "Read our [paid links policy](/policy).",
        "Affiliate link.",
        "Buy now!",
        "#sp",
        "#partner",
        "Thanks Acme",
        "#adobe",
        "AD 2024 was a good year for gadgets.",
        "Adverts are everywhere in modern life.",
    ],
)
def test_a_link_label_or_a_vague_word_is_not_a_disclosure(disclosure: str):
    text = article(disclosure)
    assert missing(text) == [at_url(text)]


@pytest.mark.parametrize(
    "link",
    [
        f"Buy the [Widget]({URL}) (paid link) today.",
        f"Buy the [Widget (paid link)]({URL}) today.",
        f'Buy the <a rel="sponsored" href="{URL}">Widget</a> #ad today.',
    ],
)
def test_amazons_label_next_to_the_link_covers_it(link: str):
    assert missing(article("Intro text.", link)) == []


def test_a_label_far_after_the_link_does_not_cover_it():
    link = f"Buy the [Widget]({URL}) today, and much further on in this sentence: (paid link)."
    text = article("Intro text.", link)
    assert missing(text) == [at_url(text)]


def test_a_label_covers_only_its_own_link():
    second = "https://www.amazon.com/dp/B0YYYYYYYY?tag=example-20"
    link = f"Buy the [Widget]({URL}) (paid link) or the [Gadget]({second})."
    text = article("Intro text.", link)
    offset = text.index(second)
    assert missing(text) == [(5, offset - text.rfind("\n", 0, offset))]


@pytest.mark.parametrize("value", ['""', '"false"', "0", "no", "off", "[]"])
def test_front_matter_that_says_no_is_not_a_disclosure(value: str):
    text = article("Intro.", front_matter=f"---\ndisclosure: {value}\n---\n")
    assert missing(text) == [at_url(text)]


@pytest.mark.parametrize("value", ["true", '"yes"', '"At the top of the page"'])
def test_front_matter_that_says_yes_is_a_disclosure(value: str):
    assert missing(article("Intro.", front_matter=f"---\ndisclosure: {value}\n---\n")) == []
