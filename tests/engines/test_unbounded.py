"""The all-lengths engine against brute force: verdicts and extracted automata."""

from __future__ import annotations

import pytest
from corpus import CORPUS, CorpusProgram, assert_dfa_matches_interpreter

from verifier.engines.decide import Question, decide
from verifier.engines.search import Deadline
from verifier.engines.streaming import NotFiniteState
from verifier.engines.target import Target
from verifier.engines.unbounded import BudgetExceeded, extract
from verifier.engines.verdict import Status
from verifier.langs import parse_language
from verifier.options import Options
from verifier.pipeline import compile_text

EXTRACT_LENGTH = 12
BUDGET = 40_000


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
    assert_dfa_matches_interpreter(program, dfa, EXTRACT_LENGTH if len(program.alphabet) == 2
                                    else 8)


FORMULAS = ("P x", "Y x", "P(y & Y x)", "!P y & Y<=2 x", "H x | y S x")


def _formula(template: str, alphabet: tuple[str, ...]) -> str:
    x, y = alphabet[0], alphabet[1 % len(alphabet)]
    return template.replace("x", f"<{x}>").replace("y", f"<{y}>")


@pytest.mark.parametrize("entry", CORPUS, ids=lambda e: e.name)
def test_unbounded_and_enumerate_agree_up_to_10(entry: CorpusProgram) -> None:
    """On claims against several languages, the all-lengths verdict and brute force up to a
    length agree: same shortest counterexample when it is short, no counterexample otherwise."""
    program, _ = _extracted(entry)
    limit = 10 if len(program.alphabet) == 2 else 7
    for template in FORMULAS:
        language = parse_language("ltl", _formula(template, program.alphabet), program.alphabet)
        target = Target(language=language)
        unbounded = decide(Question(program, target), "unbounded")
        brute = decide(Question(program, target, bound=limit), "enumerate")
        assert unbounded.status is not Status.UNKNOWN, unbounded.reason
        found = unbounded.counterexample
        if found is not None and len(found.word) <= limit:
            assert brute.status is Status.REFUTED and brute.counterexample is not None
            assert brute.counterexample.word == found.word, template
        else:
            assert brute.status is Status.PROVED, (template, brute.counterexample)


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


def _monolithic_dfa(program):  # type: ignore[no-untyped-def]
    """The program automaton built the direct way: BFS over tuples of all heads' summaries."""
    from collections import deque

    from verifier.engines.streaming import StreamingMachine
    from verifier.langs import DFA, minimal_dfa

    machine = StreamingMachine(program)
    index = {machine.initial(): 0}
    queue, rows, accepting = deque([machine.initial()]), [], set()
    while queue:
        state = queue.popleft()
        if machine.accepts(state):
            accepting.add(index[state])
        row = []
        for symbol in range(len(program.alphabet)):
            successor = machine.step(state, symbol)
            if successor not in index:
                if len(index) > 3000:
                    pytest.skip("too large for the direct construction")
                index[successor] = len(index)
                queue.append(successor)
            row.append(index[successor])
        rows.append(tuple(row))
    return minimal_dfa(DFA(program.alphabet, len(rows), 0, frozenset(accepting), tuple(rows)))


@pytest.mark.parametrize("entry", CORPUS, ids=lambda e: e.name)
def test_compositional_and_direct_constructions_agree(entry: CorpusProgram) -> None:
    from verifier.engines.streaming import SummaryInexact

    program, dfa = _extracted(entry)
    try:
        direct = _monolithic_dfa(program)
    except SummaryInexact:
        pytest.skip("running sums: only the compositional construction keeps them "
                    "(tests/floats/test_ordered.py compares it with the interpreter)")
    assert direct == dfa


@pytest.mark.slow
@pytest.mark.parametrize("entry", CORPUS, ids=lambda e: e.name)
def test_large_extractions_accept_what_the_interpreter_accepts(entry: CorpusProgram) -> None:
    """The programs the fast tests skip for size, with a budget that fits them all."""
    program = entry.compile()
    try:
        dfa = extract(program, 1_000_000, Deadline(300)).dfa
    except NotFiniteState:
        pytest.skip("not finite-state under its profile")
    assert_dfa_matches_interpreter(program, dfa, 10 if len(program.alphabet) == 2 else 7)


#: x: a running clamp of terms of both signs whose running sums do not fit (see
#: test_auto_portfolio.ORDERED).
MIXED = """alphabet a b
precision fixed(8, 8) sums sequential
x = aggregate(select(global, score: if a[j] then 1 else 0), if a then 1 else -1) * 2
y = aggregate(select(global, score: if a[j] then 1 else 0), if a then 1 else 0)
accept x > 0 and y > 0
"""


def test_unknown_reasons_name_the_head() -> None:
    program = compile_text(MIXED)
    heads = program.attention_nodes()
    assert [program.head_name(h) for h in heads] == ["a head in `x`", "head `y`"]
    verdict = decide(_language_question(MIXED, "P a"), "unbounded")
    assert verdict.status is Status.UNKNOWN
    assert verdict.reason is not None and "both signs" in verdict.reason
    assert "(a head in `x`); keeping the running sums instead does not fit" in verdict.reason
    other = Question(compile_text("alphabet a b\naccept true\n"),
                     Target(other=compile_text(MIXED, "mixed.attn")), None)
    reason = decide(other, "unbounded").reason
    assert reason is not None and "the other program, mixed.attn: " in reason
    assert "(a head in `x`)" in reason
