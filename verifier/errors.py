"""One root for every user-facing error: positioned diagnostics rendered with a caret."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitStatus(IntEnum):
    """The exit statuses of every command (LANGUAGE.md, "CLI"): written once here."""

    OK = 0  # everything proved (or the command did its job)
    REFUTED = 1  # some claim refuted
    USAGE = 2  # unreadable input or a bad command line
    UNKNOWN = 3  # none refuted, some unknown (a limit, a budget, a solver's unknown)
    INTERNAL = 4  # a bug in the verifier
    INTERRUPTED = 130  # Ctrl-C


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

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", elide(self.message))

    def render(self, source: str | None, lines: list[str] | None = None) -> str:
        """The diagnostic line, then (when SOURCE is given) the offending line and a caret.
        LINES: SOURCE already split by `source_lines` (rendering many diagnostics of one
        file splits it once)."""
        head = f"{elide(self.path)}:{self.span.line}:{self.span.column}: error: {self.message}"
        if source is None:
            return head
        if lines is None:
            lines = source_lines(source)
        if not 1 <= self.span.line <= len(lines):
            return head
        text = lines[self.span.line - 1].expandtabs(1)
        width = 1
        if self.span.end_line == self.span.line and self.span.end_column > self.span.column:
            room = max(1, len(text) - self.span.column + 1)
            width = min(self.span.end_column - self.span.column, room)
        return f"{head}\n{caret_lines(text, self.span.column - 1, width)}"


#: Longest line of an error message (characters); user text quoted in it (a name, a path) is
#: cut in the middle beyond this.
MAX_MESSAGE_LINE = 300


def elide(message: str, limit: int = MAX_MESSAGE_LINE) -> str:
    """MESSAGE with every line longer than LIMIT cut in the middle (`…`): the one guard that
    keeps a 100 000-character name or path quoted in an error from being echoed whole."""
    half = limit // 2
    return "\n".join(line if len(line) <= limit else f"{line[:half]}…{line[-half:]}"
                     for line in message.split("\n"))


def source_lines(source: str) -> list[str]:
    """SOURCE split into lines exactly as the lexer counts them: at `\n` only (a form feed or
    U+2028 inside a line stays in it), with the `\r` of a CRLF ending dropped."""
    return [line.removesuffix("\r") for line in source.split("\n")]


def _printable(text: str) -> str:
    """TEXT with control and line-separator characters shown as `?`, one per character, so
    that the caret below it stays aligned."""
    return "".join(c if c.isprintable() or c == " " else "?" for c in text)


#: Longest excerpt of a line shown above a caret (characters); longer lines are cut around it.
EXCERPT_WIDTH = 100


def caret_lines(text: str, offset: int, width: int = 1) -> str:
    """Two indented lines: TEXT (cut to about EXCERPT_WIDTH characters around OFFSET, cuts
    marked `…`, unprintable characters shown as `?`) and a caret under its 0-based OFFSET,
    WIDTH characters wide. The one caret renderer of diagnostics and command-line errors."""
    start = max(0, min(offset - EXCERPT_WIDTH // 2, len(text) - EXCERPT_WIDTH))
    end = start + EXCERPT_WIDTH
    shown = ("…" if start > 0 else "") + _printable(text[start:end]) + (
        "…" if end < len(text) else "")
    column = offset - start + (1 if start > 0 else 0)
    width = max(1, min(width, len(shown) - column))
    return f"    {shown}\n    {' ' * column}{'^' * width}"


#: Most diagnostics of one file written out as text (a compiler's -fmax-errors): a trained
#: model's weights checked against a narrower --precision each give one.
SHOWN_ERRORS = 20


class UserError(Exception):
    """Input that cannot be read: carries every diagnostic found, and the source to render them."""

    def __init__(self, diagnostics: list[Diagnostic], source: str | None = None) -> None:
        super().__init__(diagnostics[0].message if diagnostics else "error")
        self.diagnostics = diagnostics
        self.source = source

    def render(self) -> str:
        """The diagnostics, one block each: the first SHOWN_ERRORS, then how many more (the
        JSON output keeps them all)."""
        lines = None if self.source is None else source_lines(self.source)
        shown = [d.render(self.source, lines) for d in self.diagnostics[:SHOWN_ERRORS]]
        more = len(self.diagnostics) - SHOWN_ERRORS
        if more > 0:
            path = self.diagnostics[0].path
            shown.append(f"{path}: ... and {more} more error{'s' if more > 1 else ''} (the "
                         f"first {SHOWN_ERRORS} are shown)")
        return "\n".join(shown)


class UsageError(Exception):
    """A bad command line or claim option, reported as `error: message` with exit status 2."""


class InternalError(Exception):
    """A bug in the verifier (e.g. an engine and the interpreter disagree); never a verdict."""
