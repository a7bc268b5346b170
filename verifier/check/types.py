"""The three types of .attn values."""

from __future__ import annotations

from enum import Enum

from verifier.syntax import symbols


class Type(Enum):
    """`bool`, `num` (fixed-point) or `selector` (only as attention's first argument)."""

    BOOL = "bool"
    NUM = "num"
    SELECTOR = "selector"
    ERROR = "error"  # checker only: a name whose definition had an error (reported once)

    def __str__(self) -> str:
        return self.value


#: Words no name may be, nor a symbol written bare (verifier/syntax/symbols.py).
RESERVED = symbols.RESERVED
#: The index names of `x[i]` / `x[j]`: no s-op may take them (a symbol may: `alphabet i j`).
INDEX_NAMES = frozenset({"i", "j"})
