"""Config settings (`fail_on`, `exclude_paths`, `extensions`, `check_links`, `cache`, `links`):
every value of the wrong type or shape stops the run with exit 2 and `file:line: key`."""

from __future__ import annotations

import json

import pytest

from adlint.cli import main
from adlint.policy import CONFIG_KEYS, POLICY_KEYS
from adlint.setting import CHECKERS
from tests.core.configsite import DIRTY, check


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("exclude_paths: 5\n", '.adlint.yaml:1: key "exclude_paths": must be a glob'),
        ("exclude_paths: ['']\n", '.adlint.yaml:1: key "exclude_paths": must be a glob'),
        ("extensions: [5]\n", '.adlint.yaml:1: key "extensions": must be a file extension'),
        ("extensions: []\n", '.adlint.yaml:1: key "extensions": must list at least one'),
        (
            "site: [example.com]\n\nextensions: .md,.html\n",
            """.adlint.yaml:3: key "extensions": '.md,.html' is not a file extension""",
        ),
        (
            "extensions: ['*.md']\n",
            """.adlint.yaml:1: key "extensions": '*.md' is not a file extension""",
        ),
        ("check_links: 'no'\n", '.adlint.yaml:1: key "check_links": must be true or false'),
        ("check_links: 'false'\n", '.adlint.yaml:1: key "check_links": must be true or false'),
        ("check_links: maybe\n", '.adlint.yaml:1: key "check_links": must be true or false'),
        ("cache: 'no'\n", '.adlint.yaml:1: key "cache": must be true or false'),
        ("fail_on: bad\n", '.adlint.yaml:1: key "fail_on": must be error, warning or info'),
        ("file_timeout: -1\n", '.adlint.yaml:1: key "file_timeout": must be a number of seconds'),
        ("file_timeout: .inf\n", '.adlint.yaml:1: key "file_timeout": must be a number of'),
        ("file_timeout: true\n", '.adlint.yaml:1: key "file_timeout": must be a number of'),
        ("links: {check: 'no'}\n", '.adlint.yaml:1: key "links.check": expected bool'),
        ("links: [check]\n", '.adlint.yaml:1: key "links": must be a mapping'),
    ],
)  # fmt: skip
def test_bad_setting_exits_2_naming_file_line_and_key(site, capsys, config, expected):
    (site / ".adlint.yaml").write_text(config)
    code, err = check(capsys)
    assert code == 2
    assert err.startswith(f"adlint: error: {expected}"), err
    assert "Traceback" not in err


@pytest.mark.parametrize("key", POLICY_KEYS + CONFIG_KEYS)
def test_every_top_level_key_refuses_a_value_of_the_wrong_type(site, capsys, key):
    wrong = "one minute" if key == "file_timeout" else 5  # the one numeric key
    (site / ".adlint.yaml").write_text(f"# a config\n{key}: {wrong}\n")
    code, err = check(capsys)
    assert code == 2
    assert err.startswith(f'adlint: error: .adlint.yaml:2: key "{key}": '), err


def test_every_config_key_has_a_checker():
    assert set(CHECKERS) == set(CONFIG_KEYS)


def test_bad_setting_in_a_policy_file_names_that_file(site, capsys):
    (site / "house.yaml").write_text("cache: sometimes\n")
    code, err = check(capsys, "a.md", "--policy", "house.yaml")
    assert code == 2
    assert err.startswith('adlint: error: house.yaml:1: key "cache": must be true or false')


def test_bad_setting_in_pyproject_names_its_line(site, capsys):
    (site / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.adlint]\nextensions = 5\n')
    code, err = check(capsys)
    assert code == 2
    assert err.startswith('adlint: error: pyproject.toml:5: key "extensions": '), err


def test_exclude_paths_given_as_one_string_is_one_glob(site, capsys):
    (site / "drafts").mkdir()
    (site / "drafts" / "b.md").write_text(DIRTY)
    (site / ".adlint.yaml").write_text('exclude_paths: "drafts/**"\n')
    main(["check", "--format", "json", "."])
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["files"] == 1
    assert {f["path"] for f in report["findings"]} == {"a.md"}


def test_extensions_given_as_one_string_is_one_extension(site, capsys):
    (site / "b.html").write_text('<a href="https://www.amazon.com/dp/B0X?tag=x-20">deal</a>\n')
    (site / ".adlint.yaml").write_text("extensions: .html\n")
    main(["check", "--format", "json", "."])
    report = json.loads(capsys.readouterr().out)
    assert {f["path"] for f in report["findings"]} == {"b.html"}
