"""One root for every user-facing error: positioned diagnostics rendered with a caret."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """A 1-based source region: start line/column, end line/column (end exclusive)."""

    line: int
    column: int
    end_line: int
    end_column: int

    @staticmethod
    def point(line: int, column: int) -> Span:
        """A one-character span at LINE:COLUMN."""
        return Span(line, column, line, column + 1)


@dataclass(frozen=True)
class Diagnostic:
    """One error at a span of a file; renders as `FILE:LINE:COL: error: message` plus a caret."""

    path: str
    span: Span
    message: str

    def render(self, source: str | None) -> str:
        """The diagnostic line, then (when SOURCE is given) the offending line and a caret."""
        head = f"{self.path}:{self.span.line}:{self.span.column}: error: {self.message}"
        if source is None:
            return head
        lines = source.splitlines()
        if not 1 <= self.span.line <= len(lines):
            return head
        text = lines[self.span.line - 1].expandtabs(1)
        width = 1
        if self.span.end_line == self.span.line and self.span.end_column > self.span.column:
            room = max(1, len(text) - self.span.column + 1)
            width = min(self.span.end_column - self.span.column, room)
        caret = " " * (self.span.column - 1) + "^" * width
        return f"{head}\n    {text}\n    {caret}"


class UserError(Exception):
    """Input that cannot be read: carries every diagnostic found, and the source to render them."""

    def __init__(self, diagnostics: list[Diagnostic], source: str | None = None) -> None:
        super().__init__(diagnostics[0].message if diagnostics else "error")
        self.diagnostics = diagnostics
        self.source = source

    def render(self) -> str:
        """All diagnostics, one block each."""
        return "\n".join(d.render(self.source) for d in self.diagnostics)


class UsageError(Exception):
    """A bad command line or claim option, reported as `error: message` with exit status 2."""


class InternalError(Exception):
    """A bug in the verifier (e.g. an engine and the interpreter disagree); never a verdict."""
