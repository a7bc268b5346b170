"""An independent, deliberately naive Fraction model of spec section 5 for the tests.

Values here are exact `Fraction`s (user units), not raw integers; nothing is imported from the
production rounding code.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal, localcontext
from fractions import Fraction

ROUNDINGS = ("nearest_even", "toward_zero", "down")


def ref_round_int(q: Fraction, rounding: str) -> int:
    """Round a rational to an integer: banker's rounding, truncation or floor."""
    if rounding == "nearest_even":
        return round(q)  # Fraction.__round__ breaks ties to even
    if rounding == "toward_zero":
        return math.trunc(q)
    return math.floor(q)


def ref_round(q: Fraction, frac_bits: int, rounding: str) -> Fraction:
    """Round a rational to a multiple of 2^-F."""
    scale = 2**frac_bits
    return Fraction(ref_round_int(q * scale, rounding), scale)


def ref_limits(int_bits: int, frac_bits: int) -> tuple[Fraction, Fraction]:
    """(min, max) of fixed(I, F)."""
    return Fraction(-(2 ** (int_bits - 1))), 2 ** (int_bits - 1) - Fraction(1, 2**frac_bits)


def ref_clamp(q: Fraction, int_bits: int, frac_bits: int) -> Fraction:
    """Clamp a value to [min, max]."""
    low, high = ref_limits(int_bits, frac_bits)
    return min(max(q, low), high)


def ref_values(int_bits: int, frac_bits: int) -> list[Fraction]:
    """Every value of fixed(I, F), ascending."""
    scale = 2**frac_bits
    return [
        Fraction(k, scale)
        for k in range(-(2 ** (int_bits - 1 + frac_bits)), 2 ** (int_bits - 1 + frac_bits))
    ]


def ref_exp_unclamped(q: Fraction, frac_bits: int, rounding: str) -> Fraction:
    """round(e^q) by a direct 80-digit computation (q a dyadic rational)."""
    if q == 0:
        return Fraction(1)
    with localcontext() as ctx:
        ctx.prec = 80
        y = (Decimal(q.numerator) / Decimal(q.denominator)).exp() * (2**frac_bits)
        scaled = Fraction(y)  # exact value of the 80-digit decimal; never on a boundary
    return Fraction(ref_round_int(scaled, rounding), 2**frac_bits)


EXACT_BINARY: dict[str, Callable[[Fraction, Fraction], Fraction]] = {
    "add": lambda x, y: x + y,
    "sub": lambda x, y: x - y,
    "mul": lambda x, y: x * y,
    "minimum": min,
    "maximum": max,
}
EXACT_UNARY: dict[str, Callable[[Fraction], Fraction]] = {
    "neg": lambda x: -x,
    "absolute": abs,
    "relu": lambda x: max(x, Fraction(0)),
}
COMPARISONS: dict[str, Callable[[Fraction, Fraction], bool]] = {
    "lt": lambda x, y: x < y,
    "le": lambda x, y: x <= y,
    "gt": lambda x, y: x > y,
    "ge": lambda x, y: x >= y,
    "eq": lambda x, y: x == y,
    "ne": lambda x, y: x != y,
}


def ref_binary(
    name: str, x: Fraction, y: Fraction, fmt: tuple[int, int], rounding: str
) -> Fraction:
    """Exact result, then round, then clamp."""
    exact = EXACT_BINARY[name](x, y)
    return ref_clamp(ref_round(exact, fmt[1], rounding), *fmt)


def ref_unary(name: str, x: Fraction, fmt: tuple[int, int], rounding: str) -> Fraction:
    """Exact result (or rounded exp), then round, then clamp."""
    if name == "exp":
        return ref_clamp(ref_exp_unclamped(x, fmt[1], rounding), *fmt)
    return ref_clamp(ref_round(EXACT_UNARY[name](x), fmt[1], rounding), *fmt)


def ref_aggregate(
    kept: list[bool],
    scores: list[Fraction] | None,
    values: list[Fraction],
    default: Fraction,
    fmt: tuple[int, int],
    rounding: str = "nearest_even",
    denominator: str = "vanish",
    sums: str = "exact",
) -> tuple[Fraction, list[Fraction]]:
    """Soft attention, the five steps of section 5 written out literally."""
    frac_bits = fmt[1]
    _, high = ref_limits(*fmt)
    keys = [j for j, k in enumerate(kept) if k]
    if not keys:
        return default, [Fraction(0)] * len(kept)
    score = scores if scores is not None else [Fraction(0)] * len(kept)
    m = max(score[j] for j in keys)
    e = {j: ref_exp_unclamped(score[j] - m, frac_bits, rounding) for j in keys}
    z = Fraction(0)
    overflow = False
    for j in keys:  # ascending; identical to the exact sum for both options (e_j >= 0)
        z += e[j]
        if z > high:
            overflow = True
            if sums == "sequential" and denominator == "saturate":
                z = high
    if overflow and denominator == "saturate":
        z = high
    alpha = [Fraction(0)] * len(kept)
    if not (overflow and denominator == "vanish"):
        for j in keys:
            alpha[j] = ref_round(e[j] / z, frac_bits, rounding)
    if sums == "exact":
        total = sum((alpha[j] * values[j] for j in keys), Fraction(0))
        return ref_clamp(ref_round(total, frac_bits, rounding), *fmt), alpha
    running = Fraction(0)
    for j in keys:
        term = ref_clamp(ref_round(alpha[j] * values[j], frac_bits, rounding), *fmt)
        running = ref_clamp(running + term, *fmt)
    return running, alpha


def ref_pick(
    kept: list[bool],
    scores: list[Fraction] | None,
    values: list[object],
    default: object,
    leftmost: bool,
) -> tuple[object, list[bool]]:
    """Unique hard attention: leftmost/rightmost kept key of maximal score."""
    keys = [j for j, k in enumerate(kept) if k]
    if not keys:
        return default, [False] * len(kept)
    score = scores if scores is not None else [Fraction(0)] * len(kept)
    m = max(score[j] for j in keys)
    best = [j for j in keys if score[j] == m]
    chosen = best[0] if leftmost else best[-1]
    return values[chosen], [j == chosen for j in range(len(kept))]
