"""An independent oracle: `ml_dtypes` (bf16, fp16, fp8) for round-to-nearest-even of the four
operations.  The oracle computes in binary64 and casts once: binary64 has more than 2p + 2
bits for every format here, so that double rounding equals one rounding (Figueroa 1995)."""

from __future__ import annotations

import math
from typing import Any

import ml_dtypes
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import quick

from verifier.semantics import floats
from verifier.semantics.profile import FloatProfile, float_profile
from verifier.semantics.pyops import PyOps

OPS = PyOps()
DTYPES: dict[str, Any] = {"bf16": ml_dtypes.bfloat16, "fp16": np.float16,
                          "fp8e5m2": ml_dtypes.float8_e5m2, "fp8e4m3": ml_dtypes.float8_e4m3fn}
FUNCTIONS = {"+": floats.add, "-": floats.sub, "*": floats.mul, "/": floats.div}
PYTHON = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
          "/": lambda a, b: a / b}


def _float(p: FloatProfile, code: int) -> float:
    special = p.special(code)
    return float(special) if special else float(p.decode(code))


def _codes(p: FloatProfile) -> st.SearchStrategy[int]:
    edges = [0, 1, p.one_raw, p.max_code, p.max_code - 1, 1 << p.man_bits, p.top_code,
             p.nan_code]
    return st.one_of(st.sampled_from(edges + [-c for c in edges[1:-1]]),
                     st.integers(-p.top_code, p.top_code))


def _oracle(dtype: Any, op: str, a: float, b: float) -> float:
    with np.errstate(all="ignore"):
        exact = PYTHON[op](np.float64(a), np.float64(b))
        return float(np.asarray(exact, dtype=np.float64).astype(dtype))


def _same(x: float, y: float) -> bool:
    return (math.isnan(x) and math.isnan(y)) or x == y


@pytest.mark.parametrize("name", list(DTYPES))
@pytest.mark.parametrize("op", list(FUNCTIONS))
def test_nearest_even_matches_ml_dtypes(name: str, op: str) -> None:
    p = float_profile(0, 0, name)
    dtype = DTYPES[name]

    @quick(300)
    @given(_codes(p), _codes(p))
    def check(x: int, y: int) -> None:
        if op == "/" and y == 0:
            return
        a, b = _float(p, x), _float(p, y)
        expected = _oracle(dtype, op, a, b)
        if p.finite_only and (math.isnan(expected) and not (math.isnan(a) or math.isnan(b))):
            return  # ml_dtypes E4M3FN overflows to NaN; we saturate (tested by exhaustive)
        got = _float(p, FUNCTIONS[op](OPS, p, x, y))
        assert _same(got, expected), (a, op, b, got, expected)

    check()


@pytest.mark.parametrize("name", list(DTYPES))
def test_every_code_decodes_like_ml_dtypes(name: str) -> None:
    p = float_profile(0, 0, name)
    dtype = DTYPES[name]
    bits = p.exp_bits + p.man_bits
    for pattern in range(1 << (bits + 1)):
        raw = np.array([pattern], dtype=np.uint16 if bits >= 8 else np.uint8)
        theirs = float(raw.view(dtype)[0]) if bits + 1 in (8, 16) else None
        if theirs is None:
            continue
        magnitude = pattern & ((1 << bits) - 1)
        negative = pattern >> bits
        if magnitude > p.top_code:
            assert math.isnan(theirs)
            continue
        code = -magnitude if negative else magnitude
        assert _same(_float(p, code), theirs), pattern
