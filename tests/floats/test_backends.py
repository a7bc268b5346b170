"""PyOps, NumpyOps (int64 and wide) and Z3Ops run the one soft-float and agree on every float
operation and on float soft and hard attention."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import quick

from verifier.semantics import arith
from verifier.semantics.attention import aggregate, pick
from verifier.semantics.npops import NumpyOps
from verifier.semantics.profile import FloatProfile, Rounding, float_profile
from verifier.semantics.pyops import PyOps
from verifier.smt.z3ops import Z3Ops, new_context

BINARY = ["add", "sub", "mul", "minimum", "maximum", "lt", "le", "gt", "ge", "eq", "ne"]
UNARY = ["neg", "absolute", "relu", "exp"]
ROUNDINGS: list[Rounding] = ["nearest_even", "toward_zero", "down"]


def _codes(p: FloatProfile) -> list[int]:
    return [*range(-p.top_code, p.top_code + 1), p.nan_code]


@pytest.mark.parametrize("rounding", ROUNDINGS)
@pytest.mark.parametrize("name", ["fp8e5m2", "fp8e4m3"])
def test_numpy_matches_python_on_every_pair(name: str, rounding: Rounding) -> None:
    p = float_profile(0, 0, name, rounding=rounding)
    codes = _codes(p)
    xs = np.array([x for x in codes for _ in codes], dtype=np.int64)
    ys = np.array([y for _ in codes for y in codes], dtype=np.int64)
    for function in BINARY:
        expected = [getattr(arith, function)(PyOps(), p, int(x), int(y)) for x, y in
                    zip(xs, ys, strict=True)]
        assert getattr(arith, function)(NumpyOps(), p, xs, ys).tolist() == expected, function
    for function in UNARY:
        expected = [getattr(arith, function)(PyOps(), p, x) for x in codes]
        got = getattr(arith, function)(NumpyOps(), p, np.array(codes, dtype=np.int64))
        assert got.tolist() == expected, function


@pytest.mark.parametrize("name", ["bf16", "fp16"])
def test_numpy_matches_python_on_random_wide_formats(name: str) -> None:
    p = float_profile(0, 0, name)
    rng = np.random.default_rng(12)
    codes = np.concatenate([rng.integers(-p.top_code, p.top_code + 1, 4000),
                            [p.nan_code, p.top_code, -p.top_code, 0, p.one_raw]])
    xs, ys = codes, rng.permutation(codes)
    for function in [*BINARY, *UNARY]:
        f = getattr(arith, function)
        if function in UNARY:
            expected = [f(PyOps(), p, int(x)) for x in xs]
            assert f(NumpyOps(), p, xs).tolist() == expected, function
        else:
            expected = [f(PyOps(), p, int(x), int(y)) for x, y in zip(xs, ys, strict=True)]
            assert f(NumpyOps(), p, xs, ys).tolist() == expected, function


@pytest.mark.parametrize("rounding", ROUNDINGS)
def test_z3_matches_python_on_sampled_pairs(rounding: Rounding) -> None:
    p = float_profile(0, 0, "fp8e5m2", rounding=rounding)
    z3ops = Z3Ops(new_context(), p, 4)
    x, y = z3ops.var("x"), z3ops.var("y")
    rng = np.random.default_rng(3)
    sample = [(int(a), int(b)) for a, b in rng.integers(-p.top_code, p.top_code + 1, (40, 2))]
    sample += [(p.top_code, -p.top_code), (p.nan_code, 1), (0, p.top_code), (p.max_code, 7)]
    for function in [*BINARY, *UNARY]:
        f = getattr(arith, function)
        term = f(z3ops, p, x) if function in UNARY else f(z3ops, p, x, y)
        for a, b in sample:
            expected = f(PyOps(), p, a) if function in UNARY else f(PyOps(), p, a, b)
            got = z3ops.value(z3ops.substitute(term, [(x, a), (y, b)]))
            assert got == expected, (function, a, b)


def _heads(ops: Any, p: FloatProfile, kept: list[Any], scores: list[Any] | None,
           values: list[Any]) -> tuple[Any, ...]:
    soft, weights = aggregate(ops, p, kept, scores, values, ops.const(p.one_raw))
    hard, chosen = pick(ops, p, kept, scores, values, ops.const(0), leftmost=True)
    return soft, *weights, hard, *chosen


@pytest.mark.parametrize("options", [{}, {"sums": "exact"}, {"denominator": "saturate"},
                                     {"sums": "exact", "rounding": "down"}], ids=str)
@pytest.mark.parametrize("name", ["fp8e5m2", "fp8e4m3"])
def test_attention_backends_agree(name: str, options: dict[str, str]) -> None:
    p = float_profile(0, 0, name, **options)
    special = [0, p.one_raw, p.max_code, -p.max_code, p.top_code, -p.top_code, p.nan_code]
    code = st.one_of(st.sampled_from(special), st.integers(-p.top_code, p.top_code))
    z3ops = Z3Ops(new_context(), p, 3)
    names = [z3ops.var(f"s{j}") for j in range(3)] + [z3ops.var(f"v{j}") for j in range(3)]
    flags = [z3ops.bvar(f"k{j}") for j in range(3)]
    terms = _heads(z3ops, p, flags, names[:3], names[3:])

    @quick(25)
    @given(st.lists(st.booleans(), min_size=3, max_size=3),
           st.lists(code, min_size=6, max_size=6))
    def check(kept: list[bool], numbers: list[int]) -> None:
        expected = _heads(PyOps(), p, kept, numbers[:3], numbers[3:])
        arrays = [np.array([n]) for n in numbers]
        got = _heads(NumpyOps(wide=options.get("sums") == "exact"), p,
                     [np.array([k]) for k in kept], arrays[:3], arrays[3:])
        assert [int(np.asarray(g).reshape(-1)[0]) for g in got] == list(expected)
        bindings = list(zip(names, numbers, strict=True))
        import z3
        for term, want in zip(terms, expected, strict=True):
            closed = z3.substitute(term, *[(f, z3.BoolVal(k, z3ops.ctx))
                                           for f, k in zip(flags, kept, strict=True)])
            assert z3ops.value(z3ops.substitute(closed, bindings)) == want

    check()
