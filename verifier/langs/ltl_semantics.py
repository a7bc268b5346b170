"""Meaning of past LTL: a direct evaluator on words and a construction to a DFA.

The two are written independently on purpose (they are oracles for each other and for the
engines): the evaluator applies the definitions of spec section 6 with explicit quantifiers
over positions; the DFA keeps the truth vector of the past subformulas and updates it with
the one-step recurrences.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

from .dfa import DFA
from .errors import STATE_BUDGET, LanguageError
from .ltl import Binary, Const, Formula, Not, Past, Sym, check_symbols, subformulas


def _connective(op: str, x: bool, y: bool) -> bool:
    if op == "&":
        return x and y
    if op == "|":
        return x or y
    if op == "->":
        return (not x) or y
    if op == "<->":
        return x == y
    raise ValueError(f"not a connective: {op}")


def _past_by_definition(node: Past | Binary, i: int, values: dict[Formula, list[bool]]) -> bool:
    """The value at 0-based position ``i`` of a past operator, by its definition."""
    if isinstance(node, Binary):  # left S right
        left, right = values[node.left], values[node.right]
        return any(right[j] and all(left[j + 1 : i]) for j in range(i))
    arg = values[node.arg]
    if node.op == "P":
        return any(arg[:i])
    if node.op == "H":
        return all(arg[:i])
    if node.op == "Y":
        return i > 0 and arg[i - 1]
    return any(arg[max(0, i - node.k) : i])  # W = Y<=k


def evaluate(formula: Formula, word: Sequence[str]) -> list[bool]:
    """The truth value of ``formula`` at every position 1 .. N+1 of ``word`` (list index 0 ..
    N); position N+1 is the end position, where no symbol holds."""
    n = len(word)
    values: dict[Formula, list[bool]] = {}
    for node in subformulas(formula):
        if node in values:
            continue
        if isinstance(node, Sym):
            values[node] = [i < n and word[i] == node.name for i in range(n + 1)]
        elif isinstance(node, Const):
            values[node] = [node.value] * (n + 1)
        elif isinstance(node, Not):
            values[node] = [not v for v in values[node.arg]]
        elif isinstance(node, Binary) and node.op != "S":
            pairs = zip(values[node.left], values[node.right], strict=True)
            values[node] = [_connective(node.op, x, y) for x, y in pairs]
        else:
            values[node] = [_past_by_definition(node, i, values) for i in range(n + 1)]
    return values[formula]


def holds(formula: Formula, word: Sequence[str]) -> bool:
    """Whether ``word`` is in the language of ``formula`` (the value at position N+1)."""
    return evaluate(formula, word)[-1]


def _is_past(node: Formula) -> bool:
    return isinstance(node, Past) or (isinstance(node, Binary) and node.op == "S")


class _VectorMachine:
    """The truth-vector automaton: one slot per past subformula, updated by the one-step
    recurrences. A ``Y<=k`` slot holds the distance to the last position where its argument
    held, capped at k+1 (a compact form of the monotone vector ``Y<=1 .. Y<=k``)."""

    def __init__(self, formula: Formula, alphabet: Sequence[str]) -> None:
        self.nodes = list(dict.fromkeys(subformulas(formula)))
        past = [n for n in self.nodes if isinstance(n, Past | Binary) and _is_past(n)]
        self.slot: dict[Past | Binary, int] = {n: i for i, n in enumerate(past)}
        self.alphabet = tuple(alphabet)

    def initial(self) -> tuple[int, ...]:
        """The vector at position 1: H holds, P/Y/S do not, no ``Y<=k`` argument yet."""
        return tuple(_initial(node) for node in self.slot)

    def now(self, vec: tuple[int, ...], symbol: str | None) -> dict[Formula, bool]:
        """Every subformula's value at the current position (``symbol`` None = end position)."""
        val: dict[Formula, bool] = {}
        for node in self.nodes:
            if isinstance(node, Past | Binary) and _is_past(node):
                held = vec[self.slot[node]]
                if isinstance(node, Past) and node.op == "W":
                    val[node] = held <= node.k
                else:
                    val[node] = held == 1
            elif isinstance(node, Sym):
                val[node] = node.name == symbol
            elif isinstance(node, Const):
                val[node] = node.value
            elif isinstance(node, Not):
                val[node] = not val[node.arg]
            elif isinstance(node, Binary):
                val[node] = _connective(node.op, val[node.left], val[node.right])
        return val

    def step(self, vec: tuple[int, ...], symbol: str) -> tuple[int, ...]:
        """The vector at the next position after reading ``symbol`` here."""
        val = self.now(vec, symbol)
        return tuple(_next(node, vec[s], val) for node, s in self.slot.items())


def _initial(node: Past | Binary) -> int:
    if isinstance(node, Past) and node.op == "W":
        return node.k + 1
    return int(isinstance(node, Past) and node.op == "H")


def _next(node: Past | Binary, old: int, val: dict[Formula, bool]) -> int:
    """One-step recurrence of a past operator (``old`` its value here, ``val`` the present)."""
    if isinstance(node, Binary):  # S: right now, or left now and S now
        return int(val[node.right] or (val[node.left] and old == 1))
    here = val[node.arg]
    if node.op == "P":
        return int(old == 1 or here)
    if node.op == "H":
        return int(old == 1 and here)
    if node.op == "Y":
        return int(here)
    return 1 if here else min(old + 1, node.k + 1)  # W: distance to the last arg position


def ltl_to_dfa(formula: Formula, alphabet: Sequence[str], budget: int = STATE_BUDGET) -> DFA:
    """The reachable truth-vector DFA of ``formula`` (complete, not yet minimal)."""
    check_symbols(formula, alphabet)
    machine = _VectorMachine(formula, alphabet)
    init = machine.initial()
    ids = {init: 0}
    rows: list[tuple[int, ...]] = []
    queue = deque([init])
    while queue:
        vec = queue.popleft()
        row = []
        for symbol in machine.alphabet:
            nxt = machine.step(vec, symbol)
            if nxt not in ids:
                if len(ids) >= budget:
                    raise LanguageError(f"the formula's automaton exceeds {budget} states", 0)
                ids[nxt] = len(ids)
                queue.append(nxt)
            row.append(ids[nxt])
        rows.append(tuple(row))
    accepting = frozenset(i for vec, i in ids.items() if machine.now(vec, None)[formula])
    return DFA(machine.alphabet, len(rows), 0, accepting, tuple(rows))
