"""The disclosure fix in Markdown: a paragraph of its own before the first link's top-level
block, never inside a tag, table, list or blockquote; idempotent; bytes kept elsewhere."""

from __future__ import annotations

import json
from pathlib import Path

from adlint.cli import main

D = "*We earn a commission when you buy through links on this page, at no extra cost to you.*"
AMZ = "https://www.amazon.com/dp/B0?tag=x-20"


def fix(tmp_path: Path, src: str | bytes, name: str = "post.md", *, config: bool = False) -> bytes:
    """Run `adlint fix`, then check a second run would change nothing."""
    path = tmp_path / name
    path.write_bytes(src.encode() if isinstance(src, str) else src)
    flags = [] if config else ["--no-config"]
    assert main(["fix", *flags, str(path)]) in (0, 1)
    fixed = path.read_bytes()
    assert main(["fix", *flags, "--diff", str(path)]) == 0
    assert path.read_bytes() == fixed
    return fixed


def test_disclosure_goes_before_a_multi_line_tag_not_inside_it(tmp_path):
    src = f'<a\n  href="{AMZ}"\n  class="btn">x</a>\n'
    assert fix(tmp_path, src).decode() == (
        f'{D}\n\n<a\n  href="{AMZ}"\n  class="btn" rel="sponsored">x</a>\n'
    )


def test_disclosure_goes_before_a_table_not_between_its_rows(tmp_path):
    src = f"# Deals\n\n| product | link |\n|---|---|\n| Widget | [buy]({AMZ}) |\n"
    assert fix(tmp_path, src).decode() == (
        f"# Deals\n\n{D}\n\n| product | link |\n|---|---|\n| Widget | [buy]({AMZ}) |\n"
    )


def test_disclosure_goes_before_an_unordered_list_not_inside_it(tmp_path):
    src = f"Intro paragraph.\n\n- first item\n- second [buy]({AMZ})\n- third\n"
    assert fix(tmp_path, src).decode() == (
        f"Intro paragraph.\n\n{D}\n\n- first item\n- second [buy]({AMZ})\n- third\n"
    )


def test_disclosure_goes_before_an_ordered_list_holding_the_link_in_a_nested_list(tmp_path):
    src = f"Steps:\n\n1. Unpack\n2. Then:\n   - plug in [cable]({AMZ})\n   - switch on\n"
    assert fix(tmp_path, src).decode() == (
        f"Steps:\n\n{D}\n\n1. Unpack\n2. Then:\n   - plug in [cable]({AMZ})\n   - switch on\n"
    )


def test_disclosure_before_a_list_that_interrupts_a_paragraph_gets_a_blank_line_above(tmp_path):
    src = f"Our picks:\n- [buy]({AMZ})\n"
    assert fix(tmp_path, src).decode() == f"Our picks:\n\n{D}\n\n- [buy]({AMZ})\n"


def test_disclosure_goes_before_a_blockquote_not_into_it_as_a_lazy_line(tmp_path):
    src = f"He said:\n> Quoted text\n> with [a link]({AMZ}) inside.\n"
    assert fix(tmp_path, src).decode() == (
        f"He said:\n\n{D}\n\n> Quoted text\n> with [a link]({AMZ}) inside.\n"
    )


def test_disclosure_goes_before_an_html_block_not_inside_it(tmp_path):
    src = f'Intro.\n\n<div class="box">\n  <p>Hello\n  <a href="{AMZ}">x</a></p>\n</div>\n'
    assert fix(tmp_path, src).decode() == (
        f'Intro.\n\n{D}\n\n<div class="box">\n  <p>Hello\n'
        f'  <a href="{AMZ}" rel="sponsored">x</a></p>\n</div>\n'
    )


def test_disclosure_goes_before_the_paragraph_not_the_line_holding_the_link(tmp_path):
    src = f"# Title\n\nSome intro\nthen [x]({AMZ}) here.\n"
    assert fix(tmp_path, src).decode() == f"# Title\n\n{D}\n\nSome intro\nthen [x]({AMZ}) here.\n"


def test_disclosure_right_after_front_matter_when_the_first_block_holds_the_link(tmp_path):
    src = f"---\ntitle: x\n---\n[deal]({AMZ}) today.\n"
    assert fix(tmp_path, src).decode() == f"---\ntitle: x\n---\n{D}\n\n[deal]({AMZ}) today.\n"


def test_disclosure_at_the_top_when_the_very_first_block_holds_the_link(tmp_path):
    src = f"[deal]({AMZ}) is great.\nMore text.\n\nEnd.\n"
    assert fix(tmp_path, src).decode() == f"{D}\n\n[deal]({AMZ}) is great.\nMore text.\n\nEnd.\n"


def test_disclosure_goes_before_a_reference_link_not_its_definition(tmp_path):
    src = f"Intro.\n\nBuy [the widget][w] now.\n\nMore.\n\n[w]: {AMZ}\n"
    assert fix(tmp_path, src).decode() == (
        f"Intro.\n\n{D}\n\nBuy [the widget][w] now.\n\nMore.\n\n[w]: {AMZ}\n"
    )


def test_disclosure_in_a_crlf_file_with_bom_keeps_both(tmp_path):
    src = f"\ufeffOur picks:\r\n- [buy]({AMZ})\r\n"
    assert fix(tmp_path, src) == (f"\ufeffOur picks:\r\n\r\n{D}\r\n\r\n- [buy]({AMZ})\r\n".encode())


def test_disclosure_in_a_file_of_lone_cr_line_breaks_uses_them(tmp_path):
    src = f"Our picks:\r- [buy]({AMZ})\r"
    assert fix(tmp_path, src) == f"Our picks:\r\r{D}\r\r- [buy]({AMZ})\r".encode()


def test_disclosure_keeps_a_missing_trailing_newline(tmp_path):
    src = f"Intro.\n\n- [buy]({AMZ})"
    assert fix(tmp_path, src).decode() == f"Intro.\n\n{D}\n\n- [buy]({AMZ})"


def test_disclosure_in_utf16_keeps_the_encoding(tmp_path):
    src = f"| a | b |\n|---|---|\n| x | [buy]({AMZ}) |\n".encode("utf-16")
    expected = f"{D}\n\n| a | b |\n|---|---|\n| x | [buy]({AMZ}) |\n".encode("utf-16")
    assert fix(tmp_path, src) == expected


def test_findings_left_after_the_fix_point_at_their_new_positions(tmp_path, capsys):
    path = tmp_path / "post.md"
    path.write_text(f"# Deals\n\n| product | link |\n|---|---|\n| Widget | [buy]({AMZ}) |\n")
    main(["fix", "--no-config", str(path)])
    capsys.readouterr()
    main(["check", "--no-config", "--format", "json", str(path)])
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["rule"], f["line"], f["column"]) for f in findings] == [
        ("affiliate-rel-missing", 7, 12),
        ("affiliate-link", 7, 18),
    ]


def test_multi_line_disclosure_text_takes_the_files_line_breaks(tmp_path):
    (tmp_path / ".adlint.yaml").write_text(
        "rules:\n  affiliate-disclosure-missing:\n    fix:\n      insert_text:\n"
        "        where: before_first_match\n"
        "        text: |\n          **Affiliate links ahead.**\n          We earn a commission.\n"
    )
    src = f"Intro.\r\n\r\n- [buy]({AMZ})\r\n"
    assert fix(tmp_path, src, config=True).decode() == (
        "Intro.\r\n\r\n**Affiliate links ahead.**\r\nWe earn a commission.\r\n\r\n"
        f"- [buy]({AMZ})\r\n"
    )
