"""The five class tests on a minimal DFA, each returning a Verdict with a checkable witness.

* LTL[P]   : the minimal DFA is partially ordered (every SCC is one state) [R-trivial].
* LTL[Y]   : the pair graph is acyclic (the language is definite).
* LTL[P,Y] : for every idempotent e of S, eSe is R-trivial (one e per D-class suffices:
             D-equivalent idempotents have isomorphic local monoids).
* star-free: x^ω = x^(ω+1) for every x (aperiodic; checked as x^n = x^(n+1), n = #states).
* DA       : every regular element is idempotent (regular D-classes are aperiodic
             semigroups); a failure is reported in the equational form e·x·e ≠ e, e ≤_J x.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from verifier.limits import UNLIMITED, Deadline

from .dfa import DFA, access_words, distinguishing_suffix
from .graphs import scc_ids, shortest_path
from .semigroup import IntArray, TransitionMonoid

PAIR_LIMIT = 2_000_000


@dataclass(frozen=True)
class Verdict:
    """``holds`` is True, False (with ``witness``) or None (unknown, with ``reason``)."""

    holds: bool | None
    witness: dict[str, Any] | None = None
    reason: str | None = None


def _names(dfa: DFA, word: list[int] | tuple[int, ...]) -> list[str]:
    return [dfa.alphabet[i] for i in word]


def _path_within(dfa: DFA, comp: list[int], p: int, q: int) -> list[int]:
    """Symbols of a shortest path ``p -> q`` inside their strongly connected component."""
    path = shortest_path(p, q, lambda v: dfa.delta[v], lambda v: comp[v] == comp[p])
    if path is None:
        raise AssertionError("states of one SCC must be mutually reachable")
    return path


def check_ltl_p(dfa: DFA) -> Verdict:
    """Partial order: a witness is two states of one SCC and the words between them."""
    comp = scc_ids(dfa.n_states, lambda q: dfa.delta[q])
    members: dict[int, list[int]] = {}
    for state, c in enumerate(comp):
        members.setdefault(c, []).append(state)
    for p in range(dfa.n_states):
        same = [q for q in members[comp[p]] if q != p]
        if not same:
            continue
        q = same[0]
        u = _path_within(dfa, comp, p, q)
        v = _path_within(dfa, comp, q, p)
        witness = {
            "states": [p, q],
            "p_to_q": _names(dfa, u),
            "q_to_p": _names(dfa, v),
            "reach_p": _names(dfa, access_words(dfa)[p]),
            "distinguish": _names(dfa, distinguishing_suffix(dfa, p, q) or []),
            "explanation": f"states {p} and {q} are distinct (the suffix 'distinguish' tells "
            f"them apart) and lie on a cycle: {p} -p_to_q-> {q} -q_to_p-> {p}; a partially "
            "ordered DFA has no such cycle",
        }
        return Verdict(False, witness)
    return Verdict(True)


def _pair_succ(dfa: DFA, pair: tuple[int, int]) -> list[tuple[int, tuple[int, int]]]:
    """Edges ``(symbol, pair)`` of the pair graph, dropping merged pairs."""
    p, q = pair
    out = []
    for a in range(len(dfa.alphabet)):
        x, y = dfa.delta[p][a], dfa.delta[q][a]
        if x != y:
            out.append((a, (min(x, y), max(x, y))))
    return out


def _pair_cycle(dfa: DFA, deadline: Deadline = UNLIMITED
                ) -> list[tuple[tuple[int, int], int]] | None:
    """A cycle of the pair graph as ``[(pair, symbol), ...]``, or None if acyclic."""
    color: dict[tuple[int, int], int] = {}  # 1 = on the DFS path, 2 = done
    for p in range(dfa.n_states):
        for q in range(p + 1, dfa.n_states):
            if (p, q) in color:
                continue
            path: list[tuple[tuple[int, int], list[tuple[int, tuple[int, int]]], int]] = [
                ((p, q), _pair_succ(dfa, (p, q)), 0)
            ]
            color[(p, q)] = 1
            while path:
                deadline.poll()
                node, succ, i = path[-1]
                if i == len(succ):
                    color[node] = 2
                    path.pop()
                    continue
                path[-1] = (node, succ, i + 1)
                a, nxt = succ[i]
                if color.get(nxt) == 1:
                    start = next(j for j, entry in enumerate(path) if entry[0] == nxt)
                    return [(entry[0], entry[1][entry[2] - 1][0]) for entry in path[start:]]
                if nxt not in color:
                    color[nxt] = 1
                    path.append((nxt, _pair_succ(dfa, nxt), 0))
    return None


def check_ltl_y(dfa: DFA, pair_limit: int = PAIR_LIMIT,
                deadline: Deadline = UNLIMITED) -> Verdict:
    """Definiteness via the pair graph; the witness is a cycle and its word form."""
    n = dfa.n_states
    if n * (n - 1) // 2 > pair_limit:
        return Verdict(None, reason=f"the pair graph has more than {pair_limit} nodes")
    cycle = _pair_cycle(dfa, deadline)
    if cycle is None:
        return Verdict(True)
    (p, q), symbols = cycle[0][0], [a for _, a in cycle]
    u = symbols if dfa.run_indices(symbols, p) == p else symbols * 2
    reach = access_words(dfa)
    witness = {
        "pairs": [list(pair) for pair, _ in cycle],
        "symbols": _names(dfa, symbols),
        "states": [p, q],
        "cycle_word": _names(dfa, u),
        "reach": [_names(dfa, reach[p]), _names(dfa, reach[q])],
        "distinguish": _names(dfa, distinguishing_suffix(dfa, p, q) or []),
        "explanation": f"the pair {{{p},{q}}} returns to itself without merging; so for every "
        "k the words reach[0]·cycle_word^k·distinguish and reach[1]·cycle_word^k·distinguish "
        "share the suffix cycle_word^k·distinguish, yet exactly one is in the language",
    }
    return Verdict(False, witness)


def _state_where(a: IntArray, b: IntArray) -> int:
    """The first state on which two transformations differ."""
    return int(np.flatnonzero(a != b)[0])


def _r_path(mon: TransitionMonoid, x: int, y: int) -> list[int]:
    """Generator labels of a shortest path ``x -> y`` inside their R-class."""
    rc = mon.r_class
    path = shortest_path(x, y, lambda v: mon.right[v], lambda v: rc[v] == rc[x])
    if path is None:
        raise AssertionError("elements of one R-class must be mutually reachable")
    return path


def check_ltl_py(mon: TransitionMonoid) -> Verdict:
    """Local R-triviality; one idempotent of S per D-class is examined."""
    elements, rc = mon.elements, mon.r_class
    seen_classes: set[int] = set()
    for e in range(mon.size):
        mon.deadline.poll()
        if not (mon.idempotent[e] and mon.in_s(e)) or mon.j_class[e] in seen_classes:
            continue
        seen_classes.add(mon.j_class[e])
        e_row = elements[e]
        local = np.flatnonzero(np.all(e_row[elements[:, e_row]] == elements, axis=1))
        first: dict[int, int] = {}
        for x in (int(i) for i in local):
            if rc[x] in first:
                return Verdict(False, _py_witness(mon, e, first[rc[x]], x))
            first[rc[x]] = x
    return Verdict(True)


def _py_witness(mon: TransitionMonoid, e: int, x: int, y: int) -> dict[str, Any]:
    ew = mon.s_word(e)
    s = ew + _names(mon.dfa, _r_path(mon, x, y)) + ew
    t = ew + _names(mon.dfa, _r_path(mon, y, x)) + ew
    q = _state_where(mon.elements[x], mon.elements[y])
    return {
        "e": ew,
        "x": mon.s_word(x),
        "y": mon.s_word(y),
        "x_then_s_is_y": s,
        "y_then_t_is_x": t,
        "state": q,
        "explanation": "e is idempotent (e·e = e); x = e·x·e and y = e·y·e lie in eSe; "
        "x·s = y and y·t = x with s, t in eSe, so x and y are R-equivalent in eSe, yet "
        f"x ≠ y (from state {q}: x leads to {int(mon.elements[x][q])}, "
        f"y to {int(mon.elements[y][q])}): eSe is not R-trivial",
    }


def _compose(a: IntArray, b: IntArray) -> IntArray:
    """Row-wise products ``a[i]·b[i]`` (first a, then b)."""
    return np.take_along_axis(b, a, axis=1)


def _power(x: IntArray, k: int) -> IntArray:
    """Row-wise ``x^k`` for ``k >= 1`` by repeated squaring."""
    result, base, k = x, x, k - 1
    while k:
        if k & 1:
            result = _compose(result, base)
        base = _compose(base, base)
        k >>= 1
    return result


def check_star_free(mon: TransitionMonoid) -> Verdict:
    """Aperiodicity: ``x^n = x^(n+1)`` for all x (n = number of states bounds the index)."""
    xs = mon.elements
    high = _power(xs, mon.dfa.n_states)
    bad = np.flatnonzero(np.any(_compose(high, xs) != high, axis=1))
    if len(bad) == 0:
        return Verdict(True)
    x = int(bad[0])
    powers = [mon.elements[x]]
    keys = {powers[0].tobytes(): 1}
    while True:
        nxt = mon.elements[x][powers[-1]]
        if nxt.tobytes() in keys:
            break
        keys[nxt.tobytes()] = len(powers) + 1
        powers.append(nxt)
    index = keys[nxt.tobytes()]
    period = len(powers) + 1 - index
    omega = next(k for k in range(period, 2 * len(powers) + 2, period) if k >= index)
    return Verdict(False, _sf_witness(mon, x, index, period, omega, powers))


def _sf_witness(
    mon: TransitionMonoid, x: int, index: int, period: int, omega: int, powers: list[IntArray]
) -> dict[str, Any]:
    def power(k: int) -> IntArray:
        return powers[k - 1] if k <= len(powers) else powers[index - 1 + (k - index) % period]

    q = _state_where(power(omega), power(omega + 1))
    return {
        "x": mon.word(x),
        "index": index,
        "period": period,
        "omega": omega,
        "state": q,
        "explanation": f"x^{omega} is idempotent but x^{omega} ≠ x^{omega + 1}: from state {q}, "
        f"x^{omega} leads to {int(power(omega)[q])} and x^{omega + 1} to "
        f"{int(power(omega + 1)[q])}; the powers of x cycle with period {period}",
    }


def check_da(mon: TransitionMonoid) -> Verdict:
    """DA: every regular element (R-equivalent to an idempotent) is idempotent."""
    rc = mon.r_class
    regular = {rc[e] for e in np.flatnonzero(mon.idempotent).tolist()}
    for x in range(mon.size):
        mon.deadline.poll()
        if rc[x] in regular and not mon.idempotent[x]:
            e = min(int(i) for i in np.flatnonzero(mon.idempotent) if rc[int(i)] == rc[x])
            ex_e = mon.product(e, x, e)
            q = _state_where(mon.elements[ex_e], mon.elements[e])
            return Verdict(False, {
                "e": mon.word(e),
                "x": mon.word(x),
                "e_then_u_is_x": mon.word(e) + _names(mon.dfa, _r_path(mon, e, x)),
                "x_then_v_is_e": mon.word(x) + _names(mon.dfa, _r_path(mon, x, e)),
                "state": q,
                "explanation": "e is idempotent and e ≤_J x (x·v = e), but e·x·e ≠ e "
                f"(from state {q}: e·x·e leads to {int(mon.elements[ex_e][q])}, e to "
                f"{int(mon.elements[e][q])}); DA requires e·x·e = e",
            })
    return Verdict(True)
