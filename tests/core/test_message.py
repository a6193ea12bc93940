"""Message templates as policy authors meet them: a field no finding of the rule can hold, or
a template Python cannot render, stops the run at the `message` line (exit 2); every field a
rule can yield, from its kind or its selector, loads and renders."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from adlint.cli import main
from adlint.kinds import kinds
from adlint.policy import builtin_dir
from tests.core.fresh import ROOT, run_adlint

LINKS = (
    "We sell stuff.\n\n"
    "[deal](https://www.amazon.com/dp/B0X?tag=someone-20)\n\n"
    '<div class="box">\n<a href="https://example.org/p?ref=abc">plain</a>\n</div>\n'
)


def user_rule(message: str, select: str, kind: str = "match", extra: str = "") -> str:
    """A policy of one rule; its `message:` is line 5."""
    return (
        "rules:\n"
        "  user-rule:\n"
        f"    kind: {kind}\n"
        "    severity: warning\n"
        f"    message: '{message}'\n"
        f"    select: {select}\n"
        f"{extra}"
    )


def run(site: Path, capsys: pytest.CaptureFixture[str], policy: str) -> tuple[int, str, str]:
    (site / "policy.yaml").write_text(policy)
    code = main(["check", "--format", "json", "--policy", "policy.yaml", "a.md"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def user_messages(out: str) -> list[str]:
    return [f["message"] for f in json.loads(out)["findings"] if f["rule"] == "user-rule"]


@pytest.fixture
def links(site: Path) -> Path:
    (site / "a.md").write_text(LINKS)
    return site


def test_misspelt_field_exits_2_at_the_message_line_with_a_suggestion(links, capsys):
    policy = user_rule("Ad from {netwrok}", "{affiliate: true}")
    code, _, err = run(links, capsys, policy)
    line = policy.splitlines().index("    message: 'Ad from {netwrok}'") + 1
    assert code == 2
    assert err.startswith(
        f'adlint: error: policy.yaml:{line}: rule "user-rule": key "message": '
        'unknown field "{netwrok}": did you mean "{network}"? (this rule\'s fields: '
        "affiliate_id, domain, host, network, network_id, tag, url)"
    ), err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_field_no_branch_yields_names_the_fields_there_are(links, capsys):
    code, _, err = run(links, capsys, user_rule("{zzz}", "{tag: a}"))
    assert code == 2
    assert 'policy.yaml:5: rule "user-rule": key "message": unknown field "{zzz}": ' in err
    assert "no finding of this rule has it (this rule's fields: domain, host, tag, url)" in err


@pytest.mark.parametrize(
    ("message", "select", "expected"),
    [
        # named groups of attr, url and text regexes, nested in any / all / inside
        ("{ref}", "{url: 'ref=(?P<ref>\\w+)'}", "abc"),
        ("{ref}", "{any: [{tag: img}, {all: [{attr: {href: 'ref=(?P<ref>\\w+)'}}]}]}", "abc"),
        ("{word}", "{tag: a, text: '(?P<word>pl\\w+)'}", "plain"),
        ("{place}", "{tag: a, inside: {class: box, data: {place: boxed}}}", "boxed"),
        # data: constants, and what `affiliate: true` captures
        ("{label}", "{tag: a, origin: html, data: {label: house}}", "house"),
        ("{network} {affiliate_id}", "{affiliate: true}", "Amazon Associates someone-20"),
    ],
)
def test_fields_a_selector_captures_load_and_render(links, capsys, message, select, expected):
    code, out, err = run(links, capsys, user_rule(message, select))
    assert code == 1, err
    assert user_messages(out) == [expected]


def test_a_field_only_some_branches_yield_renders_empty_where_missing(links, capsys):
    """The default policy's `{note}` is this shape: only Markdown links carry it."""
    select = "{tag: a, any: [{origin: html}, {origin: markdown, data: {note: ' (Markdown)'}}]}"
    code, out, err = run(links, capsys, user_rule("Link{note}: {host}", select))
    assert code == 1, err
    assert sorted(user_messages(out)) == ["Link (Markdown): www.amazon.com", "Link: example.org"]


@pytest.mark.parametrize(
    "select",
    [
        "{tag: a, not: {url: '(?P<ref>zzz)'}}",  # `not` matches only when its groups do not
        "{tag: a, not: {data: {ref: x}}}",
        "{tag: a, hidden: false}",  # only hidden elements capture `hidden`
        "{affiliate: false}",  # a link that is no affiliate link has no network
    ],
)
def test_a_field_that_only_a_failing_branch_could_yield_is_refused(links, capsys, select):
    field = "hidden" if "hidden" in select else "network" if "affiliate" in select else "ref"
    code, _, err = run(links, capsys, user_rule(f"{{{field}}}", select))
    assert code == 2
    assert f'policy.yaml:5: rule "user-rule": key "message": unknown field "{{{field}}}"' in err


def test_each_kind_offers_its_own_fields(links, capsys):
    policy = (
        "rules:\n"
        "  dense:\n"
        "    kind: density\n    severity: warning\n    max_stacked: 0\n"
        "    message: '{units} {words} {blocks} {per_1000_words} {share} {stacked} {measure}"
        " {limit} {detail} {tag} {host}'\n"
        "    select: {tag: a}\n"
        "  dead:\n"
        "    kind: reachable\n    severity: error\n"
        "    message: '{status} {reason} {verdict} {final_url} {chain} {attempts} {revealed}'\n"
        "    select: {tag: a}\n"
        "  listed:\n"
        "    kind: allowlist\n    severity: error\n    value: affiliate_id\n    allow: [x]\n"
        "    message: '{value} {source} {network}'\n"
        "    select: {affiliate: true}\n"
        "  required:\n"
        "    kind: require\n    severity: error\n    text: nothing\n"
        "    message: '{count:02d} of {total} {network}'\n"
        "    select: {affiliate: true}\n"
    )
    code, out, err = run(links, capsys, policy)
    assert code == 1, err
    messages = {f["rule"]: f["message"] for f in json.loads(out)["findings"]}
    assert messages["listed"] == "someone-20 the allowlist Amazon Associates"
    assert messages["required"] == "01 of 1 Amazon Associates"
    assert messages["dense"].endswith(" a www.amazon.com")


def test_density_does_not_offer_its_selectors_captures(links, capsys):
    """A density finding is about the document, not one unit: the captures are not data."""
    policy = user_rule("{ref}", "{url: 'ref=(?P<ref>\\w+)'}", "density", "    max_stacked: 0\n")
    code, _, err = run(links, capsys, policy)
    assert code == 2
    assert 'key "message": unknown field "{ref}"' in err and "detail" in err


def test_a_select_replaced_elsewhere_is_the_line_named(links, capsys):
    """Replacing the default rule's selector drops the `data: {note: ...}` its message uses:
    the error points at the user's select, the line they changed, and names the message's."""
    default = (builtin_dir() / "default.yaml").read_text().splitlines()
    start = default.index("  affiliate-rel-missing:")
    line = next(i for i, t in enumerate(default) if i > start and "message:" in t) + 1
    policy = "rules:\n  affiliate-rel-missing:\n    select: {tag: a, affiliate: true}\n"
    code, _, err = run(links, capsys, policy)
    assert code == 2
    assert err.startswith(
        'adlint: error: policy.yaml:3: rule "affiliate-rel-missing": key "select": this select '
        f'yields no field "{{note}}", which the rule\'s message (at adlint:default:{line}) uses'
    ), err
    assert "set a message of your own" in err and "network" in err


def test_a_message_changed_over_an_inherited_select_is_the_line_named(links, capsys):
    """Changing only an inherited rule's message, with a typo: the message is what changed,
    so the error is at it with a did-you-mean, not at the default policy's select."""
    policy = "rules:\n  affiliate-link:\n    message: '{netwrok} link'\n"
    code, _, err = run(links, capsys, policy)
    assert code == 2
    assert err.startswith(
        'adlint: error: policy.yaml:3: rule "affiliate-link": key "message": '
        'unknown field "{netwrok}": did you mean "{network}"?'
    ), err


def test_a_later_file_changing_the_message_over_a_replaced_select_is_named(links, capsys):
    """A config replaces the select, a later --policy file sets a message using a field that
    select lacks: the message, set last, is the line named."""
    (links / ".adlint.yaml").write_text(
        "rules:\n  affiliate-rel-missing:\n    select: {tag: a, affiliate: true}\n"
        "    message: 'plain {url}'\n"
    )
    policy = "rules:\n  affiliate-rel-missing:\n    message: '{note} {url}'\n"
    code, _, err = run(links, capsys, policy)
    assert code == 2
    assert err.startswith(
        'adlint: error: policy.yaml:3: rule "affiliate-rel-missing": key "message": '
        'unknown field "{note}"'
    ), err


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("{unclosed", "invalid template: expected '}' before end of string"),
        ("closing} only", "invalid template: Single '}' encountered"),
        ("{0}", 'field "{0}" must be a plain name such as {url}'),
        ("{}", 'field "{}" must be a plain name'),
        ("{url.__class__}", 'field "{url.__class__}" must be a plain name'),
        ("{url[0]}", 'field "{url[0]}" must be a plain name'),
        ("{url:{url.__class__}}", 'field "{url}": a format spec cannot hold a field'),
        ("{url!x}", 'field "{url}": unknown conversion "!x"'),
        ("{url:.1q}", 'field "{url}": invalid format spec ":.1q"'),
        ("{url:,s}", 'field "{url}": invalid format spec ":,s" (no string or number can'),
        ("{url:>101}", 'field "{url}": format spec ":>101" asks for a width or precision over'),
        ("{url:.9999999999}", 'format spec ":.9999999999" asks for a width or precision over'),
    ],
)
def test_bad_templates_exit_2_with_file_line_and_key(links, capsys, message, expected):
    policy = user_rule(message, "{tag: a}")
    line = policy.splitlines().index(f"    message: '{message}'") + 1
    code, _, err = run(links, capsys, policy)
    assert code == 2
    assert err.startswith(f'adlint: error: policy.yaml:{line}: rule "user-rule": key "message": ')
    assert expected in err and "Traceback" not in err


def test_a_huge_unknown_field_is_quoted_short(links, capsys):
    name = "n" * 5000
    code, _, err = run(links, capsys, user_rule(f"{{{name}}}", "{tag: a}"))
    assert code == 2
    assert f'unknown field "{{{"n" * 60}…}}"' in err and len(err) < 400


def test_format_specs_render_and_a_spec_that_does_not_fit_the_value_shows_it_plain(links, capsys):
    code, out, err = run(links, capsys, user_rule("[{host:>12}] {url:.1f} {url!r}", "{tag: a}"))
    assert code == 1, err
    html_url = "https://example.org/p?ref=abc"
    assert f"[ example.org] {html_url} '{html_url}'" in user_messages(out)


def test_the_real_entry_point_prints_one_line_and_no_traceback(links):
    (links / "policy.yaml").write_text(user_rule("Ad from {netwrok}", "{affiliate: true}"))
    result = run_adlint(links, "check", "a.md", "--policy", "policy.yaml")
    assert result.returncode == 2
    assert result.stderr.startswith('adlint: error: policy.yaml:5: rule "user-rule": key "message"')
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def readme_policies() -> list[str]:
    """The README's YAML examples that are policies (they have `rules:`)."""
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```yaml\n(.*?)```", readme, re.S)
    return [block for block in blocks if re.search(r"^rules:", block, re.M)]


def test_every_shipped_policy_and_documented_example_loads(site, capsys):
    """Shipped policies, the example site's config and the README's examples all use only
    fields their rules yield (the default's `{note}` and `{client}` come from one branch)."""
    assert main(["rules", "--no-config"]) == 0
    shipped = [p for p in builtin_dir().glob("*.yaml") if "rules:" in p.read_text()]
    assert shipped, "no shipped policy found"
    for path in shipped:
        assert main(["rules", "--no-config", "--policy", str(path)]) == 0, path
    assert main(["rules", "--config", str(ROOT / "examples" / ".adlint.yaml")]) == 0
    examples = readme_policies()
    assert len(examples) >= 3
    (site / "our-networks.yaml").write_text("{}\n")  # the files the examples name
    (site / "public").mkdir()
    (site / "public" / "ads.txt").write_text("google.com, pub-1, DIRECT\n")
    for index, example in enumerate(examples):
        (site / f"readme{index}.yaml").write_text(example)
        code = main(["rules", "--no-config", "--policy", f"readme{index}.yaml"])
        assert code == 0, (example, capsys.readouterr().err)
    capsys.readouterr()


@pytest.mark.parametrize("name", sorted(kinds()))
def test_every_field_a_kind_yields_is_documented(name: str) -> None:
    """`adlint rules --kinds` prints each kind's module docstring, whose "Message fields"
    section is what users write messages from: a field the kind yields but does not list
    (the parse kind's `path`, used by its own example) is one nobody knows to use."""
    kind = kinds()[name]
    doc = sys.modules[kind.__module__].__doc__ or ""
    section = doc.split("Message fields:", 1)[1].split("\n\n", 1)[0]
    listed = set(re.findall(r"[a-z_0-9]+", section))
    assert set(kind.fields) <= listed, sorted(set(kind.fields) - listed)
