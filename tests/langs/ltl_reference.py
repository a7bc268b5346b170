"""The LTL -> DFA construction as it was before the layered one of `verifier/langs/ltl_dfa.py`:
the same truth-vector automaton, explored one state and one symbol at a time in plain Python.
Kept (the construction only, verbatim) as the reference of the differential tests in
test_ltl_dfa_scale.py.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from typing import Any

from verifier.langs.dfa import DFA
from verifier.langs.errors import STATE_BUDGET
from verifier.langs.ltl import Binary, Const, Formula, Not, Sym, check_symbols, children
from verifier.limits import UNLIMITED, Deadline, state_budget


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


#: A node of the compiled formula: ``("sym", name)``, ``("const", value)``, ``("not", a)``,
#: ``("bin", op, a, b)``, ``("S", left, right)`` or ``(op, k, a)`` for op in P Y H W, where
#: a, b, left, right are indices of earlier nodes.
Node = tuple[Any, ...]
_UNARY_PAST = ("P", "Y", "H", "W")


def _key(node: Formula, kids: list[int]) -> Node:
    """The compiled form of NODE whose children have the indices KIDS."""
    if isinstance(node, Sym):
        return ("sym", node.name)
    if isinstance(node, Const):
        return ("const", node.value)
    if isinstance(node, Not):
        return ("not", kids[0])
    if isinstance(node, Binary):
        return ("S", kids[0], kids[1]) if node.op == "S" else ("bin", node.op, *kids)
    return (node.op, node.k, kids[0])


def _compile(formula: Formula, deadline: Deadline) -> tuple[list[Node], int]:
    """The distinct subformulas of FORMULA (equal ones merged), children first, and the index
    of FORMULA itself. Linear in the formula as a graph: a subformula object shared by
    several parents (as the compiler's derived formulas share them) is visited once."""
    nodes: list[Node] = []
    index: dict[Node, int] = {}
    done: dict[int, int] = {}  # id(subformula) -> its index
    stack: list[tuple[Formula, bool]] = [(formula, False)]
    while stack:
        node, expanded = stack.pop()
        if id(node) in done:
            continue
        kids = children(node)
        if not expanded:
            stack.append((node, True))
            stack.extend((kid, False) for kid in kids if id(kid) not in done)
            continue
        deadline.poll()
        key = _key(node, [done[id(kid)] for kid in kids])
        if key not in index:
            index[key] = len(nodes)
            nodes.append(key)
        done[id(node)] = index[key]
    return nodes, done[id(formula)]


class _VectorMachine:
    """The truth-vector automaton: one slot per distinct past subformula, updated by the
    one-step recurrences. A ``Y<=k`` slot holds the distance to the last position where its
    argument held, capped at k+1 (a compact form of the monotone vector ``Y<=1 .. Y<=k``)."""

    def __init__(self, formula: Formula, alphabet: Sequence[str],
                 deadline: Deadline = UNLIMITED) -> None:
        self.nodes, self.root = _compile(formula, deadline)
        self.past = [i for i, node in enumerate(self.nodes) if node[0] in ("S", *_UNARY_PAST)]
        self.slot = {node: s for s, node in enumerate(self.past)}
        self.alphabet = tuple(alphabet)
        known = set(alphabet)
        if any(node[0] == "sym" and node[1] not in known for node in self.nodes):
            check_symbols(formula, alphabet)  # raises, with the offset of the first one

    def initial(self) -> tuple[int, ...]:
        """The vector at position 1: H holds, P/Y/S do not, no ``Y<=k`` argument yet."""
        return tuple(_initial(self.nodes[i]) for i in self.past)

    def now(self, vec: tuple[int, ...], symbol: str | None) -> list[bool]:
        """Every node's value at the current position (``symbol`` None = end position)."""
        val = [False] * len(self.nodes)
        for i, node in enumerate(self.nodes):
            tag = node[0]
            if tag == "sym":
                val[i] = node[1] == symbol
            elif tag == "const":
                val[i] = node[1]
            elif tag == "not":
                val[i] = not val[node[1]]
            elif tag == "bin":
                val[i] = _connective(node[1], val[node[2]], val[node[3]])
            elif tag == "W":
                val[i] = vec[self.slot[i]] <= node[1]
            else:
                val[i] = vec[self.slot[i]] == 1
        return val

    def step(self, vec: tuple[int, ...], symbol: str) -> tuple[int, ...]:
        """The vector at the next position after reading ``symbol`` here."""
        val = self.now(vec, symbol)
        return tuple(_next(self.nodes[i], vec[s], val) for s, i in enumerate(self.past))

    def accepts(self, vec: tuple[int, ...]) -> bool:
        """Whether the formula holds at the end position with vector VEC."""
        return self.now(vec, None)[self.root]


def _initial(node: Node) -> int:
    if node[0] == "W":
        return int(node[1]) + 1
    return int(node[0] == "H")


def _next(node: Node, old: int, val: list[bool]) -> int:
    """One-step recurrence of a past operator (``old`` its value here, ``val`` the present)."""
    tag = node[0]
    if tag == "S":  # right now, or left now and S now
        return int(val[node[2]] or (val[node[1]] and old == 1))
    here = val[node[2]]
    if tag == "P":
        return int(old == 1 or here)
    if tag == "H":
        return int(old == 1 and here)
    if tag == "Y":
        return int(here)
    k = int(node[1])
    return 1 if here else min(old + 1, k + 1)  # W: distance to the last arg position


def ltl_to_dfa(formula: Formula, alphabet: Sequence[str], budget: int = STATE_BUDGET,
               deadline: Deadline = UNLIMITED) -> DFA:
    """The reachable truth-vector DFA of ``formula`` (complete, not yet minimal); LanguageError
    for a symbol outside ``alphabet``, LimitReached past ``budget`` states or once
    ``deadline`` (time, memory) runs out."""
    machine = _VectorMachine(formula, alphabet, deadline)
    init = machine.initial()
    ids = {init: 0}
    rows: list[tuple[int, ...]] = []
    queue = deque([init])
    while queue:
        vec = queue.popleft()
        row = []
        for symbol in machine.alphabet:
            deadline.poll()
            nxt = machine.step(vec, symbol)
            if nxt not in ids:
                if len(ids) >= budget:
                    raise state_budget("the formula's automaton", budget)
                ids[nxt] = len(ids)
                queue.append(nxt)
            row.append(ids[nxt])
        rows.append(tuple(row))
    accepting = frozenset(i for vec, i in ids.items() if machine.accepts(vec))
    return DFA(machine.alphabet, len(rows), 0, accepting, tuple(rows))
