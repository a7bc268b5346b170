"""The spec's section-1 program: exactly the words containing `ab`, and why it needs two heads."""

from __future__ import annotations

import pytest
from corpus import BY_NAME

from verifier.interp import accepts_all, all_words, run_word

ONE_LETTER = 16  # raw 1.0 in fixed(4, 4)


def test_accepts_exactly_the_words_containing_ab_up_to_12() -> None:
    program = BY_NAME["contains_ab"].compile()
    assert program.alphabet == ("a", "b")
    total = 0
    for length in range(13):
        words = all_words(2, length)
        accepted = accepts_all(program, length)
        expected = ["ab" in "".join("ab"[k] for k in row) for row in words]
        assert accepted.tolist() == expected, length
        total += len(expected)
    assert total == 2**13 - 1


@pytest.mark.parametrize(("count", "accepted"), [(1, True), (7, True), (8, False), (9, False)])
def test_without_the_second_head_it_vanishes_past_seven(count: int, accepted: bool) -> None:
    program = BY_NAME["contains_ab_one_head"].compile()
    trace = run_word(program, tuple("ab" * count))
    assert trace.accepted is accepted
    seen_at_eos = trace.row("seen").values[-1]
    # 7 ab positions: weight round(16 / 7) = 2 each, 7 * 2 = 14; 8 positions: Z = 8 > max.
    expected = {1: ONE_LETTER, 7: 14, 8: 0, 9: 0}[count]
    assert seen_at_eos == expected


def test_second_head_rescues_many_ab_positions() -> None:
    program = BY_NAME["contains_ab"].compile()
    trace = run_word(program, tuple("ab" * 8))
    assert trace.accepted
    assert trace.row("seen").values[-1] == 0
    assert trace.row("seen2").values[-1] > ONE_LETTER // 2
    ab = trace.row("ab").values
    assert ab == tuple(k % 2 == 1 and k < 16 for k in range(17))


def test_trace_of_bab() -> None:
    program = BY_NAME["contains_ab"].compile()
    trace = run_word(program, ("b", "a", "b"))
    assert trace.word == ("b", "a", "b")
    assert trace.row("prev_a").values == (0, 0, ONE_LETTER, 0)
    assert trace.row("ab").values == (False, False, True, False)
    assert trace.row("seen").values == (0, 0, 0, ONE_LETTER)
    assert trace.row("accept").values == (False, False, False, True)
    assert [head.name for head in trace.heads] == ["prev_a", "seen", "seen2"]
    prev_a = trace.heads[0]
    assert prev_a.kind == "aggregate" and prev_a.selector == "local 1"
    assert prev_a.weights == (
        (None, None, None, None),
        (ONE_LETTER, None, None, None),
        (None, ONE_LETTER, None, None),
        (None, None, ONE_LETTER, None),
    )
