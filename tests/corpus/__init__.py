"""The shared corpus: small .attn programs reused by every layer's tests.

Each entry names a file in `programs/`, optionally a Python oracle of the language it is meant
to recognize (a function of the word as a tuple of symbols), the longest word length the
exhaustive tests should try, and the fragment it belongs to (checked against the IR by
tests/interp/test_corpus.py). Oracles of the numeric programs are hand-derived from spec
section 5 for that one program; they are deliberately not a copy of verifier/semantics.

Import it as `from corpus import CORPUS` (tests/conftest.py puts tests/ on sys.path).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import numpy as np

from verifier.check.checker import CheckedProgram
from verifier.interp import accepts_all, all_words
from verifier.ir.lower import lower
from verifier.ir.nodes import Program
from verifier.pipeline import check_text

PROGRAMS = Path(__file__).parent / "programs"
#: The spec's section-1 program verbatim, with its language claims (needs verifier.langs).
SPEC_CONTAINS_AB = Path(__file__).parent / "spec" / "contains_ab.attn"

Word = tuple[str, ...]
Oracle = Callable[[Word], bool]
Scope = Literal["none", "global", "local", "hybrid"]
Heads = Literal["none", "soft", "hard"]


@dataclass(frozen=True)
class CorpusProgram:
    """One corpus program: its file, its oracle (if any) and its fragment."""

    name: str
    oracle: Oracle | None
    max_length: int
    depth: int
    scope: Scope
    heads: Heads

    @property
    def path(self) -> Path:
        """The .attn file."""
        return PROGRAMS / f"{self.name}.attn"

    @cached_property
    def source(self) -> str:
        """The program text."""
        return self.path.read_text(encoding="utf-8")

    def checked(self) -> CheckedProgram:
        """The checked program, with its claims (resolved relative to programs/)."""
        return check_text(self.source, str(self.path), PROGRAMS)

    def compile(self) -> Program:
        """The IR of the program."""
        return lower(self.checked())


# --- oracle helpers ---------------------------------------------------------------------


def _s(word: Word) -> str:
    """A word over one-character symbols as a string."""
    return "".join(word)


def _count(word: Word, symbol: str) -> int:
    return sum(1 for s in word if s == symbol)


def _rne(q: Fraction) -> int:
    """Round half to even (Python's round on a Fraction)."""
    return round(q)


def _uniform_weight16(n: int) -> int:
    """fixed(4, 4), nearest_even: raw weight of uniform attention over n <= 7 keys."""
    return _rne(Fraction(16, n))


def _score_soft_exp(word: Word) -> bool:
    na, nb = _count(word, "a"), _count(word, "b")
    if na == 0:
        return False  # every value is 0
    z = 16 * na + 2 * nb  # e = 16/16 at score 2, round(16 e^-2) = 2 at score 0
    if z > 127:
        return False  # vanished
    return na * _rne(Fraction(256, z)) > 12


def _ite_mixed(word: Word) -> bool:
    n, na, nb = len(word), _count(word, "a"), _count(word, "b")
    if n == 0:
        return False
    w = _rne(Fraction(256, n))
    return w * (2 * na + nb) > 384 or w * (na + 2 * nb) == 768


def _saturate(one: int, max_raw: int, word: Word, threshold: int) -> bool:
    n, na = len(word), _count(word, "a")
    if n == 0:
        return False
    z = min(one * n, max_raw)
    alpha = _rne(Fraction(one * one, z))
    return min(na * alpha, max_raw) > threshold


def _rounding(mode: str, word: Word) -> bool:
    n, na = len(word), _count(word, "a")
    if not 1 <= n <= 7:
        return False  # nothing kept, or vanished
    if mode == "down":
        return na > 0
    if mode == "toward_zero":
        return na * (16 // n) >= 16
    h = na * _uniform_weight16(n)
    return _rne(Fraction(-h, 16)) < 0


def _sums(sequential: bool, word: Word) -> bool:
    n = len(word)
    if not 1 <= n <= 7:
        return False
    w = _uniform_weight16(n)
    if not sequential:
        return _rne(Fraction(w * (8 * _count(word, "a") - 4 * _count(word, "b")), 16)) >= 4
    running = 0
    for symbol in word:
        term = _rne(Fraction(w * (8 if symbol == "a" else -4), 16))
        running = max(-128, min(127, running + term))
    return running >= 4


def _last3_majority_b(word: Word) -> bool:
    last = word[-3:]
    return 2 * _count(last, "b") > len(last)


def _second_last_a(word: Word) -> bool:
    if len(word) == 1:
        return word[0] == "a"
    return len(word) >= 2 and word[-2] == "a"


def _bb_positions(word: Word) -> int:
    return sum(1 for k in range(1, len(word)) if word[k - 1] == word[k] == "b")


def _tie_break(word: Word) -> bool:
    rest = [s for s in word if s != "c"]
    return bool(rest) and rest[0] == "a" and rest[-1] == "b"


def _a_then_b_two_later(word: Word) -> bool:
    return any(word[k] == "a" and word[k + 2] == "b" for k in range(len(word) - 2))


def _factor(word: Word, first: str, second: str) -> bool:
    return any(word[k] == first and word[k + 1] == second for k in range(len(word) - 1))


def _dyck1(word: Word) -> bool:
    """a opens, b closes: balanced, and no prefix closes more than it opens."""
    depth = 0
    for symbol in word:
        depth += 1 if symbol == "a" else -1
        if depth < 0:
            return False
    return depth == 0


def _entry(name: str, oracle: Oracle | None, max_length: int, depth: int, scope: Scope,
           heads: Heads) -> CorpusProgram:
    return CorpusProgram(name, oracle, max_length, depth, scope, heads)


CORPUS: list[CorpusProgram] = [
    _entry("contains_ab", lambda w: "ab" in _s(w), 12, 3, "hybrid", "soft"),
    _entry("contains_ab_one_head", lambda w: 1 <= _s(w).count("ab") <= 7, 16, 2, "hybrid",
           "soft"),
    _entry("first_is_a", lambda w: w[:1] == ("a",), 10, 1, "global", "hard"),
    _entry("last_is_b", lambda w: w[-1:] == ("b",), 10, 1, "local", "hard"),
    _entry("more_a_than_b", lambda w: _count(w, "a") > _count(w, "b"), 10, 1, "global", "soft"),
    _entry("balanced_count", lambda w: _count(w, "lp") == _count(w, "rp"), 7, 1, "global",
           "soft"),
    _entry("b0_then_b1", lambda w: _factor(w, "b0", "b1"), 7, 2, "hybrid", "hard"),
    _entry("second_last_a", _second_last_a, 10, 1, "local", "hard"),
    _entry("majority_last3", _last3_majority_b, 10, 1, "local", "soft"),
    _entry("starts_with_a_nonstrict", lambda w: w[:1] == ("a",), 10, 1, "global", "hard"),
    _entry("ends_with_a_nonstrict_local", lambda w: w[-1:] == ("a",), 10, 1, "local", "soft"),
    _entry("score_soft_exp", _score_soft_exp, 10, 1, "global", "soft"),
    _entry("score_query_key", None, 8, 2, "global", "hard"),
    _entry("hard_scores", lambda w: len(set(w)) <= 1, 10, 1, "global", "hard"),
    _entry("tie_break", _tie_break, 7, 1, "global", "hard"),
    _entry("defaults", lambda w: "a" not in w and "c" in w, 7, 1, "global", "hard"),
    _entry("elementwise", None, 8, 1, "global", "soft"),
    _entry("comparisons",
           lambda w: _count(w, "a") > _count(w, "b") or _count(w, "a") == _count(w, "b") > 0,
           10, 1, "global", "soft"),
    _entry("ite_mixed", _ite_mixed, 10, 1, "global", "soft"),
    _entry("depth3", _a_then_b_two_later, 10, 3, "hybrid", "hard"),
    _entry("bb_few_fixed32", lambda w: 1 <= _bb_positions(w) <= 3, 10, 2, "hybrid", "soft"),
    _entry("tiny_fixed21", lambda w: w == ("a",), 10, 1, "global", "soft"),
    _entry("saturate_fixed21", lambda w: _saturate(2, 3, w, 1), 10, 1, "global", "soft"),
    _entry("saturate_fixed44", lambda w: _saturate(16, 127, w, 8), 10, 1, "global", "soft"),
    _entry("rounding_down", lambda w: _rounding("down", w), 10, 1, "global", "soft"),
    _entry("rounding_toward_zero", lambda w: _rounding("toward_zero", w), 10, 1, "global",
           "soft"),
    _entry("rounding_nearest_even", lambda w: _rounding("nearest_even", w), 10, 1, "global",
           "soft"),
    _entry("sums_sequential", lambda w: _sums(True, w), 10, 1, "global", "soft"),
    _entry("sums_exact", lambda w: _sums(False, w), 10, 1, "global", "soft"),
    _entry("length_at_most_2", lambda w: len(w) <= 2, 10, 1, "global", "soft"),
    _entry("accept_all", lambda w: True, 6, 0, "none", "none"),
    _entry("reject_all", lambda w: False, 5, 0, "none", "none"),
    _entry("named_selector", lambda w: not (_factor(w, "a", "a") or _factor(w, "b", "b")), 10,
           2, "hybrid", "hard"),
    _entry("repeated_symbol", lambda w: len(set(w)) < len(w), 7, 2, "global", "hard"),
    # issue 11's field cases: claims false at length 10 that `auto` must refute at once
    _entry("dyck1_pair_balance", _dyck1, 12, 2, "global", "soft"),
    _entry("dyck1_pair_balance_2head", _dyck1, 12, 2, "global", "soft"),
    # no oracle: differential material for the interpreters and the SMT encoding
    _entry("const_selector", None, 8, 2, "hybrid", "hard"),
    _entry("extreme_scores", None, 8, 1, "global", "soft"),
    _entry("sequential_clamp", None, 8, 1, "global", "soft"),
    _entry("sequential_toward_zero", None, 6, 2, "hybrid", "hard"),
]

BY_NAME: dict[str, CorpusProgram] = {entry.name: entry for entry in CORPUS}


@dataclass(frozen=True)
class FieldClaim:
    """A language claim on a corpus program (the files make word claims only): CLAIM as
    written after `assert`, and SHORTEST, its shortest (then alphabetically first)
    counterexample, or None if the claim holds."""

    program: str
    claim: str
    shortest: Word | None


#: Issue 11's field cases: a Dyck-1 recognizer against a regex that stops at depth 4, false at
#: length 10; `auto` used to spend 12-17 s in the all-lengths engine before refuting them.
FIELD_CLAIMS: list[FieldClaim] = [
    FieldClaim(name, 'recognizes regex "(a(a(a(ab)*b)*b)*b)*"', tuple("aaaaabbbbb"))
    for name in ("dyck1_pair_balance", "dyck1_pair_balance_2head")
]


def assert_dfa_matches_interpreter(program: Program, dfa: Any, limit: int) -> None:
    """DFA and batch interpreter agree on every word up to LIMIT."""
    table, accepting = dfa.table(), np.zeros(dfa.n_states, dtype=bool)
    accepting[list(dfa.accepting)] = True
    columns = np.array([dfa.alphabet.index(s) for s in program.alphabet])
    for length in range(limit + 1):
        words = all_words(len(program.alphabet), length)
        states = np.full(words.shape[0], dfa.start)
        for position in range(length):
            states = table[states, columns[words[:, position]]]
        assert (accepting[states] == accepts_all(program, length)).all(), length
