"""The thin Lark boundary: a Transformer that builds AST nodes and nothing else."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import lark
from lark import Token, v_args

from verifier.errors import Span
from verifier.syntax import ast


def token_span(token: Token) -> Span:
    """The span of a Lark token."""
    return Span(token.line or 1, token.column or 1, token.end_line or 1, token.end_column or 1)


def meta_span(meta: Any) -> Span:
    """The span of a Lark rule's meta."""
    return Span(meta.line, meta.column, meta.end_line, meta.end_column)


def unquote(token: Token) -> str:
    """The content of a STRING token, with `\\"` and `\\\\` unescaped."""
    body = str(token)[1:-1]
    out, escaped = [], False
    for char in body:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            out.append(char)
    return "".join(out)


def symbol_of(token: Token) -> str:
    """The symbol a token names: `<0>` and `"0"` name `0`; a bare one names itself."""
    if token.type == "STRING":
        return unquote(token)
    if token.type == "SYMBOL":
        return str(token)[1:-1]
    return str(token)


def raw_offset(raw: str, offset: int) -> int:
    """The offset in the quoted text RAW of character OFFSET of its unescaped content."""
    position, index = 0, 0
    while index < len(raw) and position < offset:
        index += 2 if raw[index] == "\\" else 1
        position += 1
    return index + (1 if index < len(raw) and raw[index] == "\\" else 0)


def inner_span(token: Token) -> Span:
    """The span of a STRING token's content (inside the quotes)."""
    span = token_span(token)
    end = max(span.column + 1, span.end_column - 1)
    return Span(span.line, span.column + 1, span.end_line, end)


@v_args(meta=True)
class BuildAst(lark.visitors.Transformer_NonRecursive[Token, Any]):
    """Builds ast nodes from the parse tree of grammars/attn.lark (bottom-up with an explicit
    stack: an expression of any depth is built without recursion)."""

    def __init__(self, source: str) -> None:
        super().__init__(visit_tokens=False)
        self._lines = source.splitlines()

    def __default__(self, data: Any, children: Any, meta: Any) -> Any:
        if data == "start":
            return lark.Tree("start", children)
        raise NotImplementedError(f"grammar rule without an AST builder: {data}")

    def _text(self, span: Span) -> str:
        if span.line != span.end_line:
            first = self._lines[span.line - 1][span.column - 1 :]
            return " ".join([first] + [ln.strip() for ln in self._lines[span.line : span.end_line]])
        return self._lines[span.line - 1][span.column - 1 : span.end_column - 1]

    # statements
    def alphabet_stmt(self, meta: Any, names: list[Token]) -> ast.Alphabet:
        symbols = tuple((symbol_of(n), token_span(n)) for n in names)
        bare = frozenset(k for k, n in enumerate(names) if n.type == "BARE_SYMBOL")
        return ast.Alphabet(symbols, meta_span(meta), bare)

    def precision_stmt(self, meta: Any, children: list[Any]) -> ast.Precision:
        int_bits, frac_bits, *options = children
        return ast.Precision(
            int(int_bits), int(frac_bits), tuple(options), meta_span(meta),
            token_span(int_bits), token_span(frac_bits),
        )

    def precision_float(self, meta: Any, children: list[Any]) -> ast.Precision:
        kind, int_bits, frac_bits, *options = children
        return ast.Precision(
            int(int_bits), int(frac_bits), tuple(options), meta_span(meta),
            token_span(int_bits), token_span(frac_bits), str(kind), token_span(kind),
        )

    def precision_preset(self, meta: Any, children: list[Any]) -> ast.Precision:
        kind, *options = children
        span = token_span(kind)
        return ast.Precision(0, 0, tuple(options), meta_span(meta), span, span, str(kind), span)

    def profile_option(self, meta: Any, children: list[Token]) -> tuple[str, str, Span]:
        key, value = children
        return (str(key), str(value), meta_span(meta))

    def define_stmt(self, meta: Any, children: list[Any]) -> ast.Define:
        name, expr = children
        return ast.Define(str(name), expr, meta_span(meta), token_span(name))

    def language_stmt(self, meta: Any, children: list[Any]) -> ast.LanguageDef:
        name, lang = children
        return ast.LanguageDef(str(name), lang, meta_span(meta), token_span(name))

    def accept_stmt(self, meta: Any, children: list[Any]) -> ast.Accept:
        return ast.Accept(children[0], meta_span(meta))

    def assert_stmt(self, meta: Any, children: list[Any]) -> ast.Assert:
        claim: ast.Claim = children[0]
        return ast.Assert(claim, self._text(claim.span), meta_span(meta))

    # claims and languages
    def _claim(self, kind: ast.ClaimKind, meta: Any, children: list[Any]) -> ast.Claim:
        target, bound = children[0], children[1] if len(children) > 1 else None
        bound_value = int(bound) if bound is not None else None
        bound_span = token_span(bound) if bound is not None else None
        if isinstance(target, Token):
            return ast.Claim(kind, None, unquote(target), bound_value, meta_span(meta),
                             inner_span(target), bound_span, str(target)[1:-1])
        return ast.Claim(kind, target, None, bound_value, meta_span(meta), None, bound_span)

    def recognizes(self, meta: Any, children: list[Any]) -> ast.Claim:
        return self._claim("recognizes", meta, children)

    def not_recognizes(self, meta: Any, children: list[Any]) -> ast.Claim:
        return self._claim("not_recognizes", meta, children)

    def equivalent(self, meta: Any, children: list[Any]) -> ast.Claim:
        return self._claim("equivalent", meta, children)

    def accepts(self, meta: Any, children: list[Any]) -> ast.Claim:
        return self._claim("accepts", meta, children)

    def rejects(self, meta: Any, children: list[Any]) -> ast.Claim:
        return self._claim("rejects", meta, children)

    def bound(self, meta: Any, children: list[Token]) -> Token:
        return children[0]

    def lang_literal(self, meta: Any, children: list[Any]) -> ast.LangLiteral:
        kind, text = children
        return ast.LangLiteral(kind, unquote(text), meta_span(meta), inner_span(text),
                               str(text)[1:-1])

    def lang_kind(self, meta: Any, children: list[Token]) -> str:
        return str(children[0])

    def lang_name(self, meta: Any, children: list[Token]) -> ast.LangName:
        return ast.LangName(str(children[0]), meta_span(meta))

    # expressions
    def ite(self, meta: Any, children: list[Any]) -> ast.Ite:
        return ast.Ite(children[0], children[1], children[2], meta_span(meta))

    def _binary(self, op: Any, meta: Any, children: list[Any]) -> ast.Binary:
        return ast.Binary(op, children[0], children[1], meta_span(meta))

    def or_op(self, meta: Any, children: list[Any]) -> ast.Binary:
        return self._binary("or", meta, children)

    def and_op(self, meta: Any, children: list[Any]) -> ast.Binary:
        return self._binary("and", meta, children)

    def add(self, meta: Any, children: list[Any]) -> ast.Binary:
        return self._binary("+", meta, children)

    def sub(self, meta: Any, children: list[Any]) -> ast.Binary:
        return self._binary("-", meta, children)

    def mul(self, meta: Any, children: list[Any]) -> ast.Binary:
        return self._binary("*", meta, children)

    def not_op(self, meta: Any, children: list[Any]) -> ast.Unary:
        return ast.Unary("not", children[0], meta_span(meta))

    def neg(self, meta: Any, children: list[Any]) -> ast.Expr:
        operand = children[0]
        span = meta_span(meta)
        adjacent = (operand.span.line == span.line and operand.span.column == span.column + 1)
        if isinstance(operand, ast.Number) and adjacent and not operand.text.startswith("-"):
            return ast.Number("-" + operand.text, -operand.value, span)
        return ast.Unary("neg", operand, span)

    def compare(self, meta: Any, children: list[Any]) -> ast.Compare:
        left, op, right = children
        return ast.Compare(str(op), left, right, meta_span(meta))

    def number(self, meta: Any, children: list[Token]) -> ast.Number:
        return ast.Number(str(children[0]), Fraction(str(children[0])), meta_span(meta))

    def true(self, meta: Any, children: list[Any]) -> ast.BoolLit:
        return ast.BoolLit(True, meta_span(meta))

    def false(self, meta: Any, children: list[Any]) -> ast.BoolLit:
        return ast.BoolLit(False, meta_span(meta))

    def name(self, meta: Any, children: list[Token]) -> ast.Name:
        return ast.Name(str(children[0]), meta_span(meta))

    def indexed(self, meta: Any, children: list[Token]) -> ast.Indexed:
        return ast.Indexed(str(children[0]), str(children[1]), meta_span(meta))

    def symbol(self, meta: Any, children: list[Token]) -> ast.Name:
        return ast.Name(symbol_of(children[0]), meta_span(meta), symbol=True)

    def symbol_indexed(self, meta: Any, children: list[Token]) -> ast.Indexed:
        return ast.Indexed(symbol_of(children[0]), str(children[1]), meta_span(meta),
                           symbol=True)

    def call(self, meta: Any, children: list[Any]) -> ast.Call:
        func, *args = children
        return ast.Call(func, tuple(a for a in args if a is not None), meta_span(meta))

    def func_name(self, meta: Any, children: list[Token]) -> str:
        return str(children[0])

    def attend_kind(self, meta: Any, children: list[Token]) -> str:
        return str(children[0])

    def attend(self, meta: Any, children: list[Any]) -> ast.Attend:
        kind, selector, value, default = children
        return ast.Attend(kind, selector, value, default, meta_span(meta))

    def select(self, meta: Any, children: list[Any]) -> ast.Select:
        (scope, window), *options = children
        nonstrict = any(kind == "nonstrict" for kind, _, _ in options)
        where = next((e for kind, e, _ in options if kind == "where"), None)
        score = next((e for kind, e, _ in options if kind == "score"), None)
        seen: set[str] = set()
        repeated = []
        for kind, _, option_span in options:
            if kind in seen:
                repeated.append((kind, option_span))
            seen.add(kind)
        return ast.Select(scope, window, nonstrict, where, score, meta_span(meta),
                          tuple(repeated))

    def global_scope(self, meta: Any, children: list[Any]) -> tuple[str, None]:
        return ("global", None)

    def local_scope(self, meta: Any, children: list[Token]) -> tuple[str, int]:
        return ("local", int(children[0]))

    def nonstrict(self, meta: Any, children: list[Any]) -> tuple[str, None, Span]:
        return ("nonstrict", None, meta_span(meta))

    def where(self, meta: Any, children: list[Any]) -> tuple[str, Any, Span]:
        return ("where", children[0], meta_span(meta))

    def score(self, meta: Any, children: list[Any]) -> tuple[str, Any, Span]:
        return ("score", children[0], meta_span(meta))
