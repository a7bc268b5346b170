"""An independent reference for float codes: exact `Fraction` arithmetic, the special cases
written out by hand, and `FloatProfile.round_raw` (plain Python) for the single rounding."""

from __future__ import annotations

from fractions import Fraction

from verifier.semantics.profile import FloatProfile

Value = Fraction | str  # a finite value, or "inf", "-inf", "nan"


def value(p: FloatProfile, code: int) -> Value:
    """The value of CODE."""
    return p.special(code) or p.decode(code)


def code_of(p: FloatProfile, v: Value) -> int:
    """The code of an exact value, rounded once (infinities map to the infinity codes)."""
    if v == "nan":
        return p.nan_code
    if v in ("inf", "-inf"):
        assert p.has_inf
        return p.top_code if v == "inf" else -p.top_code
    assert isinstance(v, Fraction)
    return p.round_raw(v)


def _sign(v: Value) -> int:
    if isinstance(v, Fraction):
        return (v > 0) - (v < 0)
    return 1 if v == "inf" else -1


def binary(p: FloatProfile, op: str, x: int, y: int) -> int:
    """The reference code of `x op y` for op in + - * /."""
    a, b = value(p, x), value(p, y)
    if a == "nan" or b == "nan":
        return p.nan_code
    if op == "-":
        b = Fraction(0) - b if isinstance(b, Fraction) else ("-inf" if b == "inf" else "inf")
        op = "+"
    if op == "+":
        if isinstance(a, str) and isinstance(b, str):
            return code_of(p, a if a == b else "nan")
        if isinstance(a, str) or isinstance(b, str):
            return code_of(p, a if isinstance(a, str) else b)
        return code_of(p, a + b)
    if op == "*":
        if isinstance(a, str) or isinstance(b, str):
            sign = _sign(a) * _sign(b)
            return code_of(p, "nan" if sign == 0 else ("inf" if sign > 0 else "-inf"))
        return code_of(p, a * b)
    assert op == "/"
    if isinstance(a, str) and isinstance(b, str):
        return p.nan_code
    if isinstance(b, str):
        return 0
    if b == 0:
        if a == 0:
            return p.nan_code
        return code_of(p, "inf" if _sign(a) > 0 else "-inf")
    if isinstance(a, str):
        return code_of(p, a if _sign(b) > 0 else ("-inf" if a == "inf" else "inf"))
    return code_of(p, a / b)


def all_codes(p: FloatProfile) -> list[int]:
    """Every code of the format (NaN once)."""
    return [*range(-p.top_code, p.top_code + 1), p.nan_code]
