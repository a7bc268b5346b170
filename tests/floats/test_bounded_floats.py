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
from verifier.langs import DFA, parse_language
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


def _with_word_flipped(dfa: DFA, word: tuple[int, ...]) -> DFA:
    """DFA with the membership of the one WORD (symbol indices) flipped: the product of DFA
    with a word tracker (position in WORD, or len(WORD) + 1 once off it)."""
    off = len(word) + 1
    states: dict[tuple[int, int], int] = {}
    queue = [(dfa.start, 0)]
    states[queue[0]] = 0
    rows: list[tuple[int, ...]] = []
    accepting = set()
    while len(rows) < len(states):
        q, k = queue[len(rows)]
        row = []
        for symbol in range(len(dfa.alphabet)):
            successor = (dfa.delta[q][symbol], k + 1 if k < len(word) and word[k] == symbol
                         else off)
            if successor not in states:
                states[successor] = len(states)
                queue.append(successor)
            row.append(states[successor])
        rows.append(tuple(row))
        if (q in dfa.accepting) != (k == len(word)):
            accepting.add(len(rows) - 1)
    return DFA(dfa.alphabet, len(rows), 0, frozenset(accepting), tuple(rows))


def _three_engines(text: str, bound: int, count: int) -> None:
    """Seeded non-trivial random programs in a float format: the all-lengths engine's automaton
    is the claim; enumeration up to 6 and the bounded engine up to BOUND both find it right;
    with one random word of length <= BOUND flipped, both find exactly that word."""
    profile = parse_profile(text)
    rng = random.Random(f"three-{text}")
    checked = 0
    while checked < count:
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
        assert bounded_search(program, target, bound, Deadline(600), Options()).word is None
        flip = tuple(rng.randrange(len(dfa.alphabet)) for _ in range(rng.randint(0, bound)))
        flipped = Target(language=_Automaton(_with_word_flipped(dfa, flip)))
        expected = tuple(dfa.alphabet[k] for k in flip)
        listed = enumerate_search(program, flipped, 6, Deadline(60)).word
        found = bounded_search(program, flipped, bound, Deadline(600), Options()).word
        assert listed is not None and tuple(listed) == expected
        assert found is not None and tuple(found) == expected, (text, flip)


@pytest.mark.parametrize("text", ("fp8e5m2", "float(3, 2) sums exact", "fp8e4m3"))
def test_three_engines_agree_on_random_float_programs_up_to_length_6(text: str) -> None:
    _three_engines(text, 6, 6)


class _Automaton:
    """A DFA as a Target language."""

    def __init__(self, dfa: DFA) -> None:
        self.dfa = dfa

    def contains(self, word: list[str]) -> bool:
        return self.dfa.accepts(word)

    def describe(self) -> str:
        return "extracted automaton"
