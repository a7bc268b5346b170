"""The bounded SMT engine against brute-force enumeration, and the spec's section-1 claims."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from corpus import BY_NAME, CORPUS
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import HypothesisDraw, languages, perturbed

from verifier.engines.bounded import METHOD, bounded_search
from verifier.engines.decide import Question, decide
from verifier.engines.enumerate import enumerate_search
from verifier.engines.registry import bounded_engines
from verifier.engines.search import Deadline
from verifier.engines.target import Target
from verifier.engines.verdict import Status
from verifier.errors import UsageError
from verifier.ir.nodes import Program
from verifier.langs import DFA, parse_language
from verifier.options import Options

BOUND = 6
#: Programs with every kind of head, scope and profile option; small enough for bound 6.
PROGRAMS = ["contains_ab", "first_is_a", "last_is_b", "more_a_than_b", "balanced_count",
            "b0_then_b1", "majority_last3", "ends_with_a_nonstrict_local", "score_soft_exp",
            "score_query_key", "tie_break", "defaults", "saturate_fixed21", "sums_sequential",
            "rounding_down", "depth3", "sequential_toward_zero", "extreme_scores",
            "reject_all", "accept_all"]


def _symbol(name: str) -> str:
    return name if len(name) == 1 else f"<{name}>"


def _agree(program: Program, target: Target, bound: int = BOUND) -> None:
    """bounded and enumerate give the same word (or none) and the same clean length."""
    found = bounded_search(program, target, bound, Deadline(60), Options())
    expected = enumerate_search(program, target, bound, Deadline(60))
    assert (found.word, found.clean_up_to) == (expected.word, expected.clean_up_to)
    assert found.method == METHOD


@st.composite
def _program_and_language(draw: st.DrawFn) -> tuple[Program, Target]:
    program = BY_NAME[draw(st.sampled_from(PROGRAMS))].compile()
    kind, text = draw(languages(program.alphabet))
    return program, Target(language=parse_language(kind, text, program.alphabet))


@settings(derandomize=True, deadline=None, max_examples=30)
@given(_program_and_language())
def test_bounded_agrees_with_enumerate_on_random_languages(case: tuple[Program, Target]
                                                          ) -> None:
    _agree(*case)


@dataclass(frozen=True)
class _DfaLanguage:
    """A bare DFA as a Target language (the oracle is the DFA itself)."""

    dfa: DFA

    def contains(self, word: list[str]) -> bool:
        return self.dfa.accepts(word)

    def describe(self) -> str:
        return "perturbed automaton"


#: Programs with the language each recognizes (bench/bounded.py proves these up to 24).
RECOGNIZED = {
    "contains_ab": ("ltl", "P(b & Y a)"),
    "contains_ab_one_head": ("regex", "b*(a+b+){1,7}a*"),
    "first_is_a": ("regex", "a(a|b)*"),
    "last_is_b": ("regex", "(a|b)*b"),
    "majority_last3": ("regex", "b|bb|(a|b)*(bba|bab|abb|bbb)"),
    "depth3": ("regex", "(a|b)*a(a|b)b(a|b)*"),
    "second_last_a": ("regex", "a|(a|b)*a(a|b)"),
    "tie_break": ("regex", "c*a(a|b|c)*bc*"),
}


@st.composite
def _near_language(draw: st.DrawFn) -> tuple[Program, Target]:
    name = draw(st.sampled_from(sorted(RECOGNIZED)))
    program = BY_NAME[name].compile()
    kind, text = RECOGNIZED[name]
    dfa = perturbed(HypothesisDraw(draw), parse_language(kind, text, program.alphabet).dfa)
    return program, Target(language=_DfaLanguage(dfa))


@settings(derandomize=True, deadline=None, max_examples=30)
@given(_near_language())
def test_bounded_agrees_with_enumerate_near_the_program_language(case: tuple[Program, Target]
                                                                 ) -> None:
    """Targets that differ from the program only somewhere deep: the minimal DFA of the
    language it recognizes with one perturbation at a deep state, so counterexamples are
    longer and often not unique at their length."""
    _agree(*case)


def test_recognized_languages_are_right_up_to_6() -> None:
    for name, (kind, text) in RECOGNIZED.items():
        program = BY_NAME[name].compile()
        target = Target(language=parse_language(kind, text, program.alphabet))
        assert enumerate_search(program, target, BOUND, Deadline(60)).word is None, name


@pytest.mark.parametrize("entry", CORPUS, ids=lambda e: e.name)
def test_bounded_agrees_with_enumerate_on_the_corpus_oracle_language(entry) -> None:  # type: ignore[no-untyped-def]
    """The language 'first symbol is the first letter', a generic separator."""
    program = entry.compile()
    first = _symbol(program.alphabet[0])
    language = parse_language("regex", f"{first}.*", program.alphabet)
    _agree(program, Target(language=language), bound=5)


@pytest.mark.parametrize(("left", "right"), [
    ("first_is_a", "starts_with_a_nonstrict"), ("contains_ab", "contains_ab_one_head"),
    ("rounding_down", "rounding_toward_zero"), ("sums_exact", "sums_sequential"),
    ("more_a_than_b", "comparisons"), ("last_is_b", "second_last_a")])
def test_bounded_agrees_with_enumerate_on_equivalence(left: str, right: str) -> None:
    _agree(BY_NAME[left].compile(), Target(other=BY_NAME[right].compile()))


def _ltl_question(name: str, bound: int) -> Question:
    program = BY_NAME[name].compile()
    language = parse_language("ltl", "P(b & Y a)", program.alphabet)
    return Question(program, Target(language=language), bound)


def test_spec_program_is_proved_up_to_12() -> None:
    verdict = decide(_ltl_question("contains_ab", 12), "bounded")
    assert verdict.status is Status.PROVED
    assert verdict.method == METHOD and verdict.bound == 12


def test_one_head_program_is_refuted_with_the_shortest_word() -> None:
    question = _ltl_question("contains_ab_one_head", 16)
    assert question.program.profile.describe() == "fixed(4, 4)"
    verdict = decide(question, "bounded")
    assert verdict.status is Status.REFUTED
    assert verdict.counterexample is not None
    assert "".join(verdict.counterexample.word) == "ab" * 8
    assert verdict.counterexample.in_language and not verdict.counterexample.accepted


def test_one_head_program_is_clean_below_16() -> None:
    verdict = decide(_ltl_question("contains_ab_one_head", 15), "bounded")
    assert verdict.status is Status.PROVED


def test_resource_limit_gives_unknown_not_a_guess() -> None:
    question = _ltl_question("contains_ab", 12)
    result = bounded_search(question.program, question.target, 12,  # type: ignore[arg-type]
                            Deadline(60), Options(rlimit=1))
    assert result.word is None and result.reason is not None
    assert "resource" in result.reason
    assert result.clean_up_to is None or result.clean_up_to < 12
    verdict = decide(question, "bounded", Options(rlimit=1))
    assert verdict.status is Status.UNKNOWN


def test_expired_deadline_gives_unknown() -> None:
    question = _ltl_question("contains_ab", 12)
    result = bounded_search(question.program, question.target, 12,  # type: ignore[arg-type]
                            Deadline(0.0), Options())
    assert result.word is None and result.clean_up_to is None
    assert result.reason is not None and "time limit" in result.reason


def test_search_is_deterministic() -> None:
    question = _ltl_question("contains_ab_one_head", 16)
    runs = {bounded_search(question.program, question.target, 16,  # type: ignore[arg-type]
                           Deadline(60), Options(seed=7)) for _ in range(2)}
    assert len(runs) == 1


def test_non_positive_rlimit_is_a_usage_error() -> None:
    question = _ltl_question("contains_ab", 3)
    with pytest.raises(UsageError):
        bounded_search(question.program, question.target, 3,  # type: ignore[arg-type]
                       Deadline(60), Options(rlimit=0))


def test_registered_as_bounded() -> None:
    assert bounded_engines()["bounded"] is bounded_search
