"""Wide k-local windows in the all-lengths engine (window.py, observe.py): proofs at k = 16
and 64, the same shortest counterexamples as enumeration, the same automata as the plain
window summary, and `unknown` (never a guess) where a window does not fit."""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable

import pytest
from corpus import CORPUS, CorpusProgram
from strategies import random_program_text

from verifier.engines import observe, window
from verifier.engines.compose import Composer
from verifier.engines.decide import Question, decide
from verifier.engines.moore import MachineTooLarge
from verifier.engines.search import Deadline
from verifier.engines.streaming import NotFiniteState
from verifier.engines.target import Target
from verifier.engines.unbounded import BudgetExceeded, ExtractionCache, extract
from verifier.engines.verdict import Status
from verifier.errors import UserError
from verifier.langs import parse_language
from verifier.options import Options
from verifier.pipeline import compile_text

NEAR = """alphabet a b
precision fixed(8, 8)
near = aggregate(select(local {k}), a)
accept near > 0
"""


def _question(source: str, ltl: str, bound: int | None = None) -> Question:
    program = compile_text(source)
    return Question(program, Target(language=parse_language("ltl", ltl, program.alphabet)),
                    bound)


@pytest.mark.parametrize("k", [16, 64])
def test_an_a_in_the_last_k_positions_is_proved(k: int) -> None:
    start = time.perf_counter()
    verdict = decide(_question(NEAR.format(k=k), f"Y<={k} a"), "unbounded")
    assert verdict.status is Status.PROVED, verdict.reason
    assert verdict.bound is None
    assert time.perf_counter() - start < 2.0


def test_a_window_one_short_is_refuted_by_the_shortest_word() -> None:
    k = 40
    verdict = decide(_question(NEAR.format(k=k - 1), f"Y<={k} a"), "unbounded")
    assert verdict.status is Status.REFUTED and verdict.counterexample is not None
    assert "".join(verdict.counterexample.word) == "a" + "b" * (k - 1)


@pytest.mark.parametrize("k", [7, 10])
def test_wide_window_counterexamples_are_the_ones_enumeration_finds(k: int) -> None:
    for window_size, claim in ((k - 1, f"Y<={k} a"), (k + 1, f"Y<={k} a"),
                               (k, f"Y<={k} b")):
        source = NEAR.format(k=window_size)
        unbounded = decide(_question(source, claim), "unbounded")
        brute = decide(_question(source, claim, bound=k + 2), "enumerate")
        assert unbounded.status is Status.REFUTED and brute.status is Status.REFUTED
        assert unbounded.counterexample is not None and brute.counterexample is not None
        assert unbounded.counterexample.word == brute.counterexample.word, (window_size, claim)


#: Local heads of every kind, with where:/score: reading the query and the key, nonstrict,
#: defaults, consumers reading a head through several comparisons, and sums sequential.
PROGRAMS = {
    "uniform": NEAR.format(k=6),
    "score": """alphabet a b c
precision fixed(4, 4)
h = aggregate(select(local 5, score: a[j] - c[j]), b)
accept h > 0.3125 and h < 0.875
""",
    "where_query": """alphabet a b c
precision fixed(4, 4)
h = aggregate(select(local 6, nonstrict, where: a[j] or b[i]), c, default: 0.5)
accept h > 0.25 and h < 0.75
""",
    "two_consumers": """alphabet a b
precision fixed(4, 4)
h = aggregate(select(local 7), a)
low = h < 0.1875
high = h > 0.6875
accept low or high
""",
    "leftmost": """alphabet a b c
precision fixed(4, 4)
x = leftmost(select(local 6, where: not c[j]), a, default: c)
y = rightmost(select(local 5, nonstrict, score: b[j] + a[i]), c, default: x)
accept x and not y
""",
    "stacked": """alphabet a b
precision fixed(4, 4)
x = aggregate(select(local 5), a)
y = aggregate(select(local 6, where: x[j] > 0.5), b)
accept y > 0.125
""",
    "sequential": """alphabet a b c
precision fixed(3, 1) sums sequential rounding toward_zero
h = aggregate(select(local 5, score: c[j] - a[j]), if a then 3.5 else (if b then -4 else 1.5))
accept h > 0
""",
}


def _plain(monkeypatch: pytest.MonkeyPatch) -> None:
    """Switch the new routes off: every window summarized position by position, every
    s-op's machine output exactly."""
    monkeypatch.setattr(window, "MAX_TYPES", -1)
    monkeypatch.setattr(observe.Observer, "representative", lambda self, n, m: None)


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_window_classes_and_plain_windows_give_the_same_automaton(
        name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    program = compile_text(PROGRAMS[name])
    fast = extract(program, 100_000, Deadline(30)).dfa
    _plain(monkeypatch)
    assert extract(program, 100_000, Deadline(30)).dfa == fast


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_wide_window_verdicts_agree_with_enumeration(name: str) -> None:
    program = compile_text(PROGRAMS[name])
    for ltl in ("Y<=6 a", "P(b & Y a)", "!P c & Y<=5 b"):
        if "c" in ltl and "c" not in program.alphabet:
            continue
        target = Target(language=parse_language("ltl", ltl, program.alphabet))
        unbounded = decide(Question(program, target), "unbounded")
        limit = 10 if len(program.alphabet) == 2 else 7
        brute = decide(Question(program, target, limit), "enumerate")
        assert unbounded.status is not Status.UNKNOWN, unbounded.reason
        found = unbounded.counterexample
        if found is not None and len(found.word) <= limit:
            assert brute.counterexample is not None
            assert brute.counterexample.word == found.word, ltl
        else:
            assert brute.status is Status.PROVED, (ltl, brute.counterexample)


def test_a_window_that_does_not_fit_is_unknown_with_the_reason() -> None:
    start = time.perf_counter()
    verdict = decide(_question(NEAR.format(k=1000), "Y<=64 a"), "unbounded",
                     Options(state_budget=2_000))
    assert verdict.status is Status.UNKNOWN
    assert verdict.reason is not None and "(1000 positions) does not fit" in verdict.reason
    assert time.perf_counter() - start < 2.0


def test_any_window_is_read_and_enumerate_looks_only_at_the_word() -> None:
    for k in (1000, 10**39):
        program = compile_text(NEAR.format(k=k))
        assert program.nodes[program.attention_nodes()[0]].selector.window == k  # type: ignore[union-attr]
        verdict = decide(_question(NEAR.format(k=k), "P a", bound=6), "enumerate")
        assert verdict.status is Status.PROVED
    with pytest.raises(UserError) as refused:
        compile_text(NEAR.format(k=0))
    assert "local window must be at least 1" in str(refused.value)
    assert refused.value.diagnostics[0].span.line == 3


def test_the_extraction_cache_belongs_to_its_owner() -> None:
    program = compile_text(NEAR.format(k=8))
    cache = ExtractionCache()
    first = extract(program, 10_000, cache=cache)
    assert extract(program, 10_000, cache=cache) is first
    assert extract(program, 10_000) is not first
    assert extract(program, 10_000, cache=ExtractionCache()) is not first


@pytest.mark.parametrize("seed", range(4))
def test_random_programs_with_widened_windows_agree_with_the_plain_route(
        seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Generated programs (tests/strategies) with their `local K` windows widened by 0-4:
    the routes give the same minimal DFA (a program the plain route cannot build is
    skipped)."""
    rng = random.Random(seed)
    checked = 0
    for _ in range(60):
        text = random_program_text(rng)
        if "local" not in text:
            continue
        text = re.sub(r"local (\d+)", lambda m: f"local {int(m.group(1)) + rng.randint(0, 4)}",
                      text)
        program = compile_text(text)
        try:
            fast = Composer(program, 5_000, _within(0.2)).dfa()
            with monkeypatch.context() as patch:
                _plain(patch)
                plain = Composer(program, 5_000, _within(0.2)).dfa()
        except (NotFiniteState, MachineTooLarge):
            continue
        assert fast == plain, text
        checked += 1
        if checked == 8:
            break
    assert checked > 0


def _within(seconds: float) -> Callable[[], bool]:
    """An `expired` check for Composer: true SECONDS from now."""
    end = time.perf_counter() + seconds
    return lambda: time.perf_counter() > end


@pytest.mark.slow
@pytest.mark.parametrize("entry", CORPUS, ids=lambda e: e.name)
def test_no_corpus_automaton_depends_on_the_route(entry: CorpusProgram,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Over the whole corpus: the residual window classes and the observation classes give
    the minimal DFA the plain summaries give (so no verdict depends on which route ran)."""
    program = entry.compile()
    try:
        fast = extract(program, 200_000, Deadline(60)).dfa
    except (NotFiniteState, MachineTooLarge, BudgetExceeded):
        pytest.skip("not finite-state under its profile, or beyond the budget")
    _plain(monkeypatch)
    try:
        plain = extract(program, 200_000, Deadline(60)).dfa
    except (MachineTooLarge, BudgetExceeded):
        pytest.skip("the plain route outgrows the budget (the classes are what made it fit)")
    assert plain == fast
