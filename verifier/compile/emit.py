"""Formula -> s-op lines: the constructions of the proofs (THEORY.md, "Constructions").

One named boolean s-op per distinct subformula (symbols are the built-in s-ops, written as
``symbol_text`` writes them: ``a``, ``<0>``, ``">"``; names made from a symbol spell its other
characters out: ``not_0``, ``y_lp0`` for ``(0``):

* boolean connectives element-wise;
* ``Y φ``: one 1-local head, ``aggregate(select(local 1), φ) > 0.5`` (the window holds one
  position, whose weight is exactly 1);
* ``Y<=k φ``: one k-local head, ``aggregate(select(local k), φ) > 0`` (the window holds at
  most ``k`` keys, each of weight ``round(1/k') > 0`` as long as ``k`` is within the profile's
  attention span, so the mean is positive iff some key holds φ);
* ``P φ``: uniform attention over the φ-positions, ``h1 = aggregate(select(global,
  where: φ[j]), φ)`` (> 0 while at most span φ-positions precede), then the vanishing patch
  ``φ2 = φ and h1 > 0``, ``h2`` over the φ2-positions, and ``P φ = h1 > 0 or h2 > 0``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from verifier.check import types
from verifier.langs.ltl import Binary, Const, Formula, Not, Past, Sym, subformulas
from verifier.syntax.symbols import symbol_text

from .formulas import render_within

#: Names a program may not use: the checker's reserved words and the index names.
RESERVED = types.RESERVED | types.INDEX_NAMES
NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
MAX_NAME = 24
_CONNECTIVES = {"&": "and", "|": "or", "->": "imp", "<->": "iff"}
#: How a character that cannot be in a name is spelled in a name made from a symbol.
_SPELLED = {"(": "lp", ")": "rp", "[": "lb", "]": "rb", "{": "lc", "}": "rc", "<": "lt",
            ">": "gt", "=": "eq", "+": "plus", "-": "minus", "*": "star", "/": "slash",
            ".": "dot", ",": "comma", ":": "colon", ";": "semi", "!": "bang", "?": "q",
            "#": "hash", "$": "dollar", "%": "pct", "&": "amp", "|": "bar", "^": "hat",
            "~": "tilde", "@": "at", "'": "quote", '"': "dq", "`": "bq", "\\": "bs"}


@dataclass
class Emitter:
    """Collects the s-op lines of one program; ``hints`` suggests names for subformulas."""

    alphabet: tuple[str, ...]
    hints: Mapping[Formula, str] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    names: dict[Formula, str] = field(default_factory=dict)
    stems: dict[Formula, str] = field(default_factory=dict)  # a symbol's name, for new names
    used: set[str] = field(default_factory=set)
    lengths: dict[Formula, int] = field(default_factory=dict)  # see render_length

    def __post_init__(self) -> None:
        self.used |= RESERVED | set(self.alphabet)

    def emit(self, formula: Formula) -> str:
        """Emit every subformula of FORMULA not yet emitted; return the name of FORMULA."""
        for node in subformulas(formula):
            if node not in self.names:
                self.names[node] = self._emit_node(node)
        return self.names[formula]

    def _stem(self, node: Formula) -> str:
        """What names made from NODE's name start from: the symbol itself for a symbol."""
        return self.stems.get(node, self.names[node])

    def _fresh(self, stem: str) -> str:
        """An unused name from STEM (``s1``, ``s2`` … when STEM is too long)."""
        stem = _identifier(stem)
        if len(stem) > MAX_NAME or not NAME_RE.match(stem):
            stem = f"s{len(self.lines) + 1}"
        name, n = stem, 2
        while name in self.used:
            name, n = f"{stem}_{n}", n + 1
        self.used.add(name)
        return name

    def _define(self, node: Formula | None, stem: str, expr: str) -> str:
        name = self._fresh(self.hints.get(node, stem) if node is not None else stem)
        text = f"{name} = {expr}"
        shown = render_within(node, 60, self.lengths) if node is not None else None
        if shown:
            text = f"{text.ljust(44)}  # {shown}"
        self.lines.append(text)
        return name

    def _emit_node(self, node: Formula) -> str:
        if isinstance(node, Sym):
            self.stems[node] = node.name
            return symbol_text(node.name)
        if isinstance(node, Const):
            value = "true" if node.value else "false"
            return self._define(node, f"const_{value}", value)
        if isinstance(node, Not):
            arg = self.names[node.arg]
            return self._define(node, f"not_{self._stem(node.arg)}", f"not {arg}")
        if isinstance(node, Binary):
            return self._binary(node)
        return self._past(node)

    def _binary(self, node: Binary) -> str:
        left, right = self.names[node.left], self.names[node.right]
        word = _CONNECTIVES[node.op]
        stem = f"{self._stem(node.left)}_{word}_{self._stem(node.right)}"
        expr = {
            "&": f"{left} and {right}",
            "|": f"{left} or {right}",
            "->": f"not {left} or {right}",
            "<->": f"{left} == {right}",
        }[node.op]
        return self._define(node, stem, expr)

    def _past(self, node: Past) -> str:
        arg, stem = self.names[node.arg], self._stem(node.arg)
        if node.op == "Y":
            return self._define(node, f"y_{stem}", f"aggregate(select(local 1), {arg}) > 0.5")
        if node.op == "W":
            return self._define(node, f"y{node.k}_{stem}",
                                f"aggregate(select(local {node.k}), {arg}) > 0")
        if node.op == "P":
            return self._once(node, arg, stem)
        raise ValueError(f"the construction has no case for {node.op!r} (normalize first)")

    def _once(self, node: Past, arg: str, arg_stem: str) -> str:
        """``P φ`` with its vanishing patch: two global heads."""
        stem = _identifier(self.hints.get(node, f"p_{arg_stem}"))
        if len(stem) > MAX_NAME:
            stem = f"p{len(self.lines) + 1}"
        head1 = self._define(None, f"{stem}_h1", _uniform(arg))
        again_stem = _identifier(f"{arg_stem}_again")
        again = self._define(None, again_stem if len(again_stem) < MAX_NAME else f"{stem}_x2",
                             f"{arg} and {head1} > 0")
        head2 = self._define(None, f"{stem}_h2", _uniform(again))
        return self._define(node, stem, f"{head1} > 0 or {head2} > 0")


def _uniform(name: str) -> str:
    """Uniform global attention over the earlier positions where NAME holds."""
    return f"aggregate(select(global, where: {name}[j]), {name})"


def _identifier(stem: str) -> str:
    """STEM as a name: a character a name cannot hold is spelled out (``(0`` -> ``lp0``), and
    a leading digit gets an ``s`` (``0_again`` -> ``s0_again``)."""
    if NAME_RE.match(stem):
        return stem
    text = "".join(c if c.isascii() and (c.isalnum() or c == "_")
                   else _SPELLED.get(c, f"u{ord(c):x}") for c in stem)
    return text if NAME_RE.match(text) else "s" + text
