"""A file that takes too long is given up and reported; the run goes on (adlint/timelimit.py).

The limits here are far from the costs they separate: the slow article takes ~3 s of CPU
time, the others a few milliseconds, and the limit is half a second.
"""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import pytest

from adlint.cli import main
from adlint.timelimit import TimeLimitExceeded, cpu_time_limit

LINE = 'Text [a](https://example.com/{0}) <img src="https://t.example/p.gif?{0}" width=1>.\n\n'
GIVEN_UP = "took more than 0.5 s of CPU time, so it was given up"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for number in range(20):
        (tmp_path / f"post-{number:02}.md").write_text(
            f"# Post {number}\n\n[deal](https://www.amazon.com/dp/B0{number:08}?tag=me-20)\n"
        )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_json(capsys, *argv: str) -> tuple[int, dict]:
    code = main(["check", "--format", "json", *argv])
    return code, json.loads(capsys.readouterr().out)


def burn(seconds: float) -> None:
    """Spend CPU time in Python code (where the timer can interrupt)."""
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


@pytest.mark.parametrize("jobs", ["-j1", "-j2"])
def test_a_file_over_the_limit_is_a_parse_error_and_every_other_file_is_linted(
    site: Path, capsys, jobs: str
):
    _, expected = run_json(capsys, jobs, "--no-cache", ".")
    (site / "post-07-slow.md").write_text("".join(LINE.format(n) for n in range(40_000)))

    code, report = run_json(capsys, jobs, "--no-cache", "--file-timeout", "0.5", ".")

    assert code == 1
    others = [f for f in report["findings"] if f["path"] != "post-07-slow.md"]
    assert others == expected["findings"]
    given_up = [f for f in report["findings"] if f["path"] == "post-07-slow.md"]
    assert [(f["rule"], f["line"], f["column"]) for f in given_up] == [("parse-error", 1, 1)]
    assert GIVEN_UP in given_up[0]["message"]


def test_the_limit_comes_from_config_and_the_command_line_overrides_it(site: Path, capsys):
    """A given-up file is not cached either: with the limit lifted it is linted in full."""
    deal = "[deal {0}](https://www.amazon.com/dp/B{0:09}?tag=me-20)\n\n"
    (site / "slow.md").write_text("".join(deal.format(n) for n in range(4_000)))
    (site / ".adlint.yaml").write_text("# house settings\nfile_timeout: 0.05\n")
    cache = str(site / "cache")

    _, limited = run_json(capsys, "-j1", "--cache-dir", cache, "slow.md")
    _, lifted = run_json(capsys, "-j1", "--cache-dir", cache, "--file-timeout", "0", "slow.md")

    assert limited["summary"]["by_rule"] == {"parse-error": 1}
    assert "took more than 0.05 s of CPU time" in limited["findings"][0]["message"]
    assert "parse-error" not in lifted["summary"]["by_rule"]
    assert lifted["summary"]["by_rule"]["affiliate-link"] == 4_000


def test_the_limit_is_per_file_not_per_run():
    for _ in range(3):
        with cpu_time_limit(0.6):
            burn(0.25)


def test_a_block_over_the_limit_is_interrupted():
    started = time.process_time()
    with pytest.raises(TimeLimitExceeded), cpu_time_limit(0.2):
        burn(30)
    assert time.process_time() - started < 10


def test_after_the_block_the_timer_is_off_and_a_late_signal_does_nothing():
    with cpu_time_limit(5):
        pass
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
    signal.raise_signal(signal.SIGPROF)  # as if it had fired just as the block ended
    burn(0.05)


@pytest.mark.parametrize("value", ["-1", "soon", "inf"])
def test_a_bad_limit_on_the_command_line_is_a_usage_error(site: Path, capsys, value: str):
    assert main(["check", "--file-timeout", value, "."]) == 2
    assert "--file-timeout" in capsys.readouterr().err
