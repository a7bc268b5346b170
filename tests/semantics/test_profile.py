"""Profile: derived figures, encode/decode, describe, validate, attention span."""

from __future__ import annotations

from fractions import Fraction

import pytest

from verifier.semantics.attention import uniform_weight
from verifier.semantics.profile import MAX_KEYS, Profile, round_fraction


def test_derived_figures_fixed_4_4() -> None:
    p = Profile(4, 4)
    assert (p.one_raw, p.max_raw, p.min_raw) == (16, 127, -128)
    assert (p.ulp, p.max_value, p.min_value) == (Fraction(1, 16), Fraction(127, 16), Fraction(-8))


def test_encode_decode() -> None:
    p = Profile(4, 4)
    assert p.encode(Fraction(-1, 4)) == -4
    assert p.encode(7) == 112
    assert p.decode(-4) == Fraction(-1, 4)
    for bad in (Fraction(4, 5), Fraction(1, 32), Fraction(8), Fraction(-129, 16)):
        with pytest.raises(ValueError):
            p.encode(bad)
    assert p.encode(Fraction(-8)) == -128


def test_round_raw_and_round_fraction() -> None:
    p = Profile(4, 4)
    assert p.round_raw(Fraction(4, 5)) == 13  # 12.8 ulp
    assert p.round_raw(Fraction(100)) == 127
    assert round_fraction(Fraction(5, 2), "nearest_even") == 2
    assert round_fraction(Fraction(-5, 2), "toward_zero") == -2
    assert round_fraction(Fraction(-5, 2), "down") == -3


def test_describe_lists_only_non_defaults() -> None:
    assert Profile(4, 4).describe() == "fixed(4, 4)"
    assert Profile().describe() == "fixed(8, 8)"
    full = Profile(4, 4, "down", "saturate", "sequential")
    assert full.describe() == "fixed(4, 4) rounding down denominator saturate sums sequential"


def test_int64_headroom_at_the_limits() -> None:
    """The largest exact attention sum, K * 2**F * |min|, and a product fit in int64."""
    for p in (Profile(8, 16), Profile(22, 2), Profile(12, 12)):
        assert MAX_KEYS * p.one_raw * -p.min_raw < 2**62
        assert p.min_raw * p.min_raw < 2**62


@pytest.mark.parametrize(
    ("profile", "span"),
    [
        (Profile(4, 4), 7),
        (Profile(8, 8), 127),
        (Profile(2, 1), 1),
        (Profile(12, 1), 3),  # round(2/c) > 0 needs c < 4 (2/4 = 1/2 ties to 0)
        (Profile(12, 1, "down"), 2),  # floor(2/c) > 0 needs c <= 2
        (Profile(8, 2, denominator="saturate"), 7),  # round(16/511) = 0: saturation vanishes
        (Profile(4, 4, denominator="saturate"), None),
    ],
)
def test_attention_span(profile: Profile, span: int | None) -> None:
    assert profile.attention_span() == span


def test_attention_span_is_the_last_nonvanishing_count() -> None:
    for p in (Profile(4, 4), Profile(3, 2), Profile(6, 2), Profile(10, 2, "toward_zero")):
        span = p.attention_span()
        assert span is not None
        assert uniform_weight(p, span) > 0
        assert uniform_weight(p, span + 1) == 0
