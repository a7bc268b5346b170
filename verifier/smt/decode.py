"""Decoding: a Z3 model of an encoding back into the interpreter's `Trace` shape."""

from __future__ import annotations

from typing import Any

import z3

from verifier.check.types import Type
from verifier.interp.trace import HeadTrace, Row, Trace
from verifier.smt.encode import Encoding


def model_value(value: Any, model: z3.ModelRef) -> int | bool:
    """The Python value of a folded constant or a Z3 term in MODEL."""
    if isinstance(value, (bool, int)):
        return value
    term = z3.simplify(model.eval(value, model_completion=True))
    if z3.is_bool(term):
        return bool(z3.is_true(term))
    return int(term.as_signed_long())


def decode_trace(encoding: Encoding, model: z3.ModelRef) -> Trace:
    """The run that MODEL describes: the word, every named s-op and every head's grid."""
    program = encoding.program
    word = encoding.word.decode(model, encoding.length)
    rows = [Row(name, program.nodes[node_id].type,
                tuple(model_value(v, model) for v in encoding.values(node_id)))
            for name, node_id in program.named]
    accept = tuple(model_value(v, model) for v in encoding.values(program.accept))
    rows.append(Row("accept", Type.BOOL, accept))
    heads = tuple(_head(encoding, model, node_id, count)
                  for count, node_id in enumerate(program.attention_nodes(), start=1))
    return Trace(program.alphabet, program.profile, word, bool(accept[-1]), tuple(rows), heads)


def _head(encoding: Encoding, model: z3.ModelRef, node_id: int, count: int) -> HeadTrace:
    """One head's grid: the raw weight (soft) or the 0/1 selection (hard) of each kept key."""
    program = encoding.program
    node = program.nodes[node_id]
    assert node.selector is not None
    names = dict((n, name) for name, n in reversed(program.named))
    size = encoding.length + 1
    grid: list[list[int | None]] = [[None] * size for _ in range(size)]
    for handle in encoding.handles():
        for key, kept, weight in encoding.unroller.heads[(node_id, handle)]:
            if model_value(kept, model):
                grid[handle[0] - 1][key - 1] = int(model_value(weight, model))
    return HeadTrace(names.get(node_id, f"head{count}"), node.op.value,
                     node.selector.describe(), tuple(tuple(r) for r in grid))

