"""The float softmax over multisets of keys (`semantics.float_counts`, the all-lengths
engine's summaries of a global head) against the softmax over the expanded key list, and
the all-lengths engine on float programs against the interpreter (issue 12, item 2)."""

from __future__ import annotations

import pytest
from corpus import CORPUS, assert_dfa_matches_interpreter
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.check.profile import parse_profile
from verifier.engines.search import Deadline
from verifier.engines.streaming import NotFiniteState
from verifier.engines.unbounded import BudgetExceeded, extract
from verifier.errors import UserError
from verifier.ir.lower import lower
from verifier.pipeline import check_text
from verifier.semantics import float_counts, floats
from verifier.semantics.float_counts import CountedSumError, stagnation_bound
from verifier.semantics.profile import FloatProfile
from verifier.semantics.pyops import PyOps

OPS = PyOps()
SMALL = ("float(3, 2)", "float(3, 2) sums exact", "fp8e5m2", "fp8e5m2 sums exact",
         "fp8e4m3", "float(3, 2) rounding toward_zero", "fp8e5m2 denominator saturate")


def _float(text: str) -> FloatProfile:
    profile = parse_profile(text)
    assert isinstance(profile, FloatProfile)
    return profile


@st.composite
def _multisets(draw: st.DrawFn, p: FloatProfile) -> tuple[list[bool], list[int] | None,
                                                          list[int], list[int]]:
    size = draw(st.integers(1, 4))
    finite = st.integers(-p.max_code, p.max_code)
    small = st.sampled_from([0, p.one_raw, -p.one_raw, p.one_raw + 1, 1, p.max_code])
    codes = st.one_of(small, finite)
    kept = draw(st.lists(st.booleans(), min_size=size, max_size=size))
    scores = draw(st.none() | st.lists(codes, min_size=size, max_size=size))
    values = draw(st.lists(codes, min_size=size, max_size=size))
    counts = draw(st.lists(st.integers(1, 12), min_size=size, max_size=size))
    return kept, scores, values, counts


@pytest.mark.parametrize("text", SMALL)
@settings(max_examples=150, deadline=None, derandomize=True)
@given(data=st.data())
def test_counted_softmax_equals_the_expanded_one(text: str, data: st.DataObject) -> None:
    p = _float(text)
    kept, scores, values, counts = data.draw(_multisets(p))
    try:
        output, weights = float_counts.aggregate(p, kept, scores, values, counts, None)
    except CountedSumError:
        assert p.sums == "sequential"
        return
    expanded = [j for j, c in enumerate(counts) for _ in range(c)]
    reference, expanded_weights = floats.aggregate(
        OPS, p, [kept[j] for j in expanded],
        None if scores is None else [scores[j] for j in expanded], [values[j] for j in expanded])
    if any(kept):
        assert output == reference
    assert weights == [expanded_weights[expanded.index(j)] for j in range(len(kept))]


@pytest.mark.parametrize("text", ["fp8e5m2", "fp8e4m3", "float(3, 2)", "bf16"])
def test_equal_terms_stagnate_within_the_cap(text: str) -> None:
    """Every significand (and a few subnormals), added to itself from 0, stagnates or
    overflows before `stagnation_bound` additions (the bound's docstring cites this)."""
    p = _float(text)
    worst = 0
    for code in [*range(p.one_raw, p.one_raw + (1 << p.man_bits)), 1, 2, 3]:
        total, count = 0, 0
        while (following := floats.add(OPS, p, total, code)) != total:
            total, count = following, count + 1
        worst = max(worst, count)
    assert worst <= stagnation_bound(p)
    assert worst >= 1 << (p.man_bits + 1)  # 1 + 1 + … stagnates at 2^(M+1): the bound is tight


def test_order_dependent_sums_are_refused_not_guessed() -> None:
    p = _float("fp8e5m2")
    # Sequential sums of 1 and 1.25: 1.25 + 1 = 2.25 rounds to 2 (ulp 0.5 at 2, tie to
    # even), 1 + 1.25 = 2.25 too, but four keys of each give different totals per order.
    with pytest.raises(CountedSumError, match="depends on their order"):
        float_counts.aggregate(p, [True, True], None, [p.one_raw, p.one_raw + 1], [4, 4], None)


def test_a_capped_count_that_has_not_stagnated_is_refused() -> None:
    p = _float("fp8e5m2 rounding down")
    minus = -p.one_raw  # rounding down, -1 - 1 - … never stagnates (it runs to -inf)
    with pytest.raises(CountedSumError, match="not stagnated"):
        float_counts.aggregate(p, [True], None, [minus], [stagnation_bound(p)], [True])
    output, _ = float_counts.aggregate(_float("fp8e5m2"), [True], None, [p.one_raw],
                                       [stagnation_bound(p)], [True])
    assert output == p.one_raw  # 8 keys of weight 1/8 stagnate at 1


def _dfa_agrees(program, limit: int) -> None:  # type: ignore[no-untyped-def]
    assert_dfa_matches_interpreter(program, extract(program, 40_000, Deadline(60)).dfa, limit)


CORPUS_FLOATS = ("fp8e5m2", "fp8e4m3", "float(3, 2) sums exact", "float(4, 3)")


@pytest.mark.parametrize("text", CORPUS_FLOATS)
def test_the_corpus_in_float_formats_extracts_what_the_interpreter_runs(text: str) -> None:
    """Every corpus program, its profile replaced by a float format: the extracted automaton
    and the interpreter agree on every word up to length 6 (programs whose literals the
    format cannot hold, and programs the engine answers `unknown` for, are counted)."""
    profile = _float(text)
    decided = refused = unrepresentable = 0
    for entry in CORPUS:
        try:
            program = lower(check_text(entry.source, str(entry.path), entry.path.parent,
                                       profile))
        except UserError:
            unrepresentable += 1
            continue
        try:
            _dfa_agrees(program, 6 if len(program.alphabet) <= 2 else 4)
            decided += 1
        except (NotFiniteState, BudgetExceeded):
            refused += 1
    print(f"{text}: {decided} decided, {refused} unknown, {unrepresentable} with literals "
          f"the format cannot hold (of {len(CORPUS)})")
    assert decided >= len(CORPUS) // 3


RANDOM_FLOATS = ("fp8e5m2", "fp8e4m3", "float(3, 2) sums exact", "bf16")


@pytest.mark.slow
@pytest.mark.parametrize("text", RANDOM_FLOATS)
def test_random_programs_in_float_formats_extract_what_the_interpreter_runs(text: str
                                                                             ) -> None:
    """Seeded random programs (the robustness issue's writer), their profile replaced by a
    float format, kept only when non-trivial under it (not constant, not decided by the
    empty word): the all-lengths engine's automaton equals the interpreter on every word up
    to length 6. The shares kept and decided are printed."""
    import random

    from strategies import nontrivial, random_program_text

    profile = _float(text)
    rng = random.Random(f"floats-{text}")
    drawn = kept = decided = 0
    while kept < 25 and drawn < 400:
        drawn += 1
        source = random_program_text(rng, max_heads=3)
        try:
            program = lower(check_text(source, "random.attn", None, profile))
        except UserError:
            continue
        if not nontrivial(program, 6):
            continue
        kept += 1
        try:
            _dfa_agrees(program, 6 if len(program.alphabet) <= 2 else 4)
            decided += 1
        except (NotFiniteState, BudgetExceeded):
            pass
    print(f"{text}: {drawn} drawn, {kept} non-trivial kept ({kept / drawn:.0%}), "
          f"{decided} decided for all lengths")
    assert kept >= 20 and decided >= kept // 2
