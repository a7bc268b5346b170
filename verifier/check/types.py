"""The three types of .attn values."""

from __future__ import annotations

from enum import Enum


class Type(Enum):
    """`bool`, `num` (fixed-point) or `selector` (only as attention's first argument)."""

    BOOL = "bool"
    NUM = "num"
    SELECTOR = "selector"
    ERROR = "error"  # checker only: a name whose definition had an error (reported once)

    def __str__(self) -> str:
        return self.value


RESERVED = frozenset({
    "alphabet", "precision", "fixed", "language", "accept", "assert", "recognizes", "not",
    "equivalent", "accepts", "rejects", "up", "to", "regex", "ltl", "dfa", "ppltl", "if", "then",
    "else", "and", "or", "true", "false", "min", "max", "abs", "relu", "exp", "select",
    "aggregate", "leftmost", "rightmost", "global", "local", "nonstrict", "where", "score",
    "default", "eos",
})
#: The index names of `x[i]` / `x[j]`: no s-op or symbol may take them.
INDEX_NAMES = frozenset({"i", "j"})
