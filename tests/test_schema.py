"""The shipped JSON Schema for policy files must agree with what the loader accepts."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from adlint import select
from adlint.kinds import kinds
from adlint.policy import CONFIG_KEYS, POLICY_KEYS, RULE_KEYS
from adlint.rulebuild import kind_options
from adlint.select import KEYS, Selector, SelectorError
from adlint.setting import LINK_KEYS

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "adlint" / "schema" / "policy.schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def test_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("policy", ["policies/default.yaml", "examples/.adlint.yaml"])
def test_shipped_policies_validate_against_the_schema(policy):
    errors = list(VALIDATOR.iter_errors(yaml.safe_load((ROOT / policy).read_text())))
    assert errors == []


def test_schema_lists_exactly_the_top_level_keys():
    """A key the loader accepts but the schema lacks makes editors reject a valid config."""
    assert set(SCHEMA["properties"]) == set(POLICY_KEYS + CONFIG_KEYS)


def test_schema_lists_exactly_the_links_settings():
    assert set(SCHEMA["properties"]["links"]["properties"]) == set(LINK_KEYS)


@pytest.mark.parametrize(
    "config",
    [{"check_links": "no"}, {"cache": "no"}, {"extensions": ["*.md"]}, {"links": {"retry": 2}}],
)
def test_schema_rejects_what_the_loader_rejects(config):
    assert list(VALIDATOR.iter_errors(config))


def test_schema_rejects_an_unknown_selector_key():
    bad = {
        "rules": {
            "x": {"kind": "match", "severity": "info", "message": "m", "select": {"tagg": "a"}}
        }
    }
    assert list(VALIDATOR.iter_errors(bad))


def test_schema_and_docs_list_exactly_the_selector_keys():
    """A key the loader accepts but the schema lacks makes editors reject a valid policy;
    one missing from `adlint rules --kinds` (the select module's table) is undocumented."""
    assert set(SCHEMA["$defs"]["selector"]["properties"]) == set(KEYS)
    documented = set(re.findall(r"^\| `(\w+)`", select.__doc__ or "", re.MULTILINE))
    assert documented | {"any", "all", "not"} == set(KEYS)


@pytest.mark.parametrize("key", ["origin", "format"])
@pytest.mark.parametrize(
    ("value", "valid"),
    [("html", True), (["html", "markdown"], True), ("md", False), (["md"], False)],
)
def test_schema_and_loader_agree_on_the_html_or_markdown_keys(key, value, valid):
    """The loader takes one value or a list of them (any of), as for every selector key."""
    rule = {"kind": "match", "severity": "info", "message": "m", "select": {"tag": "a", key: value}}
    assert (not list(VALIDATOR.iter_errors({"rules": {"x": rule}}))) == valid
    try:
        Selector(rule["select"])
    except SelectorError:
        assert not valid
    else:
        assert valid


def test_schema_rejects_an_empty_selector():
    empty = {"rules": {"x": {"kind": "match", "severity": "info", "message": "m", "select": {}}}}
    assert list(VALIDATOR.iter_errors(empty))


def test_schema_rejects_an_option_of_another_kind():
    bad = {
        "rules": {
            "x": {
                "kind": "match",
                "severity": "info",
                "message": "m",
                "select": {"tag": "a"},
                "max_share": 0.3,
            }
        }
    }
    assert list(VALIDATOR.iter_errors(bad))


@pytest.mark.parametrize("name", sorted(kinds()))
def test_schema_lists_exactly_each_kind_options(name):
    """A new kind option must be added to the schema too, or editors reject valid YAML."""
    rule_schema = SCHEMA["$defs"]["rule"]["oneOf"][1]
    branch = next(
        b["then"] for b in rule_schema["allOf"] if b["if"]["properties"]["kind"]["const"] == name
    )
    options = set(kind_options(kinds()[name]))
    assert set(branch["properties"]) - set(RULE_KEYS) == options
    assert set(RULE_KEYS) <= set(branch["properties"])
    assert all(dataclasses.is_dataclass(k) for k in kinds().values())


@pytest.mark.parametrize(
    ("key", "value", "accepted"),
    [
        ("concurrency", 0, False),
        ("concurrency", 1, True),
        ("per_host", 0, False),
        ("timeout", 0, False),
        ("timeout", 0.5, True),
        ("url_timeout", 0, False),
        ("url_timeout", 30, True),
        ("retries", 0, True),
        ("max_redirects", 0, True),
    ],
)
def test_schema_and_loader_agree_on_link_limits(key, value, accepted):
    """An editor validating against the schema must not pass a value the loader refuses."""
    from adlint.errors import PolicyError
    from adlint.setting import check_setting
    from adlint.yamlfile import load_yaml

    schema_ok = not list(VALIDATOR.iter_errors({"links": {key: value}}))
    try:
        check_setting("links", load_yaml(f"{key}: {value}\n"), path="x.yaml", line=1, base=ROOT)
        loader_ok = True
    except PolicyError:
        loader_ok = False
    assert schema_ok == loader_ok == accepted


def test_schema_accepts_null_for_the_options_null_unsets():
    """`null` unsets an inherited optional option (rulebuild): editors must accept it."""
    nulled = {
        name: None
        for kind in kinds().values()
        for name, option in kind_options(kind).items()
        if option.default is None
    }
    assert {"navigation", "max_share", "text", "ads_txt"} <= set(nulled)
    rule = {"kind": "density", "severity": "warning", "message": "m", "select": {"tag": "ins"}}
    density = {k: v for k, v in nulled.items() if k in kind_options(kinds()["density"])}
    assert list(VALIDATOR.iter_errors({"rules": {"x": {**rule, **density}}})) == []
    assert list(VALIDATOR.iter_errors({"rules": {"x": {**rule, "min_words": None}}}))
