"""PyOps, NumpyOps and Z3Ops agree: exhaustively element-wise, randomly on attention."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verifier.semantics import arith
from verifier.semantics.attention import aggregate, pick
from verifier.semantics.npops import NumpyOps
from verifier.semantics.profile import Profile
from verifier.semantics.pyops import PyOps
from verifier.smt.z3ops import Z3Ops, new_context

from .reference import COMPARISONS, EXACT_BINARY, ROUNDINGS, ref_aggregate, ref_pick

BINARY = list(EXACT_BINARY)
UNARY = ["neg", "absolute", "relu", "exp"]
FORMATS = [(2, 1), (3, 2), (4, 4), (3, 3)]


def _z3_table(
    ops: Z3Ops, term: Any, args: list[Any], points: Sequence[tuple[int, ...]]
) -> list[Any]:
    """Evaluate `term` over `args` at every point by substitution and simplification."""
    results = []
    for point in points:
        results.append(ops.value(ops.substitute(term, list(zip(args, point, strict=True)))))
    return results


@pytest.mark.parametrize("rounding", ROUNDINGS)
@pytest.mark.parametrize("fmt", [(2, 1), (3, 2)])
def test_elementwise_backends_agree_exhaustively(fmt: tuple[int, int], rounding: str) -> None:
    profile = Profile(fmt[0], fmt[1], rounding)  # type: ignore[arg-type]
    raws = list(range(profile.min_raw, profile.max_raw + 1))
    pairs = [(x, y) for x in raws for y in raws]
    grid = np.array(pairs, dtype=np.int64)
    z3ops = Z3Ops(new_context(), profile, 1)
    x, y = z3ops.var("x"), z3ops.var("y")
    for name in [*BINARY, *COMPARISONS]:
        function = getattr(arith, name)
        expected = [function(PyOps(), profile, a, b) for a, b in pairs]
        assert function(NumpyOps(), profile, grid[:, 0], grid[:, 1]).tolist() == expected, name
        assert _z3_table(z3ops, function(z3ops, profile, x, y), [x, y], pairs) == expected, name
    for name in UNARY:
        function = getattr(arith, name)
        expected = [function(PyOps(), profile, a) for a in raws]
        array = np.array(raws, dtype=np.int64)
        assert function(NumpyOps(), profile, array).tolist() == expected, name
        points = [(a,) for a in raws]
        assert _z3_table(z3ops, function(z3ops, profile, x), [x], points) == expected, name


# --- random attention instances ---------------------------------------------------------


@st.composite
def profiles(draw: st.DrawFn) -> Profile:
    int_bits, frac_bits = draw(st.sampled_from(FORMATS))
    return Profile(
        int_bits,
        frac_bits,
        draw(st.sampled_from(ROUNDINGS)),
        draw(st.sampled_from(["vanish", "saturate"])),
        draw(st.sampled_from(["exact", "sequential"])),
    )


@st.composite
def instances(draw: st.DrawFn) -> tuple[Profile, list[bool], list[int] | None, list[int], int]:
    profile = draw(profiles())
    count = draw(st.integers(0, 7))
    raw = st.integers(profile.min_raw, profile.max_raw)
    kept = draw(st.lists(st.booleans(), min_size=count, max_size=count))
    scores = draw(st.none() | st.lists(raw, min_size=count, max_size=count))
    values = draw(st.lists(raw, min_size=count, max_size=count))
    return profile, kept, scores, values, draw(raw)


def _fractions(profile: Profile, raws: list[int]) -> list[Fraction]:
    return [profile.decode(k) for k in raws]


SETTINGS = settings(
    derandomize=True, deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow]
)


@SETTINGS
@given(instances())
def test_aggregate_py_matches_reference(case: tuple[Any, ...]) -> None:
    profile, kept, scores, values, default = case
    out, weights = aggregate(PyOps(), profile, kept, scores, values, default)
    ref_out, ref_weights = ref_aggregate(
        kept,
        None if scores is None else _fractions(profile, scores),
        _fractions(profile, values),
        profile.decode(default),
        (profile.int_bits, profile.frac_bits),
        profile.rounding,
        profile.denominator,
        profile.sums,
    )
    assert profile.decode(out) == ref_out
    assert _fractions(profile, weights) == ref_weights


@SETTINGS
@given(instances(), st.booleans())
def test_pick_py_matches_reference(case: tuple[Any, ...], leftmost: bool) -> None:
    profile, kept, scores, values, default = case
    got = pick(PyOps(), profile, kept, scores, values, default, leftmost)
    assert got == ref_pick(kept, scores, values, default, leftmost)


@SETTINGS
@given(profiles(), st.lists(st.booleans(), max_size=20), st.data())
def test_uniform_path_equals_zero_scores(profile: Profile, kept: list[bool], data: Any) -> None:
    raw = st.integers(profile.min_raw, profile.max_raw)
    values = data.draw(st.lists(raw, min_size=len(kept), max_size=len(kept)))
    uniform = aggregate(PyOps(), profile, kept, None, values, 0)
    assert uniform == aggregate(PyOps(), profile, kept, [0] * len(kept), values, 0)


@settings(derandomize=True, deadline=None, max_examples=40)
@given(profiles(), st.integers(0, 6), st.integers(0, 2**32 - 1), st.booleans())
def test_numpy_batch_matches_py(profile: Profile, count: int, seed: int, uniform: bool) -> None:
    """A batch of 64 instances as arrays of shape (8, 8) per key; rows checked with PyOps."""
    rng = np.random.default_rng(seed)
    shape = (8, 8)
    kept = [rng.random(shape) < 0.7 for _ in range(count)]
    low, high = profile.min_raw, profile.max_raw + 1
    scores = [rng.integers(low // 4, high // 4, shape) for _ in range(count)]
    if uniform:
        scores = [np.zeros(shape, dtype=np.int64) for _ in range(count)]
    values = [rng.integers(low, high, shape) for _ in range(count)]
    default = rng.integers(low, high, shape)
    nops = NumpyOps()
    out, weights = aggregate(nops, profile, kept, None if uniform else scores, values, default)
    chosen, selected = pick(nops, profile, kept, scores, values, default, True)
    for index in np.ndindex(shape):
        k = [bool(a[index]) for a in kept]
        s = [int(a[index]) for a in scores]
        v = [int(a[index]) for a in values]
        d = int(default[index])
        py_out, py_weights = aggregate(PyOps(), profile, k, s, v, d)
        assert (int(np.broadcast_to(out, shape)[index]), [int(w[index]) for w in weights]) == (
            py_out,
            py_weights,
        )
        py_chosen, py_selected = pick(PyOps(), profile, k, s, v, d, True)
        assert int(np.broadcast_to(chosen, shape)[index]) == py_chosen
        assert [bool(np.broadcast_to(a, shape)[index]) for a in selected] == py_selected


@settings(derandomize=True, deadline=None, max_examples=30)
@given(instances(), st.booleans())
def test_z3_symbolic_pinned_matches_py(case: tuple[Any, ...], leftmost: bool) -> None:
    """Symbolic keys, scores and values pinned by equalities; the model gives Py's results."""
    profile, kept, scores, values, default = case
    ops = Z3Ops(new_context(), profile, max(len(kept), 1))
    k_vars = [ops.bvar(f"k{j}") for j in range(len(kept))]
    s_vars = None if scores is None else [ops.var(f"s{j}") for j in range(len(kept))]
    v_vars = [ops.var(f"v{j}") for j in range(len(kept))]
    d_var = ops.var("d")
    out, weights = aggregate(ops, profile, k_vars, s_vars, v_vars, d_var)
    chosen, selected = pick(ops, profile, k_vars, s_vars, v_vars, d_var, leftmost)
    solver = ops.solver()
    solver.add(d_var == ops.const(default))
    for j in range(len(kept)):
        solver.add(k_vars[j] == ops.bconst(kept[j]), v_vars[j] == ops.const(values[j]))
        if s_vars is not None and scores is not None:
            solver.add(s_vars[j] == ops.const(scores[j]))
    assert str(solver.check()) == "sat"
    model = solver.model()

    def value(term: Any) -> int | bool:
        return ops.value(term, model)

    py_out, py_weights = aggregate(PyOps(), profile, kept, scores, values, default)
    assert (value(out), [value(w) for w in weights]) == (py_out, py_weights)
    py_chosen, py_selected = pick(PyOps(), profile, kept, scores, values, default, leftmost)
    assert (value(chosen), [value(b) for b in selected]) == (py_chosen, py_selected)


@settings(derandomize=True, deadline=None, max_examples=30)
@given(instances(), st.booleans())
def test_z3_constants_match_py_including_bool_pick(case: tuple[Any, ...], leftmost: bool) -> None:
    profile, kept, scores, values, default = case
    ops = Z3Ops(new_context(), profile, max(len(kept), 1))
    k = [ops.bconst(b) for b in kept]
    s = None if scores is None else [ops.const(x) for x in scores]
    flags = [x > 0 for x in values]
    out, weights = aggregate(ops, profile, k, s, [ops.const(x) for x in values], ops.const(default))
    py_out, py_weights = aggregate(PyOps(), profile, kept, scores, values, default)
    assert (ops.value(out), [ops.value(w) for w in weights]) == (py_out, py_weights)
    chosen, _ = pick(ops, profile, k, s, [ops.bconst(f) for f in flags], ops.bconst(True), leftmost)
    assert ops.value(chosen) == pick(PyOps(), profile, kept, scores, flags, True, leftmost)[0]


def test_z3_width_rule() -> None:
    assert Z3Ops.width_for(Profile(4, 4), 100) == max(16, 12 + 7) + 3
    assert Z3Ops.width_for(Profile(8, 8), 1) == 32 + 3
    assert Z3Ops(new_context(), Profile(8, 8), 2**14).width == max(32, 24 + 15) + 3
