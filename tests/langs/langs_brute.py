"""Brute-force checks of the class definitions, written independently of verifier.langs.

Transformations are tuples ``t`` with ``t[q]`` = the state after reading the word from ``q``;
products read left to right. Nothing here uses Cayley graphs, SCCs or the pair graph.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import product

Trans = tuple[int, ...]


def mul(x: Trans, y: Trans) -> Trans:
    return tuple(y[q] for q in x)


def semigroup(delta: Sequence[Sequence[int]], k: int) -> set[Trans]:
    """All transformations of non-empty words (naive fixpoint over longer words)."""
    n = len(delta)
    gens = {tuple(delta[q][a] for q in range(n)) for a in range(k)}
    elems = set(gens)
    while True:
        new = {mul(x, g) for x in elems for g in gens} - elems
        if not new:
            return elems
        elems |= new


def identity(n: int) -> Trans:
    return tuple(range(n))


def power(x: Trans, k: int) -> Trans:
    result = x
    for _ in range(k - 1):
        result = mul(result, x)
    return result


def omega(x: Trans, bound: int) -> Trans:
    """The idempotent power of x (exists below ``bound`` = size of the semigroup + 1)."""
    for k in range(1, 2 * bound + 2):
        p = power(x, k)
        if mul(p, p) == p:
            return p
    raise AssertionError("no idempotent power")


def r_trivial(monoid: set[Trans], unit: Trans) -> bool:
    """x·M = y·M implies x = y (M contains ``unit``)."""
    ideals: dict[frozenset[Trans], Trans] = {}
    for x in monoid:
        ideal = frozenset(mul(x, m) for m in monoid | {unit})
        if ideal in ideals and ideals[ideal] != x:
            return False
        ideals[ideal] = x
    return True


def is_ltl_p(delta: Sequence[Sequence[int]], k: int) -> bool:
    """R-trivial syntactic monoid (LTL[P] = R-trivial, Li & Cotterell)."""
    n = len(delta)
    monoid = semigroup(delta, k) | {identity(n)}
    return r_trivial(monoid, identity(n))


def is_definite(delta: Sequence[Sequence[int]], k: int) -> bool:
    """Some length L such that every word of length L sends all states to one state.

    Equivalent, for a minimal DFA, to membership of long words depending only on their last
    L symbols. The images Q·w of words of growing length are tracked as a set of subsets.
    """
    n = len(delta)
    level = {frozenset(range(n))}
    for _ in range(n * n + 2):
        if all(len(s) == 1 for s in level):
            return True
        level = {frozenset(delta[q][a] for q in s) for s in level for a in range(k)}
    return all(len(s) == 1 for s in level)


def is_definite_by_words(dfa_accepts, alphabet: Sequence[str], order: int, extra: int) -> bool:
    """Membership of words longer than ``order`` depends only on the last ``order`` symbols
    (checked on all words of length order+1 .. order+extra)."""
    for length in range(order + 1, order + extra + 1):
        seen: dict[tuple[str, ...], bool] = {}
        for word in product(alphabet, repeat=length):
            key = word[-order:] if order else ()
            value = dfa_accepts(word)
            if seen.setdefault(key, value) != value:
                return False
    return True


def is_locally_r_trivial(delta: Sequence[Sequence[int]], k: int) -> bool:
    """For every idempotent e of S, the monoid eSe is R-trivial (every e checked)."""
    s = semigroup(delta, k)
    for e in (x for x in s if mul(x, x) == x):
        local = {mul(mul(e, x), e) for x in s}
        if not r_trivial(local, e):
            return False
    return True


def is_aperiodic(delta: Sequence[Sequence[int]], k: int) -> bool:
    """x^m = x^(m+1) for every x in S, m = |S| (an upper bound of every index)."""
    s = semigroup(delta, k)
    m = len(s) + 1
    return all(power(x, m) == power(x, m + 1) for x in s)


def is_da(delta: Sequence[Sequence[int]], k: int, limit: int = 10**9) -> tuple[bool, bool] | None:
    """The two equational forms, over the monoid: (xy)^ω x (xy)^ω = (xy)^ω and
    (xy)^ω y (xy)^ω = (xy)^ω for all x, y. None when the monoid exceeds ``limit``."""
    n = len(delta)
    monoid = sorted(semigroup(delta, k) | {identity(n)})
    if len(monoid) > limit:
        return None
    bound = len(monoid) + 1
    omegas = {z: omega(z, bound) for z in monoid}
    first = second = True
    for x in monoid:
        for y in monoid:
            e = omegas[mul(x, y)]
            first = first and mul(mul(e, x), e) == e
            second = second and mul(mul(e, y), e) == e
    return first, second
