"""Mealy machines over the alphabet plus `eos`: one per s-op, built and minimized one by one.

A machine reads w1 … wN eos. The output on the transition that reads position i is the s-op's
value at i, so a state only has to remember what the future needs (a Moore machine would
also have to remember the last value). State 0 is the start. Reading `eos` leads to the dead
state, where every transition outputs None: nothing follows eos.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any


class MachineTooLarge(Exception):
    """A machine outgrew the state budget (or time ran out); carries the size reached."""


class BudgetOutgrown(MachineTooLarge):
    """A machine outgrew BUDGET states; WHERE names the head it was built for, if known."""

    def __init__(self, budget: int, where: str | None = None) -> None:
        self.budget, self.where = budget, where
        said = "" if where is None else f"{where}; "
        super().__init__(f"a machine outgrew the budget of {budget} states ({said}--budget "
                         "raises it)")


@dataclass(frozen=True)
class Mealy:
    """States 0..n-1, start 0; DELTA[s][x] and OUTPUT[s][x] for symbol x (last = eos)."""

    delta: tuple[tuple[int, ...], ...]
    output: tuple[tuple[Any, ...], ...]

    @property
    def size(self) -> int:
        """The number of states."""
        return len(self.delta)


Step = Callable[[Any, int], tuple[Hashable, Any]]


def explore(start: Hashable, symbols: int, step: Step, budget: int,
            expired: Callable[[], bool] | None = None,
            explored: Callable[[int], None] | None = None) -> Mealy:
    """The reachable part of the machine START, STEP (state, symbol -> successor, output),
    breadth-first; MachineTooLarge past BUDGET states or once EXPIRED() holds. EXPLORED, if
    given, is told the number of states explored so far every 512 states (for progress)."""
    index: dict[Hashable, int] = {start: 0}
    rows: list[tuple[int, ...]] = []
    outputs: list[tuple[Any, ...]] = []
    queue = deque([start])
    while queue:
        state = queue.popleft()
        row, out = [], []
        for symbol in range(symbols):
            successor, value = step(state, symbol)
            if successor not in index:
                if len(index) >= budget:
                    raise BudgetOutgrown(budget)
                index[successor] = len(index)
                queue.append(successor)
            row.append(index[successor])
            out.append(value)
        rows.append(tuple(row))
        outputs.append(tuple(out))
        if len(rows) % 512 == 0:
            if explored is not None:
                explored(len(rows))
            if expired is not None and expired():
                raise MachineTooLarge(f"time limit reached after {len(rows)} states of one "
                                      "machine")
    return Mealy(tuple(rows), tuple(outputs))


def minimize(machine: Mealy, expired: Callable[[], bool] | None = None) -> Mealy:
    """The minimal machine with the same output sequences, states in breadth-first order.
    Refinement takes up to one round per state (a counter of n states: n rounds of n), so
    EXPIRED is asked after every round: MachineTooLarge when it says the time is up."""
    block = _ids([tuple((type(o).__name__, o) for o in row) for row in machine.output])
    count = -1
    while count != max(block) + 1:
        if expired is not None and expired():
            raise MachineTooLarge(f"time limit reached while minimizing a machine of "
                                  f"{machine.size} states")
        count = max(block) + 1
        block = _ids([(block[s], tuple(block[t] for t in machine.delta[s]))
                      for s in range(machine.size)])
    rows: dict[int, tuple[int, ...]] = {}
    outputs: dict[int, tuple[Any, ...]] = {}
    for state in range(machine.size):
        rows.setdefault(block[state], tuple(block[t] for t in machine.delta[state]))
        outputs.setdefault(block[state], machine.output[state])
    quotient = Mealy(tuple(rows[b] for b in range(count)), tuple(outputs[b] for b in range(count)))
    return _renumber(quotient, block[0])


def _ids(keys: Sequence[Hashable]) -> list[int]:
    """Dense ids for KEYS, numbered by first occurrence."""
    seen: dict[Hashable, int] = {}
    return [seen.setdefault(key, len(seen)) for key in keys]


def _renumber(machine: Mealy, start: int) -> Mealy:
    """MACHINE with START as state 0 and the others in breadth-first order."""
    order = {start: 0}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        for target in machine.delta[state]:
            if target not in order:
                order[target] = len(order)
                queue.append(target)
    inverse = sorted(order, key=order.__getitem__)
    delta = tuple(tuple(order[t] for t in machine.delta[s]) for s in inverse)
    return Mealy(delta, tuple(machine.output[s] for s in inverse))


def leaf(symbols: int, value: Callable[[int], Any]) -> Mealy:
    """The machine whose output on reading symbol x is VALUE(x) (x = symbols - 1 is eos)."""
    eos, live, dead = symbols - 1, 0, 1

    def step(state: int, symbol: int) -> tuple[int, Any]:
        if state == dead:
            return dead, None
        return (dead if symbol == eos else live), value(symbol)

    return minimize(explore(live, symbols, step, budget=2))
