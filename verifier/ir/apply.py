"""The one dispatch from IR operations to the shared semantics, for backends of the walker
(`verifier.ir.evaluate`) built over a `NumOps`: element-wise operations, constants, the
symbol and eos leaves, and attention heads, each rule of the spec stated once here."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from verifier.ir.evaluate import Store, walk_pair
from verifier.ir.nodes import Node, Op, Program
from verifier.semantics import arith, attention
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


def pair_value(ops: NumOps[Any, Any], program: Program, node_id: int,
               query: Sequence[Any] | Store[Any], key: Mapping[int, Any]) -> Any:
    """A pair (where:/score:) node's value in backend OPS, given QUERY (position values at
    the query, indexed by node id) and KEY (the values the key exposes, by node id)."""
    reader = PairReader(ops, program.profile, query.__getitem__, key.__getitem__)
    return walk_pair(program, node_id, reader)


def constant(ops: NumOps[Any, Any], node: Node) -> Any:
    """The backend constant of a CONST node."""
    if isinstance(node.const, bool):
        return ops.bconst(node.const)
    assert isinstance(node.const, int)
    return ops.const(node.const)


def symbol_value(ops: NumOps[Any, Any], node: Node, at_eos: Any, holds: Callable[[int], Any]
                 ) -> Any:
    """A SYMBOL node: whether the token is the symbol `node.const` (HOLDS answers that for a
    position with a token, maybe as a Python bool). AT_EOS says whether this is the end
    position (a Python bool, or a backend boolean): no symbol holds there (LANGUAGE.md 2)."""
    assert isinstance(node.const, int)
    if at_eos is True:
        return ops.bconst(False)
    held = _boolean(ops, holds(node.const))
    return held if at_eos is False else ops.and_(ops.not_(at_eos), held)


def eos_value(ops: NumOps[Any, Any], at_eos: Any) -> Any:
    """An EOS node: AT_EOS (see `symbol_value`) as a backend boolean."""
    return _boolean(ops, at_eos)


def _boolean(ops: NumOps[Any, Any], value: Any) -> Any:
    return ops.bconst(value) if isinstance(value, bool) else value


def apply_attention(ops: NumOps[Any, Any], profile: Profile, node: Node, kept: list[Any],
                    scores: list[Any] | None, values: list[Any], default: Any,
                    counts: Sequence[Any] | None = None, max_keys: int | None = None,
                    capped: Sequence[bool] | None = None) -> tuple[Any, list[Any]]:
    """The head NODE over its keyed lists (`semantics.attention`: KEPT flags, SCORES or None
    for uniform, VALUES of `node.args[0]` at the keys, ascending; COUNTS for multisets, with
    MAX_KEYS bounding symbolic ones, CAPPED marking counts that stand for themselves or more):
    `(output, weights)` for `aggregate`, `(output, one-hot selection)` for `leftmost` and
    `rightmost`; DEFAULT (`node.args[1]` at the query) where no key is kept."""
    if node.op is Op.AGGREGATE:
        return attention.aggregate(ops, profile, kept, scores, values, default, counts, max_keys,
                                   capped)
    assert counts is None, "multiplicities are for soft heads"
    return attention.pick(ops, profile, kept, scores, values, default,
                          leftmost=node.op is Op.LEFTMOST)


class OpsBackend:
    """The `evaluate.Arithmetic` half of a walker backend: literals and element-wise
    operations in OPS, by the shared semantics of PROFILE."""

    def __init__(self, ops: NumOps[Any, Any], profile: Profile) -> None:
        self.ops, self.profile = ops, profile

    def constant(self, node_id: int, node: Node, values: Store[Any]) -> Any:
        return constant(self.ops, node)

    def elementwise(self, node_id: int, node: Node, values: Store[Any]) -> Any:
        return apply_elementwise(self.ops, self.profile, node, [values[a] for a in node.args])


class PairReader(OpsBackend):
    """A pair backend at one pair: `x[i]` is QUERY(x), `x[j]` is KEY(x), by node id x."""

    def __init__(self, ops: NumOps[Any, Any], profile: Profile, query: Callable[[int], Any],
                 key: Callable[[int], Any]) -> None:
        super().__init__(ops, profile)
        self.read_query, self.read_key = query, key

    def query(self, node_id: int, node: Node, values: Store[Any]) -> Any:
        return self.read_query(node.args[0])

    def key(self, node_id: int, node: Node, values: Store[Any]) -> Any:
        return self.read_key(node.args[0])


class PositionReader(OpsBackend):
    """A position backend (`evaluate.PositionBackend`) at one position: AT_EOS and HOLDS as
    in `symbol_value`; a head's value from ATTEND, a backend `attend` method (None: no head
    is computed, e.g. heads whose outputs are given in the store)."""

    def __init__(self, ops: NumOps[Any, Any], profile: Profile, at_eos: Any,
                 holds: Callable[[int], Any],
                 attend: Callable[[int, Node, Store[Any]], Any] | None = None) -> None:
        super().__init__(ops, profile)
        self.at_eos, self.holds, self.head = at_eos, holds, attend

    def symbol(self, node_id: int, node: Node, values: Store[Any]) -> Any:
        return symbol_value(self.ops, node, self.at_eos, self.holds)

    def eos(self, node_id: int, node: Node, values: Store[Any]) -> Any:
        return eos_value(self.ops, self.at_eos)

    def attend(self, node_id: int, node: Node, values: Store[Any]) -> Any:
        if self.head is None:
            raise AssertionError(f"head #{node_id} is not computed by this walk")
        return self.head(node_id, node, values)
