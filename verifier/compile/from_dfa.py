"""Minimal DFA -> past-LTL formula, for the two DFA classes the compiler handles.

* **Partially ordered** (every SCC one state; LTL[P]; Li & Cotterell 2025, Lemma C.1). The run
  visits each state in one contiguous block, in an order compatible with the DFA's. Writing
  ``state(i)`` for the state before position ``i`` is read (``state(N+1)`` is the final one):

  - ``visited_q`` ("``state(j) = q`` for some ``j <= i``"): ``true`` for the start state, else
    ``P( ∨_{p ≠ q, δ(p,a) = q} (in_p & a) )``;
  - ``left_q`` ("``q`` was left before ``i``"): ``P(visited_q & ∨_{δ(q,a) ≠ q} a)``, since a
    leaving symbol read after ``q`` was entered either leaves ``q`` there or comes after ``q``
    was already left (states are never re-entered);
  - ``in_q`` ("``state(i) = q``"): ``visited_q & !left_q``.

  ``in_q`` refers only to ``in_p`` for states ``p`` before ``q``, so the induction on the
  order is well founded; the word is accepted iff ``∨_{q ∈ F} in_q`` holds at ``N+1``.

* **Definite** (LTL[Y]). Read the word backwards from the end: ``ok_u`` ("the word, which ends
  with ``u``, is accepted"), evaluated at the first position of that suffix ``u``, is a
  constant once every state ``p`` gives ``δ(p, u)`` the same acceptance (at the latest after
  ``K`` symbols, ``K`` = 1 + the longest path of the acyclic pair graph), and otherwise
  ``(!Y true & [δ(q0, u) ∈ F]) | ∨_c Y(c & ok_{cu})``. The word is accepted iff ``ok_ε``
  holds at ``N+1``. ``ok_u`` depends only on the map ``p ↦ δ(p, u)``, which keys the sharing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from verifier.ir.walk import topological
from verifier.langs.dfa import DFA
from verifier.langs.ltl import Const, Formula, Past, Sym
from verifier.limits import Limit, LimitReached

from .formulas import conj, disj, neg

#: Refuse definite DFAs whose backward decision tree would exceed this many nodes.
MAX_TREE_NODES = 2000


@dataclass(frozen=True)
class Derived:
    """A formula equivalent to a DFA, with readable names for its main subformulas."""

    formula: Formula
    hints: dict[Formula, str] = field(hash=False)
    route: str


def _topological(dfa: DFA) -> list[int]:
    """The states in an order in which every non-loop transition goes forward."""
    return topological(range(dfa.n_states), lambda q: dfa.delta[q])[::-1]


def partially_ordered_formula(dfa: DFA) -> Derived:
    """The LTL[P] formula of Lemma C.1 for a partially ordered DFA (see the module doc)."""
    hints: dict[Formula, str] = {}
    inside: dict[int, Formula] = {}
    for q in _topological(dfa):
        visited = Const(True) if q == dfa.start else Past("P", disj(*(
            conj(inside[p], Sym(a))
            for p in inside if p != q
            for i, a in enumerate(dfa.alphabet) if dfa.delta[p][i] == q)))
        leaving = disj(*(Sym(a) for i, a in enumerate(dfa.alphabet) if dfa.delta[q][i] != q))
        left = Past("P", conj(visited, leaving)) if leaving != Const(False) else Const(False)
        inside[q] = conj(visited, neg(left))
        for node, stem in ((visited, "visited"), (left, "left"), (inside[q], "in")):
            if not isinstance(node, Const):
                hints.setdefault(node, f"{stem}_q{q}")
    accepting = disj(*(inside[q] for q in sorted(dfa.accepting)))
    rejecting = [q for q in range(dfa.n_states) if q not in dfa.accepting]
    if len(rejecting) < len(dfa.accepting):
        accepting = neg(disj(*(inside[q] for q in rejecting)))
    return Derived(accepting, hints, "partially ordered DFA -> LTL[P] (Lemma C.1)")


@dataclass
class _Backward:
    """The backward decision tree of a definite DFA, shared by the map p -> δ(p, u)."""

    dfa: DFA
    memo: dict[tuple[int, ...], Formula] = field(default_factory=dict)
    hints: dict[Formula, str] = field(default_factory=dict)

    def ok(self, image: tuple[int, ...], suffix: tuple[str, ...]) -> Formula:
        """``ok_u`` for the suffix ``u`` with ``image[p] = δ(p, u)``."""
        if image in self.memo:
            return self.memo[image]
        if len(self.memo) > MAX_TREE_NODES or len(suffix) > 300:
            raise LimitReached(Limit.STATES, "the definite DFA needs a decision tree of more "
                               f"than {MAX_TREE_NODES} nodes; write the language as an LTL[Y] "
                               "formula")
        accepting = {q in self.dfa.accepting for q in image}
        if len(accepting) == 1:
            result: Formula = Const(accepting.pop())
        else:
            result = self._branch(image, suffix)
            self.hints.setdefault(result, "ok_" + "".join(suffix) if suffix else "ok")
        self.memo[image] = result
        return result

    def _branch(self, image: tuple[int, ...], suffix: tuple[str, ...]) -> Formula:
        first = neg(Past("Y", Const(True)))
        whole = conj(first, Const(image[self.dfa.start] in self.dfa.accepting))
        options = [whole]
        for i, a in enumerate(self.dfa.alphabet):
            before = tuple(image[self.dfa.delta[p][i]] for p in range(self.dfa.n_states))
            options.append(_yesterday(conj(Sym(a), self.ok(before, (a, *suffix)))))
        return disj(*options)


def _yesterday(arg: Formula) -> Formula:
    return arg if arg == Const(False) else Past("Y", arg)


def definite_formula(dfa: DFA) -> Derived:
    """The LTL[Y] formula of a definite DFA (see the module doc)."""
    tree = _Backward(dfa)
    formula = tree.ok(tuple(range(dfa.n_states)), ())
    return Derived(formula, tree.hints, "definite DFA -> LTL[Y] (last-K-symbols decision tree)")
