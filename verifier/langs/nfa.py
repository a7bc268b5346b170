"""Epsilon-NFAs built incrementally, and the subset construction with a state budget."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from .dfa import DFA
from .errors import NFA_BUDGET, STATE_BUDGET, LanguageError


@dataclass
class NFA:
    """An epsilon-NFA over symbol indices ``0 .. n_symbols-1`` with one start and one final."""

    n_symbols: int
    eps: list[list[int]] = field(default_factory=list)
    moves: list[list[tuple[int, int]]] = field(default_factory=list)  # (symbol, target)
    budget: int = NFA_BUDGET

    def new_state(self, offset: int = 0) -> int:
        """Add a state; LanguageError (at ``offset``) when the budget is exhausted."""
        if len(self.eps) >= self.budget:
            raise LanguageError(
                f"the expression is too large: its automaton exceeds {self.budget} states", offset
            )
        self.eps.append([])
        self.moves.append([])
        return len(self.eps) - 1

    def closure(self, states: frozenset[int]) -> frozenset[int]:
        """All states reachable from ``states`` by epsilon moves."""
        seen = set(states)
        stack = list(states)
        while stack:
            for t in self.eps[stack.pop()]:
                if t not in seen:
                    seen.add(t)
                    stack.append(t)
        return frozenset(seen)

    def step(self, states: frozenset[int], symbol: int) -> frozenset[int]:
        """The epsilon-closed successor set of ``states`` on ``symbol``."""
        targets = {t for q in states for (s, t) in self.moves[q] if s == symbol}
        return self.closure(frozenset(targets))


def determinize(
    nfa: NFA,
    start: int,
    final: int,
    alphabet: tuple[str, ...],
    budget: int = STATE_BUDGET,
    offset: int = 0,
) -> DFA:
    """Subset construction (complete: the empty set is the sink). LanguageError beyond
    ``budget`` DFA states."""
    init = nfa.closure(frozenset([start]))
    ids = {init: 0}
    rows: list[tuple[int, ...]] = []
    queue = deque([init])
    while queue:
        current = queue.popleft()
        row = []
        for i in range(len(alphabet)):
            nxt = nfa.step(current, i)
            if nxt not in ids:
                if len(ids) >= budget:
                    raise LanguageError(
                        f"the language's automaton exceeds the budget of {budget} states", offset
                    )
                ids[nxt] = len(ids)
                queue.append(nxt)
            row.append(ids[nxt])
        rows.append(tuple(row))
    accepting = frozenset(i for s, i in ids.items() if final in s)
    return DFA(alphabet, len(rows), 0, accepting, tuple(rows))
