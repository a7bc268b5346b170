"""A language's minimal DFA run over the symbolic word: state terms built from if-trees.

The state after `p` symbols is a bit-vector term (a Python int while it is still constant):
`ite(w_p == a, row_a(s), ite(w_p == b, row_b(s), ...))`, where `row_a(s)` is a balanced
if-tree over the state numbers (`s < mid`) whose leaves are the targets of the transition
table's column `a`.  No Z3 arrays.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from verifier.langs import DFA
from verifier.smt.word import SymbolicWord


class DfaRunner:
    """DFA over WORD: `accepts(n)` is whether the word's first n symbols are accepted."""

    def __init__(self, dfa: DFA, word: SymbolicWord) -> None:
        """Map WORD's alphabet onto the DFA's columns; start in the DFA's start state."""
        self.dfa = dfa
        self.word = word
        self.columns = [dfa.symbol_index[s] for s in word.alphabet]
        self.bits = max(1, (dfa.n_states - 1).bit_length())
        self.states: list[Any] = [dfa.start]

    def state(self, length: int) -> Any:
        """The state term after LENGTH symbols."""
        while len(self.states) <= length:
            self.states.append(self._step(self.states[-1], len(self.states)))
        return self.states[length]

    def accepts(self, length: int) -> Any:
        """Whether the first LENGTH symbols are accepted (a Python bool if constant)."""
        state = self.state(length)
        flags = [q in self.dfa.accepting for q in range(self.dfa.n_states)]
        if isinstance(state, int):
            return flags[state]
        return self._tree(state, flags, 0, len(flags))

    def _step(self, state: Any, position: int) -> Any:
        """The state after reading position POSITION from STATE."""
        rows = [self._row(state, column) for column in self.columns]
        result = rows[-1]
        for index in range(len(rows) - 2, -1, -1):
            if not self._equal(rows[index], result):
                test = self.word.is_symbol(position, index)
                result = self.word.terms.ite(test, self._lift(rows[index]), self._lift(result))
        return result

    def _row(self, state: Any, column: int) -> Any:
        """The successor of STATE on COLUMN."""
        targets = [self.dfa.delta[q][column] for q in range(self.dfa.n_states)]
        if isinstance(state, int):
            return targets[state]
        return self._tree(state, targets, 0, len(targets))

    def _tree(self, state: Any, leaves: Sequence[Any], lo: int, hi: int) -> Any:
        """If-tree selecting `leaves[state]` for a state in lo..hi-1."""
        if all(leaf == leaves[lo] for leaf in leaves[lo:hi]):
            return leaves[lo]
        mid = (lo + hi) // 2
        below = self._lift(self._tree(state, leaves, lo, mid))
        above = self._lift(self._tree(state, leaves, mid, hi))
        terms = self.word.terms
        return terms.ite(terms.ult(state, terms.bv_val(mid, self.bits)), below, above)

    def _lift(self, value: Any) -> Any:
        """A Python state number or flag as a Z3 literal."""
        if isinstance(value, bool):
            return self.word.terms.bool_val(value)
        if isinstance(value, int):
            return self.word.terms.bv_val(value, self.bits)
        return value

    def _equal(self, x: Any, y: Any) -> bool:
        """Certainly equal: equal constants of one kind, or the same term."""
        if isinstance(x, int) or isinstance(y, int):
            return type(x) is type(y) and x == y
        return bool(self.word.terms.same(x, y))
