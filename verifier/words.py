"""Words as users write them: `"aab"` over one-character alphabets, `"b0 a b1"` otherwise."""

from __future__ import annotations

from collections.abc import Sequence


class WordError(ValueError):
    """A word with a symbol outside the alphabet; OFFSET is the 0-based offset in the text."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


def parse_word(text: str, alphabet: Sequence[str]) -> tuple[str, ...]:
    """The symbols of TEXT over ALPHABET; raise WordError at the first unknown symbol."""
    known = set(alphabet)
    if all(len(symbol) == 1 for symbol in alphabet):
        pieces = [(i, char) for i, char in enumerate(text) if not char.isspace()]
    else:
        pieces = _split_with_offsets(text)
    for offset, symbol in pieces:
        if symbol not in known:
            raise WordError(
                f"unknown symbol {symbol!r} in word (alphabet: {' '.join(alphabet)})", offset
            )
    return tuple(symbol for _, symbol in pieces)


def format_word(word: Sequence[str], alphabet: Sequence[str]) -> str:
    """WORD written as users write it (run together over one-character alphabets)."""
    separator = "" if all(len(symbol) == 1 for symbol in alphabet) else " "
    return separator.join(word)


def _split_with_offsets(text: str) -> list[tuple[int, str]]:
    pieces: list[tuple[int, str]] = []
    start = None
    for i, char in enumerate(text + " "):
        if char.isspace():
            if start is not None:
                pieces.append((start, text[start:i]))
                start = None
        elif start is None:
            start = i
    return pieces
