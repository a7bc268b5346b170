"""Past-time LTL of spec section 6: formulas and a recursive-descent parser.

Precedence, tightest first: unary ``! P Y Y<=K H``, then ``S`` (right associative), ``&``,
``|``, ``->`` (right associative), ``<->`` (left associative). Symbols are names
(``a``, ``b0``); a symbol named like an operator or constant is written ``<P>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .errors import DEPTH_LIMIT, PAREN_LIMIT, WINDOW_LIMIT, LanguageError
from .graphs import tree_height
from .ltl_nodes import Binary, Const, Formula, Not, Past, Sym, children, subformulas
from .regex import unknown_symbol

__all__ = [
    "Binary", "Const", "Formula", "Not", "Past", "Sym", "children", "subformulas", "KEYWORDS",
    "Token", "tokenize", "parse_ltl", "ltl_symbols", "check_symbols", "unparse",
]

KEYWORDS = {"P", "Y", "H", "S", "true", "false"}
_BINARY_LEVELS: tuple[tuple[str, bool], ...] = (
    ("<->", False),
    ("->", True),
    ("|", False),
    ("&", False),
    ("S", True),
)  # loosest first; True = right associative


@dataclass(frozen=True)
class Token:
    kind: str  # "word", "sym" (bracketed), "int", an operator or "(" ")" or "end"
    text: str
    offset: int


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens; LanguageError at an unexpected character."""
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c.isspace():
            i += 1
        elif _is_word_char(c):
            j = i
            while j < len(text) and _is_word_char(text[j]):
                j += 1
            tokens.append(Token("word", text[i:j], i))
            i = j
        else:
            token = _operator(text, i)
            tokens.append(token)
            i += len(token.text) if token.kind != "sym" else len(token.text) + 2
    tokens.append(Token("end", "", len(text)))
    return tokens


def _operator(text: str, i: int) -> Token:
    """The operator, parenthesis or ``<name>`` starting at ``text[i]``."""
    for op in ("<->", "->", "<=", "!", "&", "|", "(", ")"):
        if text.startswith(op, i):
            return Token(op, op, i)
    if text[i] == "<":
        end = text.find(">", i)
        name = text[i + 1 : end] if end >= 0 else ""
        if end < 0 or not name or any(ch.isspace() or ch == "<" for ch in name):
            raise LanguageError("expected a symbol name and '>' after '<'", i)
        return Token("sym", name, i)
    raise LanguageError(f"unexpected {text[i]!r}", i)


class _Parser:
    """Precedence climbing over the binary levels, recursive descent for unary operators."""

    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def advance(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def parse(self) -> Formula:
        if self.tok.kind == "end":
            raise LanguageError("empty formula", self.tok.offset)
        formula = self.binary(0)
        if self.tok.kind != "end":
            raise LanguageError(f"unexpected {self._show(self.tok)}", self.tok.offset)
        return formula

    def _is_op(self, op: str) -> bool:
        token = self.tok
        return token.kind == op or (op == "S" and token.kind == "word" and token.text == "S")

    def binary(self, level: int) -> Formula:
        if level == len(_BINARY_LEVELS):
            return self.unary()
        op, right_assoc = _BINARY_LEVELS[level]
        operands = [self.binary(level + 1)]
        while self._is_op(op):
            self.advance()
            operands.append(self.binary(level + 1))
        if right_assoc:
            result = operands[-1]
            for left in reversed(operands[:-1]):
                result = Binary(op, left, result)
            return result
        result = operands[0]
        for right in operands[1:]:
            result = Binary(op, result, right)
        return result

    def unary(self) -> Formula:
        token = self.tok
        self.depth += 1
        if self.depth > PAREN_LIMIT:
            raise LanguageError(f"formula nested deeper than {PAREN_LIMIT}", token.offset)
        try:
            return self._unary(token)
        finally:
            self.depth -= 1

    def _unary(self, token: Token) -> Formula:
        if token.kind == "!":
            self.advance()
            return Not(self.unary())
        if token.kind == "word" and token.text in ("P", "H"):
            self.advance()
            return Past(token.text, self.unary())
        if token.kind == "word" and token.text == "Y":
            self.advance()
            if self.tok.kind != "<=":
                return Past("Y", self.unary())
            self.advance()
            k = self._window()
            return Past("W", self.unary(), k)
        return self.atom()

    def _window(self) -> int:
        """The K of ``Y<=K``: a positive integer at most WINDOW_LIMIT."""
        token = self.advance()
        if token.kind != "word" or not token.text.isdigit():
            raise LanguageError("expected a window size after 'Y<='", token.offset)
        if len(token.text) > 6 or not 1 <= int(token.text) <= WINDOW_LIMIT:
            raise LanguageError(f"window size must be between 1 and {WINDOW_LIMIT}", token.offset)
        return int(token.text)

    def atom(self) -> Formula:
        token = self.advance()
        if token.kind == "(":
            inner = self.binary(0)
            if self.tok.kind != ")":
                raise LanguageError("missing ')' for this '('", token.offset)
            self.advance()
            return inner
        if token.kind == "sym":
            return Sym(token.text, token.offset)
        if token.kind == "word" and token.text in ("true", "false"):
            return Const(token.text == "true")
        if token.kind == "word" and token.text not in KEYWORDS:
            return Sym(token.text, token.offset)
        raise LanguageError(f"expected a formula, found {self._show(token)}", token.offset)

    @staticmethod
    def _show(token: Token) -> str:
        return "the end of the formula" if token.kind == "end" else repr(token.text)


def parse_ltl(text: str) -> Formula:
    """Parse ``text`` (syntax only); LanguageError with the offset of the problem."""
    formula = _Parser(text).parse()
    if tree_height(formula, children) > DEPTH_LIMIT:
        raise LanguageError(f"formula nested deeper than {DEPTH_LIMIT} levels", 0)
    return formula


def ltl_symbols(text: str) -> list[str]:
    """The sorted symbol names used in ``text`` (for inferring an alphabet)."""
    return sorted({n.name for n in subformulas(parse_ltl(text)) if isinstance(n, Sym)})


def check_symbols(formula: Formula, alphabet: Sequence[str]) -> None:
    """LanguageError at the first symbol of ``formula`` that is outside ``alphabet``."""
    known = set(alphabet)
    bad = [n for n in subformulas(formula) if isinstance(n, Sym) and n.name not in known]
    if bad:
        first = min(bad, key=lambda n: n.offset)
        error = unknown_symbol(first.name, alphabet, first.offset)
        if first.name[0] in "PYH" and first.name[1:] in known:
            op, rest = first.name[0], first.name[1:]
            error = LanguageError(f"{error.message} (write '{op} {rest}' for the operator)",
                                  first.offset)
        raise error


def unparse(formula: Formula) -> str:
    """A fully parenthesized rendering (for messages and tests)."""
    if isinstance(formula, Sym):
        return formula.name if formula.name not in KEYWORDS else f"<{formula.name}>"
    if isinstance(formula, Const):
        return "true" if formula.value else "false"
    if isinstance(formula, Not):
        return f"!{unparse(formula.arg)}"
    if isinstance(formula, Past):
        op = f"Y<={formula.k}" if formula.op == "W" else formula.op
        return f"{op} {unparse(formula.arg)}"
    return f"({unparse(formula.left)} {formula.op} {unparse(formula.right)})"
