"""The symbolic input word: one small bit-vector per position, holding an alphabet index."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import z3

from verifier.errors import InternalError
from verifier.smt.terms import as_terms


class SymbolicWord:
    """Positions `1, 2, ...` of an unknown word over ALPHABET (created on demand).

    Position `p` is the bit-vector `w_p` of `bits` bits whose value is the index of its
    symbol in the alphabet; `domain(n)` keeps the first `n` of them inside the alphabet.
    """

    def __init__(self, ctx: Any, alphabet: Sequence[str], prefix: str = "w") -> None:
        """A word over ALPHABET whose variables live in CTX (a `z3.Context` or a term factory
        of verifier.smt.terms) and are named PREFIX_p."""
        self.ctx = ctx
        self.terms = as_terms(ctx)
        self.alphabet = tuple(alphabet)
        self.prefix = prefix
        self.bits = max(1, (len(self.alphabet) - 1).bit_length())
        self._vars: list[Any] = []

    def var(self, position: int) -> Any:
        """The variable of POSITION (1-based)."""
        while len(self._vars) < position:
            name = f"{self.prefix}_{len(self._vars) + 1}"
            self._vars.append(self.terms.bv_var(name, self.bits))
        return self._vars[position - 1]

    def variables(self, length: int) -> list[Any]:
        """The variables of positions 1..LENGTH."""
        return [self.var(p) for p in range(1, length + 1)]

    def is_symbol(self, position: int, index: int) -> Any:
        """Whether POSITION holds the symbol INDEX (a Python `True` for a one-letter alphabet)."""
        if len(self.alphabet) == 1:
            return True
        return self.terms.eq(self.var(position), self.terms.bv_val(index, self.bits))

    def domain(self, length: int) -> list[Any]:
        """Constraints keeping positions 1..LENGTH inside the alphabet (none for 2^k symbols)."""
        size = len(self.alphabet)
        if size == 1 << self.bits:
            return []
        bound = self.terms.bv_val(size, self.bits)
        return [self.terms.ult(v, bound) for v in self.variables(length)]

    def pin(self, symbols: Sequence[int]) -> list[Any]:
        """Equalities fixing positions 1..len(SYMBOLS) to the given alphabet indices."""
        return [self.terms.eq(v, self.terms.bv_val(k, self.bits))
                for v, k in zip(self.variables(len(symbols)), symbols, strict=True)]

    def decode(self, model: z3.ModelRef, length: int) -> tuple[str, ...]:
        """The word of LENGTH that the Z3 MODEL assigns, as symbol names."""
        indices = [model.eval(v, model_completion=True).as_long() for v in self.variables(length)]
        return tuple(self.alphabet[k] for k in indices)

    def decode_values(self, values: dict[str, int], length: int) -> tuple[str, ...]:
        """The word of LENGTH given the value of each variable by name (a solver's model;
        a position the model leaves out holds the first symbol)."""
        indices = [values.get(f"{self.prefix}_{p}", 0) for p in range(1, length + 1)]
        if any(not 0 <= k < len(self.alphabet) for k in indices):
            raise InternalError(f"a solver's model puts a symbol outside the alphabet: {indices}")
        return tuple(self.alphabet[k] for k in indices)
