"""The symbolic input word: one small bit-vector per position, holding an alphabet index."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import z3


class SymbolicWord:
    """Positions `1, 2, ...` of an unknown word over ALPHABET (created on demand).

    Position `p` is the bit-vector `w_p` of `bits` bits whose value is the index of its
    symbol in the alphabet; `domain(n)` keeps the first `n` of them inside the alphabet.
    """

    def __init__(self, ctx: z3.Context, alphabet: Sequence[str], prefix: str = "w") -> None:
        """A word over ALPHABET whose variables live in CTX and are named PREFIX_p."""
        self.ctx = ctx
        self.alphabet = tuple(alphabet)
        self.prefix = prefix
        self.bits = max(1, (len(self.alphabet) - 1).bit_length())
        self._vars: list[Any] = []

    def var(self, position: int) -> Any:
        """The variable of POSITION (1-based)."""
        while len(self._vars) < position:
            name = f"{self.prefix}_{len(self._vars) + 1}"
            self._vars.append(z3.BitVec(name, self.bits, self.ctx))
        return self._vars[position - 1]

    def variables(self, length: int) -> list[Any]:
        """The variables of positions 1..LENGTH."""
        return [self.var(p) for p in range(1, length + 1)]

    def is_symbol(self, position: int, index: int) -> Any:
        """Whether POSITION holds the symbol INDEX (a Python `True` for a one-letter alphabet)."""
        if len(self.alphabet) == 1:
            return True
        return self.var(position) == z3.BitVecVal(index, self.bits, self.ctx)

    def domain(self, length: int) -> list[Any]:
        """Constraints keeping positions 1..LENGTH inside the alphabet (none for 2^k symbols)."""
        size = len(self.alphabet)
        if size == 1 << self.bits:
            return []
        bound = z3.BitVecVal(size, self.bits, self.ctx)
        return [z3.ULT(v, bound) for v in self.variables(length)]

    def pin(self, symbols: Sequence[int]) -> list[Any]:
        """Equalities fixing positions 1..len(SYMBOLS) to the given alphabet indices."""
        return [v == z3.BitVecVal(k, self.bits, self.ctx)
                for v, k in zip(self.variables(len(symbols)), symbols, strict=True)]

    def decode(self, model: z3.ModelRef, length: int) -> tuple[str, ...]:
        """The word of LENGTH that MODEL assigns, as symbol names."""
        indices = [model.eval(v, model_completion=True).as_long() for v in self.variables(length)]
        return tuple(self.alphabet[k] for k in indices)
