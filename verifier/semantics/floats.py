"""Binary floating point (`precision float(E, M)`, bf16, fp16, fp32, fp8) over any `NumOps`.

A soft-float written once over the integer primitives, so that the Python, numpy and Z3
backends run the same code.  Values are the order-preserving codes of `FloatProfile` (+-m
for the magnitude bit pattern m, ±0 merged into 0, one NaN code above +inf).  Every
operation is the exact real result rounded once to the format (IEEE 754-2019 section 4.3,
with the rounding modes `nearest_even` = roundTiesToEven, `toward_zero`, `down` =
roundTowardNegative; overflow per section 7.4): the floating-point setting of Park, Park &
Hwang, *On the Expressive Power of Floating-Point Transformers* (arXiv 2601.16450), and the
finite value set with +-inf of Li & Cotterell 2025, Assumption 3.1.  Special cases (IEEE
754-2019 section 7.2): NaN propagates through every arithmetic operation, `0 * inf` and
`inf - inf` are NaN, every ordered comparison involving NaN is false (`!=` is true, section
5.11), `min`/`max` propagate NaN (`minimum`/`maximum`, section 9.6).  `exp` is correctly
rounded from an exact table.

Internally a finite operand is unpacked into `(negative, significand, scale)` with value
`significand * 2**(scale + base)` for a constant `base`; `_pack` normalises and rounds such a
triple with a bit-length ite chain and a power-of-two lookup table (no new primitive).
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any, TypeVar

from verifier.semantics.numops import NumOps
from verifier.semantics.profile import FloatProfile
from verifier.semantics.tables import LookupTable

N = TypeVar("N")
B = TypeVar("B")

#: Guard bits of the aligned addition (3 suffice: see `add`).
_GUARD = 3
#: Largest exp table (codes) built; fp32 is beyond it.
MAX_EXP_TABLE = 1 << 17

UNSUPPORTED = "float formats are not yet supported by this engine"


class UnsupportedFloat(ValueError):
    """The backend cannot run this float profile exactly (its integers are too narrow)."""


# --- helpers ----------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _powers(count: int) -> LookupTable:
    """`2**k` for `k = 0..count`."""
    return LookupTable(0, tuple(1 << k for k in range(count + 1)))


def _need(ops: NumOps[Any, Any], bits: int) -> None:
    """Refuse a backend whose integers hold fewer than BITS bits (sign excluded)."""
    limit = getattr(ops, "max_bits", None)
    if limit is not None and bits > limit:
        raise UnsupportedFloat(f"{UNSUPPORTED}: it needs {bits}-bit integers, the backend has "
                               f"{limit}")


def _clamp(ops: NumOps[N, B], x: N, lo: int, hi: int) -> N:
    low, high = ops.const(lo), ops.const(hi)
    return ops.ite(ops.lt(x, low), low, ops.ite(ops.lt(high, x), high, x))


def _xor(ops: NumOps[N, B], a: B, b: B) -> B:
    """Exactly one of `a`, `b` (the sign of a product or quotient)."""
    return ops.or_(ops.and_(a, ops.not_(b)), ops.and_(ops.not_(a), b))


def is_nan(ops: NumOps[N, B], p: FloatProfile, x: N) -> B:
    """Whether `x` is NaN."""
    return ops.eq(x, ops.const(p.nan_code))


def is_inf(ops: NumOps[N, B], p: FloatProfile, x: N) -> B:
    """Whether `x` is +inf or -inf (never, without infinities)."""
    if not p.has_inf:
        return ops.bconst(False)
    return ops.or_(ops.eq(x, ops.const(p.top_code)), ops.eq(x, ops.const(-p.top_code)))


def _unpack(ops: NumOps[N, B], p: FloatProfile, x: N) -> tuple[B, N, N]:
    """`(negative, significand, field)` of a finite code: value `sig * 2**(field - bias - M)`
    where `field >= 1` is the biased exponent (1 for subnormals)."""
    zero = ops.const(0)
    negative = ops.lt(x, zero)
    magnitude = ops.ite(negative, ops.neg(x), x)
    biased = ops.shr(magnitude, p.man_bits)
    fraction = ops.sub(magnitude, ops.mul(biased, ops.const(1 << p.man_bits)))
    normal = ops.lt(zero, biased)
    significand = ops.add(fraction, ops.ite(normal, ops.const(1 << p.man_bits), zero))
    return negative, significand, ops.ite(normal, biased, ops.const(1))


def _round_up(ops: NumOps[N, B], p: FloatProfile, negative: B, q: N, r: N, d: N) -> B:
    """Whether the magnitude `q + r/d` (`0 <= r < d`) rounds up to `q + 1`."""
    zero = ops.const(0)
    if p.rounding == "toward_zero":
        return ops.bconst(False)
    if p.rounding == "down":
        return ops.and_(negative, ops.not_(ops.eq(r, zero)))
    twice = ops.add(r, r)
    odd = ops.not_(ops.eq(ops.sub(q, ops.mul(ops.shr(q, 1), ops.const(2))), zero))
    return ops.or_(ops.lt(d, twice), ops.and_(ops.eq(twice, d), odd))


def _pack(ops: NumOps[N, B], p: FloatProfile, negative: B, magnitude: N, scale: N, base: int,
          width: int) -> N:
    """The code of `(-1)**negative * magnitude * 2**(scale + base)` rounded once to the format
    (`0 <= magnitude < 2**width`); overflow per `FloatProfile.overflow_code`."""
    _need(ops, width + 2)
    zero, one = ops.const(0), ops.const(1)
    man = p.man_bits
    length = zero
    for k in range(width):
        length = ops.add(length, ops.ite(ops.le(ops.const(1 << k), magnitude), one, zero))
    # exponent of the leading bit: scale + base + length - 1; the quantum's: max(., emin) - M
    lead = ops.add(scale, ops.const(base - 1))
    lead = ops.add(lead, length)
    exponent = ops.ite(ops.lt(lead, ops.const(p.emin)), ops.const(p.emin), lead)
    shift = ops.sub(ops.sub(exponent, ops.const(man + base)), scale)
    powers = _powers(max(man, width + 1))
    left = ops.mul(magnitude, ops.lookup(powers, _clamp(ops, ops.neg(shift), 0, man)))
    divisor = ops.lookup(powers, _clamp(ops, shift, 0, width + 1))
    q, r = ops.divmod(magnitude, divisor)
    right = ops.ite(_round_up(ops, p, negative, q, r, divisor), ops.add(q, one), q)
    significand = ops.ite(ops.le(shift, zero), left, right)
    code = ops.add(ops.mul(ops.add(exponent, ops.const(p.bias - 1)), ops.const(1 << man)),
                   significand)
    overflow = ops.lt(ops.const(p.max_code), code)
    pos, neg = p.overflow_code(False), -p.overflow_code(True)
    code = ops.ite(overflow, ops.ite(negative, ops.const(neg), ops.const(pos)), code)
    signed = ops.ite(negative, ops.neg(code), code)
    return ops.ite(ops.eq(magnitude, zero), zero, signed)


def _special(ops: NumOps[N, B], p: FloatProfile, nan: B, inf: B, inf_negative: B,
             finite: N) -> N:
    """NaN where NAN, +-inf (sign INF_NEGATIVE) where INF, else FINITE."""
    top = ops.const(p.top_code)
    infinite = ops.ite(inf_negative, ops.neg(top), top)
    return ops.ite(nan, ops.const(p.nan_code), ops.ite(inf, infinite, finite))


def _finite_operand(ops: NumOps[N, B], p: FloatProfile, x: N) -> N:
    """X, or 0 where X is not finite (keeps the finite path's integers in range)."""
    bad = ops.or_(is_nan(ops, p, x), is_inf(ops, p, x))
    return ops.ite(bad, ops.const(0), x)


# --- arithmetic -------------------------------------------------------------------------


def add(ops: NumOps[N, B], p: FloatProfile, x: N, y: N) -> N:
    """`x + y` rounded once.  The smaller operand is aligned to the larger one's exponent
    with at most `_GUARD` = 3 guard bits and a sticky bit: when the exponents differ by more
    than 3 the result keeps at least `M + 2` bits above the sticky position, so no rounding
    boundary lies between the exact sum and the sticky-replaced one."""
    zero = ops.const(0)
    xn, yn = is_nan(ops, p, x), is_nan(ops, p, y)
    xi, yi = is_inf(ops, p, x), is_inf(ops, p, y)
    opposite = ops.and_(ops.and_(xi, yi), ops.not_(ops.eq(x, y)))
    nan = ops.or_(ops.or_(xn, yn), opposite)
    inf = ops.or_(xi, yi)
    inf_negative = ops.ite(xi, ops.lt(x, zero), ops.lt(y, zero))
    xs, ys = _finite_operand(ops, p, x), _finite_operand(ops, p, y)
    xneg, xsig, xexp = _unpack(ops, p, xs)
    yneg, ysig, yexp = _unpack(ops, p, ys)
    swap = ops.lt(xexp, yexp)
    aneg, asig, aexp = (ops.ite(swap, yneg, xneg), ops.ite(swap, ysig, xsig),
                        ops.ite(swap, yexp, xexp))
    bneg, bsig, bexp = (ops.ite(swap, xneg, yneg), ops.ite(swap, xsig, ysig),
                        ops.ite(swap, xexp, yexp))
    gap = ops.sub(aexp, bexp)
    near = _clamp(ops, gap, 0, _GUARD)
    powers = _powers(p.man_bits + 2)
    big = ops.mul(asig, ops.lookup(powers, ops.add(near, ops.const(1))))
    rest = _clamp(ops, ops.sub(gap, near), 0, p.man_bits + 2)
    kept, lost = ops.divmod(bsig, ops.lookup(powers, rest))
    small = ops.add(ops.add(kept, kept), ops.ite(ops.eq(lost, zero), zero, ops.const(1)))
    total = ops.add(ops.ite(aneg, ops.neg(big), big), ops.ite(bneg, ops.neg(small), small))
    negative = ops.lt(total, zero)
    magnitude = ops.ite(negative, ops.neg(total), total)
    scale = ops.sub(ops.sub(aexp, near), ops.const(1))
    finite = _pack(ops, p, negative, magnitude, scale, -p.bias - p.man_bits,
                   p.man_bits + _GUARD + 4)
    return _special(ops, p, nan, inf, inf_negative, finite)


def neg(ops: NumOps[N, B], p: FloatProfile, x: N) -> N:
    """`-x` (exact; NaN stays NaN)."""
    return ops.ite(is_nan(ops, p, x), x, ops.neg(x))


def sub(ops: NumOps[N, B], p: FloatProfile, x: N, y: N) -> N:
    """`x - y` rounded once (`x + (-y)`)."""
    return add(ops, p, x, neg(ops, p, y))


def mul(ops: NumOps[N, B], p: FloatProfile, x: N, y: N) -> N:
    """`x * y` rounded once; `0 * inf` is NaN."""
    zero = ops.const(0)
    xn, yn = is_nan(ops, p, x), is_nan(ops, p, y)
    xi, yi = is_inf(ops, p, x), is_inf(ops, p, y)
    negative_sign = _xor(ops, ops.lt(x, zero), ops.lt(y, zero))
    zero_inf = ops.or_(ops.and_(xi, ops.eq(y, zero)), ops.and_(yi, ops.eq(x, zero)))
    nan = ops.or_(ops.or_(xn, yn), zero_inf)
    inf = ops.or_(xi, yi)
    xneg, xsig, xexp = _unpack(ops, p, _finite_operand(ops, p, x))
    yneg, ysig, yexp = _unpack(ops, p, _finite_operand(ops, p, y))
    negative = _xor(ops, xneg, yneg)
    finite = _pack(ops, p, negative, ops.mul(xsig, ysig), ops.add(xexp, yexp),
                   -2 * (p.bias + p.man_bits), 2 * p.man_bits + 2)
    return _special(ops, p, nan, inf, negative_sign, finite)


def div(ops: NumOps[N, B], p: FloatProfile, x: N, y: N) -> N:
    """`x / y` rounded once, for the softmax weights: `f / inf = 0`, `inf / inf`, `0 / 0`
    and NaN operands give NaN, `x / 0` is +-inf (0 has no sign here; the softmax never
    divides by 0)."""
    zero = ops.const(0)
    man = p.man_bits
    xn, yn = is_nan(ops, p, x), is_nan(ops, p, y)
    xi, yi = is_inf(ops, p, x), is_inf(ops, p, y)
    xz, yz = ops.eq(x, zero), ops.eq(y, zero)
    sign = _xor(ops, ops.lt(x, zero), ops.lt(y, zero))
    nan = ops.or_(ops.or_(xn, yn), ops.or_(ops.and_(xi, yi), ops.and_(xz, yz)))
    inf = ops.or_(xi, yz)
    vanish = ops.and_(yi, ops.not_(ops.or_(xi, xn)))
    xneg, xsig, xexp = _unpack(ops, p, _finite_operand(ops, p, x))
    divisor_bad = ops.or_(ops.or_(yi, yz), yn)
    yneg, ysig, yexp = _unpack(ops, p, ops.ite(divisor_bad, ops.const(p.one_raw), y))
    guard = 2 * man + 4  # the quotient keeps >= M + 3 bits even for a subnormal dividend
    quotient, remainder = ops.divmod(ops.mul(xsig, ops.const(1 << guard)), ysig)
    sticky = ops.ite(ops.eq(remainder, zero), zero, ops.const(1))
    magnitude = ops.add(ops.add(quotient, quotient), sticky)
    scale = ops.sub(xexp, yexp)
    finite = _pack(ops, p, _xor(ops, xneg, yneg), magnitude, scale, -guard - 1,
                   3 * man + 6)
    return ops.ite(vanish, zero, _special(ops, p, nan, inf, sign, finite))


def minimum(ops: NumOps[N, B], p: FloatProfile, x: N, y: N) -> N:
    """`min(x, y)`; NaN if either is NaN."""
    nan = ops.or_(is_nan(ops, p, x), is_nan(ops, p, y))
    return ops.ite(nan, ops.const(p.nan_code), ops.ite(ops.lt(y, x), y, x))


def maximum(ops: NumOps[N, B], p: FloatProfile, x: N, y: N) -> N:
    """`max(x, y)`; NaN if either is NaN."""
    nan = ops.or_(is_nan(ops, p, x), is_nan(ops, p, y))
    return ops.ite(nan, ops.const(p.nan_code), ops.ite(ops.lt(x, y), y, x))


def absolute(ops: NumOps[N, B], p: FloatProfile, x: N) -> N:
    """`|x|` (exact; NaN stays NaN)."""
    return ops.ite(ops.lt(x, ops.const(0)), ops.neg(x), x)


def relu(ops: NumOps[N, B], p: FloatProfile, x: N) -> N:
    """`max(x, 0)` (NaN stays NaN)."""
    return maximum(ops, p, x, ops.const(0))


def exp(ops: NumOps[N, B], p: FloatProfile, x: N) -> N:
    """`e^x` correctly rounded (`exp_table`); `exp(-inf) = 0`, `exp(inf) = inf`, NaN stays."""
    table = exp_table(p)
    value = ops.lookup(table, _clamp(ops, x, table.lo, table.hi))
    if p.has_inf:
        value = ops.ite(ops.eq(x, ops.const(p.top_code)), ops.const(p.top_code), value)
        value = ops.ite(ops.eq(x, ops.const(-p.top_code)), ops.const(0), value)
    return ops.ite(is_nan(ops, p, x), x, value)


def bool_to_num(ops: NumOps[N, B], p: FloatProfile, b: B) -> N:
    """1.0 where `b` holds, else 0."""
    return ops.ite(b, ops.const(p.one_raw), ops.const(0))


# --- comparisons: false with NaN, ±0 equal ----------------------------------------------


def _ordered(ops: NumOps[N, B], p: FloatProfile, x: N, y: N) -> B:
    return ops.not_(ops.or_(is_nan(ops, p, x), is_nan(ops, p, y)))


def lt(ops: NumOps[N, B], p: FloatProfile, x: N, y: N) -> B:
    """`x < y` (false if either is NaN)."""
    return ops.and_(_ordered(ops, p, x, y), ops.lt(x, y))


def le(ops: NumOps[N, B], p: FloatProfile, x: N, y: N) -> B:
    """`x <= y` (false if either is NaN)."""
    return ops.and_(_ordered(ops, p, x, y), ops.le(x, y))


def gt(ops: NumOps[N, B], p: FloatProfile, x: N, y: N) -> B:
    """`x > y` (false if either is NaN)."""
    return lt(ops, p, y, x)


def ge(ops: NumOps[N, B], p: FloatProfile, x: N, y: N) -> B:
    """`x >= y` (false if either is NaN)."""
    return le(ops, p, y, x)


def eq(ops: NumOps[N, B], p: FloatProfile, x: N, y: N) -> B:
    """`x == y` (false if either is NaN)."""
    return ops.and_(_ordered(ops, p, x, y), ops.eq(x, y))


def ne(ops: NumOps[N, B], p: FloatProfile, x: N, y: N) -> B:
    """`x != y` (true if either is NaN)."""
    return ops.not_(eq(ops, p, x, y))


# --- exact sums -------------------------------------------------------------------------


def exact_sum(ops: NumOps[N, B], p: FloatProfile, terms: list[tuple[B, N, N]],
              counts: Sequence[int] | None = None) -> N:
    """`sum_j a_j * b_j` over the pairs `(kept_j, a_j, b_j)` with kept flags, rounded once
    (pair j taken COUNTS[j] >= 1 times if given: multisets of keys).

    Each product is exact; the sum is accumulated in a fixed-point integer whose unit is the
    square of the smallest subnormal, so it needs about `2 * 2**E + 2M + log2(keys)` bits
    (Python ints and sized Z3 bit-vectors; numpy refuses beyond int64).  A NaN product
    (`0 * inf`, a NaN factor) or infinities of both signs give NaN.
    """
    zero, false = ops.const(0), ops.bconst(False)
    fields = (1 << p.exp_bits) - 1
    span = 2 * fields
    width = span + 2 * p.man_bits + 2 + max(
        len(terms) if counts is None else sum(counts), 1).bit_length()
    _need(ops, width + 2)
    powers = _powers(span)
    nan, pos_inf, neg_inf, total = false, false, false, zero
    for index, (flag, a, b) in enumerate(terms):
        product = mul_special(ops, p, a, b)
        nan = ops.or_(nan, ops.and_(flag, is_nan(ops, p, product)))
        infinite = ops.and_(flag, is_inf(ops, p, product))
        pos_inf = ops.or_(pos_inf, ops.and_(infinite, ops.lt(zero, product)))
        neg_inf = ops.or_(neg_inf, ops.and_(infinite, ops.lt(product, zero)))
        aneg, asig, aexp = _unpack(ops, p, _finite_operand(ops, p, a))
        bneg, bsig, bexp = _unpack(ops, p, _finite_operand(ops, p, b))
        shift = ops.sub(ops.add(aexp, bexp), ops.const(2))
        term = ops.mul(ops.mul(asig, bsig), ops.lookup(powers, _clamp(ops, shift, 0, span)))
        signed = ops.ite(_xor(ops, aneg, bneg), ops.neg(term), term)
        if counts is not None and counts[index] != 1:
            signed = ops.mul(signed, ops.const(counts[index]))
        total = ops.add(total, ops.ite(ops.and_(flag, ops.not_(infinite)), signed, zero))
    negative = ops.lt(total, zero)
    magnitude = ops.ite(negative, ops.neg(total), total)
    finite = _pack(ops, p, negative, magnitude, zero, 2 * (p.emin - p.man_bits), width)
    nan = ops.or_(nan, ops.and_(pos_inf, neg_inf))
    return _special(ops, p, nan, ops.or_(pos_inf, neg_inf), neg_inf, finite)


def mul_special(ops: NumOps[N, B], p: FloatProfile, x: N, y: N) -> N:
    """The class of `x * y` without rounding: NaN, +-inf, or an arbitrary finite code of the
    right sign (used by `exact_sum` to spot NaN and infinite products cheaply)."""
    zero = ops.const(0)
    xn, yn = is_nan(ops, p, x), is_nan(ops, p, y)
    xi, yi = is_inf(ops, p, x), is_inf(ops, p, y)
    zero_inf = ops.or_(ops.and_(xi, ops.eq(y, zero)), ops.and_(yi, ops.eq(x, zero)))
    negative = _xor(ops, ops.lt(x, zero), ops.lt(y, zero))
    finite = ops.ite(negative, ops.const(-1), ops.const(1))
    return _special(ops, p, ops.or_(ops.or_(xn, yn), zero_inf), ops.or_(xi, yi), negative,
                    finite)


# --- the correctly rounded exponential --------------------------------------------------


def _exp_bounds(x: Fraction, digits: int) -> tuple[Fraction, Fraction]:
    """Rational bounds `lo <= e^x <= hi`.  For `|x| <= 2**-4` from the Taylor series,
    `1 + x <= e^x <= 1 + x + x^2`; otherwise from `Decimal.exp`, correctly rounded to
    DIGITS digits (so within one unit of the last digit)."""
    if abs(x) <= Fraction(1, 16) and digits <= 40:
        return 1 + x, 1 + x + x * x
    with decimal.localcontext() as ctx:
        ctx.prec = digits + 400
        argument = Decimal(x.numerator) / Decimal(x.denominator)
        assert Fraction(argument) == x, "dyadic arguments are exact in Decimal"
        ctx.prec = digits
        y = Fraction(argument.exp())
    slack = y / Fraction(10) ** (digits - 2)
    return y - slack, y + slack


def exp_code(p: FloatProfile, code: int) -> int:
    """The code of `e^x` correctly rounded, for the finite code `x` (refines the bounds of
    `_exp_bounds` until both round alike; `e^x` is irrational for `x != 0`, so this ends)."""
    if code == 0:
        return p.one_raw
    x = p.decode(code)
    digits = 30
    while True:
        low, high = _exp_bounds(x, digits)
        if low > 0 and p.round_raw(low) == p.round_raw(high):
            return p.round_raw(low)
        digits *= 2
        if digits > 5000:
            raise ArithmeticError(f"cannot decide the rounding of exp({x})")


def exp_unsupported(p: FloatProfile) -> str | None:
    """Why `exp` cannot be computed exactly in P (its correctly rounded table would exceed
    MAX_EXP_TABLE codes, e.g. fp32), or None: the one rule the checker and the table share."""
    if p.max_code <= MAX_EXP_TABLE:
        return None
    return f"a table of {2 * p.max_code} codes; at most {MAX_EXP_TABLE}"


@lru_cache(maxsize=32)
def _exp_table(p: FloatProfile) -> LookupTable:
    """Codes `lo..hi` with `exp` constant below `lo` (0) and above `hi` (the overflow value)."""
    problem = exp_unsupported(p)
    if problem is not None:
        raise UnsupportedFloat(f"exp in {p.format_name()} is not supported: {problem}")
    negative: list[int] = []
    for code in range(-1, -p.max_code - 1, -1):
        negative.append(exp_code(p, code))
        if negative[-1] == 0:
            break
    positive: list[int] = []
    for code in range(1, p.max_code + 1):
        positive.append(exp_code(p, code))
        if positive[-1] == p.overflow_code(False):
            break
    return LookupTable(-len(negative), (*reversed(negative), p.one_raw, *positive))


def exp_table(p: FloatProfile) -> LookupTable:
    """The correctly rounded `e^x` on the finite codes where it is not constant (shared by
    profiles that differ only in their softmax options)."""
    return _exp_table(FloatProfile(rounding=p.rounding, exp_bits=p.exp_bits,
                                   man_bits=p.man_bits, finite_only=p.finite_only))


# --- softmax ----------------------------------------------------------------------------


def aggregate(ops: NumOps[N, B], p: FloatProfile, kept: list[B], scores: list[N] | None,
              values: list[N]) -> tuple[N, list[N]]:
    """Soft attention in a float format: `(output, weights)` (the caller applies the default
    where nothing is kept).

    1. `m = max_j s_j` over kept keys (NaN if a kept score is NaN);
    2. `e_j = exp(s_j - m)`, the subtraction and the exp each rounded (as a kernel does;
       IEEE 754-2019 operations, arXiv 2601.16450's setting); `e_j = 1` for uniform heads;
    3. `Z = sum_j e_j`: rounded once (`sums exact`) or left to right with every addition
       rounded (`sums sequential`); `denominator saturate` replaces `Z = inf` by the largest
       finite value, `vanish` keeps it (Li & Cotterell 2025, Assumption 3.1: the weights
       `e_j / inf` are then 0);
    4. `alpha_j = e_j / Z` rounded;
    5. output `sum_j alpha_j v_j` rounded once, or left to right (each product and each
       addition rounded).

    Over multisets of keys (the all-lengths engine): `float_counts.aggregate`.
    """
    zero, one = ops.const(0), ops.const(p.one_raw)
    exps = numerators(ops, p, kept, scores)
    if p.sums == "exact":
        z = exact_sum(ops, p, [(flag, e, one) for flag, e in zip(kept, exps, strict=True)])
    else:
        z = zero
        for flag, e in zip(kept, exps, strict=True):
            z = ops.ite(flag, add(ops, p, z, e), z)
    z = divisor(ops, p, z)
    weights = [ops.ite(flag, div(ops, p, e, z), zero) for flag, e in zip(kept, exps, strict=True)]
    if p.sums == "exact":
        output = exact_sum(ops, p, list(zip(kept, weights, values, strict=True)))
    else:
        output = zero
        for flag, w, v in zip(kept, weights, values, strict=True):
            output = ops.ite(flag, add(ops, p, output, mul(ops, p, w, v)), output)
    return output, weights


def divisor(ops: NumOps[N, B], p: FloatProfile, z: N) -> N:
    """Step 3's last rule: the divisor of the weights for the denominator Z (`saturate`
    replaces `inf` by the largest finite value; `vanish` keeps it)."""
    if p.denominator == "saturate":
        return ops.ite(ops.eq(z, ops.const(p.top_code)), ops.const(p.max_code), z)
    return z


def weighted_term(ops: NumOps[N, B], p: FloatProfile, e: N, z: N, v: N) -> N:
    """One kept key's term of step 5 under `sums sequential`: `round(round(e / divisor(Z)) *
    v)`, for its numerator E, the denominator Z and its value V (what `aggregate` adds)."""
    return mul(ops, p, div(ops, p, e, divisor(ops, p, z)), v)


def max_floor(p: FloatProfile) -> int:
    """The code the running maximum of kept scores starts from (-inf, below every score;
    `maximum` of it and NaN is NaN): softmax step 1 of docs/semantics.md."""
    return -p.top_code


def numerators(ops: NumOps[N, B], p: FloatProfile, kept: list[B], scores: list[N] | None
               ) -> list[N]:
    """Softmax steps 1-2: `e_j = exp(s_j - max kept s)` (both rounded) for kept keys, 1 for
    uniform heads, 0 for keys not kept."""
    zero, one = ops.const(0), ops.const(p.one_raw)
    if scores is None:
        return [ops.ite(flag, one, zero) for flag in kept]
    top = ops.const(max_floor(p))
    for flag, score in zip(kept, scores, strict=True):
        top = ops.ite(flag, maximum(ops, p, top, score), top)
    return [ops.ite(flag, exp(ops, p, sub(ops, p, score, top)), zero)
            for flag, score in zip(kept, scores, strict=True)]


def uniform_denominator(p: FloatProfile, count: int) -> int:
    """The code of `Z` for COUNT uniformly kept keys (`e_j = 1`), by the semantics above:
    `round(count)` under exact sums, the stagnating running sum under sequential ones."""
    if p.sums == "exact":
        z = p.round_raw(Fraction(count))
    else:
        from verifier.semantics.pyops import PyOps
        ops, z = PyOps(), 0
        for _ in range(count):
            following = add(ops, p, z, p.one_raw)
            if following == z:
                break
            z = following
    if p.denominator == "saturate" and z == p.top_code:
        z = p.max_code
    return z


def _ones_run(p: FloatProfile) -> tuple[int, bool]:
    """`0 + 1 + 1 + …` with every addition rounded, until it stagnates or reaches +inf:
    the count of ones added before that, and whether it overflowed."""
    from verifier.semantics.pyops import PyOps
    ops, z, n = PyOps(), 0, 0
    while True:
        following = add(ops, p, z, p.one_raw)
        if following == z or following == p.top_code:
            return n, following == p.top_code
        z, n = following, n + 1


def stagnation_length(p: FloatProfile) -> int | None:
    """The count from which a sequential uniform denominator stops growing (`n` with
    `n + 1` rounding back to `n`: 256 in bf16, 8 in fp8e5m2); None if it overflows first."""
    count, overflowed = _ones_run(p)
    return None if overflowed else count


def float_attention_span(p: FloatProfile) -> int | None:
    """Largest `c` such that uniform attention over `c` keys keeps non-zero weights, None if
    it never vanishes.  Only an infinite denominator vanishes (1/max is far above the
    smallest subnormal), which needs `denominator vanish` and infinities with a rounding
    that overflows to +inf: then under `sums exact` `c` is the largest count rounding to a
    finite value; under `sums sequential` the running sum stagnates first in most formats
    (None), and in tiny ones (float(2, 1): 1 + 1 + 1 = 3, 3 + 1 = inf) overflows."""
    if p.denominator == "saturate" or p.overflow_code(False) != p.top_code or not p.has_inf:
        return None
    if p.sums == "sequential":  # it overflows only in formats too small to stagnate first
        return _sequential_span(p)
    low, high = 1, 1 << ((1 << p.exp_bits) + 1)
    while low < high:
        middle = (low + high + 1) // 2
        if p.round_raw(Fraction(middle)) != p.top_code:
            low = middle
        else:
            high = middle - 1
    return low


def _sequential_span(p: FloatProfile) -> int | None:
    """Under `sums sequential`: the count before `1 + 1 + …` reaches +inf (None if it
    stagnates first, as in every preset: 256 + 1 = 256 in bf16)."""
    count, overflowed = _ones_run(p)
    return count if overflowed else None


def float_bits(p: FloatProfile, max_keys: int) -> int:
    """Bits (sign included) that hold every intermediate of this module for attention over
    at most MAX_KEYS keys (used to size Z3 bit-vectors)."""
    fields = (1 << p.exp_bits) - 1
    key_bits = max(max_keys, 1).bit_length()
    need = max(3 * p.man_bits + 6,  # the division's dividend and quotient
               p.exp_bits + p.man_bits + 6)  # codes with the unbounded exponent of a product
    if p.sums == "exact":
        need = max(need, 2 * fields + 2 * p.man_bits + 2 + key_bits)
    return need + 4
