"""The disclosure fix in HTML articles: HTML, never Markdown asterisks, before the block that
holds the first affiliate link; the rule's `html:` form when it gives one."""

from __future__ import annotations

from adlint.cli import main
from tests.fix.test_disclosure import AMZ, fix

H = (
    "<p><em>We earn a commission when you buy through links on this page,"
    " at no extra cost to you.</em></p>"
)


def test_html_article_gets_the_disclosure_as_html_before_the_paragraph(tmp_path):
    src = (
        "<html><body>\n<p>Intro</p>\n"
        f'<p>See <a href="{AMZ}" rel="nofollow noopener">x</a> and <A HREF={AMZ} REL=noopener>y'
        '</A></p>\n<img src="https://t.example.org/p.gif" width=1 height=1 alt=""></body></html>\n'
    )
    assert fix(tmp_path, src, "page.html").decode() == (
        f"<html><body>\n<p>Intro</p>\n{H}\n"
        f'<p>See <a href="{AMZ}" rel="nofollow noopener">x</a> and <A HREF={AMZ} '
        'REL="noopener sponsored">y</A></p>\n</body></html>\n'
    )


def test_html_disclosure_goes_before_the_outermost_list_at_its_indentation(tmp_path):
    src = (
        "<body>\n  <article>\n    <h1>Best cables</h1>\n    <ul>\n      <li>Cables\n"
        f'        <ul><li><a href="{AMZ}" rel="sponsored">USB-C</a></li></ul>\n'
        "      </li>\n    </ul>\n  </article>\n</body>\n"
    )
    assert fix(tmp_path, src, "page.html").decode() == (
        f"<body>\n  <article>\n    <h1>Best cables</h1>\n    {H}\n    <ul>\n      <li>Cables\n"
        f'        <ul><li><a href="{AMZ}" rel="sponsored">USB-C</a></li></ul>\n'
        "      </li>\n    </ul>\n  </article>\n</body>\n"
    )


def test_html_disclosure_goes_before_a_table_not_into_a_cell(tmp_path):
    src = f'<table>\n<tr><td><a href="{AMZ}" rel="sponsored">x</a></td></tr>\n</table>\n'
    assert fix(tmp_path, src, "page.html").decode() == (
        f'{H}\n<table>\n<tr><td><a href="{AMZ}" rel="sponsored">x</a></td></tr>\n</table>\n'
    )


def test_html_disclosure_goes_before_a_blockquote_not_into_it(tmp_path):
    src = f'<blockquote>\n<p>Buy <a href="{AMZ}" rel="sponsored">this</a>.</p>\n</blockquote>\n'
    assert fix(tmp_path, src, "page.html").decode() == (
        f'{H}\n<blockquote>\n<p>Buy <a href="{AMZ}" rel="sponsored">this</a>.</p>\n</blockquote>\n'
    )


def test_html_disclosure_goes_before_inline_content_sitting_in_a_div(tmp_path):
    src = f'<div class="cta">Deal: <a href="{AMZ}" rel="sponsored">Buy</a></div>\n'
    assert fix(tmp_path, src, "page.html").decode() == (
        f'<div class="cta">{H}Deal: <a href="{AMZ}" rel="sponsored">Buy</a></div>\n'
    )


def test_html_disclosure_before_a_multi_line_tag_in_the_first_block(tmp_path):
    src = f'<a\n  href="{AMZ}"\n  class="btn">x</a>\n'
    assert fix(tmp_path, src, "page.html").decode() == (
        f'{H}\n<a\n  href="{AMZ}"\n  class="btn" rel="sponsored">x</a>\n'
    )


def test_html_disclosure_in_a_crlf_file_uses_crlf(tmp_path):
    src = f'<p>Intro</p>\r\n<p>See <a href="{AMZ}" rel="sponsored">x</a></p>\r\n'
    assert fix(tmp_path, src, "page.html") == (
        f'<p>Intro</p>\r\n{H}\r\n<p>See <a href="{AMZ}" rel="sponsored">x</a></p>\r\n'.encode()
    )


def test_html_form_given_by_the_rule_is_used_as_written(tmp_path):
    (tmp_path / ".adlint.yaml").write_text(
        "rules:\n  affiliate-disclosure-missing:\n    fix:\n      insert_text:\n"
        '        text: "*This post contains affiliate links.*"\n'
        '        html: "<p class=disclosure>This post contains affiliate links.</p>"\n'
        "        where: before_first_match\n"
    )
    src = f'<p>Intro</p>\n<p>See <a href="{AMZ}" rel="sponsored">x</a></p>\n'
    assert fix(tmp_path, src, "page.html", config=True).decode() == (
        "<p>Intro</p>\n<p class=disclosure>This post contains affiliate links.</p>\n"
        f'<p>See <a href="{AMZ}" rel="sponsored">x</a></p>\n'
    )


def test_html_after_front_matter_goes_before_the_first_block_of_the_page(tmp_path):
    (tmp_path / ".adlint.yaml").write_text(
        "rules:\n  affiliate-disclosure-missing:\n    fix:\n      insert_text:\n"
        '        text: "This post contains **affiliate links**."\n'
        "        where: after_front_matter\n"
    )
    src = (
        f'<html>\n<head><title>T</title></head>\n<body>\n<h1>T</h1>\n<p><a href="{AMZ}">x</a></p>\n'
    )
    assert fix(tmp_path, src, "page.html", config=True).decode() == (
        "<html>\n<head><title>T</title></head>\n<body>\n"
        "<p>This post contains <strong>affiliate links</strong>.</p>\n<h1>T</h1>\n"
        f'<p><a href="{AMZ}" rel="sponsored">x</a></p>\n'
    )


def test_empty_html_form_is_a_policy_error_naming_file_and_line(tmp_path, capsys):
    (tmp_path / ".adlint.yaml").write_text(
        "rules:\n  affiliate-disclosure-missing:\n    fix:\n      insert_text:\n"
        '        text: "*x*"\n        html: ""\n'
    )
    (tmp_path / "a.html").write_text("<p>x</p>\n")
    assert main(["fix", str(tmp_path / "a.html")]) == 2
    assert capsys.readouterr().err.endswith(
        '.adlint.yaml:3: rule "affiliate-disclosure-missing": '
        'key "fix.insert_text.html": must be a non-empty string\n'
    )
