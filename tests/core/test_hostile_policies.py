"""Policies from strangers (a fork's .adlint.yaml): no code runs, no hang, exit 2 with a place.

The run-time regex limit is proven with a pattern the load-time check accepts but that
takes polynomial time on a long URL; every test also runs under a subprocess timeout that
only detects hangs (it is far above what the run needs).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from adlint.pattern import MAX_TIMEOUTS, PatternTimeout, UnsafePattern, compile_pattern
from adlint.sourcelog import MAX_SOURCE
from tests.core.fresh import run_adlint

SLOW_BUT_ACCEPTED = ".*.*.*.*=.*.*.*.*X"
HOSTILE_URL = "https://example.com/?" + "a=" * 3000


def adlint(cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return run_adlint(cwd, *argv)


def user_rule(select: str) -> str:
    return (
        "rules:\n"
        "  user-rule:\n"
        "    kind: match\n"
        "    severity: warning\n"
        "    message: user rule hit\n"
        f"    select: {select}\n"
    )


def alias_bomb(levels: int) -> str:
    """Each level is a selector holding nine references to the level below."""
    lines = ["rules:"]
    for level in range(levels):
        inner = "{tag: a}" if level == 0 else "{any: [" + ", ".join([f"*s{level - 1}"] * 9) + "]}"
        lines += [
            f"  r{level}:",
            "    kind: match",
            "    severity: info",
            "    message: m",
            f"    select: &s{level} {inner}",
        ]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (
            "rules: !!python/object/apply:os.mkdir ['PWNED']\n",
            "policy.yaml:1: YAML syntax error: could not determine a constructor",
        ),
        ("x: !!python/name:os.system\n", "policy.yaml:1: YAML syntax error"),
        (alias_bomb(8), "aliases expand to more than 100,000 nodes"),
        ("a: &a [1, *a]\n", "policy.yaml:1:"),
        (user_rule("{url: '(x+x+)+y'}"), 'policy.yaml:6: rule "user-rule": key "select.url": '
         "unsafe regular expression: nested unbounded repetition"),
        (user_rule("{url: '(a)\\1'}"), 'key "select.url": unsafe regular expression: '
         "backreferences are not allowed"),
        (user_rule("{text: '" + "a" * 3000 + "'}"), "pattern is longer than 2000 characters"),
        ("extends: [policy.yaml]\n", 'policy.yaml:1: key "extends": extends cycle'),
        ("site: [x]\nrules: {}\nn: " + "1" * 5000 + "\n", "policy.yaml:3: YAML value error: "
         "Exceeds the limit (4300 digits) for integer string conversion: value has 5000 digits\n"),
        ("site:\n  - 2024-13-45\n", "policy.yaml:2: YAML value error: month must be in 1..12"),
    ],
)  # fmt: skip
def test_hostile_policies_exit_2_with_file_and_line(
    tmp_path: Path, policy: str, expected: str
) -> None:
    (tmp_path / "policy.yaml").write_text(policy)
    (tmp_path / "a.md").write_text("[x](https://example.com)\n")
    result = adlint(tmp_path, "check", "a.md", "--policy", "policy.yaml")
    assert result.returncode == 2, result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "PWNED").exists()


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("/dev/zero", "not a regular file"),  # read whole, it exhausted memory
        ("fifo", "not a regular file"),  # opened for reading, it blocked for ever
        ("big.txt", "larger than 5 MB"),
    ],
)
def test_ads_txt_must_be_a_small_regular_file(tmp_path: Path, source: str, reason: str) -> None:
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "big.txt").write_bytes(b"#" * (MAX_SOURCE + 1))
    (tmp_path / ".adlint.yaml").write_text(f"rules:\n  ad-client-unknown:\n    ads_txt: {source}\n")
    (tmp_path / "a.md").write_text("# x\n")
    result = run_adlint(tmp_path, "check", "--no-cache", "a.md", timeout=60)
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith('adlint: error: .adlint.yaml:3: rule "ad-client-unknown": key "ads_txt"')
    assert line.endswith(f": {reason}")


def test_a_policy_source_is_read_only_up_to_the_cap(tmp_path: Path) -> None:
    (tmp_path / "huge.yaml").write_bytes(b"#" * (50 * MAX_SOURCE))
    (tmp_path / "a.md").write_text("# x\n")
    result = run_adlint(tmp_path, "check", "--policy", "huge.yaml", "a.md", memory_mb=400)
    assert result.returncode == 2
    assert result.stderr == "adlint: error: huge.yaml: cannot read policy file: larger than 5 MB\n"


def test_extends_depth_is_bounded(tmp_path: Path) -> None:
    for index in range(40):
        (tmp_path / f"p{index}.yaml").write_text(f"extends: [p{index + 1}.yaml]\n")
    (tmp_path / "p40.yaml").write_text("rules: {}\n")
    (tmp_path / "a.md").write_text("text\n")
    result = adlint(tmp_path, "check", "a.md", "--policy", "p0.yaml")
    assert result.returncode == 2
    assert "extends is nested deeper than" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("pattern", [SLOW_BUT_ACCEPTED, "(.*=){8}X", "^(.*?,){30}P", "(=.*){20}X"])
def test_patterns_static_checks_miss_are_stopped_by_the_time_limit(pattern: str) -> None:
    compiled = compile_pattern(pattern)  # accepted at load time...
    with pytest.raises(PatternTimeout, match="took longer than"):
        compiled.search("a=" * 4000 + "," * 4000)  # ...but cut off when it runs away


def test_a_pattern_that_keeps_timing_out_is_disabled() -> None:
    compiled = compile_pattern(SLOW_BUT_ACCEPTED)
    for _ in range(MAX_TIMEOUTS):
        with pytest.raises(PatternTimeout, match="took longer than"):
            compiled.search("a=" * 4000)
    with pytest.raises(PatternTimeout, match="disabled after"):
        compiled.search("a=" * 4000)
    with pytest.raises(PatternTimeout, match="disabled after"):
        compiled.search("a=X")  # even harmless input: a disabled pattern fails at once


def test_time_limited_rule_gives_up_per_file_and_the_run_goes_on(tmp_path: Path) -> None:
    (tmp_path / "policy.yaml").write_text(
        "extends: [adlint:default]\n" + user_rule("{url: '" + SLOW_BUT_ACCEPTED + "'}")
    )
    article = (
        f'<a href="{HOSTILE_URL}">slow</a>\n'
        '<a href="https://www.amazon.com/dp/B01?tag=mine-20">deal</a>\n'
    )
    names = [f"{index}.html" for index in range(5)]
    for name in names:
        (tmp_path / name).write_text(article)
    result = adlint(tmp_path, "check", *names, "--policy", "policy.yaml", "-j1", "--format", "json")
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    gave_up = [f for f in findings if f["rule"] == "user-rule"]
    assert [f["path"] for f in gave_up] == names  # one per file, never silent
    assert all("gave up on this file" in f["message"] for f in gave_up)
    assert sum("took longer than" in f["message"] for f in gave_up) == MAX_TIMEOUTS
    assert sum("disabled after" in f["message"] for f in gave_up) == len(names) - MAX_TIMEOUTS
    # The other rules still ran on every file.
    links = [f["path"] for f in findings if f["rule"] == "affiliate-link"]
    assert links == names


def test_unsafe_link_exclude_patterns_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("text\n")
    result = adlint(tmp_path, "check", "a.md", "--exclude", "(a*)*b")
    assert result.returncode == 2
    assert "unsafe" in result.stderr and "Traceback" not in result.stderr


def test_compile_pattern_refuses_what_it_can_see() -> None:
    with pytest.raises(UnsafePattern):
        compile_pattern("([a-z]+)*$")


def test_globs_that_made_one_regex_backtrack_exponentially(tmp_path: Path) -> None:
    """`*a*a*a*a*a*a*a*b` took 10 s on a 60-letter name as one regex, and grows
    exponentially; each glob below would stall the run for hours on these paths. The
    subprocess timeout only detects a hang."""
    name = "a" * 200 + ".md"
    deep = Path(*["a"] * 60, "c.md")
    for path in (tmp_path / name, tmp_path / deep):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("[deal](https://www.amazon.com/dp/B01?tag=mine-20)\n")
    (tmp_path / ".adlint.yaml").write_text(
        "exclude_paths: ['*a*a*a*a*a*a*a*a*a*a*b', '**/**/**/**/**/**/x']\n"
        "overrides:\n"
        "  - paths: ['**/a/**/a/**/a/**/a/**/a/**/b', '*a*a*a*a*a*a*a*a*a*a*.md']\n"
        "    rules: {affiliate-disclosure-missing: false}\n"
    )
    result = adlint(tmp_path, "check", ".", "-j1", "--format", "json")
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    # neither file is excluded; the override's second glob matches the long name only
    disclosure = [f["path"] for f in findings if f["rule"] == "affiliate-disclosure-missing"]
    assert disclosure == [deep.as_posix()]
    assert sorted({f["path"] for f in findings}) == sorted([name, deep.as_posix()])


def test_a_huge_message_template_renders_in_linear_time(tmp_path: Path) -> None:
    """A valid template whose one long field name could be split between the name and its
    format spec in every way: 3.4 s at 20,000 characters a side with the old pattern, far
    longer at this size. The subprocess timeout only detects a hang."""
    side = 150_000
    template = "({" + "a" * side + "}" + "x" * side
    (tmp_path / "policy.yaml").write_text(  # `? key` is YAML's form for a key this long
        "rules:\n  user-rule:\n    kind: match\n    severity: warning\n"
        f"    message: '{template} {{url}}'\n"
        f"    select:\n      tag: a\n      data:\n        ? {'a' * side}\n        : ''\n"
    )
    (tmp_path / "a.md").write_text("[x](https://example.com/)\n")
    result = adlint(tmp_path, "check", "a.md", "--policy", "policy.yaml", "--format", "json")
    assert result.returncode == 0, result.stderr
    [finding] = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "user-rule"]
    # the field is empty and the part has no closing `)`, so it stays as written, emptied
    assert finding["message"] == "(" + "x" * side + " https://example.com/"


def test_deeply_nested_any_selectors_load_in_linear_time(tmp_path: Path) -> None:
    """Each `any` compiled its options twice (once more to learn their tags), so the work
    grew about 2.6-fold per level: 14 levels took 7 s, 20 did not finish in 100 s. Sixty
    levels must load, and still match only the innermost tag. The subprocess timeout only
    detects a hang."""
    select = "{tag: a, url: shop}"
    for _ in range(60):
        select = "{any: [" + select + ", {tag: a, url: never-used}]}"
    (tmp_path / "policy.yaml").write_text(
        "rules:\n  nested:\n    kind: match\n    severity: warning\n"
        f"    message: 'nested {{url}}'\n    select: {select}\n"
    )
    (tmp_path / "a.md").write_text(
        '<img src="https://shop.example/p.png">\n\n[x](https://shop.example/)\n'
    )
    result = adlint(
        tmp_path, "check", "a.md", "--no-config", "--policy", "policy.yaml", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    found = [(f["line"], f["column"]) for f in json.loads(result.stdout)["findings"]]
    assert found == [(3, 5)]


def test_a_deeply_nested_policy_is_a_config_error_not_a_crash(tmp_path: Path) -> None:
    """30,000 nested brackets crashed libyaml's C parser (SIGSEGV); the Python parser reads
    text that may nest that deep, and stops."""
    (tmp_path / "policy.yaml").write_text("rules:\n  x: " + "[" * 30_000 + "]" * 30_000 + "\n")
    (tmp_path / "a.md").write_text("Text.\n")
    result = adlint(tmp_path, "check", "a.md", "--no-config", "--policy", "policy.yaml")
    assert result.returncode == 2
    assert result.stderr.strip() == "adlint: error: policy.yaml:1: YAML nesting is too deep"


def test_many_overrides_of_many_rules_load_in_linear_time(tmp_path: Path) -> None:
    """Each override was validated by building every rule with it applied: 2,000
    overrides of 2,000 rules took five minutes and 10 GB. The last override is invalid, and
    must still be reported with its place; fixed, overrides apply per path."""
    count = 2_000
    rules = "".join(
        f"  r{i}: {{kind: match, severity: info, message: m, select: {{url: '//x{i}[.]'}}}}\n"
        for i in range(count)
    )
    overrides = "".join(
        f"  - {{paths: ['p{i}/**'], rules: {{r{i}: {{severity: warning}}}}}}\n"
        for i in range(count)
    )
    config = tmp_path / ".adlint.yaml"
    bad = "  - {paths: ['q/**'], rules: {r7: {severity: loud}}}\n"
    config.write_text(f"rules:\n{rules}overrides:\n{overrides}{bad}")
    (tmp_path / "p7").mkdir()
    (tmp_path / "p7" / "a.md").write_text("[a](https://x7.example/)\n")
    (tmp_path / "a.md").write_text("[a](https://x7.example/)\n")
    result = adlint(tmp_path, "check", "a.md", "p7/a.md", "--format", "json")
    assert result.returncode == 2
    assert result.stderr.startswith(f"adlint: error: .adlint.yaml:{2 * count + 3}:")
    config.write_text(f"rules:\n{rules}overrides:\n{overrides}")
    result = adlint(tmp_path, "check", "a.md", "p7/a.md", "--format", "json")
    assert result.returncode == 0, result.stderr
    found = [(f["path"], f["severity"]) for f in json.loads(result.stdout)["findings"]]
    assert found == [("a.md", "info"), ("p7/a.md", "warning")]
