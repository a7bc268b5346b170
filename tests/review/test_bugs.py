"""Minimal reproductions of bugs found by review: regression tests, each failed before its fix."""

from __future__ import annotations

from verifier.engines.decide import Question, decide
from verifier.engines.target import Target
from verifier.engines.verdict import Status
from verifier.langs import parse_language
from verifier.pipeline import compile_text

# Default profile fixed(8, 8); a scored global head has count cap max_raw + 1 = 32768, above
# MAX_KEYS = 16384, so exploring the counter calls `aggregate` with counts summing to 16385
# and `_check_keys` raised ValueError (the CLI printed "internal error", exit 4). Fixed:
# multiplicities are not bounded by MAX_KEYS (the all-lengths engine computes exactly).
COUNTING_WITH_SCORE = """alphabet a b
h = aggregate(select(global, where: a[j], score: 1), 1)
accept h > 0
"""


def test_scored_counter_in_default_profile_gets_a_verdict() -> None:
    program = compile_text(COUNTING_WITH_SCORE, "count.attn")
    language = parse_language("regex", ".*a.*", program.alphabet)
    verdict = decide(Question(program, Target(language=language)), "unbounded")
    # 128 a's: Z = 128 > 127.996, the weights vanish, h = 0: rejected, yet in the language.
    assert verdict.status is Status.REFUTED
    assert verdict.counterexample is not None
    assert verdict.counterexample.word == ("a",) * 128


SATURATE_A_STAR = """alphabet a b
precision fixed(4, 4) denominator saturate
h = aggregate(select(global), a)
accept h > 0.5
"""


def test_auto_still_searches_when_the_all_lengths_engine_cannot_decide() -> None:
    program = compile_text(SATURATE_A_STAR, "sat.attn")
    language = parse_language("regex", "a*", program.alphabet)
    verdict = decide(Question(program, Target(language=language)), "auto")
    assert verdict.status is Status.REFUTED
    # the empty word is in a* but the head reads its default 0 there
    assert verdict.counterexample is not None and verdict.counterexample.word == ()
    unbounded_only = decide(Question(program, Target(language=language)), "unbounded")
    assert unbounded_only.status is Status.UNKNOWN
