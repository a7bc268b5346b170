"""The frozen IR: a closed operator set and hash-consed nodes, with no callables anywhere."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Literal

from verifier.check.types import Type
from verifier.ir.walk import topological
from verifier.semantics.profile import Profile


class Op(Enum):
    """Every operation a program can perform. Engines must handle each one (tested)."""

    SYMBOL = "symbol"        # const: index of the alphabet symbol; true where the token is it
    EOS = "eos"              # true at position N+1
    CONST = "const"          # const: raw fixed-point integer (num) or bool
    TO_NUM = "to_num"        # bool -> 0 or 1
    NEG = "neg"
    ADD = "add"
    SUB = "sub"
    MUL = "mul"
    MIN = "min"
    MAX = "max"
    ABS = "abs"
    RELU = "relu"
    EXP = "exp"
    LT = "lt"
    LE = "le"
    GT = "gt"
    GE = "ge"
    EQ = "eq"
    NE = "ne"
    AND = "and"
    OR = "or"
    NOT = "not"
    ITE = "ite"
    QUERY = "query"          # pair level: args[0] (a position node) read at the query i
    KEY = "key"              # pair level: args[0] (a position node) read at the key j
    AGGREGATE = "aggregate"  # args: (value, default); soft attention
    LEFTMOST = "leftmost"    # args: (value, default); unique hard attention
    RIGHTMOST = "rightmost"


ELEMENTWISE_NUM = frozenset({Op.NEG, Op.ADD, Op.SUB, Op.MUL, Op.MIN, Op.MAX, Op.ABS, Op.RELU,
                             Op.EXP})
COMPARISONS = frozenset({Op.LT, Op.LE, Op.GT, Op.GE, Op.EQ, Op.NE})
BOOLEAN = frozenset({Op.AND, Op.OR, Op.NOT})
ATTENTION = frozenset({Op.AGGREGATE, Op.LEFTMOST, Op.RIGHTMOST})


@dataclass(frozen=True)
class Selector:
    """Which keys j a query i sees: scope, strictness, and pair-level where/score node ids."""

    scope: Literal["global", "local"]
    window: int | None
    nonstrict: bool
    where: int | None
    score: int | None

    def sees(self, query: int, key: int) -> bool:
        """Whether position QUERY may attend to position KEY (1-based), before `where:`."""
        low = 1 if self.scope == "global" else max(1, query - (self.window or 0))
        high = query if self.nonstrict else query - 1
        return low <= key <= high

    def describe(self) -> str:
        """`global`, `local 2, nonstrict`, …"""
        scope = "global" if self.scope == "global" else f"local {self.window}"
        return scope + (", nonstrict" if self.nonstrict else "")


@dataclass(frozen=True)
class Node:
    """One IR node; PAIR nodes live on (query, key) pairs, the others on positions."""

    op: Op
    type: Type
    args: tuple[int, ...] = ()
    const: int | bool | None = None
    selector: Selector | None = None
    pair: bool = False


@dataclass(frozen=True)
class Program:
    """A lowered program: nodes in topological order, the accept node and the named s-ops."""

    path: str
    alphabet: tuple[str, ...]
    profile: Profile
    nodes: tuple[Node, ...]
    accept: int
    named: tuple[tuple[str, int], ...]
    _cones: dict[int, tuple[int, ...]] = field(default_factory=dict, init=False, repr=False,
                                               compare=False, hash=False)

    def pair_cone(self, root: int) -> tuple[int, ...]:
        """The pair nodes the pair (where:/score:) expression ROOT is computed from, ROOT
        last and inputs first; QUERY and KEY nodes are its leaves. Cached per program."""
        if root not in self._cones:
            self._cones[root] = tuple(topological([root], self._pair_inputs))
        return self._cones[root]

    def _pair_inputs(self, node_id: int) -> tuple[int, ...]:
        node = self.nodes[node_id]
        return () if node.op in (Op.QUERY, Op.KEY) else node.args

    def depth(self, node_id: int) -> int:
        """The attention depth of a node: most attention operations on a path to it."""
        return self.depths()[node_id]

    def depths(self) -> tuple[int, ...]:
        """The attention depth of every node."""
        depths: list[int] = []
        for node in self.nodes:
            below = max((depths[a] for a in _reads(node)), default=0)
            depths.append(below + (1 if node.op in ATTENTION else 0))
        return tuple(depths)

    def head_name(self, node_id: int) -> str:
        """How messages name the head NODE_ID: "head `w`" when an s-op is that head, else
        "a head in `x`" for the first named s-op computed from it, else "an unnamed head"."""
        for name, named in self.named:
            if named == node_id:
                return f"head `{name}`"
        names = {named: name for name, named in reversed(self.named)}
        above = {node_id}
        for later in range(node_id + 1, len(self.nodes)):
            if not above.isdisjoint(_reads(self.nodes[later])):
                above.add(later)
                if later in names:
                    return f"a head in `{names[later]}`"
        return "an unnamed head"

    def attention_nodes(self) -> tuple[int, ...]:
        """The ids of the attention nodes (heads), in topological order."""
        return tuple(i for i, n in enumerate(self.nodes) if n.op in ATTENTION)


def _reads(node: Node) -> tuple[int, ...]:
    """The nodes NODE reads: its arguments and a head's `where:` and `score:` roots."""
    if node.selector is None:
        return node.args
    return (*node.args, *(n for n in (node.selector.where, node.selector.score)
                          if n is not None))
