"""What the consumers of an s-op can observe: build its machine only up to that.

An s-op read only by element-wise s-ops (say `near > 0`) need not be output exactly: two
values `v`, `v'` are *interchangeable* when every consumer `c = f(…, n, …)` gives the same
value with `n = v` and `n = v'` for every value of its other arguments. The machine of `n` may
then output a representative of `v`'s class instead of `v` (the first value met of that
class), and its consumers still compute exactly their values; the machine needs only as many
states as the classes force (for a k-local head, the window summary shrinks with them:
window.py).

Soundness. Let `c = f(n, m)`, the machine of `n` output `r(a)` for the true value `a`, and the
machine of `m` output the true `b`. The class of `n` is computed against a superset `B` of
`m`'s values, so `f(r(a), b) = f(a, b)`. For that, every other argument `m` must output its
true values and its value set must be known when `n` is built: `m` is a leaf (symbol, eos,
constant: values known statically) or an already-built machine that was not itself reduced
(its outputs are then its true values, a superset of those met). A node read by a head
(`x[i]`, `x[j]`, value or default) or read as `accept` is never reduced.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping
from typing import Any

from verifier.engines.moore import Mealy
from verifier.ir.apply import ELEMENTWISE_OPS, apply_elementwise, constant
from verifier.ir.evaluate import position_inputs, position_order
from verifier.ir.nodes import Op, Program
from verifier.semantics.pyops import PyOps

_OPS = PyOps()

#: The most combinations of other arguments' values a consumer is tabulated over.
MAX_COMBINATIONS = 1024

Representative = Callable[[Any], Any]


class Observer:
    """The consumers of every position node in the cone of PROGRAM's `accept`, and the
    interchangeability classes of the nodes that only element-wise s-ops read."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self.consumers: dict[int, list[int]] = {}
        for node_id in position_order(program, [program.accept]):
            for source in position_inputs(program, node_id):
                self.consumers.setdefault(source, []).append(node_id)
        self.reduced: set[int] = set()

    def representative(self, node_id: int, machines: Mapping[int, Mealy]
                       ) -> Representative | None:
        """The map from NODE_ID's values to their class representatives (module docstring),
        or None when its values must be output exactly. MACHINES: those built so far."""
        program = self.program
        if node_id == program.accept:
            return None
        rows: list[tuple[int, dict[int, Any]]] = []
        for consumer in self.consumers.get(node_id, []):
            node = program.nodes[consumer]
            if node.op not in ELEMENTWISE_OPS or node.selector is not None:
                return None
            others = sorted(set(node.args) - {node_id})
            sets: list[list[Any]] = []
            for other in others:
                values = self._values(other, machines)
                if values is None:
                    return None
                sets.append(values)
            if math.prod(len(values) for values in sets) > MAX_COMBINATIONS:
                return None
            rows += [(consumer, dict(zip(others, combo, strict=True)))
                     for combo in itertools.product(*sets)]
        if not rows:
            return None
        self.reduced.add(node_id)
        return _classes(program, node_id, rows)

    def _values(self, node_id: int, machines: Mapping[int, Mealy]) -> list[Any] | None:
        """Every value NODE_ID can take (a superset), if known and exact; else None."""
        node = self.program.nodes[node_id]
        if node.op is Op.CONST:
            return [constant(_OPS, node)]
        if node.op in (Op.SYMBOL, Op.EOS):
            return [False, True]
        if node_id in self.reduced or node_id not in machines:
            return None
        found = {v for row in machines[node_id].output for v in row if v is not None}
        return sorted(found, key=repr)


def _classes(program: Program, node_id: int, rows: list[tuple[int, dict[int, Any]]]
             ) -> Representative:
    """The representative map of NODE_ID over its consumers' ROWS (consumer, other values)."""
    profile = program.profile
    first: dict[tuple[Any, ...], Any] = {}
    known: dict[Any, Any] = {}

    def signature(value: Any) -> tuple[Any, ...]:
        out = []
        for consumer, others in rows:
            node = program.nodes[consumer]
            args = [value if a == node_id else others[a] for a in node.args]
            result = apply_elementwise(_OPS, profile, node, args)
            out.append((type(result).__name__, result))
        return tuple(out)

    def representative(value: Any) -> Any:
        if value is None:
            return None
        key = (type(value).__name__, value)
        if key not in known:
            known[key] = first.setdefault(signature(value), value)
        return known[key]

    return representative
