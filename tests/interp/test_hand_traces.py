"""Traces computed by hand from spec sections 2, 4 and 5 (raw values: k means k * 2^-F)."""

from __future__ import annotations

from textwrap import dedent

import pytest

from verifier.interp import Trace, run_word
from verifier.pipeline import compile_text

_: None = None  # a key the query does not see (or that `where:` dropped)


def run(source: str, word: str | tuple[str, ...]) -> Trace:
    program = compile_text(dedent(source).strip() + "\n", "hand.attn")
    return run_word(program, tuple(word))


UNIFORM_44 = """
    alphabet a b
    precision fixed(4, 4)
    h = aggregate(select(global), a, default: 1)
    accept h > 0.5
"""


def test_uniform_over_seven_positions_weighs_two_sixteenths_each() -> None:
    trace = run(UNIFORM_44, "aaaaaaa")
    eos = trace.heads[0].weights[-1]
    assert eos == (2, 2, 2, 2, 2, 2, 2, _)
    assert trace.row("h").values[-1] == 14  # 7 * 2/16 * 1.0
    assert trace.accepted


def test_uniform_over_eight_positions_vanishes_to_zero_not_the_default() -> None:
    trace = run(UNIFORM_44, "aaaaaaaa")
    assert trace.heads[0].weights[-1] == (0,) * 8 + (_,)
    assert trace.row("h").values[-1] == 0
    assert not trace.accepted
    # position 8 still sees 7 keys: round(16 / 7) = 2
    assert trace.heads[0].weights[7] == (2,) * 7 + (_, _)


def test_empty_scope_gives_the_default() -> None:
    trace = run(UNIFORM_44, "")
    assert trace.row("h").values == (16,)
    assert trace.heads[0].weights == ((_,),)
    assert trace.row("h").values[0] == 16 and trace.accepted


def test_uniform_weights_round_to_nearest_even() -> None:
    trace = run(UNIFORM_44, "abbaab")
    rows = trace.heads[0].weights
    # 1..6 keys: round(16/1, 16/2, 16/3, 16/4, 16/5, 16/6) = 16, 8, 5, 4, 3, 3
    assert [row[0] for row in rows[1:]] == [16, 8, 5, 4, 3, 3]
    # h at eos: a at 1, 4, 5 -> 3 * 3 = 9
    assert trace.row("h").values[-1] == 9


def test_saturated_denominator_keeps_weights_past_the_span() -> None:
    source = UNIFORM_44.replace("fixed(4, 4)", "fixed(4, 4) denominator saturate")
    trace = run(source, "aaaaaaaaab")
    # Z = 10 * 16 = 160 is clamped to 127: round(256 / 127) = 2 per key
    assert trace.heads[0].weights[-1] == (2,) * 10 + (_,)
    assert trace.row("h").values[-1] == 18


def test_local_two_window_at_positions_one_two_three() -> None:
    trace = run("""
        alphabet a b
        precision fixed(4, 4)
        x = aggregate(select(local 2), a)
        accept x > 0
    """, "aba")
    assert trace.heads[0].weights == (
        (_, _, _, _),          # position 1: the window is empty
        (16, _, _, _),         # position 2: only key 1
        (8, 8, _, _),          # position 3: keys 1, 2
        (_, 8, 8, _),          # eos (4): keys 2, 3
    )
    assert trace.row("x").values == (0, 16, 8, 8)


def test_nonstrict_local_window_includes_the_query() -> None:
    trace = run("""
        alphabet a b
        precision fixed(4, 4)
        x = aggregate(select(local 1, nonstrict), a)
        accept x > 0
    """, "ab")
    assert trace.heads[0].weights == ((16, _, _), (8, 8, _), (_, 8, 8))
    assert trace.row("x").values == (16, 8, 0)


@pytest.mark.parametrize(("kind", "position"), [("leftmost", 1), ("rightmost", 5)])
def test_hard_attention_breaks_ties_by_position(kind: str, position: int) -> None:
    trace = run(f"""
        alphabet a b c
        precision fixed(4, 4)
        v = {kind}(select(global, score: b[j]), if a then 1 else (if b then 2 else 3))
        accept v > 1
    """, ("b", "a", "b", "c", "b"))
    eos = trace.heads[0].weights[-1]
    # scores: b -> 1, others 0; the maximum 1 is reached at keys 1, 3, 5
    assert eos == tuple(1 if j == position else 0 for j in range(1, 6)) + (_,)
    assert trace.row("v").values[-1] == 32  # the value 2 of a b position


def test_hard_attention_without_scores_ties_everything() -> None:
    trace = run("""
        alphabet a b c
        l = leftmost(select(global), c)
        r = rightmost(select(global), c)
        accept l and not r
    """, "cab")
    assert trace.row("l").values == (False, True, True, True)
    assert trace.row("r").values == (False, True, False, False)
    assert trace.accepted


def test_empty_where_gives_the_default_evaluated_at_the_query() -> None:
    trace = run("""
        alphabet a b c
        y = rightmost(select(global, where: c[j]), true, default: a)
        n = aggregate(select(global, where: c[j]), 1, default: -1)
        accept y
    """, "abac")
    # no c before positions 1..4: the default a(i); at eos the c at 4 is kept
    assert trace.row("y").values == (True, False, True, False, True)
    assert trace.row("n").values == (-256, -256, -256, -256, 256)
    assert trace.heads[1].weights[-1] == (_, _, _, 256, _)


def test_scores_go_through_the_exp_table() -> None:
    trace = run("""
        alphabet a b
        precision fixed(4, 4)
        h = aggregate(select(global, score: 2 * a[j]), a)
        accept h > 0.5
    """, "ab")
    # e = (16, round(16 e^-2) = 2), Z = 18: alpha = (round(256/18), round(32/18)) = (14, 2)
    assert trace.heads[0].weights[-1] == (14, 2, _)
    assert trace.row("h").values == (0, 16, 14)


def test_query_term_in_the_score_cancels() -> None:
    base = run("""
        alphabet a b
        precision fixed(4, 4)
        h = aggregate(select(global, score: 2 * a[j]), a)
        accept h > 0.5
    """, "abbab")
    shifted = run("""
        alphabet a b
        precision fixed(4, 4)
        h = aggregate(select(global, score: 2 * a[j] + 3 * b[i]), a)
        accept h > 0.5
    """, "abbab")
    assert base.heads[0].weights == shifted.heads[0].weights
    assert base.row("h").values == shifted.row("h").values


@pytest.mark.parametrize(("sums", "expected"), [("exact", 3), ("sequential", 4)])
def test_sequential_sums_round_each_product(sums: str, expected: int) -> None:
    trace = run(f"""
        alphabet a b
        precision fixed(4, 4) sums {sums}
        h = aggregate(select(global), if a then 0.5 else -0.25)
        accept h > 0
    """, "aaabb")
    # alpha = round(16/5) = 3 each; products 1.5 (x3) and -0.75 (x2), in 1/16 units
    assert trace.heads[0].weights[-1] == (3, 3, 3, 3, 3, _)
    assert trace.row("h").values[-1] == expected


@pytest.mark.parametrize(("rounding", "weights", "t"), [
    ("nearest_even", 5, -1),   # h = 2 * 5 = 10; -10/16 -> -1
    ("toward_zero", 5, 0),     # -10/16 -> 0
    ("down", 5, -1),           # -10/16 -> -1
])
def test_rounding_modes(rounding: str, weights: int, t: int) -> None:
    trace = run(f"""
        alphabet a b
        precision fixed(4, 4) rounding {rounding}
        p = aggregate(select(global), a)
        t = p * -0.0625
        accept t < 0
    """, "aab")
    assert trace.heads[0].weights[-1] == (weights,) * 3 + (_,)
    assert trace.row("p").values[-1] == 2 * weights
    assert trace.row("t").values[-1] == t


def test_elementwise_rounding_and_clamping() -> None:
    trace = run("""
        alphabet a
        precision fixed(4, 4)
        tie_down = 0.0625 * 0.5
        tie_up   = 0.1875 * 0.5
        over     = 7.5 + 1
        under    = -8 - 1
        neg_min  = -(-8)
        abs_min  = abs(-8)
        e1       = exp(1)
        e_neg    = exp(-8)
        r        = relu(-3) + relu(2.5)
        mn       = min(-0.5, 0.25)
        mx       = max(-0.5, 0.25)
        two      = true + true
        cmp      = (1 < 2) + (2 <= 2) + (3 > 2) + (2 >= 3) + (2 == 2) + (2 != 2)
        accept true
    """, "")
    values = {row.name: row.values[0] for row in trace.rows}
    assert values["tie_down"] == 0     # 0.5 ulp: the tie goes to the even 0
    assert values["tie_up"] == 2       # 1.5 ulp: the tie goes to the even 2
    assert values["over"] == 127       # clamped to max 7.9375
    assert values["under"] == -128     # clamped to min -8
    assert values["neg_min"] == 127
    assert values["abs_min"] == 127
    assert values["e1"] == 43          # 16 e = 43.49
    assert values["e_neg"] == 0        # 16 e^-8 = 0.005
    assert values["r"] == 40
    assert values["mn"] == -8 and values["mx"] == 4
    assert values["two"] == 32
    assert values["cmp"] == 64         # four of the six comparisons hold


def test_empty_word_has_one_position() -> None:
    trace = run("""
        alphabet a b
        first = leftmost(select(global, nonstrict), eos)
        accept first and eos
    """, "")
    assert trace.row("first").values == (True,)
    assert trace.heads[0].weights == ((1,),)
    assert trace.accepted
