"""Element-wise arithmetic against the independent Fraction reference, exhaustively."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import pytest

from verifier.semantics import arith
from verifier.semantics.npops import NumpyOps
from verifier.semantics.profile import Profile
from verifier.semantics.pyops import PyOps
from verifier.semantics.tables import exp_table

from .reference import (
    COMPARISONS,
    EXACT_BINARY,
    EXACT_UNARY,
    ROUNDINGS,
    ref_binary,
    ref_exp_unclamped,
    ref_round_int,
    ref_unary,
    ref_values,
)

SMALL = [(2, 1), (3, 2)]
UNARY = [*EXACT_UNARY, "exp"]


def _profile(fmt: tuple[int, int], rounding: str) -> Profile:
    return Profile(fmt[0], fmt[1], rounding)  # type: ignore[arg-type]


def _raw(value: Fraction, fmt: tuple[int, int]) -> int:
    scaled = value * 2 ** fmt[1]
    assert scaled.denominator == 1
    return int(scaled.numerator)


@pytest.mark.parametrize("rounding", ROUNDINGS)
@pytest.mark.parametrize("fmt", SMALL)
def test_binary_ops_exhaustive_small(fmt: tuple[int, int], rounding: str) -> None:
    profile, ops = _profile(fmt, rounding), PyOps()
    values = ref_values(*fmt)
    for name in EXACT_BINARY:
        function = getattr(arith, name)
        for x in values:
            for y in values:
                got = function(ops, profile, _raw(x, fmt), _raw(y, fmt))
                assert got == _raw(ref_binary(name, x, y, fmt, rounding), fmt), (name, x, y)


@pytest.mark.parametrize("rounding", ROUNDINGS)
@pytest.mark.parametrize("fmt", [*SMALL, (4, 4), (5, 6)])
def test_unary_ops_exhaustive(fmt: tuple[int, int], rounding: str) -> None:
    profile, ops = _profile(fmt, rounding), PyOps()
    for name in UNARY:
        function = getattr(arith, name)
        for x in ref_values(*fmt):
            got = function(ops, profile, _raw(x, fmt))
            assert got == _raw(ref_unary(name, x, fmt, rounding), fmt), (name, x)


@pytest.mark.parametrize("fmt", SMALL)
def test_comparisons_and_bools_exhaustive_small(fmt: tuple[int, int]) -> None:
    profile, ops = _profile(fmt, "nearest_even"), PyOps()
    values = ref_values(*fmt)
    for name, relation in COMPARISONS.items():
        function = getattr(arith, name)
        for x in values:
            for y in values:
                assert function(ops, profile, _raw(x, fmt), _raw(y, fmt)) == relation(x, y)
    assert arith.bool_to_num(ops, profile, True) == 2 ** fmt[1]
    assert arith.bool_to_num(ops, profile, False) == 0


def _grid(fmt: tuple[int, int]) -> tuple[Any, Any, list[Fraction]]:
    values = ref_values(*fmt)
    raws = np.array([_raw(v, fmt) for v in values], dtype=np.int64)
    return raws[:, None], raws[None, :], values


@pytest.mark.parametrize("name", list(EXACT_BINARY))
def test_binary_ops_all_pairs_fixed_4_4_numpy(name: str) -> None:
    fmt = (4, 4)
    xs, ys, values = _grid(fmt)
    roundings = ROUNDINGS if name == "mul" else ("nearest_even",)
    for rounding in roundings:
        got = getattr(arith, name)(NumpyOps(), _profile(fmt, rounding), xs, ys)
        expected = [
            [_raw(ref_binary(name, x, y, fmt, rounding), fmt) for y in values] for x in values
        ]
        assert got.tolist() == expected, (name, rounding)


def test_comparisons_all_pairs_fixed_4_4_numpy() -> None:
    xs, ys, values = _grid((4, 4))
    profile = Profile(4, 4)
    for name, relation in COMPARISONS.items():
        got = getattr(arith, name)(NumpyOps(), profile, xs, ys)
        assert got.tolist() == [[relation(x, y) for y in values] for x in values], name


@pytest.mark.parametrize("rounding", ROUNDINGS)
@pytest.mark.parametrize("fmt", [(2, 1), (4, 4), (5, 6), (3, 8)])
def test_exp_table_covers_every_softmax_argument(fmt: tuple[int, int], rounding: str) -> None:
    """`at(x)` is round(e^x) for every x in [min - max, 0] (no clamp needed there)."""
    profile = _profile(fmt, rounding)
    table = exp_table(profile)
    for raw in range(profile.min_raw - profile.max_raw, 1):
        expected = ref_exp_unclamped(Fraction(raw, 2 ** fmt[1]), fmt[1], rounding)
        assert table.at(raw) == _raw(expected, fmt), raw


def test_exp_hand_values() -> None:
    profile = Profile(4, 4)  # ulp 1/16
    ops = PyOps()
    assert arith.exp(ops, profile, 0) == 16  # e^0 = 1 exactly
    assert arith.exp(ops, profile, -16) == 6  # e^-1 = 0.3679 -> 5.886/16 -> 6/16
    assert arith.exp(ops, profile, 16) == 43  # e = 2.718 -> 43.49/16 -> 43/16
    assert arith.exp(ops, profile, 127) == 127  # e^7.94 clamps to max 7.9375
    assert arith.exp(ops, Profile(4, 4, "down"), -16) == 5


@pytest.mark.parametrize("rounding", ROUNDINGS)
def test_round_shift_and_div_against_reference(rounding: str) -> None:
    profile, ops = Profile(4, 4, rounding), PyOps()  # type: ignore[arg-type]
    for n in range(-300, 301):
        for k in (0, 1, 2, 4):
            expected = ref_round_int(Fraction(n, 2**k), rounding)
            assert arith.round_shift(ops, profile, n, k) == expected, (n, k)
        if n >= 0:
            for d in range(1, 40):
                expected = ref_round_int(Fraction(n, d), rounding)
                assert arith.round_div(ops, profile, n, d) == expected, (n, d)


def test_rounding_mode_examples() -> None:
    """0.75 * 0.125 = 0.09375 = 1.5 ulp of fixed(4, 4); -0.09375 likewise."""
    ops = PyOps()
    cases = {"nearest_even": (2, -2), "toward_zero": (1, -1), "down": (1, -2)}
    for rounding, (positive, negative) in cases.items():
        profile = Profile(4, 4, rounding)  # type: ignore[arg-type]
        assert arith.mul(ops, profile, 12, 2) == positive
        assert arith.mul(ops, profile, -12, 2) == negative
    nearest = Profile(4, 4)
    assert arith.mul(ops, nearest, 4, 2) == 0  # 0.5 ulp ties to even 0
    assert arith.mul(ops, nearest, 12, 6) == 4  # 4.5 ulp ties to even 4


def test_clamping_examples() -> None:
    profile, ops = Profile(4, 4), PyOps()
    assert arith.add(ops, profile, 120, 120) == 127  # 7.5 + 7.5 -> max 7.9375
    assert arith.sub(ops, profile, -120, 120) == -128  # -> min -8
    assert arith.neg(ops, profile, -128) == 127  # -(-8) -> max
    assert arith.absolute(ops, profile, -128) == 127
    assert arith.mul(ops, profile, -128, -128) == 127  # 64 -> max
