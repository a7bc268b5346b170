"""Words as users write them: `"aab"` over one-character alphabets, `"b0 a b1"` otherwise."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


class WordError(ValueError):
    """A word with a symbol outside the alphabet; OFFSET is the 0-based offset in the text."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


def parse_word(text: str, alphabet: Sequence[str]) -> tuple[str, ...]:
    """The symbols of TEXT over ALPHABET; raise WordError at the first unknown symbol."""
    if all(len(symbol) == 1 for symbol in alphabet):
        pieces = [(i, char) for i, char in enumerate(text) if not char.isspace()]
    else:
        pieces = _split_with_offsets(text)
    check_symbols(pieces, alphabet)
    return tuple(symbol for _, symbol in pieces)


def check_symbols(pieces: Iterable[tuple[int, str]], alphabet: Sequence[str]) -> None:
    """Raise WordError at the first (offset, symbol) of PIECES whose symbol is outside
    ALPHABET."""
    known = set(alphabet)
    for offset, symbol in pieces:
        if symbol not in known:
            raise WordError(
                f"unknown symbol {symbol!r} in word (alphabet: {' '.join(alphabet)})", offset
            )


def format_word(word: Sequence[str], alphabet: Sequence[str]) -> str:
    """WORD written as users write it (run together over one-character alphabets)."""
    separator = "" if all(len(symbol) == 1 for symbol in alphabet) else " "
    return separator.join(word)


def show_word(word: Sequence[str], alphabet: Sequence[str]) -> str:
    """WORD as `format_word` writes it, or `(empty word)` when it is empty."""
    return format_word(word, alphabet) or "(empty word)"


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
