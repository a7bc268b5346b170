"""The numeric-operations protocol that the semantics of spec section 5 is written over.

A backend supplies exact integer arithmetic on raw values (`N`) and booleans (`B`).  The
backend must be wide enough that no primitive ever overflows for the values the semantics
feeds it (int64 for numpy under the profile limits; a chosen bit width for Z3).  Rounding,
clamping, softmax and tie-breaking live in `arith.py` and `attention.py`, never in a backend.
"""

from __future__ import annotations

from typing import Protocol, TypeVar

from verifier.semantics.tables import LookupTable

N = TypeVar("N")
B = TypeVar("B")
V = TypeVar("V")


class NumOps(Protocol[N, B]):
    """Element-wise exact operations on raw integers `N` and booleans `B`.

    `max_bits` is how many magnitude bits the backend's integers hold (None: unbounded); the
    soft-float (`floats`) refuses, with `floats.UnsupportedFloat`, to run a format whose
    exact intermediates would not fit, rather than let them wrap around.
    """

    max_bits: int | None

    def const(self, k: int) -> N:
        """The integer constant `k`."""
        ...

    def bconst(self, b: bool) -> B:
        """The boolean constant `b`."""
        ...

    def add(self, x: N, y: N) -> N:
        """Exact `x + y`."""
        ...

    def sub(self, x: N, y: N) -> N:
        """Exact `x - y`."""
        ...

    def mul(self, x: N, y: N) -> N:
        """Exact `x * y`."""
        ...

    def neg(self, x: N) -> N:
        """Exact `-x`."""
        ...

    def shr(self, x: N, k: int) -> N:
        """`floor(x / 2**k)` for a constant `k >= 0` (arithmetic shift right)."""
        ...

    def divmod(self, n: N, d: N) -> tuple[N, N]:
        """`(n // d, n % d)` for `n >= 0` and `d > 0` (callers guarantee both)."""
        ...

    def lt(self, x: N, y: N) -> B:
        """`x < y`."""
        ...

    def le(self, x: N, y: N) -> B:
        """`x <= y`."""
        ...

    def eq(self, x: N, y: N) -> B:
        """`x == y`."""
        ...

    def and_(self, a: B, b: B) -> B:
        """Boolean `a and b`."""
        ...

    def or_(self, a: B, b: B) -> B:
        """Boolean `a or b`."""
        ...

    def not_(self, a: B) -> B:
        """Boolean `not a`."""
        ...

    def ite(self, c: B, x: V, y: V) -> V:
        """`x` where `c` holds, else `y`; `x` and `y` are both numbers or both booleans."""
        ...

    def lookup(self, table: LookupTable, x: N) -> N:
        """`table.values[x - table.lo]`; callers guarantee `table.lo <= x <= table.hi`."""
        ...
