"""Alphabet symbols in `.attn` text: which strings may be symbols, and how to write one.

A symbol is any non-empty text without whitespace (words with a multi-character symbol are
written space-separated, verifier/words.py), except `eos`, the name of the end position. A
program writes it bare when it is an identifier that is not a reserved word (`a`, `b0`, `i`),
in the alphabet statement also when it is letters, digits and `_` (`alphabet 0 1`), else as
`<…>` (`<0>`, `<(0>`, `<and>`: the form of the regex and LTL readers, no `<` or `>` inside)
or as a quoted string (`">"`, with `\\"` and `\\\\` escaped). `symbol_text` chooses the form.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

#: Words a program may not use as names (nor, written bare, as symbols).
RESERVED = frozenset({
    "alphabet", "precision", "fixed", "language", "accept", "assert", "recognizes", "not",
    "equivalent", "accepts", "rejects", "up", "to", "regex", "ltl", "dfa", "ppltl", "if", "then",
    "else", "and", "or", "true", "false", "min", "max", "abs", "relu", "exp", "select",
    "aggregate", "leftmost", "rightmost", "global", "local", "nonstrict", "where", "score",
    "default", "eos",
})

#: The name of the end position: a built-in s-op, never a symbol (in any form).
EOS = "eos"

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_WORD = re.compile(r"[A-Za-z0-9_]+\Z")


def symbol_problem(symbol: str) -> str | None:
    """Why SYMBOL cannot be an `.attn` symbol (None when it can)."""
    if not symbol:
        return "a symbol cannot be empty"
    if any(char.isspace() for char in symbol):
        return (f"symbol {symbol!r} contains whitespace (words separate symbols by spaces, "
                "so a symbol cannot contain any)")
    if symbol == EOS:
        return "'eos' names the end position and cannot be a symbol"
    return None


def symbol_text(symbol: str, *, alphabet: bool = False) -> str:
    """SYMBOL as a program writes it so that it reads back as SYMBOL: bare when it is an
    identifier that is not a reserved word (in an `alphabet` statement, ALPHABET, also when
    it is letters, digits and `_`, as in `alphabet 0 1`), else `<SYMBOL>`, else (when it holds
    `<` or `>`) quoted, `">"`. ValueError for a string that cannot be a symbol."""
    problem = symbol_problem(symbol)
    if problem is not None:
        raise ValueError(problem)
    if symbol not in RESERVED and (_WORD if alphabet else _NAME).match(symbol):
        return symbol
    if "<" not in symbol and ">" not in symbol:
        return f"<{symbol}>"
    return '"' + symbol.replace("\\", "\\\\").replace('"', '\\"') + '"'


def alphabet_line(symbols: Sequence[str]) -> str:
    """The `alphabet …` statement declaring SYMBOLS (in order)."""
    return "alphabet " + " ".join(symbol_text(s, alphabet=True) for s in symbols)
