"""Past LTL -> DFA: the truth-vector automaton, explored breadth first a layer at a time.

The formula is first hash-consed into a list of integer nodes (equal subformulas merged, a
shared subformula object visited once), so the cost per explored state is linear in the
formula as a DAG. A state is the vector of the past subformulas' values (a ``Y<=k`` slot holds
the distance to the last position where its argument held, capped at k+1). A layer of states
is evaluated at once with numpy: every node's value is a boolean array over (state, column),
the columns being the symbols and then the end position, where no symbol holds. New states are
numbered in order of first appearance, state by state and symbol by symbol, i.e. exactly as a
one-state-at-a-time breadth-first search numbers them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from verifier.limits import UNLIMITED, Deadline, state_budget

from .dfa import DFA
from .errors import STATE_BUDGET
from .ltl import Binary, Const, Formula, Not, Sym, check_symbols, children, subformulas

#: A node of the compiled formula: ``("sym", name)``, ``("const", value)``, ``("not", a)``,
#: ``("bin", op, a, b)``, ``("S", left, right)`` or ``(op, k, a)`` for op in P Y H W, where
#: a, b, left, right are indices of earlier nodes.
Node = tuple[Any, ...]
PAST = ("S", "P", "Y", "H", "W")
#: Node values (bytes) a chunk of a layer may hold at once.
CHUNK_CELLS = 1 << 23

Array = npt.NDArray[Any]


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


def compile_formula(formula: Formula, deadline: Deadline = UNLIMITED) -> tuple[list[Node], int]:
    """The distinct subformulas of FORMULA (equal ones merged), children first, and the index
    of FORMULA itself. Linear in the formula as a graph: a subformula object shared by
    several parents (as the compiler's derived formulas share them) is visited once."""
    nodes: list[Node] = []
    index: dict[Node, int] = {}
    done: dict[int, int] = {}  # id(subformula) -> its index
    for node in subformulas(formula):
        deadline.poll()
        key = _key(node, [done[id(kid)] for kid in children(node)])
        if key not in index:
            index[key] = len(nodes)
            nodes.append(key)
        done[id(node)] = index[key]
    return nodes, done[id(formula)]


class _Layered:
    """The compiled formula over ALPHABET, evaluated on a block of state vectors at once."""

    def __init__(self, nodes: list[Node], alphabet: tuple[str, ...]) -> None:
        self.nodes = nodes
        self.alphabet = alphabet
        self.past = [i for i, node in enumerate(nodes) if node[0] in PAST]
        self.slot = {i: s for s, i in enumerate(self.past)}
        self.width = max(1, len(self.past))  # a formula without past operators: one column
        windows = [int(nodes[i][1]) + 1 for i in self.past if nodes[i][0] == "W"]
        top = max([1, *windows])
        self.dtype = np.uint8 if top < 1 << 8 else np.uint16 if top < 1 << 16 else np.int64

    def initial(self) -> Array:
        """The vector at position 1: H holds, P/Y/S do not, no ``Y<=k`` argument yet."""
        vec = np.zeros((1, self.width), dtype=self.dtype)
        for s, i in enumerate(self.past):
            node = self.nodes[i]
            vec[0, s] = int(node[1]) + 1 if node[0] == "W" else int(node[0] == "H")
        return vec

    def values(self, states: Array) -> list[Array]:
        """Every node's value at every (state, column): arrays broadcastable to
        ``(len(states), len(alphabet) + 1)``, the last column the end position."""
        columns = np.array([*self.alphabet, None], dtype=object)
        val: list[Array] = []
        for i, node in enumerate(self.nodes):
            tag = node[0]
            if tag == "sym":
                val.append((columns == node[1]).reshape(1, -1))
            elif tag == "const":
                val.append(np.full((1, 1), bool(node[1])))
            elif tag == "not":
                val.append(~val[node[1]])
            elif tag == "bin":
                val.append(_connective(node[1], val[node[2]], val[node[3]]))
            elif tag == "W":
                val.append((states[:, self.slot[i]] <= node[1]).reshape(-1, 1))
            else:
                val.append((states[:, self.slot[i]] == 1).reshape(-1, 1))
        return val

    def successors(self, states: Array, val: list[Array]) -> Array:
        """The next vectors, shape ``(len(states), len(alphabet), width)``."""
        shape = (len(states), len(self.alphabet))
        nxt = np.zeros((*shape, self.width), dtype=self.dtype)
        for s, i in enumerate(self.past):
            node, old = self.nodes[i], states[:, s].reshape(-1, 1)
            tag = node[0]
            if tag == "S":  # right now, or left now and S now
                new = val[node[2]] | (val[node[1]] & (old == 1))
            else:
                here = val[node[2]]
                if tag == "P":
                    new = (old == 1) | here
                elif tag == "H":
                    new = (old == 1) & here
                elif tag == "Y":
                    new = here
                else:  # W: distance to the last position of the argument
                    cap = int(node[1]) + 1
                    new = np.where(here, 1, np.minimum(old.astype(np.int64) + 1, cap))
            nxt[:, :, s] = np.broadcast_to(new, (shape[0], shape[1] + 1))[:, :-1]
        return nxt

    def accepting(self, states: Array, root: int) -> Array:
        """Whether the formula holds at the end position, for every state."""
        val = self.values(states)
        return np.broadcast_to(val[root], (len(states), len(self.alphabet) + 1))[:, -1]


def _connective(op: str, x: Array, y: Array) -> Array:
    if op == "&":
        return x & y
    if op == "|":
        return x | y
    if op == "->":
        return ~x | y
    if op == "<->":
        return np.equal(x, y)
    raise ValueError(f"not a connective: {op}")


def ltl_to_dfa(formula: Formula, alphabet: Sequence[str], budget: int = STATE_BUDGET,
               deadline: Deadline = UNLIMITED) -> DFA:
    """The reachable truth-vector DFA of ``formula`` (complete, not yet minimal; states
    numbered in breadth-first order); LanguageError for a symbol outside ``alphabet``,
    LimitReached past ``budget`` states or once ``deadline`` (time, memory) runs out."""
    nodes, root = compile_formula(formula, deadline)
    sigma = tuple(alphabet)
    known = set(sigma)
    if any(node[0] == "sym" and node[1] not in known for node in nodes):
        check_symbols(formula, sigma)  # raises, with the offset of the first one
    machine = _Layered(nodes, sigma)
    found = _explore(machine, budget, deadline)
    accepting = machine.accepting(found.states(), root)
    return DFA(sigma, found.count, 0, frozenset(np.flatnonzero(accepting).tolist()),
               tuple(map(tuple, found.rows())))


class _Found:
    """The states found so far (numbered by first appearance) and the rows computed."""

    def __init__(self, initial: Array) -> None:
        self.ids: dict[bytes, int] = {initial.tobytes(): 0}
        self.blocks: list[Array] = [initial]
        self.count = 1
        self.delta: list[Array] = []

    def states(self, start: int = 0) -> Array:
        """The state vectors from number START on, in order."""
        if len(self.blocks) > 1:
            self.blocks = [np.concatenate(self.blocks)]
        return self.blocks[0][start:]

    def rows(self) -> list[list[int]]:
        """The transition rows, one per state."""
        return np.concatenate(self.delta).tolist() if self.delta else []


def _explore(machine: _Layered, budget: int, deadline: Deadline) -> _Found:
    """Breadth first from the initial vector, a chunk of a layer at a time."""
    found = _Found(machine.initial())
    cells = max(1, len(machine.nodes)) * (len(machine.alphabet) + 1)
    chunk = max(1, min(4096, CHUNK_CELLS // cells))
    done = 0
    while done < found.count:
        layer = found.states(done)
        for start in range(0, len(layer), chunk):
            deadline.check()
            block = layer[start : start + chunk]
            nxt = machine.successors(block, machine.values(block))
            flat = np.ascontiguousarray(nxt.reshape(-1, machine.width))
            found.delta.append(_number(flat, found, budget).reshape(len(block), -1))
        done += len(layer)
    return found


def _number(flat: Array, found: _Found, budget: int) -> Array:
    """The state number of every row of FLAT, new rows numbered in order of appearance."""
    keys = flat.view(np.dtype((np.void, flat.dtype.itemsize * flat.shape[1]))).ravel()
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    numbers = np.empty(len(first), dtype=np.int64)
    fresh: list[int] = []
    for u in np.argsort(first, kind="stable").tolist():
        key = flat[first[u]].tobytes()
        number = found.ids.get(key)
        if number is None:
            if found.count >= budget:
                raise state_budget("the formula's automaton", budget)
            number = found.ids[key] = found.count
            found.count += 1
            fresh.append(int(first[u]))
        numbers[u] = number
    if fresh:
        found.blocks.append(flat[fresh])
    return numbers[inverse.reshape(-1)]
