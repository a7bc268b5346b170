"""Global soft heads whose running sums depend on the order of their keys (issue 12).

Under `sums sequential` every addition is rounded (a float format) or clamped (fixed point),
so a multiset of key types does not fix a global soft head's output once its kept keys carry
different numerators (floats) or weighted values of both signs (`float_counts` and
`finite.check_one_signed` refuse). The running sums themselves do, and they take finitely
many values, so the head is still finite-state (arXiv 2607.26988's observation). The summary
kept here holds, for every query value q the head can be asked with and every candidate
maximum score M (the final max of the kept scores, not known before the word ends):

- `Z[q, M]`: the running denominator `((e_1 + e_2) + …)` with `e_j = exp(s_j - M)`;
- `O[q, M, Z']`: the running output `sum_j round(round(e_j / Z') * v_j)` for every
  denominator `Z'` the running one can still reach (the weights divide by the *final*
  denominator, so every candidate is carried until the word ends);
- the largest kept score so far per q, which retires every M below it.

At a query, M is the max of the kept scores, `Z = Z[q, M]` and the output is `O[q, M, Z]`
(after the query's own key under `nonstrict`): exactly `floats.aggregate` on the keys in
order, by construction from the same operations (`floats.add`, `floats.exp`, `floats.sub`,
`floats.weighted_term`). In fixed point the same holds with the operations of
`semantics.attention` (`numerator`, `softmax_weight`, `weighted_term`, `running_add`); `Z` is
an exact integer there, kept up to `max + 1`, since a weight depends on `Z` only through
`min(Z, max)` and whether `Z > max`. The query values and key types come from the caller
(compose.py: what the input machines output together); the reachable denominators per (q, M)
are enumerated first and bounded (MAX_DENOMINATORS), so a format whose sums take many values
before stagnating (bf16 with different numerators) is `unknown` with the reason, never guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from verifier.engines.moore import MachineTooLarge
from verifier.engines.streaming import KeyType, StreamingMachine
from verifier.ir.evaluate import Store
from verifier.semantics import attention, floats
from verifier.semantics.profile import FloatProfile, Profile
from verifier.semantics.pyops import PyOps

_OPS = PyOps()

#: The most (query value, candidate maximum) pairs one head keeps sums for ...
MAX_HYPOTHESES = 1024
#: ... the most running denominators one pair can reach, and all pairs together (a pair
#: keeps an output sum per denominator still reachable: quadratic work in these).
MAX_DENOMINATORS = 512
MAX_ALL_DENOMINATORS = 8192

Entry = tuple[int, tuple[int, ...]] | None
Summary = tuple[tuple[Any, ...], tuple[Entry, ...]]


class _FloatSums:
    """The operations of the running sums in a float format (`semantics.floats`)."""

    def __init__(self, p: FloatProfile) -> None:
        self.p = p
        self.floor = floats.max_floor(p)

    def maximum(self, top: int, score: int) -> int:
        return int(floats.maximum(_OPS, self.p, top, score))

    def candidates(self, scores: set[int]) -> set[int]:
        return scores | ({self.p.nan_code} if scores else set())

    def numerator(self, score: int, top: int) -> int | None:
        if self.maximum(top, score) != top:
            return None
        return int(floats.exp(_OPS, self.p, floats.sub(_OPS, self.p, score, top)))

    def add(self, z: int, e: int) -> int:
        return int(floats.add(_OPS, self.p, z, e))

    def term(self, e: int, z: int, value: int) -> int:
        return int(floats.weighted_term(_OPS, self.p, e, z, value))

    def accumulate(self, running: int, term: int) -> int:
        return int(floats.add(_OPS, self.p, running, term))

    def later_first(self, z: int) -> tuple[bool, int]:
        return z != self.p.nan_code, -z


class _FixedSums:
    """The operations of the running sums in fixed point (`semantics.attention`); `Z` is
    kept up to `max + 1`, where every weight stops changing."""

    def __init__(self, p: Profile) -> None:
        self.p = p
        self.floor = p.min_raw

    def maximum(self, top: int, score: int) -> int:
        return int(attention.max_kept(_OPS, self.p, [True, True], [top, score]))

    def candidates(self, scores: set[int]) -> set[int]:
        return scores

    def numerator(self, score: int, top: int) -> int | None:
        if self.maximum(top, score) != top:
            return None
        return int(attention.numerator(_OPS, self.p, score, top))

    def add(self, z: int, e: int) -> int:
        return min(z + e, self.p.max_raw + 1)

    def term(self, e: int, z: int, value: int) -> int:
        weight = attention.softmax_weight(_OPS, self.p, e, z)
        return int(attention.weighted_term(_OPS, self.p, weight, value))

    def accumulate(self, running: int, term: int) -> int:
        return int(attention.running_add(_OPS, self.p, running, term))

    def later_first(self, z: int) -> tuple[bool, int]:
        return True, -z


class OrderedSums:
    """The running-sum summary of one global soft HEAD under `sums sequential`, in a float
    format or fixed point (module docstring). TYPES and QUERIES: every key type and every
    tuple of the QUERY_NODES' values (the head's query-side inputs) that can occur. Raises
    MachineTooLarge past MAX_HYPOTHESES or MAX_DENOMINATORS, for a type or query outside the
    given ones, or once EXPIRED (polled while the denominators are enumerated) says the time
    is spent."""

    def __init__(self, streaming: StreamingMachine, head: int, types: Sequence[KeyType],
                 query_nodes: Sequence[int], queries: Sequence[tuple[Any, ...]],
                 expired: Callable[[], bool] | None = None) -> None:
        self.expired = expired
        profile = streaming.program.profile
        assert profile.sums == "sequential"
        self.p = profile
        self.sums = _FloatSums(profile) if isinstance(profile, FloatProfile) \
            else _FixedSums(profile)
        self.streaming, self.head = streaming, head
        self.node = streaming.program.nodes[head]
        self.plan = streaming.heads[head]
        self.types = {t: i for i, t in enumerate(types)}
        self.ignored = [streaming.never_kept(self.plan, t) for t in types]
        self.query_nodes = tuple(query_nodes)
        self.queries = {q: i for i, q in enumerate(queries)}
        self.terms = [[streaming.key_terms(head, _Query(query_nodes, q), t) for t in types]
                      for q in queries]
        self.hypotheses: dict[tuple[int, Any], int] = {}
        self.owners: list[int] = []  # the query value of each hypothesis
        self.exps: list[list[int | None]] = []
        for qi, row in enumerate(self.terms):
            for top in self._candidates(row):
                self.hypotheses[(qi, top)] = len(self.exps)
                self.owners.append(qi)
                self.exps.append([self._exp(kept, score, top) for kept, score, _ in row])
                if len(self.exps) > MAX_HYPOTHESES:
                    raise MachineTooLarge(f"more than {MAX_HYPOTHESES} pairs of a query value "
                                          "and a candidate maximum score")
        self.closures: list[dict[int, tuple[int, ...]]] = []
        for exps in self.exps:
            self.closures.append(self._closures(exps))
            if sum(len(c) for c in self.closures) > MAX_ALL_DENOMINATORS:
                raise MachineTooLarge(f"more than {MAX_ALL_DENOMINATORS} running softmax "
                                      "denominators over all query values and maxima")
        self._cache: dict[tuple[int, int, int], int] = {}

    def _candidates(self, row: list[tuple[bool, Any, Any]]) -> list[Any]:
        """The maxima the kept scores of one query value can have (None: a uniform head)."""
        if self.node.selector.score is None:  # type: ignore[union-attr]
            return [None]
        floor = self.sums.floor
        return sorted(self.sums.candidates(
            {self.sums.maximum(floor, score) for kept, score, _ in row if kept}))

    def _exp(self, kept: bool, score: Any, top: Any) -> int | None:
        """The numerator of a key under the maximum TOP (None: not kept, or above TOP)."""
        if not kept:
            return None
        if top is None:
            return int(self.p.one_raw)
        return self.sums.numerator(score, top)

    def _closures(self, exps: list[int | None]) -> dict[int, tuple[int, ...]]:
        """Every running denominator reachable from 0, with the ones reachable from it
        (sorted): the sums only grow, or become NaN or infinite and stay."""
        steps = sorted({e for e in exps if e is not None})
        successors: dict[int, set[int]] = {}
        queue = [0]
        while queue:
            z = queue.pop()
            if self.expired is not None and self.expired():
                raise MachineTooLarge("time limit reached while enumerating the running "
                                      "softmax denominators")
            successors[z] = {self.sums.add(z, e) for e in steps} - {z}
            for following in successors[z] - successors.keys() - set(queue):
                queue.append(following)
            if len(successors) + len(queue) > MAX_DENOMINATORS:
                raise MachineTooLarge(
                    f"a running softmax denominator reaches more than "
                    f"{MAX_DENOMINATORS} values in {self.p.describe()}")
        closure: dict[int, frozenset[int]] = {}
        for z in sorted(successors, key=self.sums.later_first):
            closure[z] = frozenset({z}.union(*(closure[f] for f in successors[z])))
        return {z: tuple(sorted(c)) for z, c in closure.items()}

    def _term(self, h: int, kind: int, z: int) -> int:
        """Key KIND's term of the output of hypothesis H when the final denominator is Z."""
        key = (h, kind, z)
        if key not in self._cache:
            e = self.exps[h][kind]
            assert e is not None
            value = self.terms[self.owners[h]][kind][2]
            self._cache[key] = self.sums.term(e, z, value)
        return self._cache[key]

    def start(self) -> Summary:
        """The summary before the word: no key, every sum 0."""
        tops = (None,) * len(self.queries)
        return tops, tuple((0, (0,) * len(self.closures[h][0])) for h in range(len(self.exps)))

    def step(self, summary: Summary, kind: KeyType) -> Summary:
        """SUMMARY after a key of type KIND (ascending positions)."""
        k = self._index(kind)
        if self.ignored[k]:
            return summary
        tops, entries = summary
        new_tops = tuple(self._top(top, row[k]) for top, row in zip(tops, self.terms,
                                                                    strict=True))
        return new_tops, tuple(self._add(h, entry, k) for h, entry in enumerate(entries))

    def _top(self, top: Any, term: tuple[bool, Any, Any]) -> Any:
        """The running maximum of the kept scores (None: nothing kept; True: something kept
        by a uniform head), as `floats.numerators` folds it."""
        kept, score, _ = term
        if not kept:
            return top
        if self.node.selector.score is None:  # type: ignore[union-attr]
            return True
        return self.sums.maximum(self.sums.floor if top is None else top, score)

    def _add(self, h: int, entry: Entry, k: int) -> Entry:
        """Hypothesis H's sums after key K (None: K's score exceeds the hypothesis)."""
        if entry is None:
            return None
        if not self.terms[self.owners[h]][k][0]:
            return entry
        e = self.exps[h][k]
        if e is None:
            return None
        z, outs = entry
        closure = self.closures[h]
        following = self.sums.add(z, e)
        old = dict(zip(closure[z], outs, strict=True))
        return following, tuple(self.sums.accumulate(old[final], self._term(h, k, final))
                                for final in closure[following])

    def output(self, summary: Summary, values: Store[Any]) -> Any:
        """The head's value at a query whose inputs are VALUES (by node id), after the keys
        SUMMARY holds (and the query's own key under `nonstrict`)."""
        query = tuple(values[n] for n in self.query_nodes)
        if query not in self.queries:
            raise MachineTooLarge(f"query values {query} outside the enumerated ones")
        q = self.queries[query]
        if self.node.selector.nonstrict:  # type: ignore[union-attr]
            summary = self.step(summary, self.streaming.key_type(self.plan, values))
        top = summary[0][q]
        if top is None:
            return values[self.node.args[1]]
        h = self.hypotheses[(q, None if top is True else top)]
        entry = summary[1][h]
        assert entry is not None, "the running maximum retired its own hypothesis"
        z, outs = entry
        return dict(zip(self.closures[h][z], outs, strict=True))[z]

    def _index(self, kind: KeyType) -> int:
        if kind not in self.types:
            raise MachineTooLarge(f"key type {kind} outside the enumerated ones")
        return self.types[kind]


class _Query(dict[int, Any]):
    """The query-side values of one query tuple, by node id."""

    def __init__(self, nodes: Sequence[int], values: tuple[Any, ...]) -> None:
        super().__init__(zip(nodes, values, strict=True))


__all__ = ["OrderedSums"]
