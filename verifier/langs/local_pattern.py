"""A second LTL[P, Y] test, on the minimal DFA itself: a forbidden pattern, no monoid.

LTL[P, Y] is the class of locally R-trivial languages (Li & Cotterell 2026, arXiv
2605.00768; docs/theory.md): ``eSe`` is R-trivial for every idempotent ``e`` of the syntactic
semigroup ``S``. On the minimal DFA (whose transition semigroup is ``S``) this is equivalent
to the absence of the **pattern**: states ``p ≠ p'`` and words ``m`` (non-empty), ``v``, ``w``
with

    p·m = p,   p'·m = p',   p·v·m = p',   p'·w·m = p.

*Pattern ⇒ not locally R-trivial.* Let ``e = [m]^ω``, ``X = e[v]e``, ``Y = e[w]e`` (in
``eSe``). ``p·e = p``, and ``p·v·m = p'`` with ``p'·m = p'`` gives ``p·X = p·v·e = p'``;
likewise ``p'·Y = p``. With ``Z = XY`` and ``z = Z^ω`` (``ω >= 2``): ``p·z = p`` but
``p·zX = p' ≠ p``, so ``zX ≠ z``, while ``zX·(Y Z^(ω-1)) = z``: ``zX`` and ``z`` are distinct
R-equivalent elements of ``eSe``.

*Not locally R-trivial ⇒ pattern.* Take ``x ≠ y`` R-equivalent in ``eSe``: ``x = ys``,
``y = xt`` with ``s, t ∈ eSe``, and a state ``r`` with ``r·x ≠ r·y``. Put ``p = r·y``,
``p' = r·x = p·s``, so ``p'·t = p``; ``p·e = p`` and ``p'·e = p'`` since ``y = ye``,
``x = xe``. With words ``m`` for ``e`` and ``v``, ``w`` for ``s``, ``t``: ``p·m = p``,
``p·v·m = p·se = p'``, and symmetrically.

This is the R-version, on the deterministic automaton, of the polynomial test Cohen, Perrin &
Pin (1993) give for the future fragment (next, eventually: locally L-trivial). It is searched
directly: for each pair ``{p, p'}`` on a common cycle of the pair automaton, a breadth-first
search in the four-fold product from every ``(p, p', r, r')`` with ``r`` reachable from ``p``
and ``r'`` from ``p'``, looking for ``(p, p', p', p)`` by a non-empty word ``m`` (the first two
components stay in the strongly connected component of ``(p, p')``). Time ``O(n^6 |Σ|)`` at
worst, polynomial in the DFA and independent of the monoid's size.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from verifier.limits import UNLIMITED, Deadline

from .class_tests import Verdict
from .dfa import DFA, access_words, bfs_tree, distinguishing_suffix
from .graphs import scc_ids, trace_path

Quad = tuple[int, int, int, int]

#: Give up (unknown) past this many product nodes visited in all ...
NODE_LIMIT = 20_000_000
#: ... or when the DFA has more pairs of states than this (the pair graph is built whole).
PAIR_LIMIT = 2_000_000


def _pair_components(dfa: DFA) -> tuple[list[int], list[bool]]:
    """SCC number of every pair ``p*n + q`` of the product automaton, and whether each pair
    lies on a non-empty cycle."""
    n, k = dfa.n_states, len(dfa.alphabet)

    def succ(v: int) -> list[int]:
        p, q = divmod(v, n)
        return [dfa.delta[p][a] * n + dfa.delta[q][a] for a in range(k)]

    comp = scc_ids(n * n, succ)
    size: dict[int, int] = {}
    for c in comp:
        size[c] = size.get(c, 0) + 1
    cyclic = [size[comp[v]] > 1 or v in succ(v) for v in range(n * n)]
    return comp, cyclic


def _search(dfa: DFA, p: int, q: int, comp: list[int],
            reach: list[dict[int, tuple[int, int] | None]],
            deadline: Deadline, budget: list[int]) -> tuple[list[int], int, int] | None:
    """A non-empty ``m`` and the states ``r, r'`` with ``(p, q, r, r')·m = (p, q, q, p)``."""
    n, k = dfa.n_states, len(dfa.alphabet)
    home = comp[p * n + q]
    target: Quad = (p, q, q, p)
    parent: dict[Quad, tuple[Quad, int] | None] = {}
    queue: deque[Quad] = deque()
    for r in reach[p]:
        for r2 in reach[q]:
            node = (p, q, r, r2)
            parent[node] = None
            queue.append(node)
    while queue:
        budget[0] -= 1
        if budget[0] < 0:
            raise _OutOfBudget
        deadline.poll()
        node = queue.popleft()
        a0, b0, c0, d0 = node
        for a in range(k):
            nxt = (dfa.delta[a0][a], dfa.delta[b0][a], dfa.delta[c0][a], dfa.delta[d0][a])
            if comp[nxt[0] * n + nxt[1]] != home:
                continue
            if nxt == target:
                root, word = trace_path(parent, node)
                return [*word, a], root[2], root[3]
            if nxt not in parent:
                parent[nxt] = (node, a)
                queue.append(nxt)
    return None


class _OutOfBudget(Exception):
    pass


def check_ltl_py_pattern(dfa: DFA, node_limit: int = NODE_LIMIT,
                         deadline: Deadline = UNLIMITED) -> Verdict:
    """LTL[P, Y] membership of the language of the minimal DFA by the forbidden pattern of
    the module doc (Li & Cotterell 2026's hybrid class; Cohen, Perrin & Pin 1993 for the
    polynomial test of the mirror class). The witness gives ``p, p'`` and ``m, v, w``."""
    n = dfa.n_states
    if n * n > PAIR_LIMIT:
        return Verdict(None, reason=f"the DFA's {n} states make more than {PAIR_LIMIT} pairs "
                                    "for the pattern search")
    comp, cyclic = _pair_components(dfa)
    reach = [bfs_tree(dfa, p) for p in range(n)]
    budget = [node_limit]
    for p in range(n):
        for q in range(p + 1, n):
            if not cyclic[p * n + q]:
                continue
            try:
                found = _search(dfa, p, q, comp, reach, deadline, budget)
            except _OutOfBudget:
                return Verdict(None, reason=f"the pattern search visited more than "
                               f"{node_limit} product states")
            if found is not None:
                m, r, r2 = found
                return Verdict(False, _witness(dfa, p, q, m, trace_path(reach[p], r)[1],
                                               trace_path(reach[q], r2)[1]))
    return Verdict(True)


def _witness(dfa: DFA, p: int, q: int, m: list[int], v: list[int], w: list[int]
             ) -> dict[str, Any]:
    def names(word: list[int]) -> list[str]:
        return [dfa.alphabet[i] for i in word]

    return {
        "states": [p, q],
        "m": names(m),
        "v": names(v),
        "w": names(w),
        "reach_p": names(access_words(dfa)[p]),
        "distinguish": names(distinguishing_suffix(dfa, p, q) or []),
        "explanation": f"m loops on both states {p} and {q}, v·m leads from {p} to {q} and "
        f"w·m from {q} to {p}: with e = m^ω, the elements e·v·e and e·w·e of eSe give two "
        "distinct R-equivalent elements, so eSe is not R-trivial",
    }

