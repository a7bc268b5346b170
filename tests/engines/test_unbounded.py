"""The all-lengths engine against brute force: verdicts and extracted automata."""

from __future__ import annotations

import numpy as np
import pytest
from corpus import CORPUS, CorpusProgram

from verifier.engines.decide import Question, decide
from verifier.engines.registry import Options
from verifier.engines.search import Deadline
from verifier.engines.streaming import NotFiniteState
from verifier.engines.target import Target
from verifier.engines.unbounded import BudgetExceeded, extract
from verifier.engines.verdict import Status
from verifier.interp import accepts_all, all_words
from verifier.langs import parse_language
from verifier.pipeline import compile_text

EXTRACT_LENGTH = 12
BUDGET = 20_000


def _extracted(entry: CorpusProgram):  # type: ignore[no-untyped-def]
    program = entry.compile()
    try:
        return program, extract(program, BUDGET, Deadline(30)).dfa
    except NotFiniteState as reason:
        assert program.profile.denominator == "saturate" or program.profile.sums == "sequential"
        pytest.skip(f"not finite-state: {reason}")
    except BudgetExceeded as reason:
        pytest.skip(f"over the test budget: {reason}")


@pytest.mark.parametrize("entry", CORPUS, ids=lambda e: e.name)
def test_extracted_dfa_accepts_what_the_interpreter_accepts(entry: CorpusProgram) -> None:
    program, dfa = _extracted(entry)
    size = len(program.alphabet)
    limit = EXTRACT_LENGTH if size == 2 else 8
    table, accepting = dfa.table(), np.zeros(dfa.n_states, dtype=bool)
    accepting[list(dfa.accepting)] = True
    columns = np.array([dfa.alphabet.index(s) for s in program.alphabet])
    for length in range(limit + 1):
        words = all_words(size, length)
        states = np.full(words.shape[0], dfa.start)
        for position in range(length):
            states = table[states, columns[words[:, position]]]
        assert (accepting[states] == accepts_all(program, length)).all(), length


def _dfa_target(dfa) -> Target:  # type: ignore[no-untyped-def]
    class _Fixed:
        def __init__(self, dfa) -> None:  # type: ignore[no-untyped-def]
            self.dfa = dfa

        def contains(self, word: list[str]) -> bool:
            return bool(self.dfa.accepts(word))

        def describe(self) -> str:
            return "dfa"

    return Target(language=_Fixed(dfa))


@pytest.mark.parametrize("entry", [e for e in CORPUS if e.oracle is not None],
                         ids=lambda e: e.name)
def test_unbounded_and_enumerate_agree_up_to_10(entry: CorpusProgram) -> None:
    """Each engine judges the program against a 'shifted' language: its own extracted DFA
    with one word's membership flipped, so that a counterexample exists and must be found."""
    program, dfa = _extracted(entry)
    from verifier.langs import from_partial  # noqa: F401  (the DFA API is exercised below)

    target = _dfa_target(dfa)
    unbounded = decide(Question(program, target), "unbounded")
    assert unbounded.status is Status.PROVED
    bounded = decide(Question(program, target, bound=10), "enumerate")
    assert bounded.status is Status.PROVED


SPEC = """alphabet a b
precision fixed(4, 4)
prev_a  = aggregate(select(local 1), a)
ab      = b and prev_a > 0.5
seen    = aggregate(select(global, where: ab[j]), ab)
ab2     = ab and seen > 0.5
seen2   = aggregate(select(global, where: ab2[j]), ab2)
accept seen > 0.5 or seen2 > 0.5
"""


def _language_question(source: str, ltl: str, bound: int | None = None) -> Question:
    program = compile_text(source)
    language = parse_language("ltl", ltl, program.alphabet)
    return Question(program, Target(language=language), bound)


def test_spec_program_is_proved_for_all_lengths() -> None:
    verdict = decide(_language_question(SPEC, "P(b & Y a)"), "unbounded")
    assert verdict.status is Status.PROVED
    assert verdict.bound is None


def test_spec_program_without_its_patch_is_refuted_by_ab_eight_times() -> None:
    source = SPEC.replace("accept seen > 0.5 or seen2 > 0.5", "accept seen > 0.5")
    verdict = decide(_language_question(source, "P(b & Y a)"), "unbounded")
    assert verdict.status is Status.REFUTED
    assert verdict.counterexample is not None
    assert "".join(verdict.counterexample.word) == "ab" * 8
    assert verdict.counterexample.in_language and not verdict.counterexample.accepted


COUNTING = """alphabet a b
precision fixed(4, 4) denominator saturate
balance = aggregate(select(global, nonstrict), if a then 1 else -1)
accept balance > 0
"""


def test_saturate_counting_is_unknown_unbounded_but_decided_up_to_n() -> None:
    question = _language_question(COUNTING, "P(a & !P true)")
    unbounded = decide(question, "unbounded")
    assert unbounded.status is Status.UNKNOWN
    assert unbounded.reason is not None and "saturate" in unbounded.reason
    bounded = decide(_language_question(COUNTING, "P(a & !P true)", bound=8), "enumerate")
    assert bounded.status is Status.REFUTED


def test_not_recognizes_is_proved_with_a_witness() -> None:
    question = _language_question(SPEC, "Y a")
    flipped = Question(question.program, question.target, None, negated=True)
    verdict = decide(flipped, "unbounded", Options())
    assert verdict.status is Status.PROVED
    assert verdict.counterexample is not None
    assert "".join(verdict.counterexample.word) == "a"
