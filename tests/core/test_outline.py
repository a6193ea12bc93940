"""Document.top_blocks: where each top-level block begins, the places a paragraph can go."""

from __future__ import annotations

from adlint.parse import parse_text


def starts(name: str, text: str) -> list[str]:
    """The first line of text at each top-level block start, to read the offsets by eye."""
    document = parse_text(name, text, outline=True)
    return [text[offset:].split("\n", 1)[0] for offset in document.top_blocks]


def test_markdown_top_blocks_are_the_parsers_top_level_blocks():
    text = (
        "---\ntitle: t\n---\n# Title\nIntro:\n- a\n  - nested [x](https://x.example/)\n"
        "\n> quote\n> more\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<div>\n<p>hi</p>\n</div>\n"
    )
    assert starts("a.md", text) == [
        "# Title",
        "Intro:",
        "- a",
        "> quote",
        "| a | b |",
        "<div>",
    ]


def test_markdown_top_block_start_maps_a_link_to_its_block():
    text = "Intro.\n\n| a | b |\n|---|---|\n| x | [buy](https://x.example/) |\n"
    document = parse_text("a.md", text)
    [link] = document.elements
    assert (link.start, document.top_block_start(link.start)) == (34, 8)
    assert document.top_block_start(0) == 0


def test_html_top_blocks_skip_containers_and_list_items():
    text = (
        "<html><head><title>T</title><link href='s.css'></head><body>\n<article>\n"
        "<h1>T</h1>\n<ul>\n<li>a <ul><li><a href='https://x.example/'>x</a></li></ul></li>\n"
        "</ul>\n<table><tr><td>1</td></tr></table>\n</article>\n</body></html>\n"
    )
    assert starts("a.html", text) == ["<h1>T</h1>", "<ul>", "<table><tr><td>1</td></tr></table>"]


def test_html_inline_content_directly_in_a_container_is_one_block():
    text = '<div class="cta">\n  Deal: <b>now</b> <a href="https://x.example/">buy</a>\n</div>\n'
    document = parse_text("a.html", text, outline=True)
    assert starts("a.html", text) == ['Deal: <b>now</b> <a href="https://x.example/">buy</a>']
    link = next(e for e in document.elements if e.tag == "a")
    assert document.top_block_start(link.start) == 20


def test_html_block_ends_an_inline_run():
    text = "<body>See <a href='https://x.example/'>x</a><hr>More <i>text</i><p>p</p>tail</body>"
    blocks = parse_text("a.html", text, outline=True).top_blocks
    assert [text[offset:][:4] for offset in blocks] == [
        "See ",
        "<hr>",
        "More",
        "<p>p",
        "tail",
    ]
