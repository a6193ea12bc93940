"""Policy patterns: the anchored-prefix shortcut never changes what matches."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adlint.pattern import MAX_TIMEOUTS, PatternTimeout, compile_pattern

PATTERNS = [
    r"^/click-(?P<pid>[0-9]{5,10})-(?P<aid>[0-9]{5,10})$",
    r"^/c/(?P<mpid>[0-9]{4,10})/",
    r"(?i)^/order/",
    r"^ab|c",
    r"(?m)^/x",
    r"^a*b",
    r"^\.php",
]
TEXTS = st.lists(
    st.sampled_from(
        [
            "/",
            "c",
            "/c/",
            "click-",
            "12345",
            "-",
            "\n",
            "/x",
            "a",
            "b",
            "ab",
            ".php",
            "/ORDER/",
            "/order/",
        ]
    ),
    max_size=8,
).map("".join)


@pytest.mark.parametrize("pattern", PATTERNS)
@settings(max_examples=300, deadline=None)
@given(text=TEXTS, pos=st.integers(0, 3), end=st.one_of(st.none(), st.integers(0, 12)))
def test_safe_pattern_agrees_with_re(pattern: str, text: str, pos: int, end: int | None):
    safe, plain = compile_pattern(pattern), re.compile(pattern)
    stop = len(text) if end is None else end
    for method in ("match", "search", "fullmatch"):
        ours = getattr(safe, method)(text, pos, end)
        theirs = getattr(plain, method)(text, pos, stop)
        assert (ours and ours.span()) == (theirs and theirs.span()), method


def test_anchored_literal_prefix_is_used_only_when_it_is_safe():
    assert compile_pattern(r"^/click-(?P<id>\d+)")._prefix == "/click-"
    assert compile_pattern(r"(?i)^/order/")._prefix == ""
    assert compile_pattern(r"(?m)^/x")._prefix == ""
    assert compile_pattern(r"^ab|c")._prefix == ""


def test_refuses_exactly_the_inputs_match_rejects_without_running():
    pattern = compile_pattern(r"^/c/(?P<id>[0-9]+)$")
    assert pattern.refuses("/x/1") and pattern.match("/x/1") is None
    assert not pattern.refuses("/c/x")  # has the prefix: only the engine can tell
    assert not compile_pattern(r"(?i)^/c/").refuses("/x/")  # no safe prefix: never refuses


def test_disabled_pattern_is_not_refused_so_callers_still_see_it_raise():
    pattern = compile_pattern(r"^/c/")
    pattern._timeouts = MAX_TIMEOUTS
    assert not pattern.refuses("/x/")
    with pytest.raises(PatternTimeout):
        pattern.match("/x/")


@pytest.mark.parametrize("pattern", ["[[:foo:]]", "x[[:nope:]]y", "[[:alpha:]"])
def test_a_pattern_only_re_accepts_is_refused_when_loaded(pattern: str):
    """`re` reads `[[:foo:]]` as a set of characters (with a FutureWarning); `regex`, which
    runs every pattern, as an unknown POSIX class: it failed on every file, as an internal
    error, instead of once at its file:line."""
    with pytest.raises(re.error):
        compile_pattern(pattern)


def test_a_nested_set_both_engines_accept_loads_without_a_warning(recwarn):
    compile_pattern("[[:alpha:]]+")
    assert not [w for w in recwarn if issubclass(w.category, FutureWarning)]


def test_a_policy_pattern_only_re_accepts_is_a_usage_error_at_its_line(tmp_path, capsys):
    from adlint.cli import main

    (tmp_path / "a.md").write_text("[x](https://example.com/)\n")
    (tmp_path / "policy.yaml").write_text(
        "rules:\n  r1:\n    kind: match\n    severity: warning\n    message: m\n"
        "    select: {url: '[[:foo:]]'}\n"
    )
    code = main(["check", str(tmp_path / "a.md"), "--policy", str(tmp_path / "policy.yaml")])
    err = capsys.readouterr().err
    assert code == 2
    assert 'policy.yaml:6: rule "r1": key "select.url": invalid regular expression' in err
    assert "Traceback" not in err


def test_loading_an_ordinary_pattern_leaves_the_regex_engine_unloaded():
    """Only patterns the two engines may read differently are compiled at load: the others
    wait for first use, so a run the cache answers never imports `regex` (~10 ms)."""
    import subprocess
    import sys

    code = (
        "import sys; from adlint.pattern import compile_pattern; "
        "compile_pattern(r'(?:^|\\n)#?ad[ \\t]*(?:\\n|$|[:|-])'); "
        "print('regex' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
