"""Review harness: the all-lengths engine, the bounded engine and `aggregate(counts=...)`
against brute force on random programs.

* The minimal DFA `extract` builds must accept exactly the words the batch interpreter
  (`accepts_all`) accepts, for every word up to a length, and agree with the one-word
  reference interpreter (`run_word`) on a sample; `NotFiniteState` / `BudgetExceeded` are
  allowed (they become `unknown`), a wrong DFA is not.
* The bounded SMT engine must return exactly what `enumerate` returns (same shortest,
  alphabetically first word, same `clean_up_to`) against a target built from the program's own
  DFA with one state's acceptance flipped (so a separating word exists at some length, or not
  within the bound).
* `aggregate(..., counts=c)` must equal the call on the expanded lists and an independent
  model of spec section 5 written here with `Fraction`/`Decimal`.
"""

from __future__ import annotations

import random
from decimal import Decimal, localcontext
from fractions import Fraction

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from smt.programs import random_program

from verifier.engines.bounded import bounded_search
from verifier.engines.enumerate import enumerate_search
from verifier.engines.registry import Options
from verifier.engines.search import Deadline
from verifier.engines.streaming import NotFiniteState
from verifier.engines.target import Target
from verifier.engines.unbounded import BudgetExceeded, extract
from verifier.interp import accepts_all, all_words, run_word
from verifier.ir.nodes import Program
from verifier.langs.dfa import DFA
from verifier.langs.language import Language
from verifier.pipeline import compile_text
from verifier.semantics import attention
from verifier.semantics.profile import Profile
from verifier.semantics.pyops import PyOps

from .programs import structured_program

SEEDS = st.integers(min_value=0, max_value=2**32 - 1)
LONGEST = {1: 10, 2: 7, 3: 5}  # longest word checked, by alphabet size


def _program_text(seed: int) -> str:
    rng = random.Random(seed)
    return structured_program(rng) if seed % 4 else random_program(rng)


def _compiled_and_extracted(text: str, seed: int) -> tuple[Program, DFA] | None:
    """The program of TEXT and its extracted DFA; None when it is not finite-state or too big."""
    program = compile_text(text, f"review{seed}.attn")
    try:
        return program, extract(program, budget=20_000).dfa
    except (NotFiniteState, BudgetExceeded):
        return None


def _dfa_accepts(dfa: DFA, word: np.ndarray) -> bool:
    return dfa.run_indices(int(s) for s in word) in dfa.accepting


@settings(derandomize=True, deadline=None, max_examples=800,
          suppress_health_check=[HealthCheck.too_slow])
@given(SEEDS)
def test_extracted_dfa_matches_interpreters(seed: int) -> None:
    text = _program_text(seed)
    built = _compiled_and_extracted(text, seed)
    if built is None:
        return
    program, dfa = built
    size = len(program.alphabet)
    rng = random.Random(seed)
    for length in range(LONGEST[size] + 1):
        words = all_words(size, length)
        accepted = accepts_all(program, length)
        for word, verdict in zip(words, accepted, strict=True):
            assert _dfa_accepts(dfa, word) == bool(verdict), (text, word)
        for index in rng.sample(range(len(words)), min(3, len(words))):
            symbols = [program.alphabet[s] for s in words[index]]
            assert run_word(program, symbols).accepted == bool(accepted[index]), (text, symbols)


@settings(derandomize=True, deadline=None, max_examples=200,
          suppress_health_check=[HealthCheck.too_slow])
@given(SEEDS)
def test_bounded_matches_enumerate(seed: int) -> None:
    rng = random.Random(seed)
    text = structured_program(rng)
    built = _compiled_and_extracted(text, seed)
    if built is None:
        return
    program, dfa = built
    accepting = set(dfa.accepting)
    if rng.random() < 0.75:
        accepting ^= {rng.randrange(dfa.n_states)}
    flipped = DFA(dfa.alphabet, dfa.n_states, dfa.start, frozenset(accepting), dfa.delta)
    target = Target(language=Language("dfa", "flipped", program.alphabet, flipped))
    bound = 5 if len(program.alphabet) < 3 else 4
    brute = enumerate_search(program, target, bound, Deadline(60))
    smt = bounded_search(program, target, bound, Deadline(120), Options())
    assert (smt.word, smt.clean_up_to) == (brute.word, brute.clean_up_to), text


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


@settings(derandomize=True, deadline=None, max_examples=2000)
@given(SEEDS)
def test_aggregate_counts_match_expansion_and_reference(seed: int) -> None:
    rng = random.Random(seed)
    int_bits, frac_bits = rng.choice([(2, 1), (3, 1), (2, 2), (3, 2), (4, 2), (4, 4), (5, 1)])
    profile = Profile(int_bits, frac_bits, rng.choice(["nearest_even", "toward_zero", "down"]),
                      rng.choice(["vanish", "saturate"]), rng.choice(["exact", "sequential"]))
    n = rng.randint(1, 5)
    kept = [rng.random() < 0.7 for _ in range(n)]
    scores = None if rng.random() < 0.4 else [
        rng.randint(profile.min_raw, profile.max_raw) for _ in range(n)]
    values = [rng.choice([0, profile.one_raw, -profile.one_raw, profile.max_raw,
                          profile.min_raw, rng.randint(profile.min_raw, profile.max_raw)])
              for _ in range(n)]
    counts = [rng.choice([1, 1, 2, 3, 5]) for _ in range(n)]
    ops = PyOps()
    packed, _ = attention.aggregate(ops, profile, kept, scores, values, 7, counts)

    def expand(items: list) -> list:
        return [x for x, c in zip(items, counts, strict=True) for _ in range(c)]

    expanded_scores = None if scores is None else expand(scores)
    unpacked, _ = attention.aggregate(ops, profile, expand(kept), expanded_scores,
                                      expand(values), 7)
    model = _reference(profile, expand(kept), expanded_scores, expand(values), 7)
    assert packed == unpacked == model
