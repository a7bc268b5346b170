"""Past-LTL formulas as the compiler sees them: fragments, normal form, text, predicted size.

The architectures of THEORY.md and the operators their logics allow:

* ``global``: LTL[P] (``H φ = !P !φ`` is in it too);
* ``local``: LTL[Y] and LTL[Y<=k];
* ``hybrid``: LTL[P, Y] and LTL[P, Y<=k].

``S`` is in none of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from verifier.langs.ltl import (
    KEYWORDS,
    Binary,
    Const,
    Formula,
    Not,
    Past,
    Sym,
    children,
    subformulas,
)

#: Architecture -> (logic name, unary past operators it allows).
FRAGMENTS: dict[str, tuple[str, frozenset[str]]] = {
    "global": ("LTL[P]", frozenset({"P", "H"})),
    "local": ("LTL[Y, Y<=k]", frozenset({"Y", "W"})),
    "hybrid": ("LTL[P, Y, Y<=k]", frozenset({"P", "H", "Y", "W"})),
}
ARCHS = tuple(FRAGMENTS)

_OP_NAMES = {"P": "P", "H": "H", "Y": "Y", "W": "Y<=k", "S": "S"}


def outside_operators(formula: Formula, arch: str) -> list[str]:
    """The operators of ``formula`` that the fragment of ``arch`` does not allow (sorted)."""
    allowed = FRAGMENTS[arch][1]
    found: set[str] = set()
    for node in subformulas(formula):
        if isinstance(node, Past) and node.op not in allowed:
            found.add(_OP_NAMES[node.op])
        if isinstance(node, Binary) and node.op == "S":
            found.add("S")
    return sorted(found)


def normalize(formula: Formula) -> Formula:
    """``H φ`` rewritten as ``!P !φ`` everywhere (the only rewrite; the rest is kept: a
    subformula without ``H`` is returned as the same object, sharing preserved)."""
    memo: dict[Formula, Formula] = {}
    for node in subformulas(formula):
        if node in memo:
            continue
        memo[node] = _normalize_node(node, memo)
    return memo[formula]


def _normalize_node(node: Formula, memo: dict[Formula, Formula]) -> Formula:
    if isinstance(node, Past) and node.op == "H":
        return Not(Past("P", Not(memo[node.arg])))
    if all(memo[kid] is kid for kid in children(node)):
        return node
    if isinstance(node, Not):
        return Not(memo[node.arg])
    if isinstance(node, Binary):
        return Binary(node.op, memo[node.left], memo[node.right])
    assert isinstance(node, Past)
    return Past(node.op, memo[node.arg], node.k)


def max_window(formula: Formula) -> int:
    """The largest ``k`` of a ``Y<=k`` in ``formula`` (0 if there is none)."""
    return max((n.k for n in subformulas(formula) if isinstance(n, Past) and n.op == "W"),
               default=0)


@dataclass(frozen=True)
class Size:
    """The size of a compiled program: attention heads and attention depth."""

    heads: int
    depth: int


def predicted_size(formula: Formula) -> Size:
    """What the construction yields for a normalized formula: two global heads per distinct
    ``P`` subformula (depth + 2), one local head per distinct ``Y`` / ``Y<=k`` (depth + 1)."""
    depth: dict[Formula, int] = {}
    heads = 0
    for node in subformulas(formula):
        if node in depth:
            continue
        if isinstance(node, Past):
            cost = 2 if node.op == "P" else 1
            heads += cost
            depth[node] = depth[node.arg] + cost
        elif isinstance(node, Not):
            depth[node] = depth[node.arg]
        elif isinstance(node, Binary):
            depth[node] = max(depth[node.left], depth[node.right])
        else:
            depth[node] = 0
    return Size(heads, depth[formula])


def render(formula: Formula) -> str:
    """The formula in the syntax of spec section 6 (parenthesized where needed)."""
    if isinstance(formula, Sym):
        simple = formula.name.replace("_", "a").isalnum() and formula.name not in KEYWORDS
        return formula.name if simple else f"<{formula.name}>"
    if isinstance(formula, Const):
        return "true" if formula.value else "false"
    if isinstance(formula, Not):
        return "!" + _operand(formula.arg)
    if isinstance(formula, Past):
        op = f"Y<={formula.k}" if formula.op == "W" else formula.op
        inner = _operand(formula.arg)
        return f"{op}{inner}" if inner.startswith("(") else f"{op} {inner}"
    return f"{_operand(formula.left)} {formula.op} {_operand(formula.right)}"


def _operand(formula: Formula) -> str:
    text = render(formula)
    return f"({text})" if isinstance(formula, Binary) else text


def render_length(formula: Formula, memo: dict[Formula, int] | None = None) -> int:
    """``len(render(formula))`` in time linear in the formula as a DAG (the text of a formula
    whose subformulas are shared can be exponentially long). MEMO keeps the lengths of the
    subformulas seen, for a caller that asks about many nodes of one formula."""
    lengths: dict[Formula, int] = {} if memo is None else memo
    for node in subformulas(formula, stop=lambda node: node in lengths):
        lengths[node] = _length(node, lengths)
    return lengths[formula]


def _length(node: Formula, lengths: dict[Formula, int]) -> int:
    def operand(arg: Formula) -> int:
        return lengths[arg] + (2 if isinstance(arg, Binary) else 0)

    if isinstance(node, Sym | Const):
        return len(render(node))
    if isinstance(node, Not):
        return 1 + operand(node.arg)
    if isinstance(node, Past):
        op = f"Y<={node.k}" if node.op == "W" else node.op
        return len(op) + (0 if isinstance(node.arg, Binary) else 1) + operand(node.arg)
    return operand(node.left) + len(node.op) + 2 + operand(node.right)


def render_within(formula: Formula, limit: int,
                  memo: dict[Formula, int] | None = None) -> str | None:
    """``render(formula)`` when it has at most LIMIT characters, else None (without
    rendering it: see ``render_length``)."""
    return render(formula) if render_length(formula, memo) <= limit else None


def conj(*parts: Formula) -> Formula:
    """``&`` of PARTS with constants folded (``true`` for none)."""
    kept = [p for p in parts if p != Const(True)]
    if Const(False) in kept:
        return Const(False)
    return _fold("&", kept, Const(True))


def disj(*parts: Formula) -> Formula:
    """``|`` of PARTS with constants folded (``false`` for none)."""
    kept = [p for p in parts if p != Const(False)]
    if Const(True) in kept:
        return Const(True)
    return _fold("|", kept, Const(False))


def neg(part: Formula) -> Formula:
    """``!`` with constants folded."""
    return Const(not part.value) if isinstance(part, Const) else Not(part)


def _fold(op: str, parts: list[Formula], empty: Formula) -> Formula:
    unique = list(dict.fromkeys(parts))
    if not unique:
        return empty
    result = unique[0]
    for part in unique[1:]:
        result = Binary(op, result, part)
    return result
