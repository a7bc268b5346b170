"""Term factories: the few term constructors the encoder needs beyond `NumOps`.

The symbolic word, the DFA runner and the folding backend build the same terms on either
term library: `Z3Terms` (direct Z3 terms in one `z3.Context`) or `PysmtTerms`
(`verifier.smt.pysmtops`, pysmt formulas in one pysmt environment, for every other solver and
the SMT-LIB export).  Both build the numeric backend of the semantics (`numops`), so the
program's values come from the one semantics whichever library holds them.
"""

from __future__ import annotations

from typing import Any, Protocol

import z3

from verifier.semantics.profile import Profile
from verifier.smt.z3ops import Z3Ops


class Terms(Protocol):
    """Constructors of bit-vector and Bool terms in one term library."""

    kind: str

    def numops(self, profile: Profile, max_keys: int) -> Any:
        """The `NumOps` backend for PROFILE and heads over at most MAX_KEYS keys."""
        ...

    def bv_var(self, name: str, bits: int) -> Any:
        """The bit-vector variable NAME of BITS bits."""
        ...

    def bv_val(self, value: int, bits: int) -> Any:
        """The bit-vector constant VALUE (two's complement) of BITS bits."""
        ...

    def bool_val(self, value: bool) -> Any:
        """The Bool constant VALUE."""
        ...

    def eq(self, x: Any, y: Any) -> Any:
        """`x = y`."""
        ...

    def ult(self, x: Any, y: Any) -> Any:
        """Unsigned `x < y`."""
        ...

    def ite(self, c: Any, x: Any, y: Any) -> Any:
        """`ite(c, x, y)`."""
        ...

    def xor(self, a: Any, b: Any) -> Any:
        """`a xor b` on Bools."""
        ...

    def same(self, x: Any, y: Any) -> bool:
        """Whether X and Y are the same term (structurally)."""
        ...

    def negated(self, a: Any) -> Any | None:
        """B if A is `not B`, else None."""
        ...

    def substitute(self, term: Any, var: Any, value: Any) -> Any:
        """TERM with VALUE for the variable VAR."""
        ...


class Z3Terms:
    """`Terms` over Z3 in the context CTX."""

    kind = "z3"

    def __init__(self, ctx: z3.Context) -> None:
        """Terms of CTX."""
        self.ctx = ctx

    def numops(self, profile: Profile, max_keys: int) -> Z3Ops:
        """A `Z3Ops` of this context."""
        return Z3Ops(self.ctx, profile, max_keys)

    def bv_var(self, name: str, bits: int) -> Any:
        """`z3.BitVec(name, bits)`."""
        return z3.BitVec(name, bits, self.ctx)

    def bv_val(self, value: int, bits: int) -> Any:
        """`z3.BitVecVal(value, bits)`."""
        return z3.BitVecVal(value, bits, self.ctx)

    def bool_val(self, value: bool) -> Any:
        """`z3.BoolVal(value)`."""
        return z3.BoolVal(value, self.ctx)

    def eq(self, x: Any, y: Any) -> Any:
        """`x == y`."""
        return x == y

    def ult(self, x: Any, y: Any) -> Any:
        """`z3.ULT(x, y)`."""
        return z3.ULT(x, y)

    def ite(self, c: Any, x: Any, y: Any) -> Any:
        """`z3.If(c, x, y)`."""
        return z3.If(c, x, y, self.ctx)

    def xor(self, a: Any, b: Any) -> Any:
        """`z3.Xor(a, b)`."""
        return z3.Xor(a, b)

    def same(self, x: Any, y: Any) -> bool:
        """`x.eq(y)`."""
        return bool(x.eq(y))

    def negated(self, a: Any) -> Any | None:
        """The argument of a `Not`."""
        return a.arg(0) if z3.is_not(a) else None

    def substitute(self, term: Any, var: Any, value: Any) -> Any:
        """`z3.substitute`."""
        return z3.substitute(term, (var, value))


def as_terms(ctx: Any) -> Any:
    """CTX as a term factory: a `z3.Context` becomes its `Z3Terms`; a factory stays itself."""
    if isinstance(ctx, z3.Context):
        return Z3Terms(ctx)
    return ctx
