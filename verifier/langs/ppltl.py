"""PPLTL: the pure-past LTL of ltlf2dfa, over propositions, as a language form.

ltlf2dfa reads a formula at the **last instant** of a non-empty trace of **valuations** (sets
of true propositions), with **non-strict** ``O``, ``H``, ``S`` (the current instant counts)
and ``Y`` / ``WY`` (yesterday / weak yesterday). This project reads a formula at the end
position ``N+1`` of a word of **symbols**, with strict past operators. The bridge:

* a symbol stands for a valuation: its name is the ``_``-join of the propositions it makes
  true (``a_b`` is {a, b}, ``a`` is {a}), and ``none`` (or any name containing no proposition
  of the formula) makes them all false (``symbol_valuation``); without an explicit alphabet
  the alphabet is every valuation of the formula's propositions (``ppltl_alphabet``);
* a subformula is translated to one that holds at the same symbol position (``_Translator``):
  ``O f = f | P f``, ``H f = f & H f``, ``f S g = g | (f & (f S g))`` (strict on the right),
  ``Y`` is ``Y``, ``WY f = !Y !f``, ``start = !Y true``, ``f P g = !(!f S !g)``;
* the whole formula ``F`` becomes ``Y F``, read at the end position: it holds at ``N+1`` iff
  ``F`` holds at the last instant ``N``; the empty word (no last instant) is never accepted.

The grammar follows ltlf2dfa's ``ppltl.lark``: propositions ``[a-z][a-z0-9_]*``; constants
``true``, ``false``, ``start`` (any case); operators are upper-case letters not followed by a
lower-case letter (``Ya`` is an error, ``HY a`` is ``H Y a``); loosest first ``<-> <=>``,
``-> =>`` (left associative, as ltlf2dfa's translation reads a chain), ``| ||``, ``& &&``,
``S`` (right associative, right operands unary), ``P`` (past release), then unary
``! ~ Y WY O H``. A chain ``f <-> g <-> h`` means all equal (ltlf2dfa's reading).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .errors import DEPTH_LIMIT, LanguageError
from .graphs import tree_height
from .ltl import Cursor, Token
from .ltl_nodes import Binary, Const, Formula, Not, Past, Sym

__all__ = ["PNode", "PROP_LIMIT", "parse_ppltl", "ppltl_alphabet", "ppltl_propositions",
           "ppltl_to_ltl", "symbol_valuation", "valuation_name", "EMPTY_VALUATION"]

#: Most propositions whose valuations make an inferred alphabet (2^8 = 256 symbols).
PROP_LIMIT = 8
#: The name of the empty valuation in an inferred alphabet.
EMPTY_VALUATION = "none"

_UNARY = {"!", "~", "Y", "WY", "O", "H"}
_CONSTANTS = ("true", "false", "start")


@dataclass(frozen=True)
class PNode:
    """A PPLTL node: ``op`` is ``prop`` (with ``name``), ``true``, ``false``, ``start``, a
    unary ``! Y WY O H``, a binary ``S P``, or an n-ary ``& | -> <->``."""

    op: str
    args: tuple[PNode, ...] = ()
    name: str = ""
    offset: int = 0


_SYMBOLIC = (("<->", "<->"), ("<=>", "<->"), ("->", "->"), ("=>", "->"), ("||", "|"),
             ("&&", "&"), ("|", "|"), ("&", "&"), ("!", "!"), ("~", "!"), ("(", "("),
             (")", ")"))


def _is_lower(text: str, i: int) -> bool:
    return i < len(text) and "a" <= text[i] <= "z"


def _is_word(text: str, i: int) -> bool:
    return i < len(text) and (text[i].isascii() and (text[i].isalnum() or text[i] == "_"))


def _tokenize(text: str) -> list[Token]:
    """ltlf2dfa's lexing: LanguageError at the first character no token starts with."""
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c.isspace():
            i += 1
            continue
        symbolic = next(((s, k) for s, k in _SYMBOLIC if text.startswith(s, i)), None)
        if symbolic is not None:
            tokens.append(Token(symbolic[1], symbolic[0], i))
            i += len(symbolic[0])
            continue
        constant = next((k for k in _CONSTANTS if text[i:i + len(k)].lower() == k
                         and not _is_word(text, i + len(k))), None)
        if constant is not None:
            tokens.append(Token("const", constant, i))
            i += len(constant)
        elif text.startswith("WY", i) and not _is_lower(text, i + 2):
            tokens.append(Token("WY", "WY", i))
            i += 2
        elif c in "YOHSP" and not _is_lower(text, i + 1):
            tokens.append(Token(c, c, i))
            i += 1
        elif "a" <= c <= "z":
            j = i + 1
            while j < len(text) and (("a" <= text[j] <= "z") or text[j].isdigit()
                                     and text[j].isascii() or text[j] == "_"):
                j += 1
            tokens.append(Token("prop", text[i:j], i))
            i = j
        elif c in "YOHSPW" or "A" <= c <= "Z":
            raise LanguageError(
                f"unexpected {c!r}: operators are Y WY O H S P, written apart from a "
                "proposition (write 'Y a', not 'Ya'); propositions are lower case", i)
        else:
            raise LanguageError(f"unexpected {c!r}", i)
    tokens.append(Token("end", "", len(text)))
    return tokens


class _Parser(Cursor[PNode]):
    """Recursive descent over ltlf2dfa's precedence levels."""

    def __init__(self, text: str) -> None:
        super().__init__(_tokenize(text))

    def formula(self) -> PNode:
        return self._nary("<->", self._implication)

    def _implication(self) -> PNode:
        return self._nary("->", self._or)

    def _or(self) -> PNode:
        return self._nary("|", self._and)

    def _and(self) -> PNode:
        return self._nary("&", self._since)

    def _nary(self, op: str, operand: Callable[[], PNode]) -> PNode:
        first = self.tok.offset
        parts = [operand()]
        while self.tok.kind == op:
            self.advance()
            parts.append(operand())
        return parts[0] if len(parts) == 1 else PNode(op, tuple(parts), offset=first)

    def _since(self) -> PNode:
        parts = [self._release()]
        while self.tok.kind == "S":
            self.advance()
            parts.append(self.unary())
        node = parts[-1]
        for left in reversed(parts[:-1]):  # a S b S c = a S (b S c), as ltlf2dfa reads it
            node = PNode("S", (left, node), offset=left.offset)
        return node

    def _release(self) -> PNode:
        left = self.unary()
        if self.tok.kind != "P":
            return left
        self.advance()
        right = self.unary()
        if self.tok.kind == "P":
            raise LanguageError("a chain of 'P' is read differently by ltlf2dfa; write "
                                "parentheses, e.g. 'a P (b P c)'", self.tok.offset)
        return PNode("P", (left, right), offset=left.offset)

    def unary(self) -> PNode:
        token = self.tok
        with self.nested(token):
            if token.kind in _UNARY:
                self.advance()
                op = "!" if token.kind == "~" else token.kind
                return PNode(op, (self.unary(),), offset=token.offset)
            return self.atom()

    def atom(self) -> PNode:
        token = self.advance()
        if token.kind == "(":
            return self.closed(self.formula(), token)
        if token.kind == "prop":
            return PNode("prop", name=token.text, offset=token.offset)
        if token.kind == "const":
            return PNode(token.text, offset=token.offset)
        raise LanguageError(f"expected a formula, found {self._show(token)}", token.offset)


def parse_ppltl(text: str) -> PNode:
    """Parse a PPLTL formula in ltlf2dfa's syntax; LanguageError with the offset of the
    problem (syntax only: propositions are checked against an alphabet by
    ``symbol_valuation``)."""
    node = _Parser(text).parse()
    if tree_height(node, lambda n: n.args) > DEPTH_LIMIT:
        raise LanguageError(f"formula nested deeper than {DEPTH_LIMIT} levels", 0)
    return node


def _walk(node: PNode) -> list[PNode]:
    out, stack = [], [node]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(current.args)
    return out


def ppltl_propositions(node: PNode) -> list[str]:
    """The sorted proposition names of a parsed formula."""
    return sorted({n.name for n in _walk(node) if n.op == "prop"})


def valuation_name(true_props: Sequence[str]) -> str:
    """The symbol of a valuation: its true propositions sorted and joined by ``_``, or
    ``none`` for the empty valuation."""
    return "_".join(sorted(true_props)) if true_props else EMPTY_VALUATION


def symbol_valuation(symbol: str, props: Sequence[str]) -> frozenset[str]:
    """The propositions among PROPS that SYMBOL makes true: those that are ``_``-separated
    parts of its name (``a_b`` makes a and b true; ``c`` makes none of a, b true).
    LanguageError when two propositions overlap in the name (``a_b`` with propositions a,
    b and a_b), since the symbol could then mean two valuations."""
    found: list[tuple[int, int, str]] = []
    for prop in props:
        start = symbol.find(prop)
        while start >= 0:
            end = start + len(prop)
            if (start == 0 or symbol[start - 1] == "_") and (
                    end == len(symbol) or symbol[end] == "_"):
                found.append((start, end, prop))
            start = symbol.find(prop, start + 1)
    found.sort()
    for (_, end, prop), (start, _, other) in zip(found, found[1:], strict=False):
        if start < end and prop != other:
            raise LanguageError(
                f"symbol {symbol!r} is ambiguous: propositions {prop!r} and {other!r} "
                "overlap in its name", 0)
    return frozenset(prop for _, _, prop in found)


def ppltl_alphabet(text: str) -> list[str]:
    """The alphabet a formula implies: one symbol per valuation of its propositions, in the
    order of the valuations as binary numbers over the sorted propositions (``none``,
    ``a``, ``b``, ``a_b``, …). LanguageError beyond PROP_LIMIT propositions, or when the
    names of two valuations clash (give an explicit alphabet then)."""
    props = ppltl_propositions(parse_ppltl(text))
    if len(props) > PROP_LIMIT:
        raise LanguageError(
            f"{len(props)} propositions make {2 ** len(props)} valuations; at most "
            f"{PROP_LIMIT} propositions are expanded (give the alphabet explicitly)", 0)
    names: list[str] = []
    for mask in range(2 ** len(props)):
        chosen = [p for k, p in enumerate(props) if mask >> k & 1]
        name = valuation_name(chosen)
        try:
            clash = symbol_valuation(name, props) != frozenset(chosen) or name in names
        except LanguageError:
            clash = True
        if clash:
            raise LanguageError(
                f"the valuation {{{', '.join(chosen)}}} has no unambiguous symbol name "
                f"({name!r}); give the alphabet explicitly", 0)
        names.append(name)
    return names


class _Translator:
    """PPLTL node -> past-LTL formula holding at the same symbol position (module doc)."""

    def __init__(self, alphabet: Sequence[str], props: Sequence[str]) -> None:
        self.holders: dict[str, list[str]] = {p: [] for p in props}
        for symbol in alphabet:
            for prop in symbol_valuation(symbol, props):
                self.holders[prop].append(symbol)
        self.done: dict[int, Formula] = {}

    def prop(self, name: str) -> Formula:
        symbols = self.holders[name]
        return _fold("|", [Sym(s) for s in symbols]) if symbols else Const(False)

    def translate(self, root: PNode) -> Formula:
        # children before parents, without recursion (formulas may be deep)
        order: list[tuple[PNode, bool]] = [(root, False)]
        while order:
            node, ready = order.pop()
            if id(node) in self.done:
                continue
            if not ready:
                order.append((node, True))
                order.extend((arg, False) for arg in node.args)
                continue
            self.done[id(node)] = self._one(node, [self.done[id(a)] for a in node.args])
        return self.done[id(root)]

    def _one(self, node: PNode, args: list[Formula]) -> Formula:
        op = node.op
        if op == "prop":
            return self.prop(node.name)
        if op in ("true", "false"):
            return Const(op == "true")
        if op == "start":
            return Not(Past("Y", Const(True)))
        if op == "!":
            return Not(args[0])
        if op == "Y":
            return Past("Y", args[0])
        if op == "WY":
            return Not(Past("Y", Not(args[0])))
        if op == "O":
            return Binary("|", args[0], Past("P", args[0]))
        if op == "H":
            return Binary("&", args[0], Past("H", args[0]))
        if op == "S":
            return _since(args[0], args[1])
        if op == "P":
            return Not(_since(Not(args[0]), Not(args[1])))
        if op in ("&", "|", "->"):  # "->" left associative
            return _fold(op, args)
        # "<->": all operands equal (ltlf2dfa's reading of a chain)
        if len(args) == 2:
            return Binary("<->", args[0], args[1])
        return Binary("|", _fold("&", args), _fold("&", [Not(a) for a in args]))


def _since(left: Formula, right: Formula) -> Formula:
    """Non-strict since: ``right`` now, or ``left`` now and strictly ``left S right``."""
    return Binary("|", right, Binary("&", left, Binary("S", left, right)))


def _fold(op: str, args: list[Formula]) -> Formula:
    result = args[0]
    for arg in args[1:]:
        result = Binary(op, result, arg)
    return result


def ppltl_to_ltl(node: PNode, alphabet: Sequence[str]) -> Formula:
    """The past-LTL formula (strict operators, read at the end position) of the language of
    NODE over ALPHABET, each symbol standing for the valuation ``symbol_valuation`` gives it.
    LanguageError for an ambiguous symbol name."""
    props = ppltl_propositions(node)
    body = _Translator(alphabet, props).translate(node)
    return Past("Y", body)
