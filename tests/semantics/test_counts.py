"""Multiplicities in `aggregate` (used by the all-lengths engine) equal expanded key lists."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.semantics.attention import aggregate
from verifier.semantics.profile import Profile
from verifier.semantics.pyops import PyOps

OPS = PyOps()
PROFILES = [Profile(4, 4), Profile(3, 2, rounding="down"), Profile(4, 4, sums="sequential"),
            Profile(4, 4, denominator="saturate"), Profile(2, 1, rounding="toward_zero")]


@st.composite
def counted_keys(draw: st.DrawFn) -> tuple[Profile, list[bool], list[int] | None, list[int],
                                           list[int], int]:
    profile = draw(st.sampled_from(PROFILES))
    raw = st.integers(profile.min_raw, profile.max_raw)
    size = draw(st.integers(1, 5))
    kept = draw(st.lists(st.booleans(), min_size=size, max_size=size))
    scores = draw(st.none() | st.lists(raw, min_size=size, max_size=size))
    values = draw(st.lists(raw, min_size=size, max_size=size))
    counts = draw(st.lists(st.integers(1, 12), min_size=size, max_size=size))
    return profile, kept, scores, values, counts, draw(raw)


@settings(derandomize=True, max_examples=400, deadline=None)
@given(counted_keys())
def test_counts_equal_the_expanded_lists(case: tuple[Profile, list[bool], list[int] | None,
                                                     list[int], list[int], int]) -> None:
    profile, kept, scores, values, counts, default = case

    def expand(items: list[int] | list[bool]) -> list[int] | list[bool]:
        return [x for x, c in zip(items, counts, strict=True) for _ in range(c)]

    counted, weights = aggregate(OPS, profile, kept, scores, values, default, counts)
    expanded, expanded_weights = aggregate(
        OPS, profile, expand(kept), None if scores is None else expand(scores),  # type: ignore[arg-type]
        expand(values), default)  # type: ignore[arg-type]
    assert counted == expanded
    assert expand(weights) == expanded_weights
