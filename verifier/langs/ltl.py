"""Past-time LTL of spec section 6: formulas and a recursive-descent parser.

Precedence, tightest first: unary ``! P Y Y<=K H``, then ``S`` (right associative), ``&``,
``|``, ``->`` (right associative), ``<->`` (left associative). Symbols are names
(``a``, ``b0``); a symbol named like an operator or constant is written ``<P>``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Generic, TypeVar

from .errors import DEPTH_LIMIT, PAREN_LIMIT, WINDOW_LIMIT, LanguageError
from .graphs import tree_height
from .ltl_nodes import Binary, Const, Formula, Not, Past, Sym, children, subformulas
from .regex import unknown_symbol

__all__ = [
    "Binary", "Const", "Formula", "Not", "Past", "Sym", "children", "subformulas", "KEYWORDS",
    "Token", "Cursor", "tokenize", "parse_ltl", "ltl_symbols", "check_symbols", "unparse",
]

KEYWORDS = {"P", "Y", "H", "S", "true", "false"}
_BINARY_LEVELS: tuple[tuple[str, bool], ...] = (
    ("<->", False),
    ("->", True),
    ("|", False),
    ("&", False),
    ("S", True),
)  # loosest first; True = right associative


R = TypeVar("R")


@dataclass(frozen=True)
class Token:
    """A token of a formula text; ``kind`` is "word", "sym" (bracketed), "int", an operator,
    "(", ")" or "end" here, and "prop", "const", an operator, "(", ")" or "end" in `ppltl`."""

    kind: str
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


class Cursor(Generic[R]):
    """The token cursor of a recursive-descent formula parser producing R (this module's and
    `ppltl`'s): TOKENS end with an ``end`` token; the errors of an empty formula, of trailing
    tokens, of nesting past PAREN_LIMIT and of a missing ``)``."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def advance(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def formula(self) -> R:
        """The formula at the cursor (the loosest level of the grammar)."""
        raise NotImplementedError

    def parse(self) -> R:
        """The whole token list as one formula; LanguageError if it is empty or has tokens
        left over."""
        if self.tok.kind == "end":
            raise LanguageError("empty formula", self.tok.offset)
        result = self.formula()
        if self.tok.kind != "end":
            raise LanguageError(f"unexpected {self._show(self.tok)}", self.tok.offset)
        return result

    @contextmanager
    def nested(self, token: Token) -> Iterator[None]:
        """One more level of nesting (a unary operator or a parenthesis) from TOKEN on, for
        the ``with`` block; LanguageError past PAREN_LIMIT levels. A context manager, not a
        call: the recursion of the parser gets no extra stack frame per level."""
        self.depth += 1
        if self.depth > PAREN_LIMIT:
            raise LanguageError(f"formula nested deeper than {PAREN_LIMIT}", token.offset)
        try:
            yield
        finally:
            self.depth -= 1

    def closed(self, inner: R, opening: Token) -> R:
        """INNER, the formula read after the ``(`` token OPENING, once its ``)`` is read;
        LanguageError if the ``)`` is missing."""
        if self.tok.kind != ")":
            raise LanguageError("missing ')' for this '('", opening.offset)
        self.advance()
        return inner

    @staticmethod
    def _show(token: Token) -> str:
        return "the end of the formula" if token.kind == "end" else repr(token.text)


class _Parser(Cursor[Formula]):
    """Precedence climbing over the binary levels, recursive descent for unary operators."""

    def __init__(self, text: str) -> None:
        super().__init__(tokenize(text))

    def formula(self) -> Formula:
        return self.binary(0)

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
        with self.nested(token):
            return self._unary(token)

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
            return self.closed(self.binary(0), token)
        if token.kind == "sym":
            return Sym(token.text, token.offset)
        if token.kind == "word" and token.text in ("true", "false"):
            return Const(token.text == "true")
        if token.kind == "word" and token.text not in KEYWORDS:
            return Sym(token.text, token.offset)
        raise LanguageError(f"expected a formula, found {self._show(token)}", token.offset)


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
