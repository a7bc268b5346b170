"""Values in user units: exact decimals of fixed-point numbers (diagnostics, `info`, traces)."""

from __future__ import annotations

from fractions import Fraction


def format_fraction(value: Fraction) -> str:
    """The exact decimal of a dyadic fraction: 0.3125, -2, 7.9375."""
    if value.denominator == 1:
        return str(value.numerator)
    sign = "-" if value < 0 else ""
    value = abs(value)
    whole, rest = divmod(value.numerator, value.denominator)
    digits: list[str] = []
    while rest and len(digits) < 40:
        rest *= 10
        digit, rest = divmod(rest, value.denominator)
        digits.append(str(digit))
    return f"{sign}{whole}.{''.join(digits)}"
