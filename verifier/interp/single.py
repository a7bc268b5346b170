"""The one-word reference interpreter: Python ints, position by position, with a full trace.

A thin backend of the walker (`verifier.ir.evaluate`): positions 1..N+1 are walked in turn;
heads read the rows of the positions walked before and record their weight grids.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from verifier.check.types import Type
from verifier.interp.trace import HeadTrace, Row, Trace
from verifier.ir.apply import OpsBackend, PairReader, apply_attention, eos_value, symbol_value
from verifier.ir.evaluate import Store, position_order, walk_pair, walk_positions
from verifier.ir.nodes import Node, Program
from verifier.semantics.pyops import PyOps

_OPS = PyOps()


class _Run(OpsBackend):
    """The rows (position values by node id) of one word, walked position by position (I is
    the position being walked), and the heads' query x key grids."""

    def __init__(self, program: Program, word: Sequence[str]) -> None:
        super().__init__(_OPS, program.profile)
        self.program, self.symbols = program, [program.alphabet.index(s) for s in word]
        self.length = len(word) + 1
        self.rows: list[dict[int, Any]] = []
        self.weights: dict[int, list[list[int | None]]] = {
            h: [[None] * self.length for _ in range(self.length)]
            for h in program.attention_nodes()}
        self.pairs: dict[tuple[int, int], dict[int, Any]] = {}
        order = position_order(program)
        for i in range(1, self.length + 1):
            self.i = i
            self.rows.append({})  # a nonstrict head reads this row as a key
            walk_positions(program, self, self.rows[-1], order)

    def symbol(self, node_id: int, node: Node, values: Store[Any]) -> Any:
        return symbol_value(_OPS, node, self.i == self.length,
                            lambda k: self.symbols[self.i - 1] == k)

    def eos(self, node_id: int, node: Node, values: Store[Any]) -> Any:
        return eos_value(_OPS, self.i == self.length)

    def pair(self, root: int, i: int, j: int) -> Any:
        """The pair expression ROOT at (I, J)."""
        reader = PairReader(_OPS, self.profile, self.rows[i - 1].__getitem__,
                            self.rows[j - 1].__getitem__)
        return walk_pair(self.program, root, reader, self.pairs.setdefault((i, j), {}))

    def attend(self, node_id: int, node: Node, values: Store[Any]) -> Any:
        selector, i = node.selector, self.i
        assert selector is not None
        keys = [j for j in range(1, i + 1) if selector.sees(i, j)]
        kept = [selector.where is None or bool(self.pair(selector.where, i, j)) for j in keys]
        scores = None if selector.score is None else [
            self.pair(selector.score, i, j) for j in keys]
        keyed = [self.rows[j - 1][node.args[0]] for j in keys]
        output, weights = apply_attention(_OPS, self.profile, node, kept, scores, keyed,
                                          values[node.args[1]])
        for j, weight, flag in zip(keys, weights, kept, strict=True):
            self.weights[node_id][i - 1][j - 1] = int(weight) if flag else None
        return output


def run_word(program: Program, word: Sequence[str]) -> Trace:
    """Run PROGRAM on WORD (symbols of its alphabet); the trace of every named s-op and head."""
    run = _Run(program, word)
    names = dict((node_id, name) for name, node_id in reversed(program.named))
    rows = [Row(name, program.nodes[node_id].type, tuple(r[node_id] for r in run.rows))
            for name, node_id in program.named]
    accept = tuple(r[program.accept] for r in run.rows)
    rows.append(Row("accept", Type.BOOL, accept))
    heads = []
    for count, node_id in enumerate(program.attention_nodes(), start=1):
        node = program.nodes[node_id]
        assert node.selector is not None
        heads.append(HeadTrace(names.get(node_id, f"head{count}"), node.op.value,
                               node.selector.describe(),
                               tuple(tuple(row) for row in run.weights[node_id])))
    return Trace(program.alphabet, program.profile, tuple(word), bool(accept[-1]),
                 tuple(rows), tuple(heads))
