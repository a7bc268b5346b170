"""The one error type of the language layer: a message plus a 0-based character offset."""

from __future__ import annotations

from verifier.errors import caret_lines, elide


class LanguageError(Exception):
    """A user error in a language text (regex, LTL, DFA file) or in its alphabet.

    ``offset`` is the 0-based character offset into the language text that the caller
    passed in (for a DFA file: the file path; the message then names the file, the line and
    column or the offending key).
    """

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset

    def shifted(self, delta: int) -> LanguageError:
        """The same error with its offset moved by ``delta`` (for text embedded in a larger one)."""
        return LanguageError(self.message, self.offset + delta)

    def with_caret(self, spec: str) -> str:
        """The message, then SPEC (a `regex:`/`ltl:` text) with a caret at the offset; a
        `dfa:` spec or an unknown offset gets the message alone."""
        if self.offset < 0 or spec.startswith("dfa:"):
            return elide(self.message)
        return f"{elide(self.message)}\n{caret_lines(spec, min(self.offset, len(spec)))}"

    def __str__(self) -> str:
        return f"{self.message} (at offset {self.offset})"


# Resource guards shared by the constructions (absurd inputs fail fast, never hang).
STATE_BUDGET = 20_000  # states of any intermediate DFA (subset construction, LTL vectors)
NFA_BUDGET = 100_000  # states of a regex's epsilon-NFA
REPEAT_LIMIT = 1_000  # largest count in {m}, {m,}, {m,n}
WINDOW_LIMIT = 1_000  # largest K in Y<=K
DEPTH_LIMIT = 300  # nesting depth of a parsed regex / formula (its syntax tree)
PAREN_LIMIT = 64  # nesting depth of parentheses and unary operators while parsing
