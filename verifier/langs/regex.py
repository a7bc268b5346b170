"""Regular expressions of spec section 6: a recursive-descent parser and Thompson's NFA.

Syntax: ``|``, juxtaposition, postfix ``* + ? {m} {m,} {m,n}``, ``( )``, ``()`` (the empty
word), ``.`` (any symbol), ``[ab]`` / ``[^a]`` (within the alphabet), single-character
symbols written bare (letters, digits, ``_``) and any symbol written ``<name>``. Spaces are
ignored everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from verifier.limits import UNLIMITED, Deadline

from .dfa import DFA
from .errors import DEPTH_LIMIT, PAREN_LIMIT, REPEAT_LIMIT, STATE_BUDGET, LanguageError
from .graphs import tree_height
from .nfa import NFA, determinize


@dataclass(frozen=True)
class Atom:
    """One symbol, a class ``[..]`` / ``[^..]`` or ``.`` (= ``[^]``); names with offsets."""

    names: tuple[tuple[str, int], ...]
    negated: bool
    offset: int


@dataclass(frozen=True)
class Empty:
    """The empty word ``()``."""

    offset: int


@dataclass(frozen=True)
class Concat:
    parts: tuple[Regex, ...]


@dataclass(frozen=True)
class Union:
    options: tuple[Regex, ...]


@dataclass(frozen=True)
class Repeat:
    """``body{low,high}``; ``high`` None means unbounded (``*`` is ``{0,}``)."""

    body: Regex
    low: int
    high: int | None
    offset: int


Regex = Atom | Empty | Concat | Union | Repeat


def _is_symbol_char(c: str) -> bool:
    return c.isalnum() or c == "_"


class _Parser:
    """Recursive descent over the characters of the regex text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.depth = 0
        self.opened: list[int] = []  # offsets of the '(' not closed yet

    def peek(self) -> str | None:
        """The next non-space character (or None at the end); skips the spaces."""
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1
        return self.text[self.pos] if self.pos < len(self.text) else None

    def take(self) -> str:
        c = self.text[self.pos]
        self.pos += 1
        return c

    def parse(self) -> Regex:
        if self.peek() is None:
            raise LanguageError("empty regex (write () for the empty word)", self.pos)
        node = self.union()
        c = self.peek()
        if c is not None:
            raise LanguageError("unmatched ')'" if c == ")" else f"unexpected {c!r}", self.pos)
        return node

    def union(self) -> Regex:
        options = [self.concat()]
        while self.peek() == "|":
            self.take()
            options.append(self.concat())
        return options[0] if len(options) == 1 else Union(tuple(options))

    def concat(self) -> Regex:
        parts: list[Regex] = []
        while self.peek() not in (None, "|", ")"):
            parts.append(self.postfix())
        if not parts and self.peek() is None and self.opened:
            raise LanguageError("missing ')' for this '('", self.opened[-1])
        if not parts:
            raise LanguageError("empty alternative (write () for the empty word)", self.pos)
        return parts[0] if len(parts) == 1 else Concat(tuple(parts))

    def postfix(self) -> Regex:
        node = self.atom()
        while (c := self.peek()) is not None and c in "*+?{":
            start = self.pos
            self.take()
            if c == "{":
                low, high = self.bounds(start)
            else:
                low, high = {"*": (0, None), "+": (1, None), "?": (0, 1)}[c]
            node = Repeat(node, low, high, start)
        return node

    def number(self) -> int:
        """A decimal count at the cursor, at most REPEAT_LIMIT."""
        self.peek()
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos].isdigit():
            self.pos += 1
        if start == self.pos:
            raise LanguageError("expected a number", start)
        digits = self.text[start : self.pos]
        if len(digits) > 6 or int(digits) > REPEAT_LIMIT:
            raise LanguageError(f"repetition count too large (limit {REPEAT_LIMIT})", start)
        return int(digits)

    def bounds(self, start: int) -> tuple[int, int | None]:
        """The inside of ``{m}``, ``{m,}`` or ``{m,n}`` after the ``{``."""
        low = self.number()
        high: int | None = low
        if self.peek() == ",":
            self.take()
            high = None if self.peek() == "}" else self.number()
        if self.peek() != "}":
            raise LanguageError("expected '}'", self.pos)
        self.take()
        if high is not None and high < low:
            raise LanguageError(f"empty repetition range {{{low},{high}}}", start)
        return low, high

    def atom(self) -> Regex:
        c = self.peek()
        start = self.pos
        if c == "(":
            return self.group()
        if c == ".":
            self.take()
            return Atom((), True, start)
        if c == "[":
            return self.char_class()
        if c is not None and (c == "<" or _is_symbol_char(c)):
            return Atom((self.symbol(),), False, start)
        if c is not None and c in "*+?{":
            raise LanguageError(f"nothing to repeat before {c!r}", start)
        raise LanguageError(f"unexpected {c!r}", start)

    def group(self) -> Regex:
        start = self.pos
        self.take()
        self.depth += 1
        if self.depth > PAREN_LIMIT:
            raise LanguageError(f"parentheses nested deeper than {PAREN_LIMIT}", start)
        if self.peek() == ")":
            self.take()
            self.depth -= 1
            return Empty(start)
        self.opened.append(start)
        node = self.union()
        self.opened.pop()
        if self.peek() != ")":
            raise LanguageError("missing ')' for this '('", start)
        self.take()
        self.depth -= 1
        return node

    def symbol(self) -> tuple[str, int]:
        """A bare one-character symbol or a ``<name>``; returns the name and its offset."""
        start = self.pos
        if self.take() != "<":
            return self.text[start], start
        end = self.text.find(">", self.pos)
        name = self.text[self.pos : end] if end >= 0 else ""
        if end < 0 or not name or any(ch.isspace() or ch == "<" for ch in name):
            raise LanguageError("expected a symbol name and '>' after '<'", start)
        self.pos = end + 1
        return name, start

    def char_class(self) -> Regex:
        start = self.pos
        self.take()
        negated = self.peek() == "^"
        if negated:
            self.take()
        names: list[tuple[str, int]] = []
        while (c := self.peek()) != "]":
            if c is None:
                raise LanguageError("missing ']' for this '['", start)
            if c != "<" and not _is_symbol_char(c):
                raise LanguageError(f"unexpected {c!r} in a symbol class", self.pos)
            names.append(self.symbol())
        self.take()
        if not names:
            raise LanguageError("empty symbol class", start)
        return Atom(tuple(names), negated, start)


def parse_regex(text: str) -> Regex:
    """Parse regex ``text`` (syntax only, no alphabet); LanguageError with an offset."""
    node = _Parser(text).parse()
    if tree_height(node, _children) > DEPTH_LIMIT:
        raise LanguageError(f"expression nested deeper than {DEPTH_LIMIT} levels", 0)
    return node


def _children(node: Regex) -> tuple[Regex, ...]:
    if isinstance(node, Concat):
        return node.parts
    if isinstance(node, Union):
        return node.options
    if isinstance(node, Repeat):
        return (node.body,)
    return ()



def _written_names(node: Regex) -> list[tuple[str, int]]:
    """Every symbol name written in the atoms of NODE, with its offset."""
    names: list[tuple[str, int]] = []
    stack: list[Regex] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Atom):
            names.extend(current.names)
        stack.extend(_children(current))
    return names


def regex_symbols(text: str) -> list[str]:
    """The sorted symbol names written in ``text`` (for inferring an alphabet)."""
    return sorted({name for name, _ in _written_names(parse_regex(text))})


def unknown_symbol(name: str, alphabet: Sequence[str], offset: int) -> LanguageError:
    """The error for a symbol outside the alphabet, with a hint for multi-character names."""
    hint = f"; the alphabet is {' '.join(alphabet)}" if alphabet else "; the alphabet is empty"
    longer = [s for s in alphabet if len(name) == 1 and len(s) > 1 and s.startswith(name)]
    if longer:
        hint += f" (multi-character symbols are written in angle brackets: <{longer[0]}>)"
    return LanguageError(f"unknown symbol {name!r}{hint}", offset)


class _Builder:
    """Thompson's construction of an epsilon-NFA from a parsed regex."""

    def __init__(self, alphabet: tuple[str, ...], deadline: Deadline = UNLIMITED) -> None:
        self.alphabet = alphabet
        self.index = {s: i for i, s in enumerate(alphabet)}
        self.nfa = NFA(len(alphabet), deadline=deadline)

    def symbols(self, atom: Atom) -> list[int]:
        chosen = set()
        for name, offset in atom.names:
            if name not in self.index:
                raise unknown_symbol(name, self.alphabet, offset)
            chosen.add(self.index[name])
        if atom.negated:
            return [i for i in range(len(self.alphabet)) if i not in chosen]
        return sorted(chosen)

    def build(self, node: Regex) -> tuple[int, int]:
        """Fresh NFA states for ``node``; returns (entry, exit)."""
        nfa = self.nfa
        if isinstance(node, Atom):
            s, f = nfa.new_state(), nfa.new_state()
            nfa.moves[s].extend((i, f) for i in self.symbols(node))
            return s, f
        if isinstance(node, Empty):
            s, f = nfa.new_state(), nfa.new_state()
            nfa.eps[s].append(f)
            return s, f
        if isinstance(node, Concat):
            ends = [self.build(p) for p in node.parts]
            for (_, f), (s, _) in zip(ends, ends[1:], strict=False):
                nfa.eps[f].append(s)
            return ends[0][0], ends[-1][1]
        if isinstance(node, Union):
            s, f = nfa.new_state(), nfa.new_state()
            for ps, pf in (self.build(p) for p in node.options):
                nfa.eps[s].append(ps)
                nfa.eps[pf].append(f)
            return s, f
        return self.repeat(node)

    def repeat(self, node: Repeat) -> tuple[int, int]:
        """``low`` mandatory copies, then optional copies or a star."""
        nfa = self.nfa
        s = cur = nfa.new_state()
        for _ in range(node.low):
            bs, bf = self.build(node.body)
            nfa.eps[cur].append(bs)
            cur = bf
        f = nfa.new_state()
        if node.high is None:
            bs, bf = self.build(node.body)
            nfa.eps[cur].extend([bs, f])
            nfa.eps[bf].append(cur)
            return s, f
        for _ in range(node.high - node.low):
            bs, bf = self.build(node.body)
            nfa.eps[cur].extend([bs, f])
            cur = bf
        nfa.eps[cur].append(f)
        return s, f


def read_regex(text: str, alphabet: Sequence[str]) -> Regex:
    """Parse regex ``text`` and check its symbols against ``alphabet``: every error of the
    text (LanguageError with an offset), nothing built yet."""
    node = parse_regex(text)
    known = set(alphabet)
    bad = [(name, at) for name, at in _written_names(node) if name not in known]
    if bad:
        name, offset = min(bad, key=lambda item: item[1])
        raise unknown_symbol(name, alphabet, offset)
    return node


def regex_dfa(node: Regex, alphabet: Sequence[str], budget: int = STATE_BUDGET,
              deadline: Deadline = UNLIMITED) -> DFA:
    """A complete (not yet minimal) DFA for the regex ``node`` read by ``read_regex``;
    LimitReached past the NFA or DFA ``budget`` or once ``deadline`` runs out."""
    builder = _Builder(tuple(alphabet), deadline)
    start, final = builder.build(node)
    return determinize(builder.nfa, start, final, tuple(alphabet), budget, deadline)


def regex_to_dfa(text: str, alphabet: Sequence[str], budget: int = STATE_BUDGET,
                 deadline: Deadline = UNLIMITED) -> DFA:
    """A complete (not yet minimal) DFA for regex ``text`` over ``alphabet``."""
    return regex_dfa(read_regex(text, alphabet), alphabet, budget, deadline)
