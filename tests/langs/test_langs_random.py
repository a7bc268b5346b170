"""Random small DFAs: every class test against a brute-force check of its definition, and
minimization against brute-force equivalence (hypothesis, derandomized)."""

from __future__ import annotations

from itertools import product

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from langs_brute import (
    is_aperiodic,
    is_da,
    is_definite,
    is_definite_by_words,
    is_locally_r_trivial,
    is_ltl_p,
)

from verifier.langs import DFA, classify, equivalent, minimal_dfa, shortest_difference
from verifier.langs.class_tests import check_da, check_ltl_py, check_star_free
from verifier.langs.semigroup import transition_monoid

SETTINGS = settings(
    derandomize=True,
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@st.composite
def dfas(draw: st.DrawFn) -> DFA:
    """A complete DFA with 1-5 states over 1-3 symbols; half of them 'monotone' (every
    transition goes to a state >= its source) so that the subclasses are well represented."""
    n = draw(st.integers(1, 5))
    k = draw(st.integers(1, 3))
    monotone = draw(st.booleans())
    rows = []
    for q in range(n):
        low = q if monotone else 0
        rows.append(tuple(draw(st.integers(low, n - 1)) for _ in range(k)))
    accepting = frozenset(q for q in range(n) if draw(st.booleans()))
    return DFA(("a", "b", "c")[:k], n, 0, accepting, tuple(rows))


def _words(alphabet: tuple[str, ...], max_len: int) -> list[tuple[str, ...]]:
    return [w for n in range(max_len + 1) for w in product(alphabet, repeat=n)]


@SETTINGS
@given(dfas())
def test_minimization_is_correct_and_minimal(dfa: DFA) -> None:
    small = minimal_dfa(dfa)
    for word in _words(dfa.alphabet, 6):
        assert small.accepts(word) == dfa.accepts(word)
    # Myhill-Nerode by brute force: states pairwise distinguished by some short suffix.
    suffixes = _words(dfa.alphabet, small.n_states)
    signatures = {
        tuple(small.run(s, q) in small.accepting for s in suffixes) for q in range(small.n_states)
    }
    assert len(signatures) == small.n_states
    assert minimal_dfa(small) == small  # canonical and idempotent
    assert equivalent(small, dfa) and shortest_difference(small, dfa) is None


@SETTINGS
@given(dfas())
def test_class_tests_match_definitions(dfa: DFA) -> None:
    result = classify(dfa)
    small = minimal_dfa(dfa)
    delta, k = small.delta, len(small.alphabet)
    assert result.holds("LTL[P]") == is_ltl_p(delta, k)
    assert result.holds("LTL[Y]") == is_definite(delta, k)
    assert result.holds("LTL[P,Y]") == is_locally_r_trivial(delta, k)
    assert result.holds("star-free") == is_aperiodic(delta, k)
    da = is_da(delta, k, limit=120)
    if da is not None:
        DA_CHECKED.append(1)
        assert result.holds("DA") == da[0] == da[1]


DA_CHECKED: list[int] = []


def test_da_brute_force_covered_enough() -> None:
    """Runs after the test above (file order): DA was brute-forced on >= 200 DFAs."""
    assert len(DA_CHECKED) >= 200


@SETTINGS
@given(dfas())
def test_definite_means_suffix_determined(dfa: DFA) -> None:
    small = minimal_dfa(dfa)
    order = small.n_states * (small.n_states - 1) // 2 + 1
    definite = classify(small).holds("LTL[Y]")
    if definite:
        assert is_definite_by_words(small.accepts, small.alphabet, min(order, 5), 3)


def test_every_idempotent_agrees_with_one_per_d_class() -> None:
    """The production LR test checks one idempotent per D-class; the brute force checks
    all. Exercise larger monoids than the random ones (up to 3 symbols, 6 states)."""
    import random

    rng = random.Random(7)
    for _ in range(60):
        n, k = rng.randint(3, 6), rng.randint(2, 3)
        rows = tuple(tuple(rng.randrange(n) for _ in range(k)) for _ in range(n))
        dfa = minimal_dfa(DFA(("a", "b", "c")[:k], n, 0, frozenset({0, n - 1}), rows))
        mon = transition_monoid(dfa)
        delta, kk = dfa.delta, len(dfa.alphabet)
        assert check_ltl_py(mon).holds == is_locally_r_trivial(delta, kk)
        assert check_star_free(mon).holds == is_aperiodic(delta, kk)
        da = is_da(delta, kk, limit=120)
        if da is not None:
            assert check_da(mon).holds == da[0]
