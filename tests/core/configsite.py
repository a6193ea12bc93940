"""A `check` that returns the exit code and stderr, over the one-article `site` of
tests/core/conftest.py: what the config and policy error tests run against."""

from __future__ import annotations

import pytest

from adlint.cli import main

DIRTY = "We sell stuff.\n\n[deal](https://www.amazon.com/dp/B0X?tag=someone-20)\n"


def check(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["check", *(argv or ["a.md"])])
    return code, capsys.readouterr().err
