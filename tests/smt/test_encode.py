"""The SMT encoding with the word pinned reproduces the interpreter's trace exactly."""

from __future__ import annotations

import itertools
import random

import pytest
import z3
from corpus import CORPUS, CorpusProgram
from hypothesis import given
from strategies import Generated, budgets, programs, quick

from verifier.interp import run_word
from verifier.ir.apply import ELEMENTWISE_OPS
from verifier.ir.nodes import ATTENTION, Op, Program
from verifier.smt.decode import decode_trace
from verifier.smt.encode import DEFAULT_TUNING, Encoding, Tuning, encode

MAX_LENGTH = 5
WORDS_PER_LENGTH = 4


def _words(size: int, length: int, rng: random.Random) -> list[tuple[int, ...]]:
    """All words of LENGTH if there are few, else the first, the last and random ones."""
    count = size**length
    if count <= WORDS_PER_LENGTH:
        return list(itertools.product(range(size), repeat=length))
    picks = {0, count - 1, *(rng.randrange(count) for _ in range(WORDS_PER_LENGTH - 2))}
    return [tuple((index // size ** (length - 1 - p)) % size for p in range(length))
            for index in sorted(picks)]


def _assert_matches(encoding: Encoding, word: tuple[int, ...]) -> None:
    """Pin WORD in a solver over ENCODING; the decoded trace must equal the interpreter's."""
    program = encoding.program
    solver = z3.Solver(ctx=encoding.word.ctx)
    solver.add(*encoding.domain(), *encoding.word.pin(word))
    assert solver.check() == z3.sat
    decoded = decode_trace(encoding, solver.model())
    expected = run_word(program, [program.alphabet[k] for k in word])
    assert decoded.rows == expected.rows, word
    assert decoded.heads == expected.heads, word
    assert decoded == expected


def _check_program(program: Program, seed: int, tuning: Tuning = DEFAULT_TUNING) -> None:
    rng = random.Random(seed)
    for length in range(MAX_LENGTH + 1):
        encoding = encode(program, length, tuning=tuning)
        for word in _words(len(program.alphabet), length, rng):
            _assert_matches(encoding, word)


@pytest.mark.parametrize("entry", CORPUS, ids=lambda e: e.name)
def test_corpus_program_matches_interpreter(entry: CorpusProgram) -> None:
    _check_program(entry.compile(), seed=len(entry.name))


@pytest.mark.parametrize("name", ["contains_ab", "score_soft_exp", "sums_sequential",
                                  "tie_break", "const_selector"])
def test_unfolded_encoding_matches_interpreter(name: str) -> None:
    """Every structural shortcut off: the plain Z3Ops encoding agrees too."""
    entry = next(e for e in CORPUS if e.name == name)
    _check_program(entry.compile(), seed=1, tuning=Tuning(fold=False, prune=False,
                                                          uniform=False))


def _check_generated(generated: Generated) -> None:
    _check_program(generated.program, seed=len(generated.text))


@pytest.mark.parametrize("budget", budgets(25, 250))
def test_random_program_matches_interpreter(budget: int) -> None:
    """Nontrivial random programs (tests/strategies): the words pinned are those of
    `_words` (all of them up to a few per length, with the first and the last)."""
    quick(budget)(given(programs())(_check_generated))()


def test_every_op_is_encoded() -> None:
    """The encoder handles leaves and attention itself and the rest through apply.py."""
    leaves = {Op.SYMBOL, Op.EOS, Op.CONST, Op.QUERY, Op.KEY}
    assert leaves | ATTENTION | ELEMENTWISE_OPS == set(Op)


def test_encoding_of_length_zero_reads_only_eos() -> None:
    program = next(e for e in CORPUS if e.name == "accept_all").compile()
    encoding = encode(program, 0)
    assert encoding.word.variables(0) == []
    assert z3.is_true(z3.simplify(encoding.accept))


def test_negative_length_is_refused() -> None:
    program = next(e for e in CORPUS if e.name == "accept_all").compile()
    with pytest.raises(ValueError):
        encode(program, -1)
