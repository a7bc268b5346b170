"""The transition monoid of a DFA (= the syntactic monoid when the DFA is minimal).

Elements are transformations of the states, stored as rows of an int array: row ``x`` maps
state ``q`` to ``q·x``. Products read left to right: ``q·(xy) = (q·x)·y``. Row 0 is the
identity (the empty word); the syntactic *semigroup* S is the set of elements induced by
non-empty words, i.e. every element except possibly the identity.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import numpy.typing as npt

from verifier.limits import UNLIMITED, Deadline

from .dfa import DFA
from .graphs import scc_ids

SEMIGROUP_LIMIT = 5_000

IntArray = npt.NDArray[np.int64]


class SemigroupTooLarge(Exception):
    """The monoid has more elements than the limit; ``reason`` says so in words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class TransitionMonoid:
    """The monoid with its right Cayley graph and a shortlex-least word per element."""

    dfa: DFA
    elements: IntArray  # shape (m, n_states)
    words: list[tuple[int, ...]]  # symbol indices
    right: list[list[int]]  # right[x][a] = x·a
    identity_in_s: bool
    index: dict[bytes, int] = field(repr=False)
    identity_word: tuple[int, ...] | None = None  # shortest non-empty word inducing 1
    deadline: Deadline = field(default=UNLIMITED, repr=False, compare=False)

    def s_word(self, x: int) -> list[str]:
        """A shortest non-empty word inducing element ``x`` of S (ValueError if x not in S)."""
        if x != 0:
            return self.word(x)
        if self.identity_word is None:
            raise ValueError("the identity is not in the semigroup S")
        return [self.dfa.alphabet[i] for i in self.identity_word]

    @property
    def size(self) -> int:
        return len(self.words)

    def in_s(self, x: int) -> bool:
        """Whether element ``x`` is induced by a non-empty word."""
        return x != 0 or self.identity_in_s

    def lookup(self, row: IntArray) -> int:
        """The element index of transformation ``row`` (it must belong to the monoid)."""
        return self.index[row.astype(np.int64).tobytes()]

    def product(self, *xs: int) -> int:
        """The element ``x1·x2·…`` (left to right)."""
        row = np.arange(self.dfa.n_states, dtype=np.int64)
        for x in xs:
            row = self.elements[x][row]
        return self.lookup(row)

    def word(self, x: int) -> list[str]:
        """The shortlex-least word inducing element ``x``."""
        return [self.dfa.alphabet[i] for i in self.words[x]]

    @cached_property
    def left(self) -> list[list[int]]:
        """``left[x][a]`` = the element ``a·x``."""
        gens = [self.elements[self.right[0][a]] for a in range(len(self.dfa.alphabet))]
        rows = []
        for x in range(self.size):
            self.deadline.poll()
            rows.append([self.lookup(self.elements[x][g]) for g in gens])
        return rows

    @cached_property
    def idempotent(self) -> npt.NDArray[np.bool_]:
        """Mask of the idempotents (``x·x = x``)."""
        squares = np.take_along_axis(self.elements, self.elements, axis=1)
        return np.asarray(np.all(squares == self.elements, axis=1))

    @cached_property
    def r_class(self) -> list[int]:
        """R-class number of each element (strongly connected components of ``right``)."""
        return scc_ids(self.size, self._polled(lambda x: self.right[x]))

    @cached_property
    def j_class(self) -> list[int]:
        """J-class (= D-class, finite monoid) number of each element."""
        return scc_ids(self.size, self._polled(lambda x: self.right[x] + self.left[x]))

    def _polled(self, succ: Callable[[int], list[int]]) -> Callable[[int], list[int]]:
        """SUCC, polling the deadline on every call."""
        def polled(x: int) -> list[int]:
            self.deadline.poll()
            return succ(x)
        return polled


def transition_monoid(dfa: DFA, limit: int = SEMIGROUP_LIMIT,
                      deadline: Deadline = UNLIMITED) -> TransitionMonoid:
    """Breadth-first closure of the letter transformations; SemigroupTooLarge past ``limit``,
    LimitReached once ``deadline`` (time, memory) runs out."""
    table = dfa.table()
    gens = [table[:, a].copy() for a in range(len(dfa.alphabet))]
    identity = np.arange(dfa.n_states, dtype=np.int64)
    rows = [identity]
    words: list[tuple[int, ...]] = [()]
    index = {identity.tobytes(): 0}
    right: list[list[int]] = []
    identity_word: tuple[int, ...] | None = None
    queue = deque([0])
    while queue:
        x = queue.popleft()
        succ = []
        for a, g in enumerate(gens):
            deadline.poll()
            y_row = g[rows[x]]
            key = y_row.tobytes()
            if key not in index:
                if len(rows) >= limit:
                    raise SemigroupTooLarge(
                        f"the transition monoid has more than {limit} elements"
                    )
                index[key] = len(rows)
                rows.append(y_row)
                words.append((*words[x], a))
                queue.append(index[key])
            if index[key] == 0 and identity_word is None:
                identity_word = (*words[x], a)
            succ.append(index[key])
        right.append(succ)
    elements = np.array(rows, dtype=np.int64).reshape(len(rows), dfa.n_states)
    in_s = identity_word is not None
    return TransitionMonoid(dfa, elements, words, right, in_s, index, identity_word, deadline)
