"""`verifier import brasp`: B-RASP programs in the `.brasp` text syntax, translated to `.attn`.

The text syntax is that of the B-RASP verifier (`BraspText`): one statement per line,
``alphabet SYM…``, ``output NAME`` (default: the last definition) and ``NAME = EXPR`` with EXPR
one of ``bos``, ``symbol SYM``, ``const true|false``, ``rightmost(SCORE, VALUE)``,
``leftmost(SCORE, VALUE)`` or a Boolean combination (``!``, ``&``, ``|``, parentheses, ``true``,
``false``) of earlier names; inside an attention's arguments a name is read at the query
(``x@i``, the default) or at the key (``x@j``). ``#`` starts a comment.

Semantics (B-RASP): positions ``0 … n``, position 0 is BOS and position ``p ≥ 1`` holds the
``p``-th symbol; attention at query ``p`` ranges over the keys ``0 ≤ q < p`` where SCORE holds,
takes the rightmost (leftmost) one and reads VALUE there, ``false`` when there is none; the
word is accepted when the output is true at position ``n`` (the last symbol; BOS for the empty
word).

Translation (docs/language.md, "import"): `.attn` has no BOS and reads acceptance at the end
position ``n+1``, so every B-RASP position ``p`` becomes `.attn` position ``p+1``: each s-op holds
at ``p+1`` the value its subprogram has at ``p``. Then ``bos`` is "first position"
(``not rightmost(select(global), true)``), ``symbol s`` is "the previous symbol is s"
(``rightmost(select(local 1), s)``), Boolean nodes are unchanged, an attention over the keys
``q < p`` becomes ``rightmost``/``leftmost`` over ``select(global, where: …)`` (keys ``q+1 < p+1``,
the same set shifted), and the output at ``n`` is read at ``n+1``, the end position. A VALUE that
reads the query (``x@i``) is split: one head per key-side name, all with the same selector and so
the same key, combined at the query, and guarded by "some key exists".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from verifier.check.types import RESERVED
from verifier.errors import Diagnostic, Span, UserError
from verifier.syntax.symbols import alphabet_line, symbol_problem, symbol_text

__all__ = ["BraspProgram", "Definition", "import_brasp", "parse_brasp", "translate_brasp"]

_SPACE = " \t\r\f\v\x1c\x1d\x1e\x1f"
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ATTN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_KEYWORDS = ("bos", "symbol", "const", "rightmost", "leftmost")
#: Deepest Boolean expression accepted (levels of the syntax tree).
MAX_EXPR_DEPTH = 200


@dataclass(frozen=True)
class Const:
    """``true`` or ``false``."""

    value: bool


@dataclass(frozen=True)
class Ref:
    """A reference to an earlier definition, at the query (``i``) or the key (``j``)."""

    name: str
    at: str
    line: int
    column: int


@dataclass(frozen=True)
class Not:
    """Negation."""

    arg: Expr


@dataclass(frozen=True)
class Nary:
    """``&`` or ``|`` of two or more operands."""

    op: str
    args: tuple[Expr, ...]


Expr = Const | Ref | Not | Nary


@dataclass(frozen=True)
class Definition:
    """``NAME = …``: KIND is bos, symbol, const, bool, rightmost or leftmost."""

    name: str
    kind: str
    line: int
    column: int
    symbol: str = ""
    expr: Expr | None = None
    score: Expr | None = None
    value: Expr | None = None


@dataclass(frozen=True)
class BraspProgram:
    """A parsed `.brasp` file: its alphabet, definitions in order, output name, the claims
    (``# assert …`` comments: line, column, text) and its leading comment lines."""

    alphabet: tuple[str, ...]
    definitions: tuple[Definition, ...]
    output: str
    claims: tuple[tuple[int, int, str], ...]
    comments: tuple[str, ...]


class _Fail(Exception):
    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


class _Line:
    """One statement's text (the comment cut off), with 1-based columns."""

    def __init__(self, text: str, line: int, start: int) -> None:
        self.text = text
        self.line = line
        self.pos = start

    def fail(self, message: str, pos: int | None = None) -> _Fail:
        return _Fail(self.line, (self.pos if pos is None else pos) + 1, message)

    def skip(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in _SPACE:
            self.pos += 1

    def at_end(self) -> bool:
        self.skip()
        return self.pos >= len(self.text)

    def peek(self) -> str:
        self.skip()
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def identifier(self, what: str = "an identifier") -> str:
        self.skip()
        match = _IDENTIFIER.match(self.text, self.pos)
        if not match:
            raise self.fail(f"expected {what}")
        self.pos = match.end()
        return match.group(0)

    def char(self, expected: str) -> None:
        if self.peek() != expected:
            raise self.fail(f"expected {expected!r}")
        self.pos += 1

    def symbol(self) -> str:
        self.skip()
        if self.pos >= len(self.text):
            raise self.fail("expected a symbol")
        if self.text[self.pos] == '"':
            end = self.text.find('"', self.pos + 1)
            if end < 0:
                raise self.fail("unterminated quoted symbol")
            value = self.text[self.pos + 1:end]
            self.pos = end + 1
            return value
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in _SPACE + "(),":
            self.pos += 1
        if self.pos == start:
            raise self.fail("expected a symbol")
        return self.text[start:self.pos]

    def expect_end(self) -> None:
        if not self.at_end():
            raise self.fail(f"unexpected trailing text {self.text[self.pos:self.pos + 20]!r}")

    def expr(self, predicate: bool) -> Expr:
        """A Boolean expression, by operator precedence without recursion (``!`` > ``&`` >
        ``|``); stops before a ``,`` or an unmatched ``)``."""
        values: list[Expr] = []
        ops: list[tuple[str, int]] = []  # operator or "(", with its position
        expect_operand = True
        while True:
            c = self.peek()
            if expect_operand:
                if c in ("!", "("):
                    ops.append((c, self.pos))
                    self.pos += 1
                    continue
                values.append(self.atom(predicate))
                expect_operand = False
                continue
            if c in ("&", "|"):
                self._reduce(values, ops, 2 if c == "&" else 1)
                ops.append((c, self.pos))
                self.pos += 1
                expect_operand = True
            elif c == ")" and any(op == "(" for op, _ in ops):
                self._reduce(values, ops, 0)
                ops.pop()
                self.pos += 1
            else:
                break
        self._reduce(values, ops, 0)
        if ops:
            raise self.fail("missing ')' for this '('", ops[-1][1])
        return values[0]

    @staticmethod
    def _reduce(values: list[Expr], ops: list[tuple[str, int]], floor: int) -> None:
        rank = {"!": 3, "&": 2, "|": 1}
        while ops and ops[-1][0] != "(" and rank[ops[-1][0]] >= floor:
            op, _ = ops.pop()
            if op == "!":
                values.append(Not(values.pop()))
                continue
            right, left = values.pop(), values.pop()
            parts: list[Expr] = []
            for part in (left, right):
                parts.extend(part.args if isinstance(part, Nary) and part.op == op else [part])
            values.append(Nary(op, tuple(parts)))

    def atom(self, predicate: bool) -> Expr:
        if self.at_end():
            raise self.fail("expected an expression")
        start = self.pos
        name = self.identifier("a name, true, false, '!' or '('")
        if name in ("true", "false"):
            return Const(name == "true")
        at = "i"
        if self.peek() == "@":
            where = self.pos
            self.pos += 1
            if not predicate:
                raise self.fail("a position (@i, @j) is only allowed inside rightmost(…) and "
                                "leftmost(…)", where)
            at = self.identifier("i or j after '@'")
            if at not in ("i", "j"):
                raise self.fail(f"expected i or j after '@', got {at!r}", where + 1)
        return Ref(name, at, self.line, start + 1)


def _height(expr: Expr) -> int:
    best, stack = 0, [(expr, 1)]
    while stack:
        node, depth = stack.pop()
        best = max(best, depth)
        if isinstance(node, Not):
            stack.append((node.arg, depth + 1))
        elif isinstance(node, Nary):
            stack.extend((arg, depth + 1) for arg in node.args)
    return best


def _refs(expr: Expr) -> list[Ref]:
    found, stack = [], [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, Ref):
            found.append(node)
        elif isinstance(node, Not):
            stack.append(node.arg)
        elif isinstance(node, Nary):
            stack.extend(reversed(node.args))
    return found


def _definition(line: _Line, name: str, column: int) -> Definition:
    line.skip()
    start = line.pos
    match = _IDENTIFIER.match(line.text, line.pos)
    leading = match.group(0) if match else ""
    if leading not in _KEYWORDS:
        expr = line.expr(predicate=False)
        line.expect_end()
        return Definition(name, "bool", line.line, column, expr=expr)
    line.pos = start + len(leading)
    if leading == "bos":
        result = Definition(name, "bos", line.line, column)
    elif leading == "symbol":
        result = Definition(name, "symbol", line.line, column, symbol=line.symbol())
    elif leading == "const":
        word = line.identifier("true or false")
        if word not in ("true", "false"):
            raise line.fail(f"expected true or false, got {word!r}", line.pos - len(word))
        result = Definition(name, "const", line.line, column, expr=Const(word == "true"))
    else:
        if line.peek() == "[":
            _mask(line)
        line.char("(")
        score = line.expr(predicate=True)
        line.char(",")
        value = line.expr(predicate=True)
        line.char(")")
        result = Definition(name, leading, line.line, column, score=score, value=value)
    line.expect_end()
    return result


def _mask(line: _Line) -> None:
    """``leftmost[past](…)`` is ordinary (strict past) attention; a future mask is refused:
    it reads keys after the query, which a causal `.attn` program never sees."""
    where = line.pos
    line.pos += 1
    mask = line.identifier("a mask (past or future)")
    line.char("]")
    if mask == "future":
        raise line.fail("future-masked attention reads positions after the query; an .attn "
                        "program is causal (its heads see only earlier positions) and cannot "
                        "express it", where)
    if mask != "past":
        raise line.fail(f"unknown attention mask {mask!r} (B-RASP attention is strict past)",
                        where + 1)


def parse_brasp(source: str, path: str = "<input>") -> BraspProgram:
    """Parse the `.brasp` text SOURCE; UserError (FILE:LINE:COL with a caret) for malformed
    text, a name defined twice, a reference to an undefined or later name, a missing
    alphabet or an unknown output."""
    try:
        return _parse(source)
    except _Fail as fail:
        raise UserError([Diagnostic(path, Span.point(fail.line, fail.column), fail.message)],
                        source) from None


def _parse(source: str) -> BraspProgram:
    alphabet: tuple[str, ...] | None = None
    output: tuple[str, int, int] | None = None
    definitions: list[Definition] = []
    claims: list[tuple[int, int, str]] = []
    comments: list[str] = []
    defined: dict[str, Definition] = {}
    for number, raw in enumerate(source.split("\n"), start=1):
        raw = raw.removesuffix("\r")
        hash_at = raw.find("#")
        text = raw if hash_at < 0 else raw[:hash_at]
        if hash_at >= 0:
            comment = raw[hash_at + 1:].strip()
            if comment.startswith("assert ") and not text.strip(_SPACE):
                claims.append((number, hash_at + 1 + raw[hash_at + 1:].index("assert") + 1,
                               comment))
            elif not definitions and alphabet is None and not text.strip(_SPACE):
                comments.append(comment)
        line = _Line(text, number, 0)
        if line.at_end():
            continue
        start = line.pos
        word = _IDENTIFIER.match(text, start)
        head = word.group(0) if word else ""
        if head == "alphabet" and "=" not in text:
            if alphabet is not None:
                raise line.fail("'alphabet' declared more than once", start)
            line.pos = start + len(head)
            symbols: list[str] = []
            while not line.at_end():
                where = line.pos
                symbol = line.symbol()
                if symbol in symbols:
                    raise line.fail(f"symbol {symbol!r} appears twice in the alphabet", where)
                symbols.append(symbol)
            if not symbols:
                raise line.fail("'alphabet' needs at least one symbol")
            alphabet = tuple(symbols)
        elif head == "output" and "=" not in text:
            if output is not None:
                raise line.fail("'output' declared more than once", start)
            line.pos = start + len(head)
            line.skip()
            where = line.pos
            name = line.identifier("the output's name")
            line.expect_end()
            output = (name, number, where + 1)
        elif "=" in text:
            equals = text.index("=")
            name = text[:equals].strip(_SPACE)
            column = start + 1
            if not _ATTN_NAME.match(name):
                raise line.fail(f"invalid subprogram name {name!r}", start)
            if name in defined:
                first = defined[name]
                raise line.fail(f"{name!r} is already defined (line {first.line})", start)
            line.pos = equals + 1
            definition = _definition(line, name, column)
            _check_refs(definition, defined)
            defined[name] = definition
            definitions.append(definition)
        else:
            raise line.fail("expected 'NAME = EXPRESSION', 'alphabet SYMBOL…' or "
                            "'output NAME'", start)
    if alphabet is None:
        raise _Fail(1, 1, "missing 'alphabet SYMBOL…' declaration")
    if not definitions:
        raise _Fail(1, 1, "a .brasp program must define at least one subprogram")
    if output is None:
        out_name = definitions[-1].name
    else:
        out_name, line_no, column = output
        if out_name not in defined:
            raise _Fail(line_no, column, f"undefined output {out_name!r}")
    return BraspProgram(alphabet, tuple(definitions), out_name, tuple(claims), tuple(comments))


def _check_refs(definition: Definition, defined: dict[str, Definition]) -> None:
    for expr in (definition.expr, definition.score, definition.value):
        if expr is None:
            continue
        if _height(expr) > MAX_EXPR_DEPTH:
            raise _Fail(definition.line, definition.column,
                        f"expression nested deeper than {MAX_EXPR_DEPTH} levels")
        for ref in _refs(expr):
            if ref.name == definition.name:
                raise _Fail(ref.line, ref.column, f"{ref.name!r} refers to itself")
            if ref.name not in defined:
                raise _Fail(ref.line, ref.column,
                            f"undefined name {ref.name!r} (define it on an earlier line)")


class _Names:
    """`.attn` names for B-RASP symbols and subprograms: kept when valid, else changed (a
    symbol is kept unless `.attn` cannot have it at all: see `symbols`)."""

    def __init__(self) -> None:
        self.used: set[str] = set(RESERVED) | {"i", "j"}
        self.renamed: list[tuple[str, str]] = []

    def symbols(self, alphabet: tuple[str, ...]) -> dict[str, str]:
        """The `.attn` symbol of each B-RASP symbol: itself (written by `symbol_text`) unless
        `.attn` cannot have it as a symbol (whitespace, `eos`), then a fresh name."""
        kept = {s for s in alphabet if symbol_problem(s) is None}
        self.used |= kept
        return {s: s if s in kept else self.fresh(s) for s in alphabet}

    def fresh(self, wanted: str, record: bool = True) -> str:
        base = wanted if _ATTN_NAME.match(wanted) else "s_" + "".join(
            c if c.isascii() and (c.isalnum() or c == "_") else f"{ord(c):x}" for c in wanted)
        name = base
        while name in self.used:
            name += "_"
        self.used.add(name)
        if name != wanted and record:
            self.renamed.append((wanted, name))
        return name


_RANK = {"|": 1, "&": 2}


def _render(expr: Expr, name_of: dict[str, str], mode: str, floor: int = 0) -> str:
    """EXPR in `.attn`: MODE ``plain`` (bare names), ``select`` (``x[i]``, ``x[j]``) or a
    mapping applied by the caller through NAME_OF (see ``_value``)."""
    if isinstance(expr, Const):
        return "true" if expr.value else "false"
    if isinstance(expr, Ref):
        name = name_of[expr.name if mode != "value" else f"{expr.at}:{expr.name}"]
        return f"{name}[{expr.at}]" if mode == "select" else name
    if isinstance(expr, Not):
        return "not " + _render(expr.arg, name_of, mode, 3)
    rank = _RANK[expr.op]
    word = " and " if expr.op == "&" else " or "
    body = word.join(_render(arg, name_of, mode, rank + 1) for arg in expr.args)
    return f"({body})" if rank < floor else body


def translate_brasp(program: BraspProgram, source_name: str = "<input>") -> str:
    """The `.attn` text of PROGRAM, with the position shift of the module docstring; its
    claims are the file's ``# assert …`` comments."""
    names = _Names()
    symbols = names.symbols(program.alphabet)
    sop: dict[str, str] = {}
    body: list[str] = []
    for definition in program.definitions:
        sop[definition.name] = names.fresh(definition.name)
    for definition in program.definitions:
        body.extend(_lines(definition, sop, symbols, names))
    header = [f"# imported from {source_name} by `verifier import brasp`",
              *(f"# {c}" if c else "#" for c in program.comments),
              "# B-RASP position p (0 = BOS) is .attn position p+1: every s-op holds the value",
              "# of its B-RASP subprogram one position earlier; the output, read by B-RASP at",
              "# the last symbol, is read here at eos.",
              *(f"# renamed: {old!r} -> {new}" for old, new in names.renamed)]
    claims = [f"{text}" for _, _, text in program.claims]
    text = [*header, alphabet_line(tuple(symbols.values())), "", *body, "",
            f"accept {sop[program.output]}"]
    if claims:
        text += ["", *claims]
    return "\n".join(text) + "\n"


def _lines(definition: Definition, sop: dict[str, str], symbols: dict[str, str],
           names: _Names) -> list[str]:
    name = sop[definition.name]
    kind = definition.kind
    if kind == "bos":
        return [f"{name} = not rightmost(select(global), true)"]
    if kind == "symbol":
        if definition.symbol not in symbols:
            return [f"{name} = false    # symbol {definition.symbol!r} is not in the alphabet"]
        return [f"{name} = rightmost(select(local 1), "
                f"{symbol_text(symbols[definition.symbol])})"]
    if kind in ("const", "bool"):
        assert definition.expr is not None
        return [f"{name} = {_render(definition.expr, sop, 'plain')}"]
    assert definition.score is not None and definition.value is not None
    score = definition.score
    where = "" if score == Const(True) else f", where: {_render(score, sop, 'select')}"
    selector = f"select(global{where})"
    value_refs = _refs(definition.value)
    if all(ref.at == "j" for ref in value_refs):
        value = _render(definition.value, sop, "plain")
        return [f"{name} = {kind}({selector}, {value}, default: false)"]
    sel, any_key = names.fresh(f"{name}__sel", False), names.fresh(f"{name}__any", False)
    lines = [f"{sel} = {selector}", f"{any_key} = {kind}({sel}, true, default: false)"]
    mapping: dict[str, str] = {}
    for ref in value_refs:
        key = f"{ref.at}:{ref.name}"
        if key in mapping:
            continue
        if ref.at == "i":
            mapping[key] = sop[ref.name]
        else:
            head = names.fresh(f"{name}__{sop[ref.name]}", False)
            lines.append(f"{head} = {kind}({sel}, {sop[ref.name]}, default: false)")
            mapping[key] = head
    lines.append(f"{name} = {any_key} and {_render(definition.value, mapping, 'value', 3)}")
    return lines


def import_brasp(source: str, path: str = "<input>") -> tuple[str, BraspProgram]:
    """Parse SOURCE (a `.brasp` file named PATH) and translate it: the `.attn` text and the
    parsed program. UserError for malformed B-RASP text."""
    program = parse_brasp(source, path)
    return translate_brasp(program, Path(path).name), program
