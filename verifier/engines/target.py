"""What a program is compared with: a language (minimal DFA + oracle) or another program."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from verifier.interp import accepts_all, all_words, run_word
from verifier.interp.trace import Trace
from verifier.ir.nodes import Program
from verifier.limits import Deadline


@dataclass(frozen=True)
class Target:
    """Exactly one of LANGUAGE (a verifier.langs.Language), SOURCE (a language read but not
    built yet, a verifier.langs.LanguageSource: `built` builds it) and OTHER (a program)."""

    language: Any | None = None
    other: Program | None = None
    source: Any | None = None

    def built(self, deadline: Deadline) -> Target:
        """This target with its language built under DEADLINE (LimitReached if a budget, the
        time or the memory runs out first); the engines compare with built targets only."""
        if self.source is None:
            return self
        return Target(language=self.source.build(deadline))

    def describe(self) -> str:
        """How the claim names the target."""
        if self.source is not None:
            return str(self.source.describe())
        if self.language is not None:
            return str(self.language.describe())
        assert self.other is not None
        return f'equivalent "{self.other.path}"'

    def contains(self, word: Sequence[str]) -> bool:
        """The oracle: is WORD in the language (accepted by the other program)?"""
        if self.language is not None:
            return bool(self.language.contains(list(word)))
        assert self.other is not None
        return run_word(self.other, word).accepted

    def trace(self, word: Sequence[str]) -> Trace | None:
        """The other program's trace on WORD (None for languages)."""
        return None if self.other is None else run_word(self.other, word)

    def transitions(self, alphabet: Sequence[str]) -> npt.NDArray[np.int64]:
        """The language's minimal-DFA transition table, states x symbols, its columns in the
        order of ALPHABET (a program's alphabet). Languages only."""
        dfa = self.language.dfa  # type: ignore[union-attr]
        columns = [dfa.alphabet.index(s) for s in alphabet]
        return np.asarray(dfa.table()[:, columns], dtype=np.int64)

    def labels(self, alphabet: Sequence[str], length: int) -> npt.NDArray[np.bool_]:
        """Membership of every word of LENGTH over ALPHABET, in the order of `all_words`."""
        if self.other is not None:
            return accepts_all(self.other, length)
        dfa = self.language.dfa  # type: ignore[union-attr]
        words = all_words(len(alphabet), length)
        table = self.transitions(alphabet)
        states = np.full(words.shape[0], dfa.start, dtype=np.int64)
        for position in range(length):
            states = table[states, words[:, position]]
        accepting = np.zeros(dfa.n_states, dtype=bool)
        accepting[list(dfa.accepting)] = True
        return np.asarray(accepting[states], dtype=bool)
