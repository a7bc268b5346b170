"""Type-checks expressions: names, types, the x[i]/x[j] rules and representable literals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import GeneratorType

from verifier.check.types import INDEX_NAMES, Type
from verifier.errors import Span
from verifier.syntax import ast
from verifier.syntax.symbols import symbol_problem, symbol_text
from verifier.syntax.walk import Step, trampoline

Report = Callable[[Span, str], None]
Encode = Callable[[ast.Number], bool]
Check = Step[ast.Expr, Type | None]

_NUMERIC_CALLS = {"min": 2, "max": 2, "abs": 1, "relu": 1, "exp": 1}


@dataclass
class ExprChecker:
    """Infers the type of each expression given the names defined so far; reports errors.

    The rules read as recursion; an operand is checked by yielding it (see syntax/walk.py),
    so an expression of any depth is checked without recursion.
    """

    env: dict[str, Type]
    report: Report
    representable: Encode
    symbols: tuple[str, ...] = ()  # the alphabet: what `<…>` and `"…"` may name
    #: Why the profile cannot compute `exp` (scored softmax, `exp(x)`); None when it can.
    exp_problem: str | None = None
    types: dict[ast.Expr, Type] = field(default_factory=dict)
    in_selector: bool = False

    def check(self, expr: ast.Expr) -> Type | None:
        """The type of EXPR (None after an error), recorded in `types`."""
        return trampoline(self._check(expr), self._check)

    def _check(self, expr: ast.Expr) -> Check:
        kind = yield from self._infer(expr)
        if kind is not None:
            self.types[expr] = kind
        return kind

    def _infer(self, expr: ast.Expr) -> Check:
        method = getattr(self, "_" + type(expr).__name__.lower())
        result = method(expr)
        if isinstance(result, GeneratorType):  # an operator: its operands are checked first
            result = yield from result
        kind: Type | None = result
        return kind

    def _number(self, expr: ast.Number) -> Type | None:
        return Type.NUM if self.representable(expr) else None

    def _boollit(self, expr: ast.BoolLit) -> Type:
        return Type.BOOL

    def _name(self, expr: ast.Name) -> Type | None:
        if self.in_selector:
            name = _written(expr)
            what = "symbol" if expr.symbol else "bare name"
            self.report(expr.span, f"{what} '{name}' inside a selector: write "
                        f"'{name}[i]' (query) or '{name}[j]' (key)")
            return None
        if expr.symbol:
            return self._symbol(expr.name, expr.span)
        return self._lookup(expr.name, expr.span)

    def _symbol(self, symbol: str, span: Span) -> Type | None:
        """A symbol written `<…>` or quoted: an alphabet symbol, never an s-op."""
        if symbol in self.symbols:
            return Type.BOOL
        if not symbol:
            self.report(span, "a symbol cannot be empty")
            return None
        shown = " ".join(symbol_text(s, alphabet=True) for s in self.symbols
                         if not symbol_problem(s))
        hint = f"; '{symbol}' is an s-op: write it bare" if symbol in self.env else ""
        self.report(span, f"unknown symbol {symbol!r}: not in the alphabet {shown}{hint}")
        return None

    def symbol_hint(self, expr: ast.Expr) -> str:
        """For a number that is also a symbol (`0` over `alphabet 0 1`), how to write the
        symbol; else ""."""
        if isinstance(expr, ast.Number) and expr.text in self.symbols:
            return (f" (a bare {expr.text} is a number: write the symbol as "
                    f"{symbol_text(expr.text)})")
        return ""

    def _indexed(self, expr: ast.Indexed) -> Type | None:
        if not self.in_selector:
            self.report(expr.span, f"'{_written(expr)}[{expr.index}]' outside a selector's "
                        f"where:/score: (write '{_written(expr)}')")
            return None
        if expr.index not in INDEX_NAMES:
            self.report(expr.span, f"index must be 'i' (query) or 'j' (key), not '{expr.index}'")
            return None
        if expr.symbol:
            return self._symbol(expr.name, expr.span)
        kind = self._lookup(expr.name, expr.span)
        if kind is Type.SELECTOR:
            self.report(expr.span, f"'{expr.name}' is a selector, not an s-op")
            return None
        return kind

    def _lookup(self, name: str, span: Span) -> Type | None:
        if name not in self.env:
            self.report(span, f"undefined name '{name}'")
            return None
        kind = self.env[name]
        return None if kind is Type.ERROR else kind

    # An operator fixes its result type, so an operand's error does not cascade upwards.
    def _unary(self, expr: ast.Unary) -> Check:
        want = Type.BOOL if expr.op == "not" else Type.NUM
        yield from self._expect(expr.operand, want)
        return want

    def _binary(self, expr: ast.Binary) -> Check:
        want = Type.BOOL if expr.op in ("and", "or") else Type.NUM
        yield from self._expect(expr.left, want)
        yield from self._expect(expr.right, want)
        return want

    def _compare(self, expr: ast.Compare) -> Check:
        yield from self._expect(expr.left, Type.NUM)
        yield from self._expect(expr.right, Type.NUM)
        return Type.BOOL

    def _call(self, expr: ast.Call) -> Check:
        if expr.func == "exp" and self.exp_problem is not None:
            self.report(expr.span, f"exp(): {self.exp_problem}")
        arity = _NUMERIC_CALLS[expr.func]
        if len(expr.args) != arity:
            self.report(expr.span, f"{expr.func}() takes {arity} argument"
                        f"{'s' if arity > 1 else ''}, got {len(expr.args)}")
            return None
        for arg in expr.args:
            yield from self._expect(arg, Type.NUM)
        return Type.NUM

    def _ite(self, expr: ast.Ite) -> Check:
        cond_ok = yield from self._expect(expr.cond, Type.BOOL)
        then = yield expr.then
        orelse = yield expr.orelse
        if then is None or orelse is None or not cond_ok:
            return None
        if Type.SELECTOR in (then, orelse):
            self.report(expr.span, "if/then/else cannot choose between selectors")
            return None
        return Type.BOOL if then is orelse is Type.BOOL else Type.NUM

    def _select(self, expr: ast.Select) -> Check:
        if self.in_selector:
            self.report(expr.span, "select() inside a selector's where:/score:")
            return None
        ok = self._check_window(expr)
        self.in_selector = True
        try:
            if expr.where is not None:
                ok &= yield from self._expect(expr.where, Type.BOOL, "where:")
            if expr.score is not None:
                ok &= yield from self._expect(expr.score, Type.NUM, "score:")
                if self.exp_problem is not None:
                    self.report(expr.score.span, f"a scored softmax: {self.exp_problem}")
        finally:
            self.in_selector = False
        return Type.SELECTOR if ok else None

    def _check_window(self, expr: ast.Select) -> bool:
        for kind, span in expr.repeated:
            label = kind if kind == "nonstrict" else f"{kind}:"
            self.report(span, f"'{label}' given twice in one select()")
        if expr.scope == "local" and (expr.window or 0) < 1:
            self.report(expr.span, "local window must be at least 1")
            return False
        return not expr.repeated

    def _attend(self, expr: ast.Attend) -> Check:
        if self.in_selector:
            self.report(expr.span, f"{expr.kind}() inside a selector: name it first, "
                        "then read it as x[i] or x[j]")
            return None
        selector_ok = yield from self._expect(expr.selector, Type.SELECTOR)
        value = yield expr.value
        if value is Type.SELECTOR:
            self.report(expr.value.span, "the value of an attention must be an s-op")
            return None
        if value is None or not selector_ok:
            return None
        result = Type.NUM if expr.kind == "aggregate" else value
        if expr.default is not None:
            default_ok = yield from self._expect(expr.default, result, "default:")
            if not default_ok:
                return None
        return result

    def _expect(self, expr: ast.Expr, want: Type, where: str = ""
                ) -> Step[ast.Expr, bool]:
        """Check EXPR and that it can be used as WANT (a bool is usable as a num)."""
        got: Type | None = yield expr
        if got is None:
            return False
        if got is want or (got is Type.BOOL and want is Type.NUM):
            return True
        context = f" in {where}" if where else ""
        hint = " (compare it, e.g. x > 0.5)" if got is Type.NUM and want is Type.BOOL else ""
        if want is Type.BOOL:
            hint = self.symbol_hint(expr) or hint
        self.report(expr.span, f"expected {_article(want)}{context}, got {_article(got)}{hint}")
        return False




def _article(kind: Type) -> str:
    return {"bool": "a bool", "num": "a num", "selector": "a selector"}[kind.value]


def _written(expr: ast.Name | ast.Indexed) -> str:
    """The name as the program writes it (`a`, `<0>`, `">"`)."""
    if expr.symbol and symbol_problem(expr.name) is None:
        return symbol_text(expr.name)
    return f"<{expr.name}>" if expr.symbol else expr.name
