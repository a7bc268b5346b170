"""`PyOps`: the scalar reference backend on Python ints and bools."""

from __future__ import annotations

from typing import TypeVar

from verifier.semantics.tables import LookupTable

V = TypeVar("V")


class PyOps:
    """`NumOps[int, bool]` with unbounded Python integers (the one-word interpreter's backend)."""

    max_bits: int | None = None

    def const(self, k: int) -> int:
        """The integer `k`."""
        return k

    def bconst(self, b: bool) -> bool:
        """The boolean `b`."""
        return b

    def add(self, x: int, y: int) -> int:
        """`x + y`."""
        return x + y

    def sub(self, x: int, y: int) -> int:
        """`x - y`."""
        return x - y

    def mul(self, x: int, y: int) -> int:
        """`x * y`."""
        return x * y

    def neg(self, x: int) -> int:
        """`-x`."""
        return -x

    def shr(self, x: int, k: int) -> int:
        """`floor(x / 2**k)`."""
        return x >> k

    def divmod(self, n: int, d: int) -> tuple[int, int]:
        """`(n // d, n % d)`."""
        return divmod(n, d)

    def lt(self, x: int, y: int) -> bool:
        """`x < y`."""
        return x < y

    def le(self, x: int, y: int) -> bool:
        """`x <= y`."""
        return x <= y

    def eq(self, x: int, y: int) -> bool:
        """`x == y`."""
        return x == y

    def and_(self, a: bool, b: bool) -> bool:
        """`a and b`."""
        return a and b

    def or_(self, a: bool, b: bool) -> bool:
        """`a or b`."""
        return a or b

    def not_(self, a: bool) -> bool:
        """`not a`."""
        return not a

    def ite(self, c: bool, x: V, y: V) -> V:
        """`x if c else y`."""
        return x if c else y

    def lookup(self, table: LookupTable, x: int) -> int:
        """`table.values[x - table.lo]`."""
        return table.values[x - table.lo]
