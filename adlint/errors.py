"""The two exceptions that cross module boundaries: a bad policy and an unreadable file."""

from __future__ import annotations


class PolicyError(Exception):
    """A policy or config the user wrote is wrong; the CLI prints it and exits 2.

    The message always leads with `file:line:` so editors can jump to it, then names the
    rule and the key at fault when there is one.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        rule: str | None = None,
        key: str | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.rule = rule
        self.key = key
        self.reason = message
        super().__init__(self.render())

    def render(self) -> str:
        """Format as `file:line: rule "id": key "k": reason`."""
        parts = []
        if self.path:
            parts.append(f"{self.path}:{self.line}:" if self.line else f"{self.path}:")
        if self.rule:
            parts.append(f'rule "{self.rule}":')
        if self.key:
            parts.append(f'key "{self.key}":')
        parts.append(self.reason)
        return " ".join(parts)


class ParseError(Exception):
    """A file could not be read or decoded; the engine turns it into a `parse-error` finding."""

    def __init__(self, reason: str, *, line: int = 1, column: int = 1) -> None:
        self.reason = reason
        self.line = line
        self.column = column
        super().__init__(reason)
