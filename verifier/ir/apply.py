"""The one dispatch from element-wise IR operations to the shared semantics (any backend)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from verifier.ir.nodes import Node, Op
from verifier.semantics import arith
from verifier.semantics.numops import NumOps
from verifier.semantics.profile import Profile

_NUM_BINARY = {Op.ADD: arith.add, Op.SUB: arith.sub, Op.MUL: arith.mul, Op.MIN: arith.minimum,
               Op.MAX: arith.maximum}
_NUM_UNARY = {Op.NEG: arith.neg, Op.ABS: arith.absolute, Op.RELU: arith.relu, Op.EXP: arith.exp}
_COMPARE = {Op.LT: arith.lt, Op.LE: arith.le, Op.GT: arith.gt, Op.GE: arith.ge, Op.EQ: arith.eq,
            Op.NE: arith.ne}

#: Every operation `apply_elementwise` handles; the others are leaves or attention.
ELEMENTWISE_OPS = frozenset(_NUM_BINARY) | frozenset(_NUM_UNARY) | frozenset(_COMPARE) | {
    Op.AND, Op.OR, Op.NOT, Op.ITE, Op.TO_NUM}


def apply_elementwise(ops: NumOps[Any, Any], profile: Profile, node: Node,
                      args: Sequence[Any]) -> Any:
    """The value of an element-wise NODE given its argument values, in backend OPS."""
    op = node.op
    if op in _NUM_BINARY:
        return _NUM_BINARY[op](ops, profile, args[0], args[1])
    if op in _NUM_UNARY:
        return _NUM_UNARY[op](ops, profile, args[0])
    if op in _COMPARE:
        return _COMPARE[op](ops, profile, args[0], args[1])
    if op is Op.AND:
        return ops.and_(args[0], args[1])
    if op is Op.OR:
        return ops.or_(args[0], args[1])
    if op is Op.NOT:
        return ops.not_(args[0])
    if op is Op.ITE:
        return ops.ite(args[0], args[1], args[2])
    if op is Op.TO_NUM:
        return arith.bool_to_num(ops, profile, args[0])
    raise AssertionError(f"{op} is not element-wise")


def pair_value(ops: NumOps[Any, Any], nodes: Sequence[Node], profile: Profile, node_id: int,
               query: Sequence[Any], key: Mapping[int, Any]) -> Any:
    """A pair (where:/score:) node's value in backend OPS, given QUERY (position values at
    the query, indexed by node id) and KEY (the values the key exposes, by node id)."""
    node = nodes[node_id]
    if node.op is Op.QUERY:
        return query[node.args[0]]
    if node.op is Op.KEY:
        return key[node.args[0]]
    if node.op is Op.CONST:
        return constant(ops, node)
    args = [pair_value(ops, nodes, profile, a, query, key) for a in node.args]
    return apply_elementwise(ops, profile, node, args)


def constant(ops: NumOps[Any, Any], node: Node) -> Any:
    """The backend constant of a CONST node."""
    if isinstance(node.const, bool):
        return ops.bconst(node.const)
    assert isinstance(node.const, int)
    return ops.const(node.const)
