"""The generators themselves: well-typed programs, the nontrivial filter, the share kept."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given

from verifier.interp import run_word
from verifier.pipeline import check_text, compile_text

from . import budgets, program_texts, quick
from .nontrivial import nontrivial, profile
from .programs import random_program_text
from .share import seeded_profiles


def _checks(text: str) -> None:
    check_text(text)


@pytest.mark.parametrize("budget", budgets(150, 1500))
def test_programs_are_well_typed(budget: int) -> None:
    """Every drawn program passes the checker (no filter: all of them)."""
    quick(budget)(given(program_texts(empty_head=True))(_checks))()
    quick(budget)(given(program_texts(max_heads=4))(_checks))()


def test_seeded_wrappers_are_well_typed() -> None:
    """The wrappers kept for scripts, including the seed on which the old generator of
    tests/smt/programs.py wrote `leftmost(…, s0, default: -0.5)` with a bool s0."""
    from review.programs import structured_program
    from smt.programs import random_program

    for seed in [1440809960, 795691228, 3963398872, *range(100)]:
        check_text(random_program(random.Random(seed)))
        check_text(structured_program(random.Random(seed)))


PROGRAMS = {
    "constant": "alphabet a b\naccept true\n",
    "empty-word": "alphabet a b\nx = leftmost(select(local 1), true)\naccept x\n",
    "length-only": ("alphabet a b\nt = leftmost(select(local 1), true)\n"
                    "u = leftmost(select(local 1), t)\naccept u\n"),
    "symbols": "alphabet a b\nx = rightmost(select(local 1), a)\naccept x\n",
}


@pytest.mark.parametrize("expected", sorted(PROGRAMS))
def test_profile_classes(expected: str) -> None:
    program = compile_text(PROGRAMS[expected])
    assert profile(program) == expected
    assert nontrivial(program) == (expected in ("length-only", "symbols"))


def test_share_of_nontrivial_programs() -> None:
    """Most generated programs are kept; few are decided by the empty word. (The
    generators this replaced kept 2% and 16%; `python -m tests.strategies --share`.)"""
    found = seeded_profiles(150)
    kept = (found["length-only"] + found["symbols"]) / 150
    assert kept >= 0.45, found
    assert found["empty-word"] / 150 <= 0.1, found
    assert found["symbols"] > found["length-only"], found


def test_empty_heads_keep_nothing() -> None:
    """`empty_head` writes a head whose `where:` holds at no key: on every short word, some
    head keeps no key at any query (its weight grid is empty)."""
    for kind in ("rightmost", "leftmost", "aggregate"):
        for seed in range(15):
            program = compile_text(random_program_text(random.Random(seed), empty_head=kind))
            empty = None
            for word in _short_words(program.alphabet):
                heads = run_word(program, word).heads
                kept = {h.name for h in heads if any(w is not None for row in h.weights
                                                     for w in row)}
                names = {h.name for h in heads} - kept
                empty = names if empty is None else empty & names
            assert empty, (kind, seed)


def _short_words(alphabet: tuple[str, ...]) -> list[tuple[str, ...]]:
    return [w for n in range(5) for w in itertools.product(alphabet, repeat=n)]
