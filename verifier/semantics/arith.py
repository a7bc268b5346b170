"""Element-wise fixed-point arithmetic of spec section 5, over any `NumOps` backend.

Every function takes the backend `ops`, the `profile` and raw operands (`k` stands for
`k * 2**-F`) and returns a raw result: the exact result, rounded to a multiple of `ulp` with
the profile's rounding mode, then clamped to `[min, max]`.  Under a `FloatProfile` every
operation is delegated to the soft-float of `verifier.semantics.floats` (raw values are then
float codes), so callers dispatch through this module for both kinds of format.
"""

from __future__ import annotations

from typing import TypeVar

from verifier.semantics import floats
from verifier.semantics.numops import NumOps
from verifier.semantics.profile import FloatProfile, Profile
from verifier.semantics.tables import exp_table

N = TypeVar("N")
B = TypeVar("B")


# --- rounding and clamping --------------------------------------------------------------


def clamp(ops: NumOps[N, B], profile: Profile, x: N) -> N:
    """`x` clamped to the raw range `[min_raw, max_raw]`."""
    return clamp_to(ops, x, profile.min_raw, profile.max_raw)


def clamp_to(ops: NumOps[N, B], x: N, lo: int, hi: int) -> N:
    """`x` clamped to the constant range `[lo, hi]`."""
    low, high = ops.const(lo), ops.const(hi)
    return ops.ite(ops.lt(x, low), low, ops.ite(ops.lt(high, x), high, x))


def _adjust(ops: NumOps[N, B], profile: Profile, n: N, q: N, r: N, d: N) -> N:
    """Round `n / d` given `q = floor(n / d)`, `r = n - q * d` (`d > 0`)."""
    if profile.rounding == "down":
        return q
    zero = ops.const(0)
    if profile.rounding == "toward_zero":
        up = ops.and_(ops.lt(n, zero), ops.not_(ops.eq(r, zero)))
    else:
        twice = ops.add(r, r)
        odd = ops.not_(ops.eq(ops.sub(q, ops.mul(ops.shr(q, 1), ops.const(2))), zero))
        up = ops.or_(ops.lt(d, twice), ops.and_(ops.eq(twice, d), odd))
    return ops.ite(up, ops.add(q, ops.const(1)), q)


def round_shift(ops: NumOps[N, B], profile: Profile, n: N, k: int) -> N:
    """`round(n / 2**k)` with the profile's rounding mode (no clamping)."""
    q = ops.shr(n, k)
    d = ops.const(1 << k)
    return _adjust(ops, profile, n, q, ops.sub(n, ops.mul(q, d)), d)


def round_div(ops: NumOps[N, B], profile: Profile, n: N, d: N) -> N:
    """`round(n / d)` for `n >= 0` and `d > 0` with the profile's rounding (no clamping)."""
    q, r = ops.divmod(n, d)
    return _adjust(ops, profile, n, q, r, d)


# --- arithmetic -------------------------------------------------------------------------


def add(ops: NumOps[N, B], profile: Profile, x: N, y: N) -> N:
    """`clamp(x + y)` (the sum is exact, so no rounding is needed)."""
    if isinstance(profile, FloatProfile):
        return floats.add(ops, profile, x, y)
    return clamp(ops, profile, ops.add(x, y))


def sub(ops: NumOps[N, B], profile: Profile, x: N, y: N) -> N:
    """`clamp(x - y)`."""
    if isinstance(profile, FloatProfile):
        return floats.sub(ops, profile, x, y)
    return clamp(ops, profile, ops.sub(x, y))


def neg(ops: NumOps[N, B], profile: Profile, x: N) -> N:
    """`clamp(-x)` (only `-min` needs clamping)."""
    if isinstance(profile, FloatProfile):
        return floats.neg(ops, profile, x)
    return clamp(ops, profile, ops.neg(x))


def mul(ops: NumOps[N, B], profile: Profile, x: N, y: N) -> N:
    """`clamp(round(x * y))`: the exact product has `2F` fraction bits, rounded to `F`."""
    if isinstance(profile, FloatProfile):
        return floats.mul(ops, profile, x, y)
    return clamp(ops, profile, round_shift(ops, profile, ops.mul(x, y), profile.frac_bits))


def minimum(ops: NumOps[N, B], profile: Profile, x: N, y: N) -> N:
    """`min(x, y)`."""
    if isinstance(profile, FloatProfile):
        return floats.minimum(ops, profile, x, y)
    return ops.ite(ops.lt(y, x), y, x)


def maximum(ops: NumOps[N, B], profile: Profile, x: N, y: N) -> N:
    """`max(x, y)`."""
    if isinstance(profile, FloatProfile):
        return floats.maximum(ops, profile, x, y)
    return ops.ite(ops.lt(x, y), y, x)


def absolute(ops: NumOps[N, B], profile: Profile, x: N) -> N:
    """`clamp(|x|)` (only `|min|` needs clamping)."""
    if isinstance(profile, FloatProfile):
        return floats.absolute(ops, profile, x)
    return clamp(ops, profile, ops.ite(ops.lt(x, ops.const(0)), ops.neg(x), x))


def relu(ops: NumOps[N, B], profile: Profile, x: N) -> N:
    """`max(x, 0)`."""
    if isinstance(profile, FloatProfile):
        return floats.relu(ops, profile, x)
    return maximum(ops, profile, x, ops.const(0))


def exp(ops: NumOps[N, B], profile: Profile, x: N) -> N:
    """`clamp(round(e^x))` from the exact table; arguments beyond it are constant."""
    if isinstance(profile, FloatProfile):
        return floats.exp(ops, profile, x)
    table = exp_table(profile)
    return ops.lookup(table, clamp_to(ops, x, table.lo, table.hi))


def bool_to_num(ops: NumOps[N, B], profile: Profile, b: B) -> N:
    """`1.0` (raw `2**F`) where `b` holds, else 0."""
    if isinstance(profile, FloatProfile):
        return floats.bool_to_num(ops, profile, b)
    return ops.ite(b, ops.const(profile.one_raw), ops.const(0))


# --- comparisons (exact, on raw values) -------------------------------------------------


def lt(ops: NumOps[N, B], profile: Profile, x: N, y: N) -> B:
    """`x < y`."""
    if isinstance(profile, FloatProfile):
        return floats.lt(ops, profile, x, y)
    return ops.lt(x, y)


def le(ops: NumOps[N, B], profile: Profile, x: N, y: N) -> B:
    """`x <= y`."""
    if isinstance(profile, FloatProfile):
        return floats.le(ops, profile, x, y)
    return ops.le(x, y)


def gt(ops: NumOps[N, B], profile: Profile, x: N, y: N) -> B:
    """`x > y`."""
    if isinstance(profile, FloatProfile):
        return floats.gt(ops, profile, x, y)
    return ops.lt(y, x)


def ge(ops: NumOps[N, B], profile: Profile, x: N, y: N) -> B:
    """`x >= y`."""
    if isinstance(profile, FloatProfile):
        return floats.ge(ops, profile, x, y)
    return ops.le(y, x)


def eq(ops: NumOps[N, B], profile: Profile, x: N, y: N) -> B:
    """`x == y`."""
    if isinstance(profile, FloatProfile):
        return floats.eq(ops, profile, x, y)
    return ops.eq(x, y)


def ne(ops: NumOps[N, B], profile: Profile, x: N, y: N) -> B:
    """`x != y`."""
    if isinstance(profile, FloatProfile):
        return floats.ne(ops, profile, x, y)
    return ops.not_(ops.eq(x, y))
