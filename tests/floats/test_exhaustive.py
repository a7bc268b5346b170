"""The soft-float against exact `Fraction` arithmetic: every pair of codes of small formats,
every operation and rounding mode (issue 12 acceptance), and the correctly rounded exp."""

from __future__ import annotations

from fractions import Fraction

import pytest

from verifier.semantics import floats
from verifier.semantics.profile import FloatProfile, Rounding
from verifier.semantics.pyops import PyOps

from .reference import all_codes, binary, code_of, value

OPS = PyOps()
ROUNDINGS: list[Rounding] = ["nearest_even", "toward_zero", "down"]
#: (E, M, finite_only): two IEEE-style small formats, the tiniest one, and an FN format.
FORMATS = [(3, 2, False), (4, 3, False), (2, 1, False), (4, 3, True)]
BINARY = {"+": floats.add, "-": floats.sub, "*": floats.mul, "/": floats.div}


def _profile(fmt: tuple[int, int, bool], rounding: Rounding) -> FloatProfile:
    return FloatProfile(exp_bits=fmt[0], man_bits=fmt[1], finite_only=fmt[2],
                        rounding=rounding)


@pytest.mark.parametrize("rounding", ROUNDINGS)
@pytest.mark.parametrize("fmt", FORMATS, ids=str)
@pytest.mark.parametrize("op", list(BINARY))
def test_binary_operations_round_the_exact_result_once(op: str, fmt: tuple[int, int, bool],
                                                       rounding: Rounding) -> None:
    p = _profile(fmt, rounding)
    function = BINARY[op]
    codes = all_codes(p)
    for x in codes:
        for y in codes:
            if op == "/" and y == 0:
                continue  # the softmax never divides by zero; 0 has no sign here
            assert function(OPS, p, x, y) == binary(p, op, x, y), (value(p, x), op, value(p, y))


@pytest.mark.parametrize("fmt", FORMATS, ids=str)
def test_comparisons_min_max_and_unary_operations(fmt: tuple[int, int, bool]) -> None:
    p = _profile(fmt, "nearest_even")
    codes = all_codes(p)
    nan = p.nan_code
    for x in codes:
        a = value(p, x)
        assert floats.neg(OPS, p, x) == (nan if x == nan else -x)
        assert floats.absolute(OPS, p, x) == (nan if x == nan else abs(x))
        assert floats.relu(OPS, p, x) == (nan if x == nan else max(x, 0))
        for y in codes:
            b = value(p, y)
            if nan in (x, y):
                assert not any(f(OPS, p, x, y) for f in (floats.lt, floats.le, floats.gt,
                                                          floats.ge, floats.eq))
                assert floats.ne(OPS, p, x, y)
                assert floats.minimum(OPS, p, x, y) == nan == floats.maximum(OPS, p, x, y)
                continue
            order = _key(a), _key(b)
            assert floats.lt(OPS, p, x, y) == (order[0] < order[1])
            assert floats.le(OPS, p, x, y) == (order[0] <= order[1])
            assert floats.eq(OPS, p, x, y) == (order[0] == order[1])
            assert floats.minimum(OPS, p, x, y) == min(x, y)
            assert floats.maximum(OPS, p, x, y) == max(x, y)


def _key(v: Fraction | str) -> Fraction | float:
    return v if isinstance(v, Fraction) else float(v)


def _exp_bounds(x: Fraction) -> tuple[Fraction, Fraction]:
    """Rigorous bounds on e^x, independent of the module: halve x to |y| <= 1/4, sum the
    Taylor series to 30 terms (remainder below 2 |y|^31 / 31!), square back up."""
    halvings = 0
    while abs(x) > Fraction(1, 4):
        x /= 2
        halvings += 1
    term, total = Fraction(1), Fraction(1)
    for n in range(1, 31):
        term = term * x / n
        total += term
    remainder = 2 * abs(term * x) / 31
    low, high = total - remainder, total + remainder
    for _ in range(halvings):
        low, high = low * low, high * high
    return low, high


@pytest.mark.parametrize("rounding", ROUNDINGS)
@pytest.mark.parametrize("fmt", [(5, 2, False), (4, 3, True), (3, 2, False)], ids=str)
def test_exp_is_correctly_rounded_on_every_code(fmt: tuple[int, int, bool],
                                                rounding: Rounding) -> None:
    p = _profile(fmt, rounding)
    for x in all_codes(p):
        got = floats.exp(OPS, p, x)
        special = p.special(x)
        if special is not None:
            assert got == {"nan": p.nan_code, "inf": p.top_code, "-inf": 0}[special]
            continue
        x_value = p.decode(x)
        if abs(x_value) > 20:  # e^20 > every max here, e^-20 < half their smallest subnormal
            assert got == (p.overflow_code(False) if x_value > 0 else 0), x_value
            continue
        low, high = _exp_bounds(x_value)
        assert code_of(p, low) == code_of(p, high) == got, x_value


def test_worked_examples_of_the_documentation() -> None:
    bf16 = FloatProfile(exp_bits=8, man_bits=7, preset="bf16")
    one = bf16.encode(1)
    assert floats.add(OPS, bf16, bf16.encode(256), one) == bf16.encode(256)  # tie to even
    assert floats.add(OPS, bf16, bf16.encode(256), bf16.encode(2)) == bf16.encode(258)
    fp8 = FloatProfile(exp_bits=4, man_bits=3, finite_only=True, preset="fp8e4m3")
    big = fp8.encode(448)
    assert floats.add(OPS, fp8, big, big) == big  # saturates, no infinity, no NaN
    assert floats.mul(OPS, fp8, big, fp8.encode(-2)) == -big
    e5 = FloatProfile(exp_bits=5, man_bits=2, preset="fp8e5m2")
    top = e5.encode(57344)
    assert floats.add(OPS, e5, top, e5.encode(8192)) == e5.top_code  # overflows to +inf
    assert floats.sub(OPS, e5, e5.top_code, e5.top_code) == e5.nan_code  # inf - inf
    assert floats.mul(OPS, e5, e5.top_code, 0) == e5.nan_code  # 0 * inf
    toward = FloatProfile(exp_bits=5, man_bits=2, rounding="toward_zero")
    assert floats.add(OPS, toward, top, top) == top  # IEEE 7.4: no inf toward zero
    down = FloatProfile(exp_bits=5, man_bits=2, rounding="down")
    assert floats.add(OPS, down, -top, -top) == -down.top_code
    assert floats.add(OPS, down, top, top) == top
