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

from dataclasses import dataclass
from typing import Any

from verifier.ir.apply import PositionReader, apply_attention, pair_value
from verifier.ir.evaluate import Store, position_order, walk_positions
from verifier.ir.finite import (
    NotFiniteState,
    SummaryInexact,
    at_head,
    check_one_signed,
    counting_heads,
    float_count_cap,
    require_finite,
)
from verifier.ir.nodes import Node, Op, Program
from verifier.semantics.float_counts import CountedSumError
from verifier.semantics.profile import FloatProfile
from verifier.semantics.pyops import PyOps

_OPS = PyOps()

KeyType = tuple[Any, ...]
HeadState = tuple[Any, ...]
State = tuple[HeadState, ...]


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


def plan_head(program: Program, node_id: int, count_cap: int | None = None) -> HeadPlan:
    """The summary plan of the attention node NODE_ID; COUNT_CAP, if given, replaces the
    count cap of a global soft head (a depth-bounded machine's cap, never reached)."""
    node = program.nodes[node_id]
    selector = node.selector
    assert selector is not None
    keys = pair_leaves(program, selector.where, Op.KEY) | pair_leaves(
        program, selector.score, Op.KEY) | {node.args[0]}
    query_free = not pair_leaves(program, selector.where, Op.QUERY)
    profile = program.profile
    if count_cap is not None and node_id in counting_heads(program):
        cap = count_cap
    elif isinstance(profile, FloatProfile):
        cap = (float_count_cap(program, node_id) if node_id in counting_heads(program)
               else selector.window or 0)  # a window holds at most its width of each type
    else:
        smallest_weight = profile.one_raw if selector.score is None else 1
        cap = profile.max_raw // smallest_weight + 1
    return HeadPlan(node_id, tuple(sorted(keys)), query_free, cap)


class StreamingMachine:
    """PROGRAM as a deterministic machine: `step` reads one symbol, `accepts` reads eos.

    With DEPTH, the machine need only be exact on prefixes of at most DEPTH symbols: where no
    count cap is exact at every length (NotFiniteState otherwise), global soft heads count
    up to DEPTH + 2, a cap such prefixes never reach, so every count is the true one; a local
    head keeps at most DEPTH + 1 keys, since a wider window sees the whole prefix there.
    Without DEPTH a local head keeps its whole window (the composer refuses windows wider
    than `compose.PLAIN_WINDOW` before asking for one)."""

    def __init__(self, program: Program, depth: int | None = None) -> None:
        count_cap = None
        try:
            require_finite(program)
        except NotFiniteState:
            if depth is None:
                raise
            count_cap = depth + 2
        self.program = program
        self.depth = depth
        self.heads = {h: plan_head(program, h, count_cap) for h in program.attention_nodes()}
        self.order = tuple(self.heads)
        self.walk = position_order(program)

    def initial(self) -> State:
        """The summary of the empty prefix."""
        return tuple(self._empty(self.heads[h]) for h in self.order)

    def _empty(self, plan: HeadPlan) -> HeadState:
        selector = self.program.nodes[plan.node_id].selector
        assert selector is not None
        if selector.scope == "local":
            width = selector.window or 0
            return (None,) * (width if self.depth is None else min(width, self.depth + 1))
        return ()

    def values(self, state: State, symbol: int | None) -> Store[Any]:
        """Every position node's value at a position holding SYMBOL (None: eos), by node id."""
        slots = dict(zip(self.order, state, strict=True))
        backend = PositionReader(_OPS, self.program.profile, symbol is None, symbol.__eq__,
                                 lambda h, node, values: self._attend(
                                     self.heads[h], node, slots[h], values))
        return walk_positions(self.program, backend, {}, self.walk)

    def empty_slot(self, head: int) -> HeadState:
        """The summary of head HEAD (an attention node id) before any position."""
        return self._empty(self.heads[head])

    def head_output(self, head: int, slot: HeadState, values: Store[Any]) -> Any:
        """Head HEAD's value at a position whose other values are VALUES (indexed by node id;
        only the head's query-side inputs are read), given the summary SLOT of the earlier
        positions."""
        return self._attend(self.heads[head], self.program.nodes[head], slot, values)

    def head_update(self, head: int, slot: HeadState, values: Store[Any]) -> HeadState:
        """SLOT extended by a position whose values are VALUES (only key-side inputs read)."""
        return self._update(self.heads[head], slot, values)

    def key_type(self, plan: HeadPlan, values: Store[Any]) -> KeyType:
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

    def _update(self, plan: HeadPlan, slot: HeadState, values: Store[Any]) -> HeadState:
        node = self.program.nodes[plan.node_id]
        assert node.selector is not None
        kind = self.key_type(plan, values)
        if node.selector.scope == "local":
            return (*slot[1:], kind)
        return self.record(plan, slot, kind, plan.cap)

    def ordered_window(self, head: int) -> bool:
        """Whether the k-local head HEAD depends on the order of its keys beyond what
        `record` keeps: a soft head under `sums sequential` (running clamp)."""
        return (self.program.nodes[head].op is Op.AGGREGATE
                and self.program.profile.sums == "sequential")

    def record(self, plan: HeadPlan, slot: HeadState, kind: KeyType, cap: int | None
               ) -> HeadState:
        """SLOT, an order-free summary (a soft head's multiset of key types, counts capped at
        CAP if given; a hard head's distinct types in order of first or last occurrence),
        extended by one key of type KIND; a type no query keeps is not recorded."""
        node = self.program.nodes[plan.node_id]
        if self.never_kept(plan, kind):
            return slot  # never kept by any query: not worth remembering
        if node.op is Op.AGGREGATE:
            counts = dict(slot)
            count = counts.get(kind, 0) + 1
            counts[kind] = count if cap is None else min(cap, count)
            return tuple(sorted(counts.items(), key=repr))
        if node.op is Op.LEFTMOST:
            return slot if kind in slot else (*slot, kind)
        return (*(k for k in slot if k != kind), kind)

    def never_kept(self, plan: HeadPlan, kind: KeyType) -> bool:
        """Whether no query of the head PLAN keeps a key of type KIND (a `where:` that reads
        only the key and is false on it)."""
        selector = self.program.nodes[plan.node_id].selector
        assert selector is not None
        return plan.query_free_where and selector.where is not None and not self._pair(
            selector.where, {}, dict(zip(plan.key_nodes, kind, strict=True)))

    def summary_output(self, head: int, summary: HeadState, values: Store[Any],
                       ordered: bool) -> Any:
        """Head HEAD's value at a position whose inputs are VALUES, from SUMMARY of the keys it
        sees: their types in order (ORDERED; None entries are absent keys) or a `record`
        summary."""
        plan = self.heads[head]
        return self._attend(plan, self.program.nodes[head], summary, values, ordered)

    def _keys(self, node: Node, slot: HeadState, current: KeyType, ordered: bool
              ) -> tuple[list[KeyType], list[int] | None]:
        """The key types a query sees in ascending key order, with multiplicities for the
        multiset of a soft head (where the order does not matter). ORDERED: SLOT lists the
        keys in order (a window; None entries are absent), else it is a `record` summary."""
        selector = node.selector
        assert selector is not None
        if ordered:
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

    def _attend(self, plan: HeadPlan, node: Node, slot: HeadState, values: Store[Any],
                ordered: bool | None = None) -> Any:
        selector = node.selector
        assert selector is not None
        current = self.key_type(plan, values) if selector.nonstrict else ()
        window = selector.scope == "local" if ordered is None else ordered
        keys, counts = self._keys(node, slot, current, window)
        terms = [self.key_terms(plan.node_id, values, k) for k in keys]
        kept = [t[0] for t in terms]
        scores = None if selector.score is None else [t[1] for t in terms]
        keyed_values = [t[2] for t in terms]
        default = values[node.args[1]]
        capped = None if counts is None else [c >= plan.cap for c in counts]
        try:
            output, weights = apply_attention(_OPS, self.program.profile, node, kept, scores,
                                              keyed_values, default, counts, capped=capped)
        except CountedSumError as reason:
            raise SummaryInexact(at_head(self.program, plan.node_id, str(reason))) from None
        if node.op is Op.AGGREGATE and counts is not None:  # keys in order need no check
            check_one_signed(self.program, plan.node_id,
                             [w * v for w, v in zip(weights, keyed_values, strict=True)])
        return output

    def key_terms(self, head: int, values: Store[Any], kind: KeyType) -> tuple[bool, Any, Any]:
        """What a key of type KIND gives head HEAD at a query whose inputs are VALUES:
        whether it is kept, its score (None for a uniform head) and its value."""
        plan, node = self.heads[head], self.program.nodes[head]
        selector = node.selector
        assert selector is not None
        exposed = dict(zip(plan.key_nodes, kind, strict=True))
        kept = selector.where is None or bool(self._pair(selector.where, values, exposed))
        score = None if selector.score is None else self._pair(selector.score, values, exposed)
        return kept, score, kind[plan.key_nodes.index(node.args[0])]

    def _pair(self, node_id: int, query: Store[Any], key: dict[int, Any]) -> Any:
        """A pair expression's value for the query values QUERY and the exposed KEY values."""
        return pair_value(_OPS, self.program, node_id, query, key)


__all__ = ["NotFiniteState", "StreamingMachine", "SummaryInexact", "plan_head"]
