"""Meaning of past LTL: a direct evaluator on words and a construction to a DFA.

The two are written independently on purpose (they are oracles for each other and for the
engines): the evaluator applies the definitions of spec section 6 with explicit quantifiers
over positions; the DFA (``ltl_dfa.py``) keeps the truth vector of the past subformulas and
updates it with the one-step recurrences.
"""

from __future__ import annotations

from collections.abc import Sequence

from .ltl import Binary, Const, Formula, Not, Past, Sym, subformulas
from .ltl_dfa import ltl_to_dfa

__all__ = ["evaluate", "holds", "ltl_to_dfa"]


def _connective(op: str, x: bool, y: bool) -> bool:
    if op == "&":
        return x and y
    if op == "|":
        return x or y
    if op == "->":
        return (not x) or y
    if op == "<->":
        return x == y
    raise ValueError(f"not a connective: {op}")


def _past_by_definition(node: Past | Binary, i: int, values: dict[Formula, list[bool]]) -> bool:
    """The value at 0-based position ``i`` of a past operator, by its definition."""
    if isinstance(node, Binary):  # left S right
        left, right = values[node.left], values[node.right]
        return any(right[j] and all(left[j + 1 : i]) for j in range(i))
    arg = values[node.arg]
    if node.op == "P":
        return any(arg[:i])
    if node.op == "H":
        return all(arg[:i])
    if node.op == "Y":
        return i > 0 and arg[i - 1]
    return any(arg[max(0, i - node.k) : i])  # W = Y<=k


def evaluate(formula: Formula, word: Sequence[str]) -> list[bool]:
    """The truth value of ``formula`` at every position 1 .. N+1 of ``word`` (list index 0 ..
    N); position N+1 is the end position, where no symbol holds."""
    n = len(word)
    values: dict[Formula, list[bool]] = {}
    for node in subformulas(formula):
        if node in values:
            continue
        if isinstance(node, Sym):
            values[node] = [i < n and word[i] == node.name for i in range(n + 1)]
        elif isinstance(node, Const):
            values[node] = [node.value] * (n + 1)
        elif isinstance(node, Not):
            values[node] = [not v for v in values[node.arg]]
        elif isinstance(node, Binary) and node.op != "S":
            pairs = zip(values[node.left], values[node.right], strict=True)
            values[node] = [_connective(node.op, x, y) for x, y in pairs]
        else:
            values[node] = [_past_by_definition(node, i, values) for i in range(n + 1)]
    return values[formula]


def holds(formula: Formula, word: Sequence[str]) -> bool:
    """Whether ``word`` is in the language of ``formula`` (the value at position N+1)."""
    return evaluate(formula, word)[-1]
