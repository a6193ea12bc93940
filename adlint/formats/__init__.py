"""Output formats: each module renders one finished run to a string; none does I/O."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from adlint import __version__
from adlint.finding import Finding, Severity
from adlint.policy import Rule


@dataclass(frozen=True)
class Run:
    """A finished lint run: everything a formatter may show."""

    findings: Sequence[Finding]
    """All findings, sorted, suppressed ones included."""
    rules: Sequence[Rule]
    files: int
    """How many files were linted."""
    fail_on: Severity = Severity.ERROR
    color: bool = False
    version: str = __version__
    policy_files: tuple[str, ...] = ()
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def active(self) -> list[Finding]:
        """Findings not suppressed by a directive."""
        return [f for f in self.findings if f.suppressed is None]

    def counts(self) -> Counter[str]:
        return Counter(f.severity.value for f in self.active)


Renderer = Callable[[Run], str]


def renderers() -> dict[str, Renderer]:
    """Format name -> render function (imported lazily: most runs use one format)."""
    from adlint.formats import json as json_format
    from adlint.formats import text

    table: dict[str, Renderer] = {"text": text.render, "json": json_format.render}
    try:
        from adlint.formats import sarif

        table["sarif"] = sarif.render
    except ImportError:
        pass
    try:
        from adlint.formats import github

        table["github"] = github.render
    except ImportError:
        pass
    return table
