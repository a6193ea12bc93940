"""GitHub Actions workflow commands: one annotation per active finding.

Everything that comes from an article (messages hold URLs, paths are file names) goes
through two steps. First `printable`, as in the text format: control characters (ESC
sequences would recolour the job log) become U+FFFD and `##[` becomes `# #[`, since the
runner's legacy parser honours `##[command]` anywhere in a line and no escape hides it.
Then the runner's own escaping, exactly as it decodes it, so no content can end the
command early, start a new line, or smuggle in a command of its own: data escapes `%`, CR
and LF; property values also escape `:` and `,`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from adlint.finding import Finding, Severity
from adlint.formats import printable

if TYPE_CHECKING:
    from adlint.formats import RunInfo
    from adlint.outcome import Outcome

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message (after the `::`) as the runner decodes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value (file=, title=) as the runner decodes it."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    """One `::error file=…,line=…::message` line."""
    properties = ",".join(
        (
            f"file={escape_property(printable(finding.path))}",
            f"line={finding.line}",
            f"endLine={finding.end_line}",
            f"col={finding.column}",
            f"endColumn={finding.end_column}",
            f"title={escape_property(printable('adlint ' + finding.rule))}",
        )
    )
    return f"::{COMMANDS[finding.severity]} {properties}::{escape_data(printable(finding.message))}"


class GithubWriter:
    """One workflow command line per active finding, written as each file is done."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def begin(self, info: RunInfo) -> None:
        pass

    def file(self, outcome: Outcome) -> None:
        lines = [annotation(f) for f in outcome.findings if f.suppressed is None]
        if lines:
            self._stream.write("\n".join(lines) + "\n")

    def end(self) -> None:
        pass
