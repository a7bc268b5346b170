"""`PysmtOps`: the symbolic backend of the semantics on pysmt bit-vector formulas.

The same contract as `Z3Ops` (`verifier.smt.z3ops`): signed bit-vectors of one width chosen by
`Z3Ops.width_for`, so that no exact intermediate overflows, and pysmt Bools.  Every formula
lives in one pysmt `Environment` (a fresh one per search: no global state, and its
hash-consing table is dropped with it).  `PysmtTerms` is the matching term factory
(`verifier.smt.terms`), and `smtlib_script` writes a formula as an SMT-LIB2 script, the text
every non-Z3 solver reads (`verifier.smt.solvers`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any, TypeVar

from pysmt.environment import Environment, pop_env, push_env
from pysmt.smtlib.printers import SmtDagPrinter
from pysmt.typing import BOOL, BVType

from verifier.semantics.profile import Profile
from verifier.semantics.tables import LookupTable, run_tree
from verifier.smt.z3ops import Z3Ops

V = TypeVar("V")


def new_environment() -> Environment:
    """A fresh pysmt environment (formula manager, type checker, substituter)."""
    return Environment()


class PysmtOps:
    """`NumOps[FNode, FNode]` with signed bit-vector arithmetic of width `self.width`."""

    def __init__(self, env: Environment, profile: Profile, max_keys: int) -> None:
        """Build the backend for PROFILE and attention over at most MAX_KEYS keys."""
        self.env = env
        self.mgr = env.formula_manager
        self.width = Z3Ops.width_for(profile, max_keys)
        self._shifts: dict[int, Any] = {}

    def const(self, k: int) -> Any:
        """The bit-vector constant `k` (two's complement)."""
        return self.mgr.BV(k % (1 << self.width), self.width)

    def bconst(self, b: bool) -> Any:
        """The Bool constant `b`."""
        return self.mgr.Bool(b)

    def var(self, name: str) -> Any:
        """A number variable NAME of the backend width."""
        return self.mgr.Symbol(name, BVType(self.width))

    def bvar(self, name: str) -> Any:
        """A Bool variable NAME."""
        return self.mgr.Symbol(name, BOOL)

    def add(self, x: Any, y: Any) -> Any:
        """`x + y`."""
        return self.mgr.BVAdd(x, y)

    def sub(self, x: Any, y: Any) -> Any:
        """`x - y`."""
        return self.mgr.BVSub(x, y)

    def mul(self, x: Any, y: Any) -> Any:
        """`x * y`."""
        return self.mgr.BVMul(x, y)

    def neg(self, x: Any) -> Any:
        """`-x`."""
        return self.mgr.BVNeg(x)

    def shr(self, x: Any, k: int) -> Any:
        """`floor(x / 2**k)` (arithmetic shift right)."""
        if k not in self._shifts:
            self._shifts[k] = self.const(k)
        return self.mgr.BVAShr(x, self._shifts[k])

    def divmod(self, n: Any, d: Any) -> tuple[Any, Any]:
        """`(n // d, n % d)` for `n >= 0`, `d > 0` (unsigned division is then exact)."""
        return self.mgr.BVUDiv(n, d), self.mgr.BVURem(n, d)

    def lt(self, x: Any, y: Any) -> Any:
        """Signed `x < y`."""
        return self.mgr.BVSLT(x, y)

    def le(self, x: Any, y: Any) -> Any:
        """Signed `x <= y`."""
        return self.mgr.BVSLE(x, y)

    def eq(self, x: Any, y: Any) -> Any:
        """`x == y`."""
        return self.mgr.Equals(x, y)

    def and_(self, a: Any, b: Any) -> Any:
        """`a and b`."""
        return self.mgr.And(a, b)

    def or_(self, a: Any, b: Any) -> Any:
        """`a or b`."""
        return self.mgr.Or(a, b)

    def not_(self, a: Any) -> Any:
        """`not a`."""
        return self.mgr.Not(a)

    def ite(self, c: Any, x: V, y: V) -> V:
        """`ite(c, x, y)`."""
        result: V = self.mgr.Ite(c, x, y)
        return result

    def lookup(self, table: LookupTable, x: Any) -> Any:
        """`table.values[x - table.lo]` as a balanced if-tree over the runs of equal values."""
        return run_tree(self, table.runs, x)


class PysmtTerms:
    """`Terms` (verifier.smt.terms) over pysmt formulas of ENV."""

    kind = "pysmt"

    def __init__(self, env: Environment | None = None) -> None:
        """Terms of ENV (a fresh environment if None)."""
        self.env = env if env is not None else new_environment()
        self.mgr = self.env.formula_manager

    def numops(self, profile: Profile, max_keys: int) -> PysmtOps:
        """A `PysmtOps` of this environment."""
        return PysmtOps(self.env, profile, max_keys)

    def bv_var(self, name: str, bits: int) -> Any:
        """The bit-vector variable NAME."""
        return self.mgr.Symbol(name, BVType(bits))

    def bv_val(self, value: int, bits: int) -> Any:
        """The bit-vector constant VALUE."""
        return self.mgr.BV(value % (1 << bits), bits)

    def bool_val(self, value: bool) -> Any:
        """The Bool constant VALUE."""
        return self.mgr.Bool(value)

    def eq(self, x: Any, y: Any) -> Any:
        """`x = y`."""
        return self.mgr.Equals(x, y)

    def ult(self, x: Any, y: Any) -> Any:
        """Unsigned `x < y`."""
        return self.mgr.BVULT(x, y)

    def ite(self, c: Any, x: Any, y: Any) -> Any:
        """`ite(c, x, y)`."""
        return self.mgr.Ite(c, x, y)

    def xor(self, a: Any, b: Any) -> Any:
        """`a xor b`."""
        return self.mgr.Xor(a, b)

    def same(self, x: Any, y: Any) -> bool:
        """Hash-consed formulas: one node per structure."""
        return x is y

    def negated(self, a: Any) -> Any | None:
        """The argument of a `Not`."""
        return a.arg(0) if a.is_not() else None

    def substitute(self, term: Any, var: Any, value: Any) -> Any:
        """TERM with VALUE for VAR (this environment's substituter)."""
        return self.env.substituter.substitute(term, {var: value})


def smtlib_script(env: Environment, assertions: Sequence[Any], declare: Sequence[Any] = (),
                  logic: str = "QF_BV") -> str:
    """An SMT-LIB2 script: the logic, `produce-models`, a declaration of every free variable
    of ASSERTIONS and of DECLARE (sorted by name: the same text on every run) and one
    `assert` per assertion (shared subterms as `let`s); no `check-sat`, callers add it."""
    names: dict[str, Any] = {str(v.symbol_name()): v for v in declare}
    for formula in assertions:
        for variable in env.fvo.get_free_variables(formula):
            names[str(variable.symbol_name())] = variable
    out = io.StringIO()
    out.write(f"(set-option :produce-models true)\n(set-logic {logic})\n")
    for name in sorted(names, key=_natural):
        out.write(f"(declare-fun {name} () {_sort(names[name])})\n")
    push_env(env)
    try:
        for formula in assertions:
            out.write("(assert ")
            SmtDagPrinter(out).printer(formula)
            out.write(")\n")
    finally:
        pop_env()
    return out.getvalue()


def _sort(variable: Any) -> str:
    """The SMT-LIB sort of VARIABLE."""
    kind = variable.symbol_type()
    if kind.is_bool_type():
        return "Bool"
    return f"(_ BitVec {kind.width})"


def _natural(name: str) -> tuple[str, int, str]:
    """Sort key: `w_2` before `w_10`."""
    stem, _, number = name.rpartition("_")
    return (stem, int(number), "") if number.isdigit() else (name, -1, name)
