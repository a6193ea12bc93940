"""Policy layering as users meet it: unknown rules, `extends`, and files that are not there.

A config without `extends` builds on adlint:default; one with `extends` builds only on the
files it lists (ESLint's rule), so these tests pin what happens when that surprises.
"""

from __future__ import annotations

import os

import pytest
import yaml

from adlint.cli import main
from adlint.policy import builtin_dir
from tests.core.configsite import check
from tests.core.fresh import run_adlint


def test_disabling_an_unknown_rule_names_file_line_and_rule(site, capsys):
    (site / ".adlint.yaml").write_text("rules:\n  ad-unit: false\n  no-such-rule: false\n")
    code, err = check(capsys)
    assert code == 2
    assert err.startswith(
        'adlint: error: .adlint.yaml:3: rule "no-such-rule": unknown rule: '
        "there is no such rule to disable"
    ), err


def test_disabling_a_misspelt_rule_suggests_the_real_one(site, capsys):
    (site / ".adlint.yaml").write_text("rules:\n  ad-unitt: 'off'\n")
    code, err = check(capsys)
    assert code == 2
    assert '.adlint.yaml:2: rule "ad-unitt": unknown rule' in err
    assert 'did you mean "ad-unit"?' in err


def test_changing_an_unknown_rule_says_a_new_rule_needs_a_kind(site, capsys):
    (site / ".adlint.yaml").write_text("rules: {no-such-rule: {severity: warning}}\n")
    code, err = check(capsys)
    assert code == 2
    assert err.startswith(
        'adlint: error: .adlint.yaml:1: rule "no-such-rule": unknown rule: '
        'a new rule needs "kind", "severity" and "message"'
    ), err
    assert "missing required key" not in err


def test_extended_file_without_extends_does_not_build_on_the_default(site, capsys):
    (site / "base.yaml").write_text("rules: {ad-unit: false}\n")
    (site / ".adlint.yaml").write_text("extends: [base.yaml]\n")
    code, err = check(capsys)
    assert code == 2
    assert err.startswith('adlint: error: base.yaml:1: rule "ad-unit": unknown rule: '), err
    assert '"ad-unit" is an adlint:default rule' in err and "list adlint:default first" in err


def test_default_listed_after_a_pack_cannot_be_disabled_by_it(site, capsys):
    (site / "base.yaml").write_text("rules: {ad-unit: false}\n")
    (site / ".adlint.yaml").write_text("extends: [base.yaml, adlint:default]\n")
    code, err = check(capsys)
    assert code == 2
    assert 'base.yaml:1: rule "ad-unit": unknown rule' in err


def test_extends_listing_the_default_keeps_its_rules(site, capsys):
    (site / "base.yaml").write_text("rules: {ad-unit: false}\n")
    (site / ".adlint.yaml").write_text("extends: [adlint:default, base.yaml]\n")
    assert main(["rules"]) == 0
    listed = capsys.readouterr().out
    assert "affiliate-link" in listed and "ad-unit " not in listed


def test_policy_enabling_no_rules_exits_2_at_its_extends(site, capsys):
    (site / "base.yaml").write_text("rules: {}\n")
    (site / ".adlint.yaml").write_text("site: [example.com]\nextends: [base.yaml]\n")
    code, err = check(capsys)
    assert code == 2
    assert err.startswith(
        'adlint: error: .adlint.yaml:2: key "extends": the policy enables no rules'
    ), err
    assert "add adlint:default" in err


def test_disabling_every_default_rule_exits_2(site, capsys):
    default = yaml.safe_load((builtin_dir() / "default.yaml").read_text())
    disabled = "".join(f"  {rule}: false\n" for rule in default["rules"])
    (site / ".adlint.yaml").write_text(f"site: [example.com]\nrules:\n{disabled}")
    code, err = check(capsys)
    assert code == 2
    assert err.startswith('adlint: error: .adlint.yaml:2: key "rules": every rule is disabled')


def test_rule_enabled_only_by_an_override_is_enough(site, capsys):
    (site / ".adlint.yaml").write_text(
        "extends: []\n"
        "rules:\n"
        "  amazon: {kind: match, severity: 'off', message: m, select: {domain: amazon.com}}\n"
        "overrides:\n"
        "  - paths: ['news/**']\n"
        "    rules: {amazon: {severity: error}}\n"
    )
    code, err = check(capsys)
    assert (code, err) == (0, "")


def test_missing_extends_file_names_the_referring_file_line_and_key(site, capsys):
    (site / ".adlint.yaml").write_text("site: [example.com]\nextends: [nothere.yaml]\n")
    code, err = check(capsys)
    assert code == 2
    assert err == (
        'adlint: error: .adlint.yaml:2: key "extends": policy file "nothere.yaml" not found\n'
    )


def test_missing_network_catalogue_names_the_referring_file_line_and_key(site, capsys):
    (site / ".adlint.yaml").write_text("networks: [./nope.yaml]\n")
    code, err = check(capsys)
    assert code == 2
    assert err == (
        'adlint: error: .adlint.yaml:1: key "networks": network catalogue "./nope.yaml" not found\n'
    )


@pytest.mark.parametrize("flag", ["--config", "--policy"])
@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("sub/nope.yaml", "no such file: sub/nope.yaml"),
        ("folder", "folder is a directory, not a file"),
        ("pipe", "pipe is not a regular file"),  # opened for reading, a FIFO would block
    ],
)
def test_a_flag_naming_no_policy_file_is_a_usage_error_naming_the_flag(
    site, capsys, flag, name, reason
):
    """Worded as every other flag error (`argument --select: ...`): the flag is what the
    user typed, not a policy key."""
    (site / "folder").mkdir()
    os.mkfifo(site / "pipe")
    code, err = check(capsys, "a.md", flag, name)
    assert code == 2
    assert err == f"adlint: error: argument {flag}: {reason}\n"


@pytest.mark.parametrize("command", [["rules"], ["report", "a.md"], ["fix", "a.md"]])
def test_every_command_words_a_missing_config_flag_file_alike(site, capsys, command):
    before = (site / "a.md").read_text()
    assert main([*command, "--config", "gone.yaml"]) == 2
    assert capsys.readouterr().err == "adlint: error: argument --config: no such file: gone.yaml\n"
    assert (site / "a.md").read_text() == before


def test_a_missing_flag_file_from_the_real_entry_point_is_one_line(site):
    result = run_adlint(site, "check", "a.md", "--policy", "missing.yaml")
    assert result.returncode == 2
    assert result.stderr == "adlint: error: argument --policy: no such file: missing.yaml\n"


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (
            "ad-density: {max_share: 2}",
            'rule "ad-density": key "max_share": must be at most 1, not 2',
        ),
        (
            "ad-density: {max_share: -0.5}",
            'rule "ad-density": key "max_share": must be 0 or more, not -0.5',
        ),
        (
            "ad-density: {max_per_1000_words: -5}",
            'rule "ad-density": key "max_per_1000_words": must be 0 or more, not -5',
        ),
        (
            "ad-density: {min_words: -1}",
            'rule "ad-density": key "min_words": must be 0 or more, not -1',
        ),
        (
            "ad-unit: {precision: extreme}",
            'rule "ad-unit": key "precision": must be one of: very-high, high, medium, low',
        ),
        (
            "ad-unit: {docs: not a url}",
            'rule "ad-unit": key "docs": must be an http(s) URL',
        ),
    ],
)  # fmt: skip
def test_an_option_out_of_range_names_file_line_rule_and_key(site, capsys, rule, expected):
    """Each was accepted: a share of 2 never fires, a precision GitHub does not know was
    written into SARIF, and `docs` became SARIF's helpUri, which must be a URI."""
    (site / ".adlint.yaml").write_text(f"# house rules\nrules:\n  {rule}\n")
    code, err = check(capsys)
    assert code == 2
    assert err.startswith(f"adlint: error: .adlint.yaml:3: {expected}"), err
