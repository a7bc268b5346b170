"""Complete DFAs: running, completion, Hopcroft minimization, canonical numbering, comparison."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import numpy.typing as npt

from verifier.limits import UNLIMITED, Deadline

from .graphs import trace_path


@dataclass(frozen=True)
class DFA:
    """A complete DFA. ``delta[state][i]`` is the successor on ``alphabet[i]``."""

    alphabet: tuple[str, ...]
    n_states: int
    start: int
    accepting: frozenset[int]
    delta: tuple[tuple[int, ...], ...]

    def __post_init__(self) -> None:
        if len(set(self.alphabet)) != len(self.alphabet):
            raise ValueError(f"duplicate symbol in alphabet {self.alphabet}")
        if self.n_states < 1 or len(self.delta) != self.n_states:
            raise ValueError("delta must have one row per state and at least one state")
        if not 0 <= self.start < self.n_states:
            raise ValueError("start state out of range")
        for row in self.delta:
            if len(row) != len(self.alphabet) or any(not 0 <= t < self.n_states for t in row):
                raise ValueError("malformed transition row")
        if any(not 0 <= q < self.n_states for q in self.accepting):
            raise ValueError("accepting state out of range")

    @cached_property
    def symbol_index(self) -> dict[str, int]:
        """Map from symbol name to its column in ``delta``."""
        return {s: i for i, s in enumerate(self.alphabet)}

    def indices(self, word: Sequence[str]) -> list[int]:
        """The symbol indices of ``word``; ValueError on a symbol outside the alphabet."""
        try:
            return [self.symbol_index[s] for s in word]
        except KeyError as exc:
            raise ValueError(f"symbol {exc.args[0]!r} is not in the alphabet") from None

    def run(self, word: Sequence[str], state: int | None = None) -> int:
        """The state reached from ``state`` (default: start) after reading ``word``."""
        return self.run_indices(self.indices(word), state)

    def run_indices(self, word: Iterable[int], state: int | None = None) -> int:
        """Like :meth:`run` for a word given as symbol indices."""
        q = self.start if state is None else state
        for i in word:
            q = self.delta[q][i]
        return q

    def accepts(self, word: Sequence[str]) -> bool:
        """Whether ``word`` (a sequence of symbol names) is accepted."""
        return self.run(word) in self.accepting

    def table(self) -> npt.NDArray[np.int64]:
        """The transition table as an int array of shape ``(n_states, len(alphabet))``."""
        return np.array(self.delta, dtype=np.int64).reshape(self.n_states, len(self.alphabet))


def from_partial(
    alphabet: Sequence[str],
    n_states: int,
    start: int,
    accepting: Iterable[int],
    edges: Mapping[tuple[int, int], int],
) -> DFA:
    """A complete DFA from partial ``edges[(state, symbol_index)] = target``; a sink is added
    (as state ``n_states``) when some transition is missing."""
    k = len(alphabet)
    missing = any((q, i) not in edges for q in range(n_states) for i in range(k))
    sink = n_states
    total = n_states + 1 if missing else n_states
    delta = tuple(
        tuple(edges.get((q, i), sink) if q < n_states else sink for i in range(k))
        for q in range(total)
    )
    return DFA(tuple(alphabet), total, start, frozenset(accepting), delta)


def bfs_tree(dfa: DFA, state: int, deadline: Deadline = UNLIMITED
             ) -> dict[int, tuple[int, int] | None]:
    """Every state reachable from ``state``, in BFS order (symbols explored in alphabet order),
    mapped to its BFS parent link ``(state, symbol index)``, None for ``state`` itself (see
    `graphs.trace_path`); LimitReached once ``deadline`` (time, memory) runs out."""
    parents: dict[int, tuple[int, int] | None] = {state: None}
    queue = deque([state])
    while queue:
        deadline.poll()
        q = queue.popleft()
        for i, t in enumerate(dfa.delta[q]):
            if t not in parents:
                parents[t] = (q, i)
                queue.append(t)
    return parents


def renumber(dfa: DFA, deadline: Deadline = UNLIMITED) -> DFA:
    """Drop unreachable states and number the rest in canonical BFS order (start = 0)."""
    order = list(bfs_tree(dfa, dfa.start, deadline))
    new = {q: i for i, q in enumerate(order)}
    delta = tuple(tuple(new[t] for t in dfa.delta[q]) for q in order)
    accepting = frozenset(new[q] for q in order if q in dfa.accepting)
    return DFA(dfa.alphabet, len(order), 0, accepting, delta)


def _inverse(dfa: DFA) -> list[list[list[int]]]:
    """``inv[i][q]``: the states with a transition on symbol ``i`` into ``q``."""
    inv: list[list[list[int]]] = [[[] for _ in range(dfa.n_states)] for _ in dfa.alphabet]
    for p, row in enumerate(dfa.delta):
        for i, t in enumerate(row):
            inv[i][t].append(p)
    return inv


def hopcroft_blocks(dfa: DFA, deadline: Deadline = UNLIMITED) -> list[int]:
    """Hopcroft's partition refinement: the block number of every state (equal = equivalent);
    LimitReached once ``deadline`` (time, memory) runs out."""
    acc = [q for q in range(dfa.n_states) if q in dfa.accepting]
    rej = [q for q in range(dfa.n_states) if q not in dfa.accepting]
    blocks = [set(b) for b in (acc, rej) if b]
    block_of = [0] * dfa.n_states
    for b, members in enumerate(blocks):
        for q in members:
            block_of[q] = b
    work = set(range(len(blocks)))
    inv = _inverse(dfa)
    while work:
        splitter = list(blocks[work.pop()])
        for i in range(len(dfa.alphabet)):
            deadline.poll()
            touched: dict[int, set[int]] = {}
            for q in splitter:
                for p in inv[i][q]:
                    touched.setdefault(block_of[p], set()).add(p)
            for b, hit in touched.items():
                if len(hit) == len(blocks[b]):
                    continue
                blocks[b] -= hit
                blocks.append(hit)
                new = len(blocks) - 1
                for p in hit:
                    block_of[p] = new
                if b in work or len(hit) <= len(blocks[b]):
                    work.add(new)
                else:
                    work.add(b)
    return block_of


def minimal_dfa(dfa: DFA, deadline: Deadline = UNLIMITED) -> DFA:
    """The minimal complete DFA equivalent to ``dfa``, canonically numbered (BFS order);
    LimitReached once ``deadline`` (time, memory) runs out."""
    reach = renumber(dfa, deadline)
    block_of = hopcroft_blocks(reach, deadline)
    rows: dict[int, tuple[int, ...]] = {}
    for q in range(reach.n_states):
        rows.setdefault(block_of[q], tuple(block_of[t] for t in reach.delta[q]))
    ids = sorted(rows)
    pos = {b: i for i, b in enumerate(ids)}
    delta = tuple(tuple(pos[t] for t in rows[b]) for b in ids)
    accepting = frozenset(pos[block_of[q]] for q in reach.accepting)
    quotient = DFA(reach.alphabet, len(ids), pos[block_of[reach.start]], accepting, delta)
    return renumber(quotient, deadline)


def _aligned(d1: DFA, d2: DFA) -> list[int]:
    """Column of each of ``d1``'s symbols in ``d2``; ValueError if the alphabets differ."""
    if set(d1.alphabet) != set(d2.alphabet):
        raise ValueError(f"alphabets differ: {d1.alphabet} vs {d2.alphabet}")
    return [d2.symbol_index[s] for s in d1.alphabet]


def shortest_difference(d1: DFA, d2: DFA, deadline: Deadline = UNLIMITED) -> list[str] | None:
    """A shortest word (shortlex-least in ``d1``'s alphabet order) accepted by exactly one of
    the DFAs, or None when they accept the same language. Alphabets must be equal as sets.
    LimitReached once ``deadline`` (time, memory) runs out."""
    cols = _aligned(d1, d2)
    start = (d1.start, d2.start)
    parent: dict[tuple[int, int], tuple[tuple[int, int], int] | None] = {start: None}
    queue = deque([start])
    while queue:
        deadline.poll()
        p, q = pair = queue.popleft()
        if (p in d1.accepting) != (q in d2.accepting):
            return [d1.alphabet[i] for i in trace_path(parent, pair)[1]]
        for i, col in enumerate(cols):
            nxt = (d1.delta[p][i], d2.delta[q][col])
            if nxt not in parent:
                parent[nxt] = (pair, i)
                queue.append(nxt)
    return None


def equivalent(d1: DFA, d2: DFA) -> bool:
    """Whether the two DFAs accept the same language (alphabets equal as sets)."""
    return shortest_difference(d1, d2) is None


def access_words(dfa: DFA) -> list[list[int]]:
    """For every state, a shortlex-least word (symbol indices) reaching it (unreachable: [])."""
    parents = bfs_tree(dfa, dfa.start)
    return [trace_path(parents, q)[1] if q in parents else [] for q in range(dfa.n_states)]


def distinguishing_suffix(dfa: DFA, p: int, q: int) -> list[int] | None:
    """A shortest word (symbol indices; shortlex-least) accepted from exactly one of ``p``
    and ``q`` (None if equivalent)."""
    word = shortest_difference(replace(dfa, start=p), replace(dfa, start=q))
    return None if word is None else dfa.indices(word)
