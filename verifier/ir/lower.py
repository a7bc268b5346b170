"""Lowering: a checked AST becomes the frozen, hash-consed IR.

Operands are lowered by yielding them (syntax/walk.py): the rules read as recursion, and an
expression of any depth is lowered without it.
"""

from __future__ import annotations

from verifier.check.checker import CheckedProgram
from verifier.check.types import Type
from verifier.ir.nodes import Node, Op, Program, Selector
from verifier.syntax import ast
from verifier.syntax.walk import Step, trampoline

Lower = Step[ast.Expr, int]

_BINARY = {"+": Op.ADD, "-": Op.SUB, "*": Op.MUL, "and": Op.AND, "or": Op.OR}
_COMPARE = {"<": Op.LT, "<=": Op.LE, ">": Op.GT, ">=": Op.GE, "==": Op.EQ, "!=": Op.NE}
_CALLS = {"min": Op.MIN, "max": Op.MAX, "abs": Op.ABS, "relu": Op.RELU, "exp": Op.EXP}


class _Builder:
    """Appends hash-consed nodes; `env` maps source names to node ids or selectors."""

    def __init__(self, checked: CheckedProgram) -> None:
        self.checked = checked
        self.nodes: list[Node] = []
        self.index: dict[Node, int] = {}
        self.env: dict[str, int | Selector] = {}
        self.pair = False
        for position, symbol in enumerate(checked.alphabet):
            self.env[symbol] = self.add(Node(Op.SYMBOL, Type.BOOL, const=position))
        self.env["eos"] = self.add(Node(Op.EOS, Type.BOOL))

    def add(self, node: Node) -> int:
        """The id of NODE, appended unless an identical node exists."""
        if node not in self.index:
            self.index[node] = len(self.nodes)
            self.nodes.append(node)
        return self.index[node]

    def const(self, value: int | bool, kind: Type) -> int:
        return self.add(Node(Op.CONST, kind, const=value, pair=self.pair))

    def as_num(self, node_id: int) -> int:
        """NODE_ID itself if it is a num, else its 0/1 conversion."""
        if self.nodes[node_id].type is Type.NUM:
            return node_id
        node = self.nodes[node_id]
        if node.op is Op.CONST:
            one = self.checked.profile.encode(1) if node.const else 0
            return self.const(one, Type.NUM)
        return self.add(Node(Op.TO_NUM, Type.NUM, (node_id,), pair=self.pair))

    def op(self, op: Op, kind: Type, *args: int) -> int:
        return self.add(Node(op, kind, args, pair=self.pair))

    def expr(self, expr: ast.Expr) -> int:
        """The node id of an s-op expression (a position or pair expression)."""
        return trampoline(self._expr(expr), self._expr)

    def _expr(self, expr: ast.Expr) -> Lower:
        kind = self.checked.types[expr]
        match expr:
            case ast.Number(value=value):
                return self.const(self.checked.profile.encode(value), Type.NUM)
            case ast.BoolLit(value=value):
                return self.const(value, Type.BOOL)
            case ast.Name(name=name):
                target = self.env[name]
                assert isinstance(target, int)
                return target
            case ast.Indexed(name=name, index=index):
                target = self.env[name]
                assert isinstance(target, int)
                return self.op(Op.QUERY if index == "i" else Op.KEY, kind, target)
            case ast.Unary(op="not", operand=operand):
                return self.op(Op.NOT, Type.BOOL, (yield operand))
            case ast.Unary(operand=operand):
                return self.op(Op.NEG, Type.NUM, self.as_num((yield operand)))
            case ast.Binary(op=op, left=left, right=right):
                return (yield from self.binary(_BINARY[op], kind, left, right))
            case ast.Compare(op=op, left=left, right=right):
                return (yield from self.binary(_COMPARE[op], Type.NUM, left, right,
                                               result=Type.BOOL))
            case ast.Call(func=func, args=args):
                ids = []
                for arg in args:
                    ids.append(self.as_num((yield arg)))
                return self.op(_CALLS[func], Type.NUM, *ids)
            case ast.Ite(cond=cond, then=then, orelse=orelse):
                return (yield from self.ite(kind, cond, then, orelse))
            case ast.Attend():
                return (yield from self.attend(expr, kind))
        raise AssertionError(f"no lowering for {type(expr).__name__}")

    def binary(self, op: Op, operand: Type, left: ast.Expr, right: ast.Expr,
               result: Type | None = None) -> Lower:
        ids = [(yield left), (yield right)]
        if operand is Type.NUM:
            ids = [self.as_num(i) for i in ids]
        return self.op(op, result or operand, *ids)

    def ite(self, kind: Type, cond: ast.Expr, then: ast.Expr, orelse: ast.Expr) -> Lower:
        branches = [(yield then), (yield orelse)]
        if kind is Type.NUM:
            branches = [self.as_num(b) for b in branches]
        return self.op(Op.ITE, kind, (yield cond), *branches)

    def selector(self, expr: ast.Expr) -> Selector:
        """The selector a selector expression (a name or a `select(…)`) denotes."""
        return trampoline(self._selector(expr), self._expr)

    def _selector(self, expr: ast.Expr) -> Step[ast.Expr, Selector]:
        if isinstance(expr, ast.Name):
            target = self.env[expr.name]
            assert isinstance(target, Selector)
            return target
        assert isinstance(expr, ast.Select)
        self.pair = True
        try:
            where = (yield expr.where) if expr.where is not None else None
            score = self.as_num((yield expr.score)) if expr.score is not None else None
        finally:
            self.pair = False
        return Selector(expr.scope, expr.window, expr.nonstrict, where, score)

    def attend(self, expr: ast.Attend, kind: Type) -> Lower:
        selector = yield from self._selector(expr.selector)
        value = yield expr.value
        if expr.kind == "aggregate":
            value = self.as_num(value)
        if expr.default is None:
            default = self.const(False if kind is Type.BOOL else 0, kind)
        else:
            default = yield expr.default
            default = self.as_num(default) if kind is Type.NUM else default
        op = {"aggregate": Op.AGGREGATE, "leftmost": Op.LEFTMOST, "rightmost": Op.RIGHTMOST}
        return self.add(Node(op[expr.kind], kind, (value, default), selector=selector))


def lower(checked: CheckedProgram) -> Program:
    """The IR of a checked program."""
    builder = _Builder(checked)
    named: list[tuple[str, int]] = []
    for definition in checked.definitions:
        if checked.types.get(definition.expr) is Type.SELECTOR:
            builder.env[definition.name] = builder.selector(definition.expr)
            continue
        node_id = builder.expr(definition.expr)
        builder.env[definition.name] = node_id
        named.append((definition.name, node_id))
    accept = builder.expr(checked.accept.expr)
    return Program(checked.path, checked.alphabet, checked.profile, tuple(builder.nodes),
                   accept, tuple(named))
