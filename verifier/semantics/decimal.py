"""Values in user units: exact decimals of fixed-point numbers (diagnostics, `info`, traces)."""

from __future__ import annotations

from fractions import Fraction


def format_fraction(value: Fraction, limit: int | None = 40) -> str:
    """The decimal of a dyadic fraction: 0.3125, -2, 7.9375 (exact; cut after LIMIT digits
    unless LIMIT is None)."""
    if value.denominator == 1:
        return str(value.numerator)
    sign = "-" if value < 0 else ""
    value = abs(value)
    whole, rest = divmod(value.numerator, value.denominator)
    digits: list[str] = []
    while rest and (limit is None or len(digits) < limit):
        rest *= 10
        digit, rest = divmod(rest, value.denominator)
        digits.append(str(digit))
    return f"{sign}{whole}.{''.join(digits)}"


def format_dyadic(value: Fraction) -> str:
    """A dyadic VALUE for people: its exact decimal when that is short (`0.0078125`, `65504`),
    otherwise `m·2^e ≈ 1.2345e-40` (`2^-133 ≈ 9.18355e-41`), exact and readable at once."""
    exact = format_fraction(value) if value.denominator.bit_length() <= 40 else ""
    if exact and len(exact.lstrip("-")) <= 24:
        return exact
    sign = "-" if value < 0 else ""
    numerator, denominator = abs(value.numerator), value.denominator
    exponent = -(denominator.bit_length() - 1)
    while numerator and numerator % 2 == 0:
        numerator //= 2
        exponent += 1
    mantissa = "" if numerator == 1 else f"{numerator}·"
    return f"{sign}{mantissa}2^{exponent} ≈ {float(value):.6g}"
