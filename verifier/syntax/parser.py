"""Text -> AST with the Lark LALR parser; Lark's exceptions become positioned diagnostics."""

from __future__ import annotations

from collections.abc import Iterator
from contextvars import ContextVar
from functools import cache

import lark
from lark.lexer import PatternStr

from verifier.errors import Diagnostic, Span, UserError
from verifier.syntax import ast
from verifier.syntax.build import BuildAst, token_span

MAX_SYNTAX_ERRORS = 20

#: Deepest nesting of brackets `(` `[` in one statement. Every pass over a program is
#: iterative, so expressions and chains of definitions of any depth are read; brackets nested
#: past this are refused at the first bracket beyond it (docs/semantics.md, "Limits").
MAX_NESTING = 1000

_TERMINAL_WORDS = {
    "NAME": "a name",
    "BARE_SYMBOL": "a symbol",
    "SYMBOL": "a symbol (<…>)",
    "INT": "a whole number",
    "NUMBER": "a number",
    "STRING": 'a quoted string ("…")',
    "_NL": "end of line",
    "CMP_OP": "a comparison",
    "$END": "end of file",
}


#: The longest number literal read (characters); longer ones are an error at their position
#: (no format has that many digits, and Python refuses to convert beyond 4300).
MAX_NUMBER_LENGTH = 100


class LexLimit(Exception):
    """A token beyond a size limit of the lexer: TOKEN is where, MESSAGE says which limit
    (brackets nested deeper than MAX_NESTING, a number longer than MAX_NUMBER_LENGTH)."""

    def __init__(self, token: lark.Token, message: str | None = None) -> None:
        super().__init__(message or _nesting_message())
        self.token = token
        self.message = message or _nesting_message()


#: The brackets still open where the current parse's lexing stopped (one list per parse,
#: per thread or task), to explain a parse error.
_UNCLOSED: ContextVar[list[lark.Token]] = ContextVar("unclosed")


class _ParenNewlines:
    """Post-lexer: drops line breaks inside parentheses and brackets (line continuation).

    Stateless: each parse keeps its own list of open brackets in `_UNCLOSED`; more than
    MAX_NESTING of them raise LexLimit (before anything deeper is parsed).
    """

    always_accept = ("_NL",)

    def process(self, stream: Iterator[lark.Token]) -> Iterator[lark.Token]:
        unclosed: list[lark.Token] = []
        _UNCLOSED.set(unclosed)
        for token in stream:
            if token.type in ("LPAR", "LSQB"):
                unclosed.append(token)
                if len(unclosed) > MAX_NESTING:
                    raise LexLimit(token)
            elif token.type in ("RPAR", "RSQB") and unclosed:
                unclosed.pop()
            elif token.type == "_NL" and unclosed:
                continue
            elif token.type in ("INT", "NUMBER") and len(token) > MAX_NUMBER_LENGTH:
                raise LexLimit(token, f"number of {len(token)} characters is longer "
                                            f"than {MAX_NUMBER_LENGTH}")
            yield token


@cache
def _lark() -> lark.Lark:
    from verifier.syntax.grammar import grammar_text

    return lark.Lark(
        grammar_text(),
        parser="lalr",
        lexer="contextual",
        propagate_positions=True,
        maybe_placeholders=True,
        postlex=_ParenNewlines(),
    )


def parse_text(source: str, path: str = "<input>") -> ast.Module:
    """Parse SOURCE into a Module; raise UserError with every syntax error found."""
    text = source if source.endswith("\n") else source + "\n"
    diagnostics: list[Diagnostic] = []
    while len(diagnostics) < MAX_SYNTAX_ERRORS:
        try:
            tree = _lark().parse(text)
        except LexLimit as error:
            diagnostics.append(Diagnostic(path, token_span(error.token), error.message))
            break
        except lark.exceptions.UnexpectedInput as error:
            unclosed = _unclosed(error)
            if unclosed is not None:  # everything after it was read as one statement
                diagnostics.append(Diagnostic(path, token_span(unclosed),
                                              f"unclosed '{unclosed}'"))
                break
            diagnostic = _diagnostic(error, text, path)
            diagnostics.append(diagnostic)
            blanked = _blank_line(text, diagnostic.span.line)
            if blanked == text:
                break
            text = blanked
            continue
        if diagnostics:
            break
        statements = BuildAst(source).transform(tree)
        return ast.Module(path, source, tuple(statements.children))
    diagnostics.sort(key=lambda d: (d.span.line, d.span.column))
    raise UserError(diagnostics, source)


def _nesting_message() -> str:
    return (f"brackets nested deeper than {MAX_NESTING}: name the inner expressions "
            "(x = …) and use the names")


def _unclosed(error: lark.exceptions.UnexpectedInput) -> lark.Token | None:
    """The innermost bracket left open when a parse error hit a line break or the end."""
    unclosed = _UNCLOSED.get([])
    if not isinstance(error, lark.exceptions.UnexpectedToken) or not unclosed:
        return None
    token = error.token
    if token.type == "$END" or _is_statement_start(token):
        return unclosed[-1]
    return None


def _is_statement_start(token: lark.Token) -> bool:
    """Whether TOKEN begins a line (a new statement swallowed by an open bracket)."""
    return token.type in ("ALPHABET", "PRECISION", "LANGUAGE", "ACCEPT", "ASSERT") or (
        token.column == 1)


def _blank_line(text: str, line: int) -> str:
    """TEXT with line LINE replaced by spaces, so that parsing can resume after an error."""
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return text
    lines[line - 1] = " " * len(lines[line - 1])
    return "\n".join(lines)


def _diagnostic(error: lark.exceptions.UnexpectedInput, text: str, path: str) -> Diagnostic:
    """A human diagnostic for a Lark parse error."""
    line, column = max(1, error.line or 1), max(1, error.column or 1)
    if isinstance(error, lark.exceptions.UnexpectedCharacters):
        position = error.pos_in_stream or 0
        char = text[position] if position < len(text) else ""
        if char == '"':
            return Diagnostic(path, Span.point(line, column), "unterminated string")
        return Diagnostic(path, Span.point(line, column), f"unexpected character {char!r}")
    if isinstance(error, lark.exceptions.UnexpectedToken):
        token = error.token
        if token.type == "$END":
            return Diagnostic(path, Span.point(line, column), "unexpected end of file")
        found = "end of line" if token.type == "_NL" else repr(str(token))
        if token.type == "_NL":
            line, column = _line_end(text, token)
        expected = _expected_words(error.expected)
        message = f"unexpected {found}"
        if expected:
            message += f"; expected {expected}"
        width = 1 if token.type == "_NL" else max(1, len(str(token)))
        return Diagnostic(path, Span(line, column, line, column + width), message)
    return Diagnostic(path, Span.point(line, column), "syntax error")


def _line_end(text: str, token: lark.Token) -> tuple[int, int]:
    """The position just after the last character before a line-break token."""
    start = token.start_pos or 0
    line_start = text.rfind("\n", 0, start) + 1
    line = text.count("\n", 0, start) + 1
    return line, start - line_start + 1


_EXPRESSION_STARTS = {"'('", "'-'", "a name", "a number", "'true'", "'false'", "'not'", "'if'",
                      "a symbol (<…>)", 'a quoted string ("…")'}
_EXPRESSION_CORE = {"'('", "a name", "a number"}
_SYMBOL_FORMS = {"a symbol", "a symbol (<…>)", 'a quoted string ("…")'}
_OPERATORS = {"'+'", "'*'", "'and'", "'or'", "a comparison"}


def _expected_words(names: set[str]) -> str:
    """Expected terminal names in human words: `')' or an operator`."""
    words = {_terminal_word(name) for name in names}
    if words >= _EXPRESSION_CORE:
        words = (words - _EXPRESSION_STARTS - _CALL_WORDS) | {"an expression"}
    if words >= _SYMBOL_FORMS:
        words = (words - _SYMBOL_FORMS) | {"a symbol"}
    if words >= _OPERATORS:
        words = (words - _OPERATORS - {"'-'"}) | {"an operator"}
    return _join_words(sorted(words))


_CALL_WORDS = {f"'{w}'" for w in ("abs", "aggregate", "exp", "leftmost", "max", "min", "relu",
                                 "rightmost", "select")}


def _join_words(words: list[str]) -> str:
    """`x`, `x or y`, `x, y or z`, shortened past eight words."""
    if len(words) > 8:
        words = words[:8] + ["…"]
    return " or ".join(words) if len(words) <= 2 else ", ".join(words[:-1]) + " or " + words[-1]


def _terminal_word(name: str) -> str:
    if name in _TERMINAL_WORDS:
        return _TERMINAL_WORDS[name]
    try:
        pattern = _lark().get_terminal(name).pattern
    except KeyError:
        return name.lower()
    if isinstance(pattern, PatternStr):
        return f"'{pattern.value}'"
    return name.lower()
