"""`FoldOps`: `Z3Ops` with constant folding, the encoder's backend.

Values are Python `int` (a constant number), Python `bool` (a constant boolean) or a Z3 term.
An operation whose operands are all constants is computed on Python integers, exactly as
`PyOps` would; otherwise the constants are lifted and `Z3Ops` builds the term.  Because
`Z3Ops` is wide enough that no intermediate overflows (`Z3Ops.width_for`), both give the same
integers.  On top of that a few identities that hold for every value are applied (`x + 0`,
`x * 1`, `x * 0`, `ite(true, x, y)`, `ite(c, x, x)`, `and(false, x)`, ...).  No rounding,
clamping or softmax logic lives here: that stays in `verifier.semantics`.
"""

from __future__ import annotations

from typing import Any

import z3

from verifier.semantics.tables import LookupTable
from verifier.smt.z3ops import Z3Ops


def is_const(value: Any) -> bool:
    """Whether VALUE is a folded Python constant (int or bool), not a Z3 term."""
    return isinstance(value, (bool, int))


def _same(x: Any, y: Any) -> bool:
    """Whether X and Y are certainly equal: equal constants of one kind, or one Z3 term."""
    if is_const(x) or is_const(y):
        return type(x) is type(y) and x == y
    return bool(x.eq(y))


class FoldOps:
    """`NumOps[int | z3.BitVecRef, bool | z3.BoolRef]` that folds constants eagerly."""

    def __init__(self, z3ops: Z3Ops) -> None:
        """Wrap Z3OPS (its context and width are used for every symbolic term)."""
        self.z = z3ops
        self.ctx = z3ops.ctx
        self._tables: dict[int, tuple[LookupTable, Any, Any]] = {}

    def lift(self, value: Any) -> Any:
        """VALUE as a Z3 term (constants become bit-vector or Bool literals)."""
        if isinstance(value, bool):
            return self.z.bconst(value)
        if isinstance(value, int):
            return self.z.const(value)
        return value

    def const(self, k: int) -> Any:
        """The constant number `k`."""
        return int(k)

    def bconst(self, b: bool) -> Any:
        """The constant boolean `b`."""
        return bool(b)

    def add(self, x: Any, y: Any) -> Any:
        """Exact `x + y`."""
        if is_const(x) and is_const(y):
            return x + y
        if _same(x, 0):
            return y
        if _same(y, 0):
            return x
        return self.z.add(self.lift(x), self.lift(y))

    def sub(self, x: Any, y: Any) -> Any:
        """Exact `x - y`."""
        if is_const(x) and is_const(y):
            return x - y
        if _same(y, 0):
            return x
        if _same(x, y):
            return 0
        return self.z.sub(self.lift(x), self.lift(y))

    def mul(self, x: Any, y: Any) -> Any:
        """Exact `x * y`."""
        if is_const(x) and is_const(y):
            return x * y
        if _same(x, 0) or _same(y, 0):
            return 0
        if _same(x, 1):
            return y
        if _same(y, 1):
            return x
        return self.z.mul(self.lift(x), self.lift(y))

    def neg(self, x: Any) -> Any:
        """Exact `-x`."""
        return -x if is_const(x) else self.z.neg(x)

    def shr(self, x: Any, k: int) -> Any:
        """`floor(x / 2**k)`."""
        if is_const(x):
            return x >> k
        return x if k == 0 else self.z.shr(x, k)

    def divmod(self, n: Any, d: Any) -> tuple[Any, Any]:
        """`(n // d, n % d)` for `n >= 0`, `d > 0`."""
        if is_const(n) and is_const(d):
            quotient, remainder = divmod(int(n), int(d))
            return quotient, remainder
        if _same(d, 1):
            return n, 0
        if _same(n, 0):
            return 0, 0
        quotient, remainder = self.z.divmod(self.lift(n), self.lift(d))
        return quotient, remainder

    def lt(self, x: Any, y: Any) -> Any:
        """`x < y`."""
        if is_const(x) and is_const(y):
            return x < y
        if _same(x, y):
            return False
        return self.z.lt(self.lift(x), self.lift(y))

    def le(self, x: Any, y: Any) -> Any:
        """`x <= y`."""
        if is_const(x) and is_const(y):
            return x <= y
        if _same(x, y):
            return True
        return self.z.le(self.lift(x), self.lift(y))

    def eq(self, x: Any, y: Any) -> Any:
        """`x == y`."""
        if is_const(x) and is_const(y):
            return x == y
        if _same(x, y):
            return True
        return self.z.eq(self.lift(x), self.lift(y))

    def and_(self, a: Any, b: Any) -> Any:
        """`a and b`."""
        if a is False or b is False:
            return False
        if a is True:
            return b
        if b is True or _same(a, b):
            return a
        return self.z.and_(a, b)

    def or_(self, a: Any, b: Any) -> Any:
        """`a or b`."""
        if a is True or b is True:
            return True
        if a is False:
            return b
        if b is False or _same(a, b):
            return a
        return self.z.or_(a, b)

    def not_(self, a: Any) -> Any:
        """`not a`."""
        if isinstance(a, bool):
            return not a
        if z3.is_not(a):
            return a.arg(0)
        return self.z.not_(a)

    def ite(self, c: Any, x: Any, y: Any) -> Any:
        """`x` where `c` holds, else `y` (numbers or booleans)."""
        if isinstance(c, bool):
            return x if c else y
        if _same(x, y):
            return x
        if isinstance(x, bool) or isinstance(y, bool):
            return self._bool_ite(c, x, y)
        return self.z.ite(c, self.lift(x), self.lift(y))

    def _bool_ite(self, c: Any, x: Any, y: Any) -> Any:
        """`ite(c, x, y)` on booleans where one branch is a constant: a plain connective."""
        if x is True:
            return self.or_(c, y)
        if x is False:
            return self.and_(self.not_(c), y)
        if y is True:
            return self.or_(self.not_(c), x)
        return self.and_(c, x)

    def lookup(self, table: LookupTable, x: Any) -> Any:
        """`table.values[x - table.lo]` (an if-tree over the runs for a symbolic `x`)."""
        if is_const(x):
            return table.values[x - table.lo]
        if len(table.runs) == 1:
            return table.runs[0][1]
        _, argument, tree = self._table(table)
        return z3.substitute(tree, (argument, x))

    def _table(self, table: LookupTable) -> tuple[LookupTable, Any, Any]:
        """`Z3Ops.lookup(table, X)` for a placeholder X, built once per table: each lookup
        substitutes its argument for X in C++ instead of rebuilding the if-tree in Python."""
        if id(table) not in self._tables:
            argument = self.z.var(f"lookup_argument_{len(self._tables)}")
            self._tables[id(table)] = (table, argument, self.z.lookup(table, argument))
        return self._tables[id(table)]
