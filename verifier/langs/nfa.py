"""Epsilon-NFAs built incrementally, and the subset construction with a state budget."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from verifier.limits import UNLIMITED, Deadline, state_budget

from .dfa import DFA
from .errors import NFA_BUDGET, STATE_BUDGET


@dataclass
class NFA:
    """An epsilon-NFA over symbol indices ``0 .. n_symbols-1`` with one start and one final."""

    n_symbols: int
    eps: list[list[int]] = field(default_factory=list)
    moves: list[list[tuple[int, int]]] = field(default_factory=list)  # (symbol, target)
    budget: int = NFA_BUDGET
    deadline: Deadline = UNLIMITED

    def new_state(self) -> int:
        """Add a state; LimitReached when the budget is exhausted or the deadline passes."""
        if len(self.eps) >= self.budget:
            raise state_budget("the expression's automaton (epsilon-NFA)", self.budget)
        self.deadline.poll()
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

    def successors(self, states: frozenset[int]) -> dict[int, frozenset[int]]:
        """``step(states, i)`` for every symbol ``i`` that leads somewhere (the others lead
        to the empty set): one pass over the moves, not one per symbol."""
        targets: dict[int, set[int]] = {}
        for q in states:
            for s, t in self.moves[q]:
                targets.setdefault(s, set()).add(t)
        return {s: self.closure(frozenset(ts)) for s, ts in targets.items()}


def determinize(
    nfa: NFA,
    start: int,
    final: int,
    alphabet: tuple[str, ...],
    budget: int = STATE_BUDGET,
    deadline: Deadline = UNLIMITED,
) -> DFA:
    """Subset construction (complete: the empty set is the sink). LimitReached beyond
    ``budget`` DFA states or once ``deadline`` (time, memory) runs out."""
    init = nfa.closure(frozenset([start]))
    empty: frozenset[int] = frozenset()
    ids = {init: 0}
    rows: list[tuple[int, ...]] = []
    queue = deque([init])
    while queue:
        current = queue.popleft()
        row = []
        moves = nfa.successors(current)
        for i in range(len(alphabet)):
            deadline.poll()
            nxt = moves.get(i, empty)
            if nxt not in ids:
                if len(ids) >= budget:
                    raise state_budget("the regex's automaton", budget)
                ids[nxt] = len(ids)
                queue.append(nxt)
            row.append(ids[nxt])
        rows.append(tuple(row))
    accepting = frozenset(i for s, i in ids.items() if final in s)
    return DFA(alphabet, len(rows), 0, accepting, tuple(rows))
