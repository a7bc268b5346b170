"""`Z3Ops`: the symbolic backend of the semantics on signed Z3 bit-vectors.

Numbers are bit-vectors of one width `W` chosen from the profile and the largest number of
keys so that no exact intermediate overflows (see `Z3Ops.width_for`); booleans are Z3 Bools.
Every term lives in the `z3.Context` passed in: there is no global context.
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

import z3

from verifier.semantics.floats import float_bits
from verifier.semantics.profile import FloatProfile, Profile
from verifier.semantics.tables import LookupTable, run_tree

V = TypeVar("V")


def new_context() -> z3.Context:
    """A fresh Z3 context (each session or test owns one; there is no global context)."""
    return z3.Context()


class Z3Ops:
    """`NumOps[z3.BitVecRef, z3.BoolRef]` with signed arithmetic of width `self.width`."""

    def __init__(self, ctx: z3.Context, profile: Profile, max_keys: int) -> None:
        """Build the backend for `profile` and attention over at most `max_keys` keys."""
        self.ctx = ctx
        self.width = self.width_for(profile, max_keys)
        self.max_bits: int | None = self.width - 2

    @staticmethod
    def width_for(profile: Profile, max_keys: int) -> int:
        """Bit width that holds every exact intermediate of the semantics.

        Element-wise products need `2(I+F)` bits; the exact attention sum
        `sum_j alpha_j V(j)` is below `K * 2**F * 2**(I-1+F)`, so it needs
        `I + 2F + ceil(log2 K)` bits; the softmax denominator and the division numerators
        `e_j * 2**F` are smaller.  Three more bits cover the sign and the rounding step.
        Float profiles take `floats.float_bits` (the soft-float's widest intermediate).
        """
        if isinstance(profile, FloatProfile):
            return float_bits(profile, max_keys)
        key_bits = max(max_keys, 1).bit_length()
        total = profile.int_bits + profile.frac_bits
        return max(2 * total, total + profile.frac_bits + key_bits) + 3

    def const(self, k: int) -> Any:
        """The bit-vector constant `k`."""
        return z3.BitVecVal(k, self.width, self.ctx)

    def bconst(self, b: bool) -> Any:
        """The Bool constant `b`."""
        return z3.BoolVal(b, self.ctx)

    def var(self, name: str) -> Any:
        """A fresh number variable `name` of the backend width (for encoders and tests)."""
        return z3.BitVec(name, self.width, self.ctx)

    def bvar(self, name: str) -> Any:
        """A fresh Bool variable `name`."""
        return z3.Bool(name, self.ctx)

    def solver(self) -> z3.Solver:
        """A new solver in this backend's context."""
        return z3.Solver(ctx=self.ctx)

    def substitute(self, term: Any, bindings: list[tuple[Any, int]]) -> Any:
        """`term` with each number variable of `bindings` replaced by its constant."""
        return z3.substitute(term, *[(var, self.const(k)) for var, k in bindings])

    def value(self, term: Any, model: z3.ModelRef | None = None) -> int | bool:
        """The Python value of a closed `term`, or of `term` evaluated in `model`."""
        if model is not None:
            term = model.eval(term, model_completion=True)
        term = z3.simplify(term)
        if z3.is_bool(term):
            return bool(z3.is_true(term))
        return int(term.as_signed_long())

    def add(self, x: Any, y: Any) -> Any:
        """`x + y`."""
        return x + y

    def sub(self, x: Any, y: Any) -> Any:
        """`x - y`."""
        return x - y

    def mul(self, x: Any, y: Any) -> Any:
        """`x * y`."""
        return x * y

    def neg(self, x: Any) -> Any:
        """`-x`."""
        return -x

    def shr(self, x: Any, k: int) -> Any:
        """`floor(x / 2**k)` (arithmetic shift right)."""
        return x >> k

    def divmod(self, n: Any, d: Any) -> tuple[Any, Any]:
        """`(n // d, n % d)` for `n >= 0`, `d > 0` (unsigned division is then exact)."""
        return z3.UDiv(n, d), z3.URem(n, d)

    def lt(self, x: Any, y: Any) -> Any:
        """Signed `x < y`."""
        return x < y

    def le(self, x: Any, y: Any) -> Any:
        """Signed `x <= y`."""
        return x <= y

    def eq(self, x: Any, y: Any) -> Any:
        """`x == y`."""
        return x == y

    def and_(self, a: Any, b: Any) -> Any:
        """`And(a, b)`."""
        return z3.And(a, b)

    def or_(self, a: Any, b: Any) -> Any:
        """`Or(a, b)`."""
        return z3.Or(a, b)

    def not_(self, a: Any) -> Any:
        """`Not(a)`."""
        return z3.Not(a)

    def ite(self, c: Any, x: V, y: V) -> V:
        """`If(c, x, y)`."""
        return cast(V, z3.If(c, x, y, self.ctx))

    def lookup(self, table: LookupTable, x: Any) -> Any:
        """`table.values[x - table.lo]` as a balanced if-tree over the runs of equal values."""
        return run_tree(self, table.runs, x)
