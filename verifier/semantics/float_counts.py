"""Float softmax over a multiset of keys (the all-lengths engine's summaries of a global head).

The all-lengths engine keeps, per key type, how many earlier positions carry it (capped), not
their order.  `floats.aggregate` is the semantics; this module computes the same result from
the multiplicities, and refuses (`CountedSumError`) where the multiset does not determine it:

- `sums exact`: `Z` and the output are rounded once, so the order never matters; the caller
  bounds the counts by the attention span (docs/unbounded.md, "Float formats").
- `sums sequential`: every addition is rounded, so in general the order matters.  It does not
  when the kept keys' nonzero terms are all equal: a running sum of `n` equal terms `x`
  (zeros interleaved change nothing, `s + 0 = s`) is `x` added `n` times.  Such a sum
  stagnates (`s + x = s`, and then for ever) or reaches infinity; once it has, more keys
  change nothing, which is what makes a capped count exact.  The engine caps counts at
  `stagnation_bound`, and a key type counted at the cap is only accepted if the sums it
  takes part in have stagnated by then (`CAPPED` in the error otherwise), so the cap is a
  matter of speed, never of soundness.  A NaN term makes the sum NaN whatever the order.

Python-int codes and counts only (`PyOps`): the streaming machine is its one caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from verifier.semantics import floats
from verifier.semantics.profile import FloatProfile
from verifier.semantics.pyops import PyOps

_OPS = PyOps()

ORDER = ("sums sequential in a float format: a global head's kept keys carry different "
         "nonzero {what}, so the rounded running sum depends on their order, which a "
         "multiset of keys does not keep")
CAPPED = ("sums sequential in a float format: a global head's running sum has not "
          "stagnated after {count} equal terms, so the count cap of the all-lengths engine "
          "is not exact here")


class CountedSumError(floats.UnsupportedFloat):
    """The multiset of keys does not determine the float softmax; the message says why."""


def stagnation_bound(p: FloatProfile) -> int:
    """The count cap of a float global head under `sums sequential`: `2**(M + 2) + 2`.
    Under `nearest_even` a running sum of equal normal terms stagnates within
    `1.5 * 2**(M + 1)` additions (the worst significand; 383 in bf16, 11 in fp8e5m2,
    measured over every significand by `tests/floats/test_counts.py`), since each
    addition adds about the term until `ulp(s)` exceeds twice it.  Sums that have not
    stagnated at the cap are refused by `aggregate`, not miscounted."""
    return (1 << (p.man_bits + 2)) + 2


@lru_cache(maxsize=4096)
def _running(p: FloatProfile, term: int, limit: int) -> tuple[tuple[int, ...], bool]:
    """The running sums `0, term, term + term, …` (each addition rounded) up to LIMIT terms
    or until they stagnate, and whether they did (one more term changes nothing)."""
    sums = [0]
    while len(sums) <= limit:
        following = floats.add(_OPS, p, sums[-1], term)
        if following == sums[-1]:
            return tuple(sums), True
        sums.append(following)
    return tuple(sums), floats.add(_OPS, p, sums[-1], term) == sums[-1]


def _repeat(p: FloatProfile, term: int, count: int) -> tuple[int, bool]:
    """`0 + term + term + …` (COUNT terms, each addition rounded) and whether the sum has
    stagnated by then."""
    sums, stagnated = _running(p, term, 1 << count.bit_length())
    if count < len(sums) - 1:
        return sums[count], False
    return sums[-1], stagnated


def _sequential(p: FloatProfile, terms: Sequence[int], counts: Sequence[int],
                capped: Sequence[bool], what: str) -> int:
    """The running sum of TERMS, term j repeated COUNTS[j] times in some unknown order."""
    present = [(t, c, cap) for t, c, cap in zip(terms, counts, capped, strict=True) if c > 0]
    if any(t == p.nan_code for t, _, _ in present):
        return p.nan_code
    nonzero = {t for t, _, _ in present if t != 0}
    if not nonzero:
        return 0
    if len(nonzero) > 1:
        raise CountedSumError(ORDER.format(what=what))
    term = nonzero.pop()
    count = sum(c for t, c, _ in present if t == term)
    total, stagnated = _repeat(p, term, count)
    if not stagnated and any(cap for t, _, cap in present if t == term):
        raise CountedSumError(CAPPED.format(count=count))
    return total


def aggregate(p: FloatProfile, kept: Sequence[bool], scores: Sequence[int] | None,
              values: Sequence[int], counts: Sequence[int], capped: Sequence[bool] | None
              ) -> tuple[int, list[int]]:
    """`floats.aggregate` for key j repeated COUNTS[j] >= 1 times (order unknown); CAPPED[j]
    says the count stands for itself or more.  Returns `(output, weights)` with one weight
    per key type; CountedSumError where the multiset does not fix the result."""
    at_cap = list(capped) if capped is not None else [False] * len(kept)
    if not all(isinstance(c, int) for c in counts):
        raise floats.UnsupportedFloat(f"{floats.UNSUPPORTED}: symbolic key multiplicities")
    exps = floats.numerators(_OPS, p, list(kept), None if scores is None else list(scores))
    if p.sums == "exact":
        z = floats.exact_sum(_OPS, p, [(flag, e, p.one_raw) for flag, e in zip(
            kept, exps, strict=True)], counts)
    else:
        z = _sequential(p, [e if flag else 0 for flag, e in zip(kept, exps, strict=True)],
                        counts, at_cap, "softmax numerators")
    z = floats.divisor(_OPS, p, z)
    weights = [floats.div(_OPS, p, e, z) if flag else 0
               for flag, e in zip(kept, exps, strict=True)]
    if p.sums == "exact":
        output = floats.exact_sum(_OPS, p, list(zip(kept, weights, values, strict=True)),
                                  counts)
    else:
        products = [floats.mul(_OPS, p, w, v) if flag else 0
                    for flag, w, v in zip(kept, weights, values, strict=True)]
        output = _sequential(p, products, counts, at_cap, "weighted values")
    return output, weights


__all__ = ["CountedSumError", "aggregate", "stagnation_bound"]
