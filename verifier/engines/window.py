"""Wide k-local heads without the exponential window: the suffix classes of a window.

A k-local head's plain summary is its last k key types, up to |T|^k states before
minimization. What the head's consumers observe at a query is a function `g(q, w_1 … w_k)` of
the query's inputs `q` and the window (oldest key first). A window `W` and the windows that
follow it share a suffix: the next query sees `W[1:] + (t,)`, and so on. Two windows are
interchangeable for every future query iff, for every m < k, their suffixes `W[m:]` have the
same *residual*: the function `u ↦ (q ↦ g(q, W[m:] + u))` over the newer keys `u` (the
Myhill–Nerode classes of a sliding-window function). The residual of a sequence `S` of length
L is determined by the residuals of `S + (t,)`, one per type t, and at length k by the table
`q ↦ g(q, S)`: a layered decision diagram over the key types, built here level by level
(iteratively, any k) with equal nodes merged.

`g` only depends on an order-free *record* of the window (streaming.record: a soft head's
multiset of key types under exact sums, a hard head's order of first or last occurrence), so
the diagram is built over records, not sequences: a level holds polynomially many records in
k (a soft head over two types: about L²/2 at level L). Under `sums sequential` the record is
the sequence itself (exponential: the budget decides).

The head's summary is then the tuple of the residual classes of `W[m:]` for m = 0 … k-1
(`WindowClasses.start`, `step`): equal tuples are exactly equal residuals, so the head's
machine has as many summaries as the head has distinguishable windows (k + 1 for "an `a` in
the last k positions"). The domains T (key types) and Q (query tuples) are given by the caller
(compose.py: the tuples the input machines output together, eos included); merging over a
superset of the real ones is sound, and a type or query outside them raises WindowTooWide
(never a guess).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

from verifier.engines.streaming import HeadState, KeyType, StreamingMachine

#: The most query tuples a leaf tabulates, and the most key types a level branches on.
MAX_QUERIES = 4096
MAX_TYPES = 64
#: Window records are small tuples: a head may explore this many per state of the budget.
RECORDS_PER_STATE = 10


class WindowTooWide(Exception):
    """The diagram does not fit (too many records, types or queries, or time ran out); the
    caller falls back to the plain window. Carries the reason."""


class WindowClasses:
    """The residual classes of the windows of one k-local head (module docstring).

    HEAD: the attention node; TYPES: every key type a position can expose (a superset);
    QUERY_NODES and QUERIES: the node ids read at the query (`where:`/`score:` `x[i]` leaves,
    the default, and the key nodes for `nonstrict`) and every tuple of their values (a
    superset); OBSERVE maps the head's output to the representative of what its consumers can
    tell apart (identity if they read it whole). BUDGET (states) bounds the records explored
    (RECORDS_PER_STATE each) and the head evaluations at full windows (one each); EXPIRED is
    polled. Raises WindowTooWide when a bound is hit.
    """

    def __init__(self, streaming: StreamingMachine, head: int, types: Sequence[KeyType],
                 query_nodes: Sequence[int], queries: Sequence[tuple[Any, ...]],
                 observe: Callable[[Any], Any], budget: int,
                 expired: Callable[[], bool] | None = None) -> None:
        selector = streaming.program.nodes[head].selector
        assert selector is not None and selector.scope == "local"
        if len(types) > MAX_TYPES or len(queries) > MAX_QUERIES:
            raise WindowTooWide(f"{len(types)} key types, {len(queries)} query values")
        if (selector.window or 0) >= budget * RECORDS_PER_STATE:  # one record per level at least
            raise WindowTooWide(f"more than {budget * RECORDS_PER_STATE} window records")
        self.streaming, self.head = streaming, head
        self.plan = streaming.heads[head]
        self.window = selector.window or 0
        self.ordered = streaming.ordered_window(head)
        self.types = tuple(types)
        self.type_index: dict[KeyType | None, int] = {t: i for i, t in enumerate(types)}
        self.type_index[None] = len(types)  # the marker of a position before the word
        self.ignored = [streaming.never_kept(self.plan, t) for t in types] + [True]
        self.kind = "ordered" if self.ordered else streaming.program.nodes[head].op.value
        # counts past the cap cannot matter when the denominator vanishes (docs/unbounded.md)
        vanish = streaming.program.profile.denominator == "vanish"
        self.cap = self.plan.cap if vanish else self.window
        self.query_nodes = tuple(query_nodes)
        self.queries = tuple(queries)
        self.observe = observe
        self.budget, self.expired = budget, expired
        self.children: list[tuple[int, ...]] = []
        self.leaves: dict[int, dict[tuple[Any, ...], Any]] = {}
        self.root = self._build()

    # the diagram

    def _fold(self, record: tuple[int, ...], kind: int) -> tuple[int, ...]:
        """RECORD (over type indices) after one more key of type index KIND: the counts
        of a soft head, the first (leftmost) or last (rightmost) occurrence order of a hard
        one, the sequence under `sums sequential`; what no query keeps is left out."""
        if self.ordered:
            return record if kind == len(self.types) else (*record, kind)
        if self.ignored[kind]:
            return record
        if self.kind == "aggregate":
            return (*record[:kind], min(self.cap, record[kind] + 1), *record[kind + 1:])
        if self.kind == "leftmost":
            return record if kind in record else (*record, kind)
        return (*(k for k in record if k != kind), kind)

    def _summary(self, record: tuple[int, ...]) -> HeadState:
        """RECORD in the form of streaming.record (types, not indices)."""
        if self.kind == "aggregate" and not self.ordered:
            return tuple(sorted(((self.types[t], c) for t, c in enumerate(record) if c),
                                key=repr))
        return tuple(self.types[t] for t in record)

    def _build(self) -> int:
        empty = (0,) * len(self.types) if self.kind == "aggregate" and not self.ordered else ()
        levels: list[dict[tuple[int, ...], int]] = [{empty: 0}]
        edges: list[list[tuple[int, ...]]] = []
        explored = 1
        for _ in range(self.window):
            following: dict[tuple[int, ...], int] = {}
            rows = []
            for number, record in enumerate(levels[-1]):
                if number % 4096 == 4095 and self.expired is not None and self.expired():
                    raise WindowTooWide("time limit reached while building a window")
                row = []
                for kind in range(len(self.types) + 1):
                    successor = self._fold(record, kind)
                    if successor not in following:
                        following[successor] = len(following)
                    row.append(following[successor])
                rows.append(tuple(row))
            explored += len(following)
            if explored > self.budget * RECORDS_PER_STATE:
                raise WindowTooWide(f"more than {self.budget * RECORDS_PER_STATE} window "
                                    "records")
            if self.expired is not None and self.expired():
                raise WindowTooWide("time limit reached while building a window")
            edges.append(rows)
            levels.append(following)
        work = len(levels[-1]) * len(self.queries)
        if work > self.budget:
            raise WindowTooWide(f"{len(levels[-1])} full windows x {len(self.queries)} query "
                                f"values exceed {self.budget} evaluations")
        ids: dict[Hashable, int] = {}
        classes = []
        for number, record in enumerate(levels[-1]):
            if number % 512 == 511 and self.expired is not None and self.expired():
                raise WindowTooWide("time limit reached while building a window")
            classes.append(self._leaf(ids, self._summary(record)))
        for rows in reversed(edges):
            classes = [self._node(ids, tuple(classes[c] for c in row)) for row in rows]
        return classes[0]

    def _leaf(self, ids: dict[Hashable, int], record: HeadState) -> int:
        outputs = tuple(self.observe(self._output(record, q)) for q in self.queries)
        key = ("leaf", tuple((type(o).__name__, o) for o in outputs))  # True is not 1
        if key not in ids:
            ids[key] = len(self.children)
            self.children.append(())
            self.leaves[ids[key]] = dict(zip(self.queries, outputs, strict=True))
        return ids[key]

    def _node(self, ids: dict[Hashable, int], row: tuple[int, ...]) -> int:
        key = ("node", row)
        if key not in ids:
            ids[key] = len(self.children)
            self.children.append(row)
        return ids[key]

    def _output(self, record: HeadState, query: tuple[Any, ...]) -> Any:
        values: dict[int, Any] = dict(zip(self.query_nodes, query, strict=True))
        return self.streaming.summary_output(self.head, record, _Store(values), self.ordered)

    # the head's summary: the classes of W[m:] for m = 0 .. k-1

    def start(self) -> HeadState:
        """The summary before the word: every window slot holds the marker."""
        chain, node = [], self.root
        for _ in range(self.window):
            node = self.children[node][self.type_index[None]]
            chain.append(node)
        return tuple(reversed(chain))

    def step(self, summary: HeadState, kind: KeyType) -> HeadState:
        """SUMMARY after a position of key type KIND."""
        index = self._index(kind)
        older = (*summary[1:], self.root)
        return tuple(self.children[node][index] for node in older)

    def output(self, summary: HeadState, values: Sequence[Any] | dict[int, Any]) -> Any:
        """The head's (observed) value at a query whose inputs are VALUES (by node id)."""
        query = tuple(values[n] for n in self.query_nodes)
        table = self.leaves[summary[0]] if summary else None
        if table is None or query not in table:
            raise WindowTooWide(f"query values {query} outside the enumerated ones")
        return table[query]

    def _index(self, kind: KeyType) -> int:
        if kind not in self.type_index:
            raise WindowTooWide(f"key type {kind} outside the enumerated ones")
        return self.type_index[kind]


class _Store(dict[int, Any]):
    """The values a leaf evaluation may read; reading any other node is a bug."""

    def __missing__(self, node_id: int) -> Any:
        raise AssertionError(f"node {node_id} is not a query-side input of the head")
