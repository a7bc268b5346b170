"""The explicit-state bounded engine: the corpus against `enumerate`, counting profiles the
all-lengths engine refuses, deep counterexamples, every way it stops, and `auto`'s handover.
Random programs: tests/review/test_differential.py and tests/floats/test_explicit_floats.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus import BY_NAME
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import languages

import verifier
from verifier.engines.decide import Question, decide
from verifier.engines.enumerate import METHOD as ENUMERATE
from verifier.engines.enumerate import enumerate_search
from verifier.engines.explicit import METHOD, explicit_search
from verifier.engines.search import Deadline
from verifier.engines.target import Target
from verifier.engines.unbounded import METHOD as ALL_LENGTHS
from verifier.engines.verdict import Status
from verifier.ir.nodes import Program
from verifier.langs import parse_language
from verifier.options import Options, Stage
from verifier.pipeline import check_text, compile_text

PROOFS = Path(__file__).resolve().parents[2] / "proofs" / "float"

#: Every kind of head, scope and profile option, counting ones included.
PROGRAMS = ["contains_ab", "first_is_a", "last_is_b", "more_a_than_b", "balanced_count",
            "b0_then_b1", "majority_last3", "ends_with_a_nonstrict_local", "score_soft_exp",
            "score_query_key", "tie_break", "defaults", "saturate_fixed21",
            "rounding_down", "depth3", "extreme_scores", "reject_all", "accept_all"]

#: Counts without a cap (denominator saturate): the all-lengths engine refuses it.
SATURATE = """alphabet a b
precision fixed(4, 4) denominator saturate
count = aggregate(select(global), a)
accept count > 0.5
"""

#: A running clamp of terms of both signs: the explicit search's summaries do not keep the
#: order, and the all-lengths engine's running sums do not fit (sums of 256 and 94 up to 2^15,
#: more than 512 per query value); accepts everything.
ORDERED = """alphabet a b
precision fixed(8, 8) sums sequential
diff = aggregate(select(global, score: if a[j] then 1 else 0), if a then 1 else -1)
accept diff >= -128
"""

#: A window of 8: prefixes shorter than 8 never merge; accepts everything.
WINDOW = """alphabet a b
x = aggregate(select(local 8), a)
accept x >= 0
"""


def _target(program: Program, regex: str) -> Target:
    return Target(language=parse_language("regex", regex, program.alphabet))


@st.composite
def _program_and_language(draw: st.DrawFn) -> tuple[Program, Target]:
    program = BY_NAME[draw(st.sampled_from(PROGRAMS))].compile()
    kind, text = draw(languages(program.alphabet))
    return program, Target(language=parse_language(kind, text, program.alphabet))


@settings(derandomize=True, deadline=None, max_examples=40)
@given(_program_and_language())
def test_explicit_agrees_with_enumerate_on_the_corpus(case: tuple[Program, Target]) -> None:
    program, target = case
    found = explicit_search(program, target, 7, Deadline(60), Options())
    expected = enumerate_search(program, target, 7, Deadline(60))
    assert found.reason is None and found.method == METHOD
    assert (found.word, found.clean_up_to) == (expected.word, expected.clean_up_to)


def test_counting_profile_is_exact_up_to_the_bound() -> None:
    """More than half a's (average above 0.5) against `(a|b)*a`: they first differ on `ba`,
    where the count, not the last symbol, decides."""
    program = compile_text(SATURATE)
    target = _target(program, "(a|b)*a")
    found = explicit_search(program, target, 10, Deadline(60), Options())
    assert found.reason is None
    assert found.word == enumerate_search(program, target, 10, Deadline(60)).word == ("b", "a")


def test_a_deep_counterexample_is_the_first_shortest() -> None:
    program = BY_NAME["first_is_a"].compile()
    target = _target(program, "a(a|b){0,16}")
    found = explicit_search(program, target, 24, Deadline(60), Options())
    assert found.word == ("a",) * 18 and found.clean_up_to == 17


def test_order_dependent_heads_are_refused_with_the_lengths_cleared() -> None:
    program = compile_text(ORDERED)
    found = explicit_search(program, _target(program, "(a|b)*"), 10, Deadline(60), Options())
    assert found.word is None and found.reason is not None
    assert "summary does not fix its output" in found.reason and "both signs" in found.reason
    assert found.clean_up_to is not None and 0 <= found.clean_up_to < 10
    assert enumerate_search(program, _target(program, "(a|b)*"), 10,
                            Deadline(60)).clean_up_to == 10  # the claim holds: not a guess


def test_budget_and_deadline_end_in_the_lengths_cleared() -> None:
    program = compile_text(WINDOW)
    target = _target(program, "(a|b)*")
    over = explicit_search(program, target, 12, Deadline(60), Options(), budget=100)
    assert over.word is None and over.reason is not None
    assert "more than 100 distinct prefix summaries by length 6" in over.reason
    assert over.clean_up_to == 5
    late = explicit_search(program, target, 12, Deadline(0.0), Options())
    assert late.word is None and late.clean_up_to is None
    assert late.reason is not None and "time limit" in late.reason


def test_min_merge_stops_where_prefixes_do_not_merge() -> None:
    program = compile_text(WINDOW)
    target = _target(program, "(a|b)*")
    found = explicit_search(program, target, 12, Deadline(60), Options(), min_merge=4)
    assert found.reason is not None and "prefixes barely merge" in found.reason
    assert found.clean_up_to == 5
    assert explicit_search(program, target, 12, Deadline(60), Options()).reason is None


def test_progress_is_told_every_length() -> None:
    lengths: list[int] = []
    program = compile_text(WINDOW)
    explicit_search(program, _target(program, "(a|b)*"), 6, Deadline(60),
                    Options(progress=lambda stage, n: lengths.append(n)
                            if stage is Stage.LENGTH else None))
    assert lengths == [0, 1, 2, 3, 4, 5, 6]


def test_auto_hands_over_to_enumerate_from_the_first_uncleared_length() -> None:
    """The all-lengths engine cannot decide ORDERED, explicit clears lengths 0 and 1."""
    verdict = verifier.check_claim(check_text(ORDERED), 'recognizes regex "(a|b)*" up to 10')
    assert verdict.status is Status.PROVED and verdict.bound == 10
    assert verdict.method == f"{METHOD}, then {ENUMERATE}"


def test_auto_settles_a_bound_with_the_all_lengths_engine() -> None:
    """Its shortest separating word (length 18) refutes `up to 18` and proves `up to 17`."""
    path = PROOFS / "order_global_sequential.attn"
    checked = check_text(path.read_text(encoding="utf-8"), str(path), path.parent)
    claim = 'recognizes regex "(a|b)*a(a|b)*" up to '
    refuted = verifier.check_claim(checked, claim + "18")
    assert refuted.status is Status.REFUTED and refuted.method == ALL_LENGTHS
    assert refuted.counterexample is not None
    assert refuted.counterexample.word == tuple("bbbbbabbbbbbbbbbbb")
    proved = verifier.check_claim(checked, claim + "17")
    assert proved.status is Status.PROVED and proved.method == ALL_LENGTHS


@pytest.mark.parametrize("engine", ["explicit", "auto"])
def test_engines_decide_an_up_to_claim(engine: str) -> None:
    program = BY_NAME["more_a_than_b"].compile()
    question = Question(program, _target(program, "(a|b)*"), 20)
    verdict = decide(question, engine)
    assert verdict.status is Status.REFUTED and verdict.method == METHOD
    assert verdict.counterexample is not None
    assert verdict.counterexample.word == enumerate_search(
        program, _target(program, "(a|b)*"), 6, Deadline(60)).word


@pytest.mark.parametrize("window", [7, 10**9, 10**39])
def test_a_window_wider_than_the_bound_costs_nothing(window: int) -> None:
    """A window wider than every word searched keeps the whole prefix, as `enumerate` reads
    it; the machine keeps bound + 1 keys, not the width (10^39 once raised OverflowError)."""
    program = compile_text(f"alphabet a b\nprecision fixed(4, 4)\n"
                           f"x = aggregate(select(local {window}), a)\naccept x > 0.5\n")
    target = Target(language=parse_language("ltl", "P a", program.alphabet))
    deadline = Deadline(30)
    found = explicit_search(program, target, 6, deadline, Options())
    listed = enumerate_search(program, target, 6, deadline)
    assert found.word is not None and found.word == listed.word
    assert found.clean_up_to == listed.clean_up_to
    remaining = deadline.remaining()
    assert remaining is not None and remaining > 25
