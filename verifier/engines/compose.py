"""Compositional extraction: one minimal Mealy machine per s-op, in topological order.

A leaf (symbol, eos, constant) outputs a function of the symbol read. An element-wise s-op
runs the product of its arguments' machines. An attention head runs the product of its
inputs' machines together with its summary of the earlier positions (streaming.py) and
outputs what the shared semantics computes. Each machine is minimized before it is used, so
independent counters collapse as soon as what reads them stops telling them apart
(docs/unbounded.md).

Two reductions keep wide k-local heads small (docs/unbounded.md, "Wide windows"): an s-op read
only element-wise outputs one representative per class of values its consumers cannot tell
apart (observe.py), and a k-local head's summary is the tuple of residual classes of its
window's suffixes (window.py) instead of its last k key types; the plain window is the
fallback for k <= PLAIN_WINDOW when the classes do not fit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from verifier.engines.moore import (
    BudgetOutgrown,
    MachineTooLarge,
    Mealy,
    explore,
    leaf,
    minimize,
)
from verifier.engines.observe import Observer, Representative
from verifier.engines.ordered import OrderedSums
from verifier.engines.streaming import StreamingMachine, SummaryInexact, pair_leaves
from verifier.engines.window import MAX_QUERIES, MAX_TYPES, WindowClasses, WindowTooWide
from verifier.ir.apply import apply_elementwise, constant, eos_value, symbol_value
from verifier.ir.evaluate import Store, position_inputs, position_order, walk_positions
from verifier.ir.nodes import Node, Op, Program
from verifier.langs import DFA, minimal_dfa
from verifier.semantics.pyops import PyOps

_OPS = PyOps()

Product = tuple[int, ...]

#: The widest window summarized position by position (|types|^k summaries) when its residual
#: classes do not fit (window.py); wider ones are `unknown`.
PLAIN_WINDOW = 64
#: The most window positions held by all the explored summaries of one head together.
WINDOW_CELLS = 20_000_000


class Composer:
    """Builds the machine of every position node PROGRAM's `accept` depends on."""

    def __init__(self, program: Program, budget: int,
                 expired: Callable[[], bool] | None = None,
                 explored: Callable[[int], None] | None = None) -> None:
        self.program = program
        self.budget = budget
        self.expired = expired
        self.report = explored  # told the states explored so far, for progress
        self.explored = 0  # states of the machines built so far, before minimization
        self.symbols = len(program.alphabet) + 1  # the alphabet, then eos
        self.streaming = StreamingMachine(program)
        self.machines: dict[int, Mealy] = {}
        self.largest = 0
        self.observer = Observer(program)
        self.windows: dict[int, str] = {}  # k-local head -> how its window was summarized
        self.ordered: dict[int, str] = {}  # float global head summarized by its running sums

    def machine(self, node_id: int) -> Mealy:
        """The minimal machine of position node NODE_ID (the machines of its inputs first,
        in the walker's topological order: no recursion, so a chain of any length is built)."""
        order = position_order(self.program, [node_id])
        return walk_positions(self.program, self, self.machines, order)[node_id]

    def _inputs(self, node_id: int) -> list[int]:
        """The position nodes whose machines the machine of NODE_ID runs, ascending."""
        return list(position_inputs(self.program, node_id))

    def _minimal(self, raw: Mealy) -> Mealy:
        self.largest = max(self.largest, raw.size)
        self.explored += raw.size
        if self.report is not None:
            self.report(self.explored)
        return minimize(raw, self.expired)

    def _exploring(self) -> Callable[[int], None] | None:
        """The progress hook of one exploration: the states of the machines built before it
        and its own so far (None when nobody listens)."""
        report = self.report
        if report is None:
            return None
        before = self.explored
        return lambda states: report(before + states)

    # the walker backend: each node's machine, from its inputs' machines in `self.machines`

    def symbol(self, node_id: int, node: Node, machines: Store[Mealy]) -> Mealy:
        eos = self.symbols - 1
        return self._minimal(leaf(self.symbols, lambda s: symbol_value(
            _OPS, node, s == eos, lambda k: s == k)))

    def eos(self, node_id: int, node: Node, machines: Store[Mealy]) -> Mealy:
        eos = self.symbols - 1
        return self._minimal(leaf(self.symbols, lambda s: eos_value(_OPS, s == eos)))

    def constant(self, node_id: int, node: Node, machines: Store[Mealy]) -> Mealy:
        value = constant(_OPS, node)
        return self._minimal(leaf(self.symbols, lambda s: value))

    def elementwise(self, node_id: int, node: Node, machines: Store[Mealy]) -> Mealy:
        return self._minimal(self._elementwise(node_id, node))

    def attend(self, node_id: int, node: Node, machines: Store[Mealy]) -> Mealy:
        try:
            return self._minimal(self._head(node_id, node))
        except BudgetOutgrown as error:
            if error.where is not None:
                raise
            raise BudgetOutgrown(error.budget, self.program.head_name(node_id)) from None

    def _product(self, node_id: int) -> tuple[list[int], list[Mealy]]:
        """NODE_ID's inputs and their machines (built before NODE_ID by `machine`)."""
        inputs = self._inputs(node_id)
        return inputs, [self.machines[n] for n in inputs]

    def _values(self, inputs: list[int], machines: list[Mealy], state: Product,
                symbol: int) -> list[Any] | None:
        """The inputs' values on reading SYMBOL (indexed by node id); None after eos."""
        values: list[Any] = [None] * len(self.program.nodes)
        for n, m, s in zip(inputs, machines, state, strict=True):
            values[n] = m.output[s][symbol]
            if values[n] is None:
                return None
        return values

    def _elementwise(self, node_id: int, node: Node) -> Mealy:
        inputs, machines = self._product(node_id)
        profile = self.program.profile
        observe = _observed(self.observer.representative(node_id, self.machines))

        def step(state: Product, symbol: int) -> tuple[Product, Any]:
            following = _step(machines, state, symbol)
            values = self._values(inputs, machines, state, symbol)
            if values is None:
                return following, None
            return following, observe(apply_elementwise(_OPS, profile, node,
                                                        [values[a] for a in node.args]))

        return explore(tuple(0 for _ in machines), self.symbols, step, self.budget,
                       self.expired, self._exploring())

    def _head(self, node_id: int, node: Node) -> Mealy:
        inputs, machines = self._product(node_id)
        streaming = self.streaming
        observe = _observed(self.observer.representative(node_id, self.machines))
        assert node.selector is not None
        if node.selector.scope == "local":
            try:
                return self._window_head(node_id, node, inputs, machines, observe)
            except WindowTooWide as reason:
                if (node.selector.window or 0) > PLAIN_WINDOW:
                    raise MachineTooLarge(
                        f"the window of {self.program.head_name(node_id)} "
                        f"({node.selector.window} positions) does not fit: {reason}") from None
                self.windows[node_id] = f"plain window ({reason})"

        try:
            return self._explore_head(
                inputs, machines, streaming.empty_slot(node_id),
                lambda slot, values: observe(streaming.head_output(node_id, slot, values)),
                lambda slot, values: streaming.head_update(node_id, slot, values))
        except SummaryInexact as reason:
            return self._ordered_head(node_id, node, inputs, machines, observe, str(reason))

    def _query_nodes(self, node_id: int, node: Node) -> list[int]:
        """The head's query-side inputs: `x[i]` leaves of `where:` and `score:`, the default,
        and the key nodes under `nonstrict` (the query's own key)."""
        selector, plan = node.selector, self.streaming.heads[node_id]
        assert selector is not None
        return sorted(pair_leaves(self.program, selector.where, Op.QUERY)
                      | pair_leaves(self.program, selector.score, Op.QUERY)
                      | {node.args[1]} | (set(plan.key_nodes) if selector.nonstrict else set()))

    def _ordered_head(self, node_id: int, node: Node, inputs: list[int],
                      machines: list[Mealy], observe: Representative, why: str) -> Mealy:
        """A float global head whose multiset of keys does not fix its output (WHY): its
        running sums as the summary (ordered.py); MachineTooLarge if they do not fit."""
        streaming = self.streaming
        plan = streaming.heads[node_id]
        query_nodes = self._query_nodes(node_id, node)
        try:
            sums = OrderedSums(streaming, node_id, self._joint(plan.key_nodes, MAX_TYPES),
                               query_nodes, self._joint(query_nodes, MAX_QUERIES),
                               self.expired)
        except (MachineTooLarge, WindowTooWide) as error:
            raise MachineTooLarge(_too_large(why, error)) from None
        self.ordered[node_id] = "running sums"

        try:
            return self._explore_head(
                inputs, machines, sums.start(),
                lambda summary, values: observe(sums.output(summary, values)),
                lambda summary, values: sums.step(summary, streaming.key_type(plan, values)))
        except MachineTooLarge as error:
            raise MachineTooLarge(_too_large(why, error)) from None

    def _explore_head(self, inputs: list[int], machines: list[Mealy], start: Any,
                      output: Callable[[Any, list[Any]], Any],
                      update: Callable[[Any, list[Any]], Any], budget: int | None = None
                      ) -> Mealy:
        """The machine of a head over the product of its INPUTS' MACHINES, whose summary of
        the earlier positions begins as START: at each position it outputs OUTPUT(summary,
        values) and moves to UPDATE(summary, values) (values by node id). BUDGET: states
        (default the composer's)."""
        def step(state: tuple[Product, Any], symbol: int) -> tuple[tuple[Product, Any], Any]:
            current, summary = state
            following = _step(machines, current, symbol)
            values = self._values(inputs, machines, current, symbol)
            if values is None:
                return (following, None), None  # nothing is read after eos
            return (following, update(summary, values)), output(summary, values)

        return explore((tuple(0 for _ in machines), start), self.symbols, step,
                       self.budget if budget is None else budget, self.expired,
                       self._exploring())

    def _window_head(self, node_id: int, node: Node, inputs: list[int],
                     machines: list[Mealy], observe: Representative) -> Mealy:
        """A k-local head whose summary is the residual classes of its window (window.py);
        WindowTooWide when the diagram does not fit its bounds."""
        streaming = self.streaming
        plan = streaming.heads[node_id]
        query_nodes = self._query_nodes(node_id, node)
        types = self._joint(plan.key_nodes, MAX_TYPES)
        queries = self._joint(query_nodes, MAX_QUERIES)
        classes = WindowClasses(streaming, node_id, types, query_nodes, queries, observe,
                                self.budget, self.expired)
        self.windows[node_id] = "window classes"
        # every summary holds one class per window position: bound the cells, not the states
        budget = max(1, min(self.budget, WINDOW_CELLS // max(1, classes.window)))

        try:
            return self._explore_head(
                inputs, machines, classes.start(), classes.output,
                lambda summary, values: classes.step(summary, streaming.key_type(plan, values)),
                budget)
        except MachineTooLarge as error:
            if budget == self.budget:
                raise
            raise MachineTooLarge(f"{error} (a summary of a local head holds one class per "
                                  f"window position, {classes.window} here; at most "
                                  f"{WINDOW_CELLS} in all)") from None

    def _joint(self, nodes: Sequence[int], limit: int) -> list[tuple[Any, ...]]:
        """Every tuple of values NODES (built) take together at some position, eos included:
        the outputs of the reachable states of their machines' product, in order of
        discovery; WindowTooWide past LIMIT tuples or the state budget."""
        machines = [self.machines[n] for n in nodes]
        start = tuple(0 for _ in machines)
        seen, queue, found = {start}, [start], dict[tuple[Any, ...], None]()
        while queue:
            state = queue.pop()
            for symbol in range(self.symbols):
                values = tuple(m.output[s][symbol] for m, s in zip(machines, state, strict=True))
                if any(v is None for v in values):
                    continue  # after eos
                found.setdefault(values)
                if len(found) > limit:
                    raise WindowTooWide(f"more than {limit} key types or query values")
                following = _step(machines, state, symbol)
                if following not in seen:
                    if len(seen) >= self.budget:
                        raise WindowTooWide("too many states of the inputs' product")
                    seen.add(following)
                    queue.append(following)
        return list(found)

    def dfa(self) -> DFA:
        """The minimal DFA over the alphabet of the words the program accepts."""
        accept = self.machine(self.program.accept)
        eos = self.symbols - 1
        live = [s for s in range(accept.size) if accept.output[s][eos] is not None]
        index = {state: i for i, state in enumerate(live)}
        rows = tuple(tuple(index[accept.delta[s][x]] for x in range(eos)) for s in live)
        accepting = frozenset(index[s] for s in live if accept.output[s][eos] is True)
        return minimal_dfa(DFA(self.program.alphabet, len(live), index[0], accepting, rows))


def _too_large(why: str, error: Exception) -> str:
    """Why a head is `unknown` for all lengths: its multiset of keys does not fix its output
    (WHY), and its running sums did not fit (ERROR)."""
    return (f"{why}; keeping the running sums instead does not fit ({error}); check up to a "
            "length")


def _observed(representative: Representative | None) -> Representative:
    """The output map of a machine: class representatives, or the identity."""
    return representative if representative is not None else _identity


def _identity(value: Any) -> Any:
    return value


def _step(machines: Sequence[Mealy], state: Product, symbol: int) -> Product:
    """The product's successor: every component reads SYMBOL."""
    return tuple(m.delta[s][symbol] for m, s in zip(machines, state, strict=True))
