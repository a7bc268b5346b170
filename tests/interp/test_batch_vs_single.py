"""The batch interpreter and the one-word interpreter agree, value for value.

For every corpus program and every word up to length 8 (7 over three symbols), and for a fixed
sample of longer words (past the vanishing point of the small formats), the accept bit and the
raw value of every named s-op at every position must be identical.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from corpus import CORPUS, CorpusProgram
from hypothesis import given
from strategies import Generated, budgets, longest, programs, quick

from verifier.interp import accepts_all, all_words, run_batch, run_word
from verifier.ir.nodes import Program

SEED = 20240601
LONG_SAMPLE = 24


def _max_length(program: Program, entry: CorpusProgram) -> int:
    return min(entry.max_length, 8 if len(program.alphabet) <= 2 else 7)


def _compare(program: Program, words: npt.NDArray[np.int64]) -> int:
    """Run both interpreters on WORDS (one length); return the number of words compared."""
    batch = run_batch(program, words)
    positions = words.shape[1] + 1
    for name, node_id in program.named:
        assert batch[node_id].shape == (words.shape[0], positions), name
    for index, row in enumerate(words):
        word = tuple(program.alphabet[k] for k in row)
        trace = run_word(program, word)
        assert trace.accepted == bool(batch[program.accept][index, -1]), word
        assert trace.row("accept").values == tuple(
            bool(v) for v in batch[program.accept][index]), word
        for name, node_id in program.named:
            expected = trace.row(name).values
            got = tuple(v.item() for v in batch[node_id][index])
            assert got == expected, (word, name)
    return int(words.shape[0])


@pytest.mark.parametrize("entry", CORPUS, ids=lambda e: e.name)
def test_batch_matches_single_on_every_short_word(entry: CorpusProgram) -> None:
    program = entry.compile()
    compared = 0
    for length in range(_max_length(program, entry) + 1):
        words = all_words(len(program.alphabet), length)
        compared += _compare(program, words)
        accepted = accepts_all(program, length)
        batch = run_batch(program, words)
        assert (accepted == batch[program.accept][:, -1].astype(bool)).all()
    assert compared == sum(len(program.alphabet) ** n
                           for n in range(_max_length(program, entry) + 1))


@pytest.mark.parametrize("entry", CORPUS, ids=lambda e: e.name)
def test_batch_matches_single_on_longer_words(entry: CorpusProgram) -> None:
    program = entry.compile()
    rng = np.random.default_rng(SEED)
    compared = 0
    for length in (9, 12, 17):
        words = rng.integers(0, len(program.alphabet), size=(LONG_SAMPLE // 3, length))
        compared += _compare(program, words)
    assert compared == LONG_SAMPLE


def test_all_words_order_is_lexicographic() -> None:
    words = all_words(3, 2)
    assert words.tolist() == [[a, b] for a in range(3) for b in range(3)]
    assert all_words(2, 0).shape == (1, 0)


def _check_generated(generated: Generated) -> None:
    program = generated.program
    limit = longest(program) + 1
    compared = sum(_compare(program, all_words(len(program.alphabet), n)) for n in range(limit))
    assert compared == sum(len(program.alphabet) ** n for n in range(limit))


@pytest.mark.parametrize("budget", budgets(30, 400))
def test_batch_matches_single_on_random_programs(budget: int) -> None:
    """Nontrivial random programs (tests/strategies), every word one longer than the
    length `nontrivial` looks at."""
    quick(budget)(given(programs())(_check_generated))()
