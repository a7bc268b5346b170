"""The one-word reference interpreter: Python ints, query by query, with a full trace."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from verifier.check.types import Type
from verifier.interp.trace import HeadTrace, Row, Trace
from verifier.ir.apply import apply_elementwise, constant
from verifier.ir.nodes import ATTENTION, Node, Op, Program
from verifier.semantics import attention
from verifier.semantics.pyops import PyOps

_OPS = PyOps()


class _Run:
    """Evaluates every position node at every position 1..N+1 of one word."""

    def __init__(self, program: Program, word: Sequence[str]) -> None:
        self.program = program
        self.symbols = [program.alphabet.index(s) for s in word]
        self.length = len(word) + 1
        self.values: dict[int, list[Any]] = {}
        self.weights: dict[int, list[list[int | None]]] = {}
        self.pair_cache: dict[tuple[int, int, int], Any] = {}

    def run(self) -> None:
        for node_id, node in enumerate(self.program.nodes):
            if not node.pair:
                positions = range(1, self.length + 1)
                self.values[node_id] = [self.at(node_id, node, i) for i in positions]

    def at(self, node_id: int, node: Node, i: int) -> Any:
        if node.op is Op.SYMBOL:
            return i <= len(self.symbols) and self.symbols[i - 1] == node.const
        if node.op is Op.EOS:
            return i == self.length
        if node.op is Op.CONST:
            return constant(_OPS, node)
        if node.op in ATTENTION:
            return self.attend(node_id, node, i)
        args = [self.values[a][i - 1] for a in node.args]
        return apply_elementwise(_OPS, self.program.profile, node, args)

    def pair_at(self, node_id: int, i: int, j: int) -> Any:
        key = (node_id, i, j)
        if key not in self.pair_cache:
            node = self.program.nodes[node_id]
            if node.op is Op.QUERY:
                value = self.values[node.args[0]][i - 1]
            elif node.op is Op.KEY:
                value = self.values[node.args[0]][j - 1]
            elif node.op is Op.CONST:
                value = constant(_OPS, node)
            else:
                args = [self.pair_at(a, i, j) for a in node.args]
                value = apply_elementwise(_OPS, self.program.profile, node, args)
            self.pair_cache[key] = value
        return self.pair_cache[key]

    def attend(self, node_id: int, node: Node, i: int) -> Any:
        selector = node.selector
        assert selector is not None
        keys = [j for j in range(1, self.length + 1) if selector.sees(i, j)]
        kept = [selector.where is None or bool(self.pair_at(selector.where, i, j)) for j in keys]
        scores = None if selector.score is None else [
            self.pair_at(selector.score, i, j) for j in keys]
        values = [self.values[node.args[0]][j - 1] for j in keys]
        default = self.values[node.args[1]][i - 1]
        profile = self.program.profile
        if node.op is Op.AGGREGATE:
            output, weights = attention.aggregate(_OPS, profile, kept, scores, values, default)
            shown: list[int | None] = [w if k else None for w, k in zip(weights, kept, strict=True)]
        else:
            output, chosen = attention.pick(_OPS, profile, kept, scores, values, default,
                                            leftmost=node.op is Op.LEFTMOST)
            shown = [int(c) if k else None for c, k in zip(chosen, kept, strict=True)]
        grid = self.weights.setdefault(node_id, [[None] * self.length for _ in range(self.length)])
        for j, weight in zip(keys, shown, strict=True):
            grid[i - 1][j - 1] = weight
        return output


def run_word(program: Program, word: Sequence[str]) -> Trace:
    """Run PROGRAM on WORD (symbols of its alphabet); the trace of every named s-op and head."""
    run = _Run(program, word)
    run.run()
    names = dict((node_id, name) for name, node_id in reversed(program.named))
    rows = [Row(name, program.nodes[node_id].type, tuple(run.values[node_id]))
            for name, node_id in program.named]
    rows.append(Row("accept", Type.BOOL, tuple(run.values[program.accept])))
    heads = []
    for count, node_id in enumerate(program.attention_nodes(), start=1):
        node = program.nodes[node_id]
        assert node.selector is not None
        grid = tuple(tuple(row) for row in run.weights[node_id])
        heads.append(HeadTrace(names.get(node_id, f"head{count}"), node.op.value,
                               node.selector.describe(), grid))
    accepted = bool(run.values[program.accept][-1])
    return Trace(program.alphabet, program.profile, tuple(word), accepted, tuple(rows),
                 tuple(heads))
