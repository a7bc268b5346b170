"""`FoldOps`: a symbolic backend (`Z3Ops`, `PysmtOps`) with constant folding, the encoder's.

Values are Python `int` (a constant number), Python `bool` (a constant boolean) or a term.
An operation whose operands are all constants is computed on Python integers, exactly as
`PyOps` would; otherwise the constants are lifted and `Z3Ops` builds the term.  Because
`Z3Ops` is wide enough that no intermediate overflows (`Z3Ops.width_for`), both give the same
integers.  On top of that a few identities that hold for every value are applied (`x + 0`,
`x * 1`, `x * 0`, `ite(true, x, y)`, `ite(c, x, x)`, `and(false, x)`, ...).  No rounding,
clamping or softmax logic lives here: that stays in `verifier.semantics`.
"""

from __future__ import annotations

from typing import Any

from verifier.semantics.tables import LookupTable
from verifier.smt.terms import Z3Terms


def is_const(value: Any) -> bool:
    """Whether VALUE is a folded Python constant (int or bool), not a Z3 term."""
    return isinstance(value, (bool, int))


class FoldOps:
    """`NumOps[int | term, bool | term]` that folds constants eagerly, over a symbolic
    backend (`Z3Ops` or `verifier.smt.pysmtops.PysmtOps`) and its term factory."""

    def __init__(self, z3ops: Any, terms: Any | None = None) -> None:
        """Wrap Z3OPS, the symbolic backend (its width is used for every symbolic term), and
        TERMS, its term factory (`Z3Terms` of its context by default)."""
        self.z = z3ops
        self.ctx = getattr(z3ops, "ctx", None)
        self.terms = terms if terms is not None else Z3Terms(z3ops.ctx)
        self._tables: dict[int, tuple[LookupTable, Any, Any]] = {}

    def _same(self, x: Any, y: Any) -> bool:
        """Whether X and Y are certainly equal: equal constants of one kind, or one term."""
        if is_const(x) or is_const(y):
            return type(x) is type(y) and x == y
        return self.terms.same(x, y)

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
        if self._same(x, 0):
            return y
        if self._same(y, 0):
            return x
        return self.z.add(self.lift(x), self.lift(y))

    def sub(self, x: Any, y: Any) -> Any:
        """Exact `x - y`."""
        if is_const(x) and is_const(y):
            return x - y
        if self._same(y, 0):
            return x
        if self._same(x, y):
            return 0
        return self.z.sub(self.lift(x), self.lift(y))

    def mul(self, x: Any, y: Any) -> Any:
        """Exact `x * y`."""
        if is_const(x) and is_const(y):
            return x * y
        if self._same(x, 0) or self._same(y, 0):
            return 0
        if self._same(x, 1):
            return y
        if self._same(y, 1):
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
        if self._same(d, 1):
            return n, 0
        if self._same(n, 0):
            return 0, 0
        quotient, remainder = self.z.divmod(self.lift(n), self.lift(d))
        return quotient, remainder

    def lt(self, x: Any, y: Any) -> Any:
        """`x < y`."""
        if is_const(x) and is_const(y):
            return x < y
        if self._same(x, y):
            return False
        return self.z.lt(self.lift(x), self.lift(y))

    def le(self, x: Any, y: Any) -> Any:
        """`x <= y`."""
        if is_const(x) and is_const(y):
            return x <= y
        if self._same(x, y):
            return True
        return self.z.le(self.lift(x), self.lift(y))

    def eq(self, x: Any, y: Any) -> Any:
        """`x == y`."""
        if is_const(x) and is_const(y):
            return x == y
        if self._same(x, y):
            return True
        return self.z.eq(self.lift(x), self.lift(y))

    def and_(self, a: Any, b: Any) -> Any:
        """`a and b`."""
        if a is False or b is False:
            return False
        if a is True:
            return b
        if b is True or self._same(a, b):
            return a
        return self.z.and_(a, b)

    def or_(self, a: Any, b: Any) -> Any:
        """`a or b`."""
        if a is True or b is True:
            return True
        if a is False:
            return b
        if b is False or self._same(a, b):
            return a
        return self.z.or_(a, b)

    def not_(self, a: Any) -> Any:
        """`not a`."""
        if isinstance(a, bool):
            return not a
        inner = self.terms.negated(a)
        return inner if inner is not None else self.z.not_(a)

    def ite(self, c: Any, x: Any, y: Any) -> Any:
        """`x` where `c` holds, else `y` (numbers or booleans)."""
        if isinstance(c, bool):
            return x if c else y
        if self._same(x, y):
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
        return self.terms.substitute(tree, argument, x)

    def _table(self, table: LookupTable) -> tuple[LookupTable, Any, Any]:
        """`Z3Ops.lookup(table, X)` for a placeholder X, built once per table: each lookup
        substitutes its argument for X in C++ instead of rebuilding the if-tree in Python."""
        if id(table) not in self._tables:
            argument = self.z.var(f"lookup_argument_{len(self._tables)}")
            self._tables[id(table)] = (table, argument, self.z.lookup(table, argument))
        return self._tables[id(table)]
