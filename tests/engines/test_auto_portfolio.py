"""`auto` as a portfolio (issue 11, part 4): a short counterexample search runs before and
alongside the all-lengths engine, so short counterexamples are found at once whatever the
all-lengths engine does; `unknown` lists every method's reason."""

from __future__ import annotations

import time

import pytest
from corpus import BY_NAME, FIELD_CLAIMS, FieldClaim

import verifier
from verifier.engines.bounded import METHOD as BOUNDED
from verifier.engines.bounded import bounded_search
from verifier.engines.decide import Question, decide
from verifier.engines.enumerate import METHOD as ENUMERATE
from verifier.engines.enumerate import enumerate_search
from verifier.engines.portfolio import SEARCH_BOUND, _enumerable_up_to
from verifier.engines.search import Deadline, SearchResult
from verifier.engines.target import Target
from verifier.engines.unbounded import METHOD as ALL_LENGTHS
from verifier.engines.verdict import Status
from verifier.langs import parse_language
from verifier.options import Options
from verifier.pipeline import check_text, compile_text


@pytest.mark.parametrize("case", FIELD_CLAIMS, ids=lambda c: c.program)
def test_field_cases_are_refuted_at_once_with_the_shortest_word(case: FieldClaim) -> None:
    """Issue 11: 12-17 s under `auto` before (the all-lengths engine first), 0.3-0.5 s now."""
    checked = BY_NAME[case.program].checked()
    start = time.monotonic()
    auto = verifier.check_claim(checked, case.claim)
    assert time.monotonic() - start < 2.5
    brute = verifier.check_claim(checked, case.claim + f" up to {SEARCH_BOUND}",
                                 engine="enumerate")
    assert auto.status is Status.REFUTED and brute.status is Status.REFUTED
    assert auto.counterexample is not None and brute.counterexample is not None
    assert auto.counterexample.word == brute.counterexample.word == case.shortest
    assert auto.method == ENUMERATE and auto.bound is None
    assert auto.counterexample.accepted and not auto.counterexample.in_language  # replayed


#: A running clamp of terms of both signs whose running denominators (sums of 256 and 94,
#: up to 2^15) do not fit the all-lengths engine's 512 per query value, and which the
#: explicit-state engine does not keep (it stops at length 2); accepts everything.
ORDERED = """alphabet {alphabet}
precision fixed(8, 8) sums sequential
diff = aggregate(select(global, score: if a[j] then 1 else 0), if a then 1 else -1)
accept diff >= -128
"""


def _question(alphabet: str, regex: str) -> Question:
    program = compile_text(ORDERED.format(alphabet=alphabet))
    return Question(program, Target(language=parse_language("regex", regex, program.alphabet)))


def test_unknown_lists_each_methods_reason() -> None:
    verdict = decide(_question("a b", "(a|b)*"), "auto")
    assert verdict.status is Status.UNKNOWN and verdict.method == ALL_LENGTHS
    reason = verdict.reason or ""
    assert reason.startswith(f"{ALL_LENGTHS}: sums sequential")
    assert f"{ENUMERATE}: no counterexample up to length {SEARCH_BOUND} (the search stops " \
        "there)" in reason


def test_unknown_names_where_each_method_stopped() -> None:
    """Ten symbols: enumerate clears the cheap lengths, then Z3 gives up (rlimit 1)."""
    cheap = _enumerable_up_to(10, SEARCH_BOUND)
    verdict = decide(_question("a b c d e f g h k m", "[abcdefghkm]*"), "auto",
                     Options(rlimit=1))
    assert verdict.status is Status.UNKNOWN and verdict.method == ALL_LENGTHS
    reason = verdict.reason or ""
    assert reason.startswith(f"{ALL_LENGTHS}: sums sequential")
    assert f"; {ENUMERATE}: no counterexample up to length {cheap}; " in reason
    assert f"; {BOUNDED}: no counterexample up to length {cheap} (length {cheap + 1}: " \
        in reason


def test_a_word_found_by_z3_after_enumeration_is_the_first_shortest() -> None:
    """Ten symbols: lengths 0..5 are enumerated, length 6 is Z3's; the word is enumerate's."""
    question = _question("a b c d e f g h k m", "[abcdefghkm]{0,5}|b.*")
    assert _enumerable_up_to(10, SEARCH_BOUND) == 5
    verdict = decide(question, "auto")
    assert verdict.status is Status.REFUTED and verdict.method == BOUNDED
    assert verdict.counterexample is not None
    assert verdict.counterexample.word == tuple("aaaaaa")


def test_a_proof_for_all_lengths_comes_from_the_all_lengths_engine() -> None:
    checked = check_text("alphabet a b\nh = leftmost(select(global), a)\naccept h\n")
    verdict = verifier.check_claim(checked, 'recognizes regex "a.*"')
    assert verdict.status is Status.PROVED and verdict.method == ALL_LENGTHS


def test_search_engines_resume_from_a_cleared_length() -> None:
    question = _question("a b c", "[abc]{0,3}")
    program, target = question.program, question.target
    assert target is not None

    def enumerated(start: int) -> SearchResult:
        return enumerate_search(program, target, 6, Deadline(30), start)

    def solved(start: int) -> SearchResult:
        return bounded_search(program, target, 6, Deadline(30), Options(), start)

    for search in (enumerated, solved):
        found = search(2)
        assert found.word == tuple("aaaa") and found.clean_up_to == 3
        nothing = search(7)
        assert nothing.word is None and nothing.clean_up_to == 6
