"""Soft and hard attention on hand-computed cases (PyOps; fixed(4, 4) has ulp 1/16, max 127/16).

Raw integers are in units of 1/16 unless a test says otherwise.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from verifier.semantics.attention import aggregate, pick
from verifier.semantics.profile import MAX_KEYS, Profile
from verifier.semantics.pyops import PyOps

from .reference import ref_aggregate

OPS = PyOps()
FIXED_4_4 = Profile(4, 4)


def soft(
    profile: Profile,
    kept: list[bool],
    scores: list[int] | None,
    values: list[int],
    default: int = 0,
) -> tuple[int, list[int]]:
    return aggregate(OPS, profile, kept, scores, values, default)


def test_uniform_over_seven_keeps_an_eighth_each() -> None:
    out, weights = soft(FIXED_4_4, [True] * 7, None, [16] * 7)
    assert weights == [2] * 7  # round(1/7 = 2.29 ulp) = 2 ulp = 0.125
    assert out == 14  # 7 * 0.125 = 0.875


def test_uniform_over_eight_vanishes_to_zero_not_default() -> None:
    out, weights = soft(FIXED_4_4, [True] * 8, None, [16] * 8, default=48)
    assert (out, weights) == (0, [0] * 8)  # Z = 8 > 7.9375
    assert FIXED_4_4.attention_span() == 7


def test_saturate_keeps_weights_past_the_span() -> None:
    profile = Profile(4, 4, denominator="saturate")
    out, weights = soft(profile, [True] * 8, None, [16] * 8)
    assert weights == [2] * 8  # Z := 127/16, round(256/127 = 2.02) = 2
    assert out == 16
    assert profile.attention_span() is None


def test_empty_selection_gives_default() -> None:
    assert soft(FIXED_4_4, [False] * 3, [0, 16, 32], [16, 16, 16], default=-5) == (-5, [0] * 3)
    assert soft(FIXED_4_4, [], None, [], default=7) == (7, [])
    assert soft(FIXED_4_4, [False, True], None, [99, 32], default=7) == (32, [0, 16])


def test_masked_keys_do_not_count() -> None:
    out, weights = soft(FIXED_4_4, [True, False, True], None, [16, 112, 48])
    assert weights == [8, 0, 8]
    assert out == 32  # (1 + 3) / 2


@pytest.mark.parametrize(
    ("rounding", "expected_weights", "expected_out"),
    [("nearest_even", [4, 1, 11], 39), ("toward_zero", [3, 1, 11], 38), ("down", [3, 1, 11], 38)],
)
def test_scores_use_the_exp_table(
    rounding: str, expected_weights: list[int], expected_out: int
) -> None:
    """scores (0, -1, 1), values (1, 2, 3): m = 1, e = (e^-1, e^-2, 1) = (5.89, 2.17, 16) ulp.

    nearest: e = (6, 2, 16), Z = 24, alpha = round(96/24, 32/24, 256/24) = (4, 1, 11),
    output = (4*16 + 1*32 + 11*48) / 16 = 39.  down: e = (5, 2, 16), Z = 23,
    alpha = floor(80/23, 32/23, 256/23) = (3, 1, 11), output = 608 / 16 = 38.
    """
    profile = Profile(4, 4, rounding)  # type: ignore[arg-type]
    out, weights = soft(profile, [True] * 3, [0, -16, 16], [16, 32, 48])
    assert (out, weights) == (expected_out, expected_weights)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([-16, -16, -5], {"nearest_even": -12, "toward_zero": -11, "down": -12}),  # -11.5625
        ([-16, -12, -8], {"nearest_even": -11, "toward_zero": -11, "down": -12}),  # -11.25
    ],
)
def test_output_rounding_modes_on_negative_sums(
    values: list[int], expected: dict[str, int]
) -> None:
    """Uniform over 3 keys: alpha = 5 ulp in every mode (16/3 = 5.33); output = 5 * sum / 16."""
    for rounding, output in expected.items():
        profile = Profile(4, 4, rounding)  # type: ignore[arg-type]
        assert soft(profile, [True] * 3, None, values) == (output, [5, 5, 5])


def test_small_format_vanishing_with_scores() -> None:
    """fixed(2, 1): ulp 1/2, max 3/2 (raw 3).  Equal scores: Z = 2 > 1.5 vanishes; scores
    (0, -1): e = (1, round(0.37) = 0.5), Z = 1.5, alpha = round(2/3, 1/3) = (0.5, 0.5) (raw 1)."""
    profile = Profile(2, 1)
    assert soft(profile, [True, True], [0, 0], [2, 2]) == (0, [0, 0])
    assert soft(profile, [True, True], [0, -2], [2, -2]) == (0, [1, 1])
    assert profile.attention_span() == 1


SEQUENTIAL = Profile(4, 4, sums="sequential")
MAX = 127


def test_sequential_sums_depend_on_order() -> None:
    """scores (0, 0, -2.25), values (max, max, -8): e = (16, 16, 2), Z = 34,
    alpha = round(256/34 = 7.53, 7.53, 32/34 = 0.94) = (8, 8, 1).
    exact: (8*127 + 8*127 - 128) / 16 = 119.  sequential: products round(63.5) = 64 (even),
    64, -8; running 64, 128 -> clamp 127, 119.  In the reverse key order the running sums are
    -8, 56, 120: no clamp, but each product was rounded up: 120."""
    kept, scores, values = [True] * 3, [0, 0, -36], [MAX, MAX, -128]
    assert soft(FIXED_4_4, kept, scores, values) == (119, [8, 8, 1])
    assert soft(SEQUENTIAL, kept, scores, values) == (119, [8, 8, 1])
    assert soft(FIXED_4_4, kept, scores[::-1], values[::-1]) == (119, [1, 8, 8])
    assert soft(SEQUENTIAL, kept, scores[::-1], values[::-1]) == (120, [1, 8, 8])


def test_sequential_saturate_denominator_equals_exact() -> None:
    """e_j >= 0, so the running Z crosses max exactly when the total does."""
    profile = Profile(4, 4, denominator="saturate", sums="sequential")
    out, weights = soft(profile, [True] * 9, None, [16] * 9)
    assert weights == [2] * 9
    assert out == 18


@pytest.mark.parametrize("denominator", ["vanish", "saturate"])
@pytest.mark.parametrize("sums", ["exact", "sequential"])
def test_hand_cases_match_reference(denominator: str, sums: str) -> None:
    profile = Profile(4, 4, "nearest_even", denominator, sums)  # type: ignore[arg-type]
    kept, scores, values = [True, False, True, True], [0, 64, -8, -36], [MAX, 16, -128, 100]
    out, weights = soft(profile, kept, scores, values, default=3)
    ref_out, ref_weights = ref_aggregate(
        kept,
        [Fraction(s, 16) for s in scores],
        [Fraction(v, 16) for v in values],
        Fraction(3, 16),
        (4, 4),
        "nearest_even",
        denominator,
        sums,
    )
    assert out == ref_out * 16
    assert weights == [w * 16 for w in ref_weights]


def test_uniform_fast_path_equals_zero_scores() -> None:
    kept = [True, False, True, True, True]
    values = [5, -7, 100, -128, 127]
    assert soft(FIXED_4_4, kept, None, values) == soft(FIXED_4_4, kept, [0] * 5, values)


def test_pick_ties_leftmost_and_rightmost() -> None:
    kept, scores = [True, True, True, True], [16, 48, 48, 32]
    values = [1, 2, 3, 4]
    assert pick(OPS, FIXED_4_4, kept, scores, values, 0, True) == (2, [False, True, False, False])
    assert pick(OPS, FIXED_4_4, kept, scores, values, 0, False) == (3, [False, False, True, False])
    masked = [True, True, False, True]
    assert pick(OPS, FIXED_4_4, masked, scores, values, 0, False) == (
        2,
        [False, True, False, False],
    )


def test_pick_uniform_and_bool_values_and_default() -> None:
    kept = [False, True, True, False]
    flags = [True, False, True, True]
    assert pick(OPS, FIXED_4_4, kept, None, flags, True, True) == (
        False,
        [False, True, False, False],
    )
    assert pick(OPS, FIXED_4_4, kept, None, flags, False, False) == (
        True,
        [False, False, True, False],
    )
    assert pick(OPS, FIXED_4_4, [False] * 4, None, flags, True, True) == (True, [False] * 4)
    assert pick(OPS, FIXED_4_4, [], None, [], 9, False) == (9, [])


def test_key_limits_are_enforced() -> None:
    with pytest.raises(ValueError, match="limit"):
        soft(FIXED_4_4, [True] * (MAX_KEYS + 1), None, [0] * (MAX_KEYS + 1))
    with pytest.raises(ValueError, match="one entry per key"):
        soft(FIXED_4_4, [True] * 2, None, [0] * 3)
