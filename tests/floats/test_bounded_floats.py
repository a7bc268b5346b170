"""The bounded engine in float formats (issue 12's differential suite): with the word pinned,
the model of the bit-precise soft-float encoding decodes to the interpreter's trace; and on
random claims the bounded engine, enumeration and the all-lengths engine agree."""

from __future__ import annotations

import random

import pytest
import z3
from corpus import BY_NAME, CORPUS, CorpusProgram
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import languages, nontrivial, random_program_text

from verifier.check.profile import parse_profile
from verifier.engines.bounded import bounded_search
from verifier.engines.enumerate import enumerate_search
from verifier.engines.search import Deadline
from verifier.engines.streaming import NotFiniteState
from verifier.engines.target import Target
from verifier.engines.unbounded import BudgetExceeded, extract
from verifier.errors import UserError
from verifier.interp import run_word
from verifier.ir.lower import lower
from verifier.ir.nodes import Program
from verifier.langs import parse_language
from verifier.options import Options
from verifier.pipeline import check_text
from verifier.smt.decode import decode_trace
from verifier.smt.encode import encode

#: Small formats (the encoding of bf16's exp table is large: tests/floats/test_programs.py).
FORMATS = ("fp8e5m2", "float(3, 2) sums exact", "fp8e4m3")
#: Corpus programs with soft, hard, local, global, scored and nonstrict heads.
PINNED = ("contains_ab", "first_is_a", "last_is_b", "tie_break", "score_soft_exp",
          "majority_last3", "defaults", "depth3")


def _in(entry: CorpusProgram, text: str) -> Program | None:
    """ENTRY's program in the float profile TEXT (None if a literal is not a value of it)."""
    try:
        return lower(check_text(entry.source, str(entry.path), entry.path.parent,
                                parse_profile(text)))
    except UserError:
        return None


@pytest.mark.parametrize("text", FORMATS)
@pytest.mark.parametrize("name", PINNED)
def test_pinned_word_model_is_the_interpreter_trace(name: str, text: str) -> None:
    program = _in(BY_NAME[name], text)
    if program is None:
        pytest.skip(f"a literal of {name} is no {text} value")
    rng = random.Random(f"{name}/{text}")
    for length in range(4):
        encoding = encode(program, length)
        for _ in range(2):
            word = tuple(rng.randrange(len(program.alphabet)) for _ in range(length))
            solver = z3.Solver(ctx=encoding.word.ctx)
            solver.add(*encoding.domain(), *encoding.word.pin(word))
            assert solver.check() == z3.sat
            decoded = decode_trace(encoding, solver.model())
            expected = run_word(program, [program.alphabet[k] for k in word])
            assert decoded == expected, (name, text, word)


BOUND = 3


@st.composite
def _claims(draw: st.DrawFn) -> tuple[Program, Target]:
    text = draw(st.sampled_from(FORMATS))
    entry = draw(st.sampled_from([e for e in CORPUS if e.name in PINNED]))
    program = _in(entry, text)
    if program is None:
        program = _in(entry, "fp8e5m2")
    assert program is not None
    kind, language = draw(languages(program.alphabet))
    return program, Target(language=parse_language(kind, language, program.alphabet))


@settings(derandomize=True, deadline=None, max_examples=12)
@given(_claims())
def test_bounded_agrees_with_enumerate_in_float_formats(case: tuple[Program, Target]) -> None:
    program, target = case
    found = bounded_search(program, target, BOUND, Deadline(120), Options())
    expected = enumerate_search(program, target, BOUND, Deadline(60))
    assert (found.word, found.clean_up_to) == (expected.word, expected.clean_up_to)


@pytest.mark.parametrize("text", ("fp8e5m2", "float(3, 2) sums exact"))
def test_three_engines_agree_on_random_float_programs(text: str) -> None:
    """Seeded non-trivial random programs in a float format: the all-lengths engine's automaton
    is the claim; enumeration up to 6 and the bounded engine up to 3 both find it right, and
    both find the same shortest word against its complement's first perturbation."""
    profile = parse_profile(text)
    rng = random.Random(f"three-{text}")
    checked = 0
    while checked < 6:
        try:
            program = lower(check_text(random_program_text(rng, max_heads=2), "r.attn", None,
                                       profile))
        except UserError:
            continue
        if not nontrivial(program, 6):
            continue
        try:
            dfa = extract(program, 20_000, Deadline(60)).dfa
        except (NotFiniteState, BudgetExceeded):
            continue
        checked += 1
        target = Target(language=_Automaton(dfa))
        assert enumerate_search(program, target, 6, Deadline(60)).word is None
        assert bounded_search(program, target, BOUND, Deadline(300), Options()).word is None
        flipped = Target(language=_Automaton(dfa, flip_empty=True))
        word = enumerate_search(program, flipped, 6, Deadline(60)).word
        assert word == bounded_search(program, flipped, BOUND, Deadline(300), Options()).word


class _Automaton:
    """A DFA as a Target language; FLIP_EMPTY: with the empty word's membership flipped."""

    def __init__(self, dfa, flip_empty: bool = False) -> None:  # type: ignore[no-untyped-def]
        self.dfa, self.flip = dfa, flip_empty

    def contains(self, word: list[str]) -> bool:
        return self.dfa.accepts(word) != (self.flip and not word)

    def describe(self) -> str:
        return "extracted automaton"
