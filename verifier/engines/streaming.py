"""A program as a streaming machine over finite summaries (the all-lengths engine's core).

After reading a prefix, a program is summarized, head by head, by what its future positions
can still observe: a k-local head keeps the key types of the last k positions; a global soft
head keeps how many earlier positions carry each key type, capped where more cannot matter
(spec section 5: past the cap the denominator overflows and every weight vanishes); a global
hard head keeps the order of first (leftmost) or last (rightmost) occurrence of each type.
Values at a position are computed from the summary with the shared semantics (PyOps), so the
machine computes exactly what the interpreter computes. docs/unbounded.md proves the caps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from verifier.ir.apply import apply_elementwise, constant, pair_value
from verifier.ir.nodes import ATTENTION, Node, Op, Program
from verifier.semantics import attention
from verifier.semantics.pyops import PyOps

_OPS = PyOps()

KeyType = tuple[Any, ...]
HeadState = tuple[Any, ...]
State = tuple[HeadState, ...]


class NotFiniteState(Exception):
    """The program's profile lets a head count without bound; carries the reason."""


@dataclass(frozen=True)
class HeadPlan:
    """How one attention node is summarized: the nodes its keys expose, and its count cap."""

    node_id: int
    key_nodes: tuple[int, ...]
    query_free_where: bool
    cap: int


def pair_leaves(program: Program, root: int | None, op: Op) -> set[int]:
    """The position nodes read through OP (QUERY or KEY) in the pair expression ROOT."""
    found: set[int] = set()
    stack = [] if root is None else [root]
    while stack:
        node = program.nodes[stack.pop()]
        if node.op is op:
            found.add(node.args[0])
        elif node.pair:
            stack.extend(node.args)
    return found


def plan_head(program: Program, node_id: int) -> HeadPlan:
    """The summary plan of the attention node NODE_ID."""
    node = program.nodes[node_id]
    selector = node.selector
    assert selector is not None
    keys = pair_leaves(program, selector.where, Op.KEY) | pair_leaves(
        program, selector.score, Op.KEY) | {node.args[0]}
    query_free = not pair_leaves(program, selector.where, Op.QUERY)
    profile = program.profile
    smallest_weight = profile.one_raw if selector.score is None else 1
    cap = profile.max_raw // smallest_weight + 1
    return HeadPlan(node_id, tuple(sorted(keys)), query_free, cap)


class StreamingMachine:
    """PROGRAM as a deterministic machine: `step` reads one symbol, `accepts` reads eos."""

    def __init__(self, program: Program) -> None:
        self.program = program
        profile = program.profile
        if profile.denominator == "saturate" and any(
                program.nodes[h].op is Op.AGGREGATE
                and program.nodes[h].selector.scope == "global"  # type: ignore[union-attr]
                for h in program.attention_nodes()):
            raise NotFiniteState(
                "denominator saturate: a global soft head's weights never vanish, so its "
                "output can depend on unboundedly many positions (it can count); the state "
                "space is not finite in general")
        self.heads = {h: plan_head(program, h) for h in program.attention_nodes()}
        self.order = tuple(self.heads)

    def initial(self) -> State:
        """The summary of the empty prefix."""
        return tuple(self._empty(self.heads[h]) for h in self.order)

    def _empty(self, plan: HeadPlan) -> HeadState:
        selector = self.program.nodes[plan.node_id].selector
        assert selector is not None
        if selector.scope == "local":
            return (None,) * (selector.window or 0)
        return ()

    def values(self, state: State, symbol: int | None) -> list[Any]:
        """Every position node's value at a position holding SYMBOL (None: eos)."""
        values: list[Any] = [None] * len(self.program.nodes)
        slots = dict(zip(self.order, state, strict=True))
        for node_id, node in enumerate(self.program.nodes):
            if not node.pair:
                values[node_id] = self._value(node_id, node, symbol, values, slots)
        return values

    def _value(self, node_id: int, node: Node, symbol: int | None, values: list[Any],
               slots: dict[int, HeadState]) -> Any:
        if node.op is Op.SYMBOL:
            return symbol == node.const
        if node.op is Op.EOS:
            return symbol is None
        if node.op is Op.CONST:
            return constant(_OPS, node)
        if node.op in ATTENTION:
            return self._attend(self.heads[node_id], node, slots[node_id], values)
        return apply_elementwise(_OPS, self.program.profile, node, [values[a] for a in node.args])

    def empty_slot(self, head: int) -> HeadState:
        """The summary of head HEAD (an attention node id) before any position."""
        return self._empty(self.heads[head])

    def head_output(self, head: int, slot: HeadState, values: list[Any]) -> Any:
        """Head HEAD's value at a position whose other values are VALUES (indexed by node id;
        only the head's query-side inputs are read), given the summary SLOT of the earlier
        positions."""
        return self._attend(self.heads[head], self.program.nodes[head], slot, values)

    def head_update(self, head: int, slot: HeadState, values: Sequence[Any]) -> HeadState:
        """SLOT extended by a position whose values are VALUES (only key-side inputs read)."""
        return self._update(self.heads[head], slot, values)

    def key_type(self, plan: HeadPlan, values: Sequence[Any]) -> KeyType:
        """What a position exposes to later queries of the head PLAN."""
        return tuple(values[n] for n in plan.key_nodes)

    def step(self, state: State, symbol: int) -> State:
        """The summary after one more position holding SYMBOL."""
        values = self.values(state, symbol)
        return tuple(self._update(self.heads[h], slot, values)
                     for h, slot in zip(self.order, state, strict=True))

    def accepts(self, state: State) -> bool:
        """Whether the program accepts when eos follows the prefix summarized by STATE."""
        return bool(self.values(state, None)[self.program.accept])

    def _update(self, plan: HeadPlan, slot: HeadState, values: Sequence[Any]) -> HeadState:
        node = self.program.nodes[plan.node_id]
        selector = node.selector
        assert selector is not None
        kind = self.key_type(plan, values)
        if selector.scope == "local":
            return (*slot[1:], kind)
        if plan.query_free_where and selector.where is not None and not self._pair(
                selector.where, [], dict(zip(plan.key_nodes, kind, strict=True))):
            return slot  # never kept by any query: not worth remembering
        if node.op is Op.AGGREGATE:
            counts = dict(slot)
            counts[kind] = min(plan.cap, counts.get(kind, 0) + 1)
            return tuple(sorted(counts.items(), key=repr))
        if node.op is Op.LEFTMOST:
            return slot if kind in slot else (*slot, kind)
        return (*(k for k in slot if k != kind), kind)

    def _keys(self, node: Node, slot: HeadState, current: KeyType
              ) -> tuple[list[KeyType], list[int] | None]:
        """The key types a query sees in ascending key order, with multiplicities for the
        multiset of a global soft head (where the order does not matter)."""
        selector = node.selector
        assert selector is not None
        if selector.scope == "local":
            keys = [k for k in slot if k is not None]
            return ([*keys, current] if selector.nonstrict else keys), None
        if node.op is Op.AGGREGATE:
            counts = dict(slot)
            if selector.nonstrict:
                counts[current] = counts.get(current, 0) + 1
            return list(counts), list(counts.values())
        keys = list(slot)
        if selector.nonstrict and node.op is Op.LEFTMOST:
            keys = keys if current in keys else [*keys, current]
        elif selector.nonstrict:
            keys = [*(k for k in keys if k != current), current]
        return keys, None

    def _attend(self, plan: HeadPlan, node: Node, slot: HeadState, values: list[Any]) -> Any:
        selector = node.selector
        assert selector is not None
        current = self.key_type(plan, values) if selector.nonstrict else ()
        keys, counts = self._keys(node, slot, current)
        exposed = [dict(zip(plan.key_nodes, k, strict=True)) for k in keys]
        kept = [selector.where is None or bool(self._pair(selector.where, values, k))
                for k in exposed]
        scores = None if selector.score is None else [
            self._pair(selector.score, values, k) for k in exposed]
        column = plan.key_nodes.index(node.args[0])
        keyed_values = [k[column] for k in keys]
        default = values[node.args[1]]
        profile = self.program.profile
        if node.op is not Op.AGGREGATE:
            output, _ = attention.pick(_OPS, profile, kept, scores, keyed_values, default,
                                       leftmost=node.op is Op.LEFTMOST)
            return output
        output, weights = attention.aggregate(_OPS, profile, kept, scores, keyed_values,
                                              default, counts)
        if profile.sums == "sequential" and selector.scope == "global":
            _require_one_sign(weights, keyed_values)
        return output

    def _pair(self, node_id: int, query: Sequence[Any], key: dict[int, Any]) -> Any:
        """A pair expression's value for the query values QUERY and the exposed KEY values."""
        program = self.program
        return pair_value(_OPS, program, node_id, query, key)


def _require_one_sign(weights: Sequence[int], values: Sequence[int]) -> None:
    """Under `sums sequential` the running clamp makes a global head order-dependent unless
    every weighted term has one sign; then the order does not matter."""
    signs = {(w * v > 0) - (w * v < 0) for w, v in zip(weights, values, strict=True)}
    if {1, -1} <= signs:
        raise NotFiniteState(
            "sums sequential with weighted values of both signs in a global head: the "
            "running clamp makes the output depend on the order of the positions")
