"""One line per finding, `path:line:column: severity: message [rule]`, for editors and tools.

The grouped text format is for people; this one is for programs that read compiler output:
Vim's quickfix list, Emacs's compilation mode, a CI log matcher, `grep` and `sort`. The
shape is GCC's (`file:line:col: error: message`) with the rule id last in brackets, as
ESLint's unix format writes it, so each line stands alone and the default error formats of
those editors read it. There is no summary line: every line is a finding, and the exit code
says whether the run passed (yamllint's `parsable` format does the same).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from adlint.formats import printable

if TYPE_CHECKING:
    from adlint.formats import RunInfo
    from adlint.outcome import Outcome


class ParsableWriter:
    """Active findings only, in output order, written as each file arrives."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def begin(self, info: RunInfo) -> None:
        pass

    def file(self, outcome: Outcome) -> None:
        path = printable(outcome.path)
        lines = [
            f"{path}:{f.line}:{f.column}: {f.severity.value}: {printable(f.message)} [{f.rule}]\n"
            for f in outcome.findings
            if f.suppressed is None
        ]
        self._stream.write("".join(lines))

    def end(self) -> None:
        pass
