"""The one evaluator: a walk over the frozen IR that asks a backend for every value.

Like pysmt's DAG walkers, a walk visits nodes once, in topological order, in a plain loop (a
chain of any length is fine), and hands each node to the backend method that `METHOD`, the one
dispatch table, names. A backend decides what a value is (a Python int or bool, a numpy array
over words, a Z3 term, a machine ...) and where other positions' values come from; it never
dispatches on operations. Numbers are raw fixed-point integers in units of `ulp` (LANGUAGE.md
section 5), booleans are booleans. `verifier.ir.apply` has the parts of backends over `NumOps`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Protocol, TypeVar

from verifier.ir.nodes import ATTENTION, BOOLEAN, COMPARISONS, ELEMENTWISE_NUM, Node, Op, Program
from verifier.ir.walk import topological

V = TypeVar("V")


class Store(Protocol[V]):
    """The values of a walk by node id (a dict, or a view of a cache); a node already in it
    is not computed again."""

    def __contains__(self, node_id: Any, /) -> bool: ...

    def __getitem__(self, node_id: int, /) -> V: ...

    def __setitem__(self, node_id: int, value: V, /) -> None: ...


class Arithmetic(Protocol[V]):
    """What position and pair walks both ask. Every method gets the node and VALUES, the
    values of the nodes walked so far (the node's inputs among them)."""

    def constant(self, node_id: int, node: Node, values: Store[V]) -> V:
        """A literal: `node.const` is a raw integer or a bool."""
        ...

    def elementwise(self, node_id: int, node: Node, values: Store[V]) -> V:
        """An element-wise operator (`apply.ELEMENTWISE_OPS`) on its `node.args`."""
        ...


class PositionBackend(Arithmetic[V], Protocol[V]):
    """The nodes at one query position i, or a batch of positions (LANGUAGE.md section 4)."""

    def symbol(self, node_id: int, node: Node, values: Store[V]) -> V:
        """Whether the token is the symbol number `node.const` (`apply.symbol_value`)."""
        ...

    def eos(self, node_id: int, node: Node, values: Store[V]) -> V:
        """Whether this is the end position N+1 (`apply.eos_value`)."""
        ...

    def attend(self, node_id: int, node: Node, values: Store[V]) -> V:
        """A head: `node.args` is (V read at the keys j, the default read at i where no key
        is kept), `node.selector` the keys i sees; `apply.apply_attention` computes it."""
        ...


class PairBackend(Arithmetic[V], Protocol[V]):
    """A `where:`/`score:` expression at one (query i, key j) pair, or a batch of pairs."""

    def query(self, node_id: int, node: Node, values: Store[V]) -> V:
        """`x[i]`: the position node x = `node.args[0]` at the query."""
        ...

    def key(self, node_id: int, node: Node, values: Store[V]) -> V:
        """`x[j]`: the position node x = `node.args[0]` at the key."""
        ...


#: The one dispatch table: the backend method that computes each operation.
METHOD: Mapping[Op, str] = MappingProxyType({
    Op.SYMBOL: "symbol", Op.EOS: "eos", Op.CONST: "constant", Op.QUERY: "query",
    Op.KEY: "key", **dict.fromkeys(ATTENTION, "attend"),
    **dict.fromkeys(ELEMENTWISE_NUM | COMPARISONS | BOOLEAN | {Op.ITE, Op.TO_NUM},
                    "elementwise")})

#: Every operation the walker dispatches (all of `Op`; tested).
DISPATCHED = frozenset(METHOD)


def _walk(program: Program, order: Iterable[int], backend: Any, values: Store[Any]) -> None:
    for node_id in order:
        if node_id not in values:
            node = program.nodes[node_id]
            values[node_id] = getattr(backend, METHOD[node.op])(node_id, node, values)


def position_inputs(program: Program, node_id: int) -> tuple[int, ...]:
    """The position nodes NODE_ID reads, ascending and each once: its arguments, and a
    head's `x[i]` and `x[j]`."""
    node = program.nodes[node_id]
    if node.selector is None:
        return tuple(sorted(set(node.args)))
    roots = [r for r in (node.selector.where, node.selector.score) if r is not None]
    return tuple(sorted({*node.args, *(program.nodes[p].args[0] for r in roots
                                       for p in program.pair_cone(r)
                                       if program.nodes[p].op in (Op.QUERY, Op.KEY))}))


def position_order(program: Program, roots: Iterable[int] | None = None) -> tuple[int, ...]:
    """The position nodes in topological order: all of them, or the cone of ROOTS."""
    if roots is None:
        return tuple(i for i, node in enumerate(program.nodes) if not node.pair)
    return tuple(topological(roots, lambda n: position_inputs(program, n)))


def walk_positions(program: Program, backend: PositionBackend[V], values: Store[V],
                   order: Sequence[int] | None = None) -> Store[V]:
    """VALUES with BACKEND's value of every position node of ORDER (default: all of them)."""
    _walk(program, position_order(program) if order is None else order, backend, values)
    return values


def walk_pair(program: Program, root: int, backend: PairBackend[V],
              values: Store[V] | None = None) -> V:
    """BACKEND's value of the pair expression ROOT, its cone (`Program.pair_cone`) put into
    VALUES (default: a fresh dict)."""
    store: Store[V] = {} if values is None else values
    if root not in store:
        _walk(program, program.pair_cone(root), backend, store)
    return store[root]
