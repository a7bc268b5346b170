"""Minimal DFA of a locally R-trivial language -> LTL[P, Y] formula: the delay construction.

LTL[P, Y] is the class of locally R-trivial languages (``eSe`` R-trivial for every idempotent
``e``; Li & Cotterell 2026, arXiv 2605.00768), and the locally R-trivial languages are those
recognized by a wreath product of an R-trivial automaton with a definite one (``LR = R * D``,
the delay theorem; Straubing 1985, Tilson 1987): a sliding window over the last ``k`` symbols
(``Y``, ``Y Y``, …: LTL[Y]) feeding a partially ordered automaton (LTL[P]). We build it from
the minimal DFA ``A`` directly.

**The window automaton** ``B_k``: states ``(q, u)``, ``q`` a state of ``A`` and ``u`` the last
``min(k, |w|)`` symbols read; ``(q, u) -a-> (δ(q, a), last_k(u a))``. It recognizes ``L(A)``
(accept on ``q ∈ F``). Its strongly connected components (SCCs) are ordered (the condensation
is acyclic), so a run visits each SCC in one contiguous block, as the states of a partially
ordered DFA in Lemma C.1 (Li & Cotterell 2025). ``B_k`` is **separated** when, inside every
SCC, the window tells the states apart: ``(q, u), (q', u)`` in one SCC imply ``q = q'``.

**Separated ⇒ formula** (Lemma C.1 over the SCCs). With ``state(i)`` the ``B``-state before
position ``i`` is read, ``win_s`` (``|s| = m``) = "the ``m`` symbols before ``i`` are ``s``"
``= Y(s_m & Y(s_{m-1} & … Y s_1))``, and, for an SCC ``C`` taken in topological order:

* ``visited_C`` = ``true`` for the start SCC, else ``P(∨ (in_p & a))`` over the transitions
  ``p -a-> C`` from states ``p`` of earlier SCCs;
* ``left_C`` = ``P(visited_C & ∨_{p ∈ C} (win_{u_p} & ∨_{p -a-> ∉ C} a))``;
* ``in_C = visited_C & !left_C`` and ``in_p = in_C & win_{u_p}`` for ``p ∈ C``.

At a position ``j`` with ``state(j) ∈ C``, ``win_{u_p}`` holds for ``p = state(j)`` and, the
automaton being separated, for no other ``p ∈ C``; so a disjunct of ``left_C`` holds at ``j``
iff ``a_j`` leaves ``C`` there, and at a later ``j`` (``C`` already left) ``left_C`` is true
anyway: ``left_C(i)`` iff ``C`` was left before ``i``; ``in_C(i)`` iff ``state(i) ∈ C`` (the
block is contiguous); ``in_p(i)`` iff ``state(i) = p``. The word is accepted iff
``∨_{p: q_p ∈ F} in_p`` holds at ``N+1``. Only the last ``m_C`` symbols of the windows are
tested in ``C``, the fewest that separate its states (none for a one-state SCC). ``k = 0`` is
Lemma C.1 itself; a definite language is separated once ``k`` reaches its window.

**Completeness.** If ``L`` is locally R-trivial, ``B_k`` is separated for ``k = n(n-1)``
(``n`` states). Suppose ``(q, u), (q', u)`` share an SCC, ``q ≠ q'``: there are words
``x = x'u`` and ``y = y'u`` (pump around the cycle to make them longer than ``k``) with
``q·x = q'`` and ``q'·y = q``. Let ``α = q·x'``, ``α' = q'·y'``. Among the ``k + 1`` prefixes
of ``u`` two give the same pair of distinct states ``(α·π, α'·π)``: ``u = π μ ρ``, ``μ ≠ ε``,
with ``β = α·π = β·μ`` and ``γ = α'·π = γ·μ``. Put ``e = [μ]^ω``, ``X = e[ρ y' π]e``,
``Y = e[ρ x' π]e`` in ``eSe``: ``β·X = γ`` and ``γ·Y = β``. R-triviality of ``eSe`` gives
``(XY)^ω X = (XY)^ω``; applied to ``β`` (fixed by ``XY``) it says ``γ = β``, hence
``q' = γ·μρ = β·μρ = q``, a contradiction. So the search over ``k = 0, 1, 2, …`` stops, and it
is only ever stopped by the size budget.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from verifier.langs.dfa import DFA
from verifier.langs.graphs import scc_ids
from verifier.langs.ltl import Const, Formula, Past, Sym
from verifier.limits import UNLIMITED, Deadline, Limit, LimitReached

from .formulas import conj, disj, neg
from .from_dfa import Derived

#: Give up (LimitReached) once a window automaton would exceed this many states.
MAX_WINDOW_STATES = 4000

Window = tuple[int, ...]


@dataclass(frozen=True)
class WindowAutomaton:
    """``B_k``: states ``(q, window)`` (``states[i]``), transitions, SCC number of each."""

    dfa: DFA
    k: int
    states: list[tuple[int, Window]]
    delta: list[list[int]]
    scc: list[int]

    def separated(self) -> bool:
        """Whether the window tells apart the states of every SCC (see the module doc)."""
        seen: set[tuple[int, Window]] = set()
        for (_, window), comp in zip(self.states, self.scc, strict=True):
            if (comp, window) in seen:
                return False
            seen.add((comp, window))
        return True


def window_automaton(dfa: DFA, k: int, limit: int = MAX_WINDOW_STATES,
                     deadline: Deadline = UNLIMITED) -> WindowAutomaton | None:
    """The reachable part of ``B_k`` for DFA (Li & Cotterell 2026's hybrid class read through
    the delay theorem, see the module doc); None beyond LIMIT states."""
    start: tuple[int, Window] = (dfa.start, ())
    index = {start: 0}
    states = [start]
    delta: list[list[int]] = []
    queue = deque([0])
    while queue:
        deadline.poll()
        q, window = states[queue.popleft()]
        row = []
        for a, target in enumerate(dfa.delta[q]):
            nxt = (target, (*window, a)[-k:] if k else ())
            if nxt not in index:
                if len(states) >= limit:
                    return None
                index[nxt] = len(states)
                states.append(nxt)
                queue.append(index[nxt])
            row.append(index[nxt])
        delta.append(row)
    scc = scc_ids(len(states), lambda v: delta[v])
    return WindowAutomaton(dfa, k, states, delta, scc)


def separating_window(dfa: DFA, limit: int = MAX_WINDOW_STATES,
                      deadline: Deadline = UNLIMITED) -> WindowAutomaton | None:
    """The separated ``B_k`` of least ``k`` (``k <= n(n-1)`` suffices for a locally
    R-trivial language, module doc); None when none is found within LIMIT states."""
    bound = dfa.n_states * (dfa.n_states - 1)
    for k in range(bound + 1):
        automaton = window_automaton(dfa, k, limit, deadline)
        if automaton is None:
            return None
        if automaton.separated():
            return automaton
    return None


@dataclass
class _Builder:
    """The formulas of the module doc for one separated window automaton."""

    b: WindowAutomaton
    hints: dict[Formula, str]

    def __post_init__(self) -> None:
        self.members: dict[int, list[int]] = {}
        for v, comp in enumerate(self.b.scc):
            self.members.setdefault(comp, []).append(v)
        self.cut: dict[int, int] = {c: self._cut(vs) for c, vs in self.members.items()}
        self.windows: dict[Window, Formula] = {}
        self.inside: dict[int, Formula] = {}

    def _cut(self, vs: list[int]) -> int:
        """The fewest last window symbols telling the states VS of one SCC apart."""
        if len(vs) == 1:
            return 0
        for m in range(self.b.k + 1):
            tails = {self.b.states[v][1][len(self.b.states[v][1]) - m:] for v in vs}
            if len(tails) == len(vs):
                return m
        raise AssertionError("the window automaton is not separated")

    def window(self, v: int) -> Formula:
        """``win`` of state V's window, cut to its SCC's length."""
        full = self.b.states[v][1]
        m = self.cut[self.b.scc[v]]  # a state on a cycle has a full window: m <= len(full)
        return self._win(full[len(full) - m:])

    def _win(self, symbols: Window) -> Formula:
        """"The symbols just before this position are SYMBOLS": ``Y(s_m & Y(… Y s_1))``."""
        if symbols in self.windows:
            return self.windows[symbols]
        result: Formula = Const(True)
        if symbols:
            inner = self._win(symbols[:-1])
            result = Past("Y", conj(Sym(self.b.dfa.alphabet[symbols[-1]]), inner))
            names = "_".join(self.b.dfa.alphabet[a] for a in reversed(symbols))
            self.hints.setdefault(result, f"last_{names}")
        self.windows[symbols] = result
        return result

    def state(self, v: int) -> Formula:
        """``in_p`` for the window-automaton state V."""
        return conj(self.inside[self.b.scc[v]], self.window(v))

    def order(self) -> list[int]:
        """The SCCs in an order where every edge between two of them goes forward."""
        comps = list(self.members)
        succ = {c: {self.b.scc[t] for v in self.members[c] for t in self.b.delta[v]} - {c}
                for c in comps}
        indegree = dict.fromkeys(comps, 0)
        for c in comps:
            for d in succ[c]:
                indegree[d] += 1
        ready = deque(sorted((c for c in comps if indegree[c] == 0),
                             key=lambda c: min(self.members[c])))
        out = []
        while ready:
            c = ready.popleft()
            out.append(c)
            for d in sorted(succ[c], key=lambda d: min(self.members[d])):
                indegree[d] -= 1
                if indegree[d] == 0:
                    ready.append(d)
        return out

    def build(self) -> Formula:
        alphabet = self.b.dfa.alphabet
        start = self.b.scc[0]
        for number, c in enumerate(self.order()):
            entering = [conj(self.state(v), Sym(alphabet[a]))
                        for d in self.inside for v in self.members[d]
                        for a, t in enumerate(self.b.delta[v]) if self.b.scc[t] == c]
            visited = Const(True) if c == start else Past("P", disj(*entering))
            leaving = disj(*(conj(self.window(v), disj(*(
                Sym(alphabet[a]) for a, t in enumerate(self.b.delta[v]) if self.b.scc[t] != c)))
                for v in self.members[c]))
            left = (Past("P", conj(visited, leaving)) if leaving != Const(False)
                    else Const(False))
            self.inside[c] = conj(visited, neg(left))
            for node, stem in ((visited, "visited"), (left, "left"), (self.inside[c], "in")):
                if not isinstance(node, Const):
                    self.hints.setdefault(node, f"{stem}_c{number}")
        return self._accept()

    def _accept(self) -> Formula:
        final = self.b.dfa.accepting
        parts: list[Formula] = []
        others: list[Formula] = []
        for c, vs in self.members.items():
            good = [v for v in vs if self.b.states[v][0] in final]
            bad = [v for v in vs if self.b.states[v][0] not in final]
            for wanted, out in ((good, parts), (bad, others)):
                if len(wanted) == len(vs):
                    out.append(self.inside[c])
                elif wanted:
                    out.append(conj(self.inside[c], disj(*(self.window(v) for v in wanted))))
        return disj(*parts) if len(parts) <= len(others) else neg(disj(*others))


def locally_r_trivial_formula(dfa: DFA, limit: int = MAX_WINDOW_STATES,
                              deadline: Deadline = UNLIMITED) -> Derived:
    """The LTL[P, Y] formula of a locally R-trivial DFA by the delay construction (module
    doc; Li & Cotterell 2026, Lemma C.1 of Li & Cotterell 2025 over a window automaton).
    LimitReached when no separated window automaton has at most LIMIT states (for a language
    outside LTL[P, Y] there is none at all)."""
    automaton = separating_window(dfa, limit, deadline)
    if automaton is None:
        raise LimitReached(Limit.STATES, "no window automaton of at most "
                           f"{limit} states separates the states of its components")
    builder = _Builder(automaton, {})
    formula = builder.build()
    k = automaton.k
    return Derived(formula, builder.hints,
                   f"locally R-trivial DFA -> LTL[P, Y] (delay construction: last {k} "
                   f"symbol{'' if k == 1 else 's'} by Y, components by Lemma C.1)")
