"""The soundness net: every engine against brute force on random nontrivial programs.

Programs and targets come from `tests/strategies` (hypothesis: a failure shrinks to a small
program): only programs whose language up to a small length is neither constant nor decided by
the empty word (`strategies.nontrivial`), and targets that agree with the program on ε
(`strategies.targets`), so every comparison is decided by a non-empty word or not at all.

* The minimal DFA `extract` builds accepts exactly what the batch interpreter accepts up to a
  length, and agrees with the one-word interpreter on a sample.
* The bounded SMT engine returns exactly what `enumerate` returns (the same shortest,
  alphabetically first word and the same `clean_up_to`).
* The explicit-state engine returns exactly what `enumerate` returns, on every profile the
  generator draws (counting ones included: with a depth bound every count is exact).
* The all-lengths engine agrees with `enumerate` on small bounds: the same shortest word when it
  is short, no word when it proves the claim.
* `aggregate(..., counts=c)` equals the call on the expanded lists and an independent model of
  spec section 5 written here with `Fraction` / `Decimal`.

The second all-lengths method (Spacer) is compared with the first in
tests/engines/test_spacer.py, the SMT encoding with the interpreter in tests/smt/test_encode.py
and the two interpreters in tests/interp/test_batch_vs_single.py, on the same strategies.
"""

from __future__ import annotations

from decimal import Decimal, localcontext
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import Generated, budgets, longest, programs, quick
from strategies.targets import Case, cases

from verifier.engines.bounded import bounded_search
from verifier.engines.enumerate import enumerate_search
from verifier.engines.explicit import explicit_search
from verifier.engines.search import Deadline
from verifier.engines.streaming import NotFiniteState
from verifier.engines.unbounded import BudgetExceeded, extract, unbounded_search
from verifier.interp import accepts_all, all_words, run_word
from verifier.options import Options
from verifier.semantics import attention
from verifier.semantics.profile import Profile
from verifier.semantics.pyops import PyOps

LONGEST = {1: 10, 2: 7, 3: 5}  # longest word the extracted DFA is checked on


def _check_extracted(generated: Generated) -> None:
    program = generated.program
    try:
        dfa = extract(program, budget=20_000).dfa
    except (NotFiniteState, BudgetExceeded):
        return
    size = len(program.alphabet)
    for length in range(LONGEST[size] + 1):
        words = all_words(size, length)
        accepted = accepts_all(program, length)
        for word, verdict in zip(words, accepted, strict=True):
            state = dfa.run_indices(int(s) for s in word)
            assert (state in dfa.accepting) == bool(verdict), word
        for index in sorted({0, len(words) // 2, len(words) - 1}):
            symbols = [program.alphabet[s] for s in words[index]]
            assert run_word(program, symbols).accepted == bool(accepted[index]), symbols


@pytest.mark.parametrize("budget", budgets(60, 600))
def test_extracted_dfa_matches_interpreters(budget: int) -> None:
    quick(budget)(given(programs())(_check_extracted))()


def _bound(case: Case) -> int:
    return longest(case.generated.program)


def _check_bounded(case: Case) -> None:
    program, target, bound = case.generated.program, case.target, _bound(case)
    brute = enumerate_search(program, target, bound, Deadline(60))
    smt = bounded_search(program, target, bound, Deadline(120), Options())
    assert (smt.word, smt.clean_up_to) == (brute.word, brute.clean_up_to)
    assert brute.word is None or len(brute.word) >= 1  # never decided by the empty word


@pytest.mark.parametrize("budget", budgets(30, 300))
def test_bounded_matches_enumerate(budget: int) -> None:
    quick(budget)(given(cases(max_heads=2))(_check_bounded))()


def _check_explicit(case: Case) -> None:
    program, target, bound = case.generated.program, case.target, _bound(case)
    brute = enumerate_search(program, target, bound, Deadline(60))
    merged = explicit_search(program, target, bound, Deadline(60), Options())
    if merged.reason is not None:  # a running sum whose order matters: nothing decided
        assert merged.word is None and "order" in merged.reason, merged.reason
        return
    assert (merged.word, merged.clean_up_to) == (brute.word, brute.clean_up_to)


@pytest.mark.parametrize("budget", budgets(60, 600))
def test_explicit_matches_enumerate(budget: int) -> None:
    quick(budget)(given(cases())(_check_explicit))()


def _check_unbounded(case: Case) -> None:
    program, target, bound = case.generated.program, case.target, _bound(case)
    brute = enumerate_search(program, target, bound, Deadline(60))
    every = unbounded_search(program, target, Deadline(60), Options(state_budget=20_000))
    if every.reason is not None:  # unknown (a counting profile, a budget): nothing to compare
        assert every.word is None and not every.all_lengths
        return
    assert every.all_lengths == (every.word is None)
    if every.word is not None and len(every.word) <= bound:
        assert brute.word == every.word
    else:
        assert brute.word is None and brute.clean_up_to == bound


@pytest.mark.parametrize("budget", budgets(40, 400))
def test_unbounded_matches_enumerate(budget: int) -> None:
    quick(budget)(given(cases())(_check_unbounded))()


# ---- aggregate with multiplicities against an independent model of spec section 5 ----

def _round(n: int, d: int, mode: str) -> int:
    q, r = divmod(n, d)
    if mode == "down" or r == 0:
        return q
    if mode == "toward_zero":
        return q + 1 if n < 0 else q
    return q + 1 if 2 * r > d or (2 * r == d and q % 2) else q


def _exp_raw(argument: Fraction, one: int, mode: str) -> int:
    """round(e^argument) in raw units, argument <= 0 (never a tie for argument != 0)."""
    if argument == 0:
        return one
    with localcontext() as ctx:
        ctx.prec = 80
        scaled = (Decimal(argument.numerator) / Decimal(argument.denominator)).exp() * one
    floor = int(scaled)
    return floor + 1 if mode == "nearest_even" and scaled - floor > Decimal("0.5") else floor


def _reference(profile: Profile, kept: list[bool], scores: list[int] | None,
               values: list[int], default: int) -> int:
    if not any(kept):
        return default
    one, top, bottom = profile.one_raw, profile.max_raw, profile.min_raw
    mode = profile.rounding
    chosen = [j for j, k in enumerate(kept) if k]
    score = [0] * len(kept) if scores is None else scores
    best = max(score[j] for j in chosen)
    e = {j: _exp_raw(Fraction(score[j] - best, one), one, mode) for j in chosen}
    z = sum(e.values())
    if z > top and profile.denominator == "vanish":
        alpha = dict.fromkeys(chosen, 0)
    else:
        z = min(z, top)
        alpha = {j: _round(e[j] * one, z, mode) for j in chosen}
    if profile.sums == "exact":
        exact = _round(sum(alpha[j] * values[j] for j in chosen), one, mode)
        return max(bottom, min(top, exact))
    running = 0
    for j in chosen:
        term = max(bottom, min(top, _round(alpha[j] * values[j], one, mode)))
        running = max(bottom, min(top, running + term))
    return running


@st.composite
def _aggregate_cases(draw: st.DrawFn) -> tuple[Profile, list[bool], list[int] | None,
                                               list[int], list[int]]:
    int_bits, frac_bits = draw(st.sampled_from([(2, 1), (3, 1), (2, 2), (3, 2), (4, 2), (4, 4),
                                                (5, 1)]))
    profile = Profile(int_bits, frac_bits,
                      draw(st.sampled_from(["nearest_even", "toward_zero", "down"])),
                      draw(st.sampled_from(["vanish", "saturate"])),
                      draw(st.sampled_from(["exact", "sequential"])))
    n = draw(st.integers(1, 5))
    raw = st.integers(profile.min_raw, profile.max_raw)
    kept = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    scores = draw(st.none() | st.lists(raw, min_size=n, max_size=n))
    special = st.sampled_from([0, profile.one_raw, -profile.one_raw, profile.max_raw,
                               profile.min_raw])
    values = draw(st.lists(special | raw, min_size=n, max_size=n))
    counts = draw(st.lists(st.sampled_from([1, 2, 3, 5]), min_size=n, max_size=n))
    return profile, kept, scores, values, counts


def _check_counts(case: tuple[Profile, list[bool], list[int] | None, list[int], list[int]]
                  ) -> None:
    profile, kept, scores, values, counts = case
    ops = PyOps()
    packed, _ = attention.aggregate(ops, profile, kept, scores, values, 7, counts)

    def expand(items: list) -> list:  # type: ignore[type-arg]
        return [x for x, c in zip(items, counts, strict=True) for _ in range(c)]

    expanded_scores = None if scores is None else expand(scores)
    unpacked, _ = attention.aggregate(ops, profile, expand(kept), expanded_scores,
                                      expand(values), 7)
    model = _reference(profile, expand(kept), expanded_scores, expand(values), 7)
    assert packed == unpacked == model


@pytest.mark.parametrize("budget", budgets(600, 1500))
def test_aggregate_counts_match_expansion_and_reference(budget: int) -> None:
    quick(budget)(given(_aggregate_cases())(_check_counts))()


def test_targets_are_not_decided_by_the_empty_word() -> None:
    """The premise of the tests above, checked on the cases they draw."""
    seen: list[bool] = []

    def check(case: Case) -> None:
        program = case.generated.program
        assert run_word(program, ()).accepted == case.target.contains(())
        labels = np.concatenate([accepts_all(program, n) for n in range(1, _bound(case) + 1)])
        assert labels.any() and not labels.all()
        seen.append(True)

    quick(15)(given(cases())(check))()
    assert len(seen) >= 12
