"""The explicit-state engine in float formats against `enumerate`, on seeded non-trivial random
programs: with a depth bound it also serves profiles the all-lengths engine refuses (scored
heads under `sums exact`, fp32), and it must say `unknown` (never guess) where a running sum's
order matters.  The target accepts exactly the program's words up to the bound, with one
random word toggled, so both engines must return exactly that word."""

from __future__ import annotations

import random

import pytest
from strategies import as_language, nontrivial, random_program_text

from verifier.check.profile import parse_profile
from verifier.engines.enumerate import enumerate_search
from verifier.engines.explicit import explicit_search
from verifier.engines.search import Deadline
from verifier.engines.target import Target
from verifier.errors import UserError
from verifier.interp import all_words, run_word
from verifier.ir.lower import lower
from verifier.ir.nodes import Program
from verifier.langs import DFA
from verifier.options import Options
from verifier.pipeline import check_text

BOUND = 5
FORMATS = ("fp8e5m2", "float(3, 2) sums exact", "fp8e4m3", "fp16 sums exact",
           "bf16 sums sequential")


def _words_dfa(program: Program, bound: int, flip: tuple[int, ...]) -> DFA:
    """The prefix-tree automaton accepting the words of length <= BOUND that PROGRAM accepts,
    with FLIP's membership toggled (and no longer word)."""
    size = len(program.alphabet)
    index: dict[tuple[int, ...], int] = {(): 0}
    for length in range(1, bound + 1):
        for row in all_words(size, length):
            index[tuple(int(s) for s in row)] = len(index)
    sink = len(index)
    delta = [tuple(index.get((*prefix, k), sink) for k in range(size)) for prefix in index]
    delta.append((sink,) * size)
    accepting = frozenset(
        state for prefix, state in index.items()
        if run_word(program, [program.alphabet[k] for k in prefix]).accepted != (prefix == flip))
    return DFA(tuple(program.alphabet), len(delta), 0, accepting, tuple(delta))


@pytest.mark.parametrize("text", FORMATS)
def test_explicit_agrees_with_enumerate_in_float_formats(text: str) -> None:
    rng = random.Random(f"explicit-{text}")
    decided = drawn = 0
    while decided < 6:
        drawn += 1
        assert drawn < 400, f"too few decidable non-trivial programs in {text}"
        try:
            program = lower(check_text(random_program_text(rng, max_heads=2), "r.attn", None,
                                       parse_profile(text)))
        except UserError:
            continue
        if not nontrivial(program, BOUND):
            continue
        flip = tuple(rng.randrange(len(program.alphabet)) for _ in range(rng.randint(1, BOUND)))
        target = Target(language=as_language(_words_dfa(program, BOUND, flip), "words"))
        merged = explicit_search(program, target, BOUND, Deadline(60), Options())
        if merged.reason is not None:
            assert merged.word is None and "order" in merged.reason, merged.reason
            continue
        decided += 1
        listed = enumerate_search(program, target, BOUND, Deadline(60))
        expected = tuple(program.alphabet[k] for k in flip)
        assert listed.word == expected
        assert (merged.word, merged.clean_up_to) == (listed.word, listed.clean_up_to), text
