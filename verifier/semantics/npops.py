"""`NumpyOps`: the batch backend on int64 and bool arrays, with numpy broadcasting."""

from __future__ import annotations

from typing import Any, TypeVar, cast

import numpy as np
import numpy.typing as npt

from verifier.semantics.tables import LookupTable

V = TypeVar("V")
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


class NumpyOps:
    """`NumOps[IntArray, BoolArray]`: every operation is one vectorised numpy call.

    int64 is exact for every intermediate under the profile limits (`I + F <= 24`, at most
    `MAX_KEYS` keys); see docs/semantics.md.  Constants are 0-d arrays and broadcast.

    With `wide=True` the numbers are object arrays of Python ints (exact at any width, about
    ten times slower): the float formats whose exact sums exceed int64 use it.
    """

    def __init__(self, wide: bool = False) -> None:
        """An int64 backend, or with WIDE one on Python-int object arrays."""
        self.wide = wide
        self.max_bits: int | None = None if wide else 62
        self._dtype: Any = object if wide else np.int64

    def const(self, k: int) -> IntArray:
        """The integer `k` as a 0-d int64 array."""
        return np.asarray(k, dtype=self._dtype)

    def bconst(self, b: bool) -> BoolArray:
        """The boolean `b` as a 0-d bool array."""
        return np.asarray(b, dtype=np.bool_)

    def add(self, x: IntArray, y: IntArray) -> IntArray:
        """`x + y`."""
        return np.add(x, y)

    def sub(self, x: IntArray, y: IntArray) -> IntArray:
        """`x - y`."""
        return np.subtract(x, y)

    def mul(self, x: IntArray, y: IntArray) -> IntArray:
        """`x * y`."""
        return np.multiply(x, y)

    def neg(self, x: IntArray) -> IntArray:
        """`-x`."""
        return np.negative(x)

    def shr(self, x: IntArray, k: int) -> IntArray:
        """`floor(x / 2**k)` (arithmetic shift)."""
        return np.right_shift(x, k)

    def divmod(self, n: IntArray, d: IntArray) -> tuple[IntArray, IntArray]:
        """`(n // d, n % d)`."""
        if self.wide:
            return np.floor_divide(n, d), np.remainder(n, d)
        quotient, remainder = np.divmod(n, d)
        return quotient, remainder

    def lt(self, x: IntArray, y: IntArray) -> BoolArray:
        """`x < y`."""
        return np.less(x, y)

    def le(self, x: IntArray, y: IntArray) -> BoolArray:
        """`x <= y`."""
        return np.less_equal(x, y)

    def eq(self, x: IntArray, y: IntArray) -> BoolArray:
        """`x == y`."""
        return np.equal(x, y)

    def and_(self, a: BoolArray, b: BoolArray) -> BoolArray:
        """`a and b`."""
        return np.logical_and(a, b)

    def or_(self, a: BoolArray, b: BoolArray) -> BoolArray:
        """`a or b`."""
        return np.logical_or(a, b)

    def not_(self, a: BoolArray) -> BoolArray:
        """`not a`."""
        return np.logical_not(a)

    def ite(self, c: BoolArray, x: V, y: V) -> V:
        """`np.where(c, x, y)`."""
        then: Any = x
        other: Any = y
        return cast(V, np.where(c, then, other))

    def lookup(self, table: LookupTable, x: IntArray) -> IntArray:
        """`table.values[x - table.lo]` by fancy indexing."""
        index = np.subtract(x, table.lo)
        if self.wide:
            return np.asarray(table.values, dtype=object)[np.asarray(index, dtype=np.int64)]
        return table.array[index]
