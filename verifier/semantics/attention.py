"""Soft (`aggregate`) and unique hard (`leftmost`/`rightmost`) attention of spec sections 4-5.

Keyed arguments are Python lists with one backend value per key position `j`, in ascending
`j`: `kept[j]` says whether key `j` is selected (scope, mask and `where:` already applied),
`scores[j]` is its raw score (`None`: every key scores 0) and `values[j]` the value `V(j)`.
A backend value may itself be a batch (e.g. a numpy array over words and queries).
This is the only code that computes softmax weights, vanishing, saturation and sums; the
uniform-weight table and the attention span are computed by running it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any, TypeVar

from verifier.semantics import float_counts, floats
from verifier.semantics.arith import clamp, clamp_to, round_div, round_shift
from verifier.semantics.numops import NumOps
from verifier.semantics.profile import MAX_KEYS, FloatProfile, Profile
from verifier.semantics.pyops import PyOps
from verifier.semantics.tables import LookupTable, softmax_exp_table

N = TypeVar("N")
B = TypeVar("B")
V = TypeVar("V")


#: Multiplicities of keys: Python ints >= 1, or backend numbers >= 0 (symbolic counts).
Counts = Sequence[Any] | None


def _symbolic(counts: Counts) -> bool:
    """Whether COUNTS holds backend numbers rather than Python ints."""
    return counts is not None and not all(isinstance(c, int) for c in counts)


def _key_count(kept: Sequence[object], counts: Counts, max_keys: int | None) -> int:
    """How many keys KEPT stands for (with multiplicities; MAX_KEYS bounds symbolic ones)."""
    if max_keys is not None:
        return max_keys
    assert not _symbolic(counts), "symbolic multiplicities need a bound on the key count"
    return len(kept) if counts is None else sum(counts)


def _check_keys(count: int, *lists: Sequence[object] | None) -> None:
    """Refuse more keys than the profile limits allow and lists of unequal length."""
    if count > MAX_KEYS:
        raise ValueError(f"attention over {count} keys exceeds the limit of {MAX_KEYS}")
    lengths = {len(other) for other in lists if other is not None}
    if len(lengths) > 1:
        raise ValueError("kept, scores, values and counts must have one entry per key")


def any_of(ops: NumOps[N, B], flags: list[B]) -> B:
    """`True` where some flag holds (`False` for an empty list)."""
    result = ops.bconst(False)
    for flag in flags:
        result = ops.or_(result, flag)
    return result


def total(ops: NumOps[N, B], terms: list[N]) -> N:
    """The exact sum of `terms` (0 for an empty list)."""
    result = ops.const(0)
    for term in terms:
        result = ops.add(result, term)
    return result


def max_kept(ops: NumOps[N, B], profile: Profile, kept: list[B], scores: list[N]) -> N:
    """The largest kept score (`min_raw` where no key is kept)."""
    best = ops.const(profile.min_raw)
    for flag, score in zip(kept, scores, strict=True):
        best = ops.ite(ops.and_(flag, ops.lt(best, score)), score, best)
    return best


def numerator(ops: NumOps[N, B], profile: Profile, score: N, top: N) -> N:
    """Softmax step 2 for one kept key: `round(e^(s - m))` for the score S and the maximum
    kept score TOP (`s <= m`), from the profile's exp table."""
    table = softmax_exp_table(profile)
    return ops.lookup(table, clamp_to(ops, ops.sub(score, top), table.lo, 0))


def exp_weights(ops: NumOps[N, B], profile: Profile, kept: list[B], scores: list[N]) -> list[N]:
    """Softmax steps 1-2: `e_j = round(e^(s_j - m))` for kept `j`, 0 for the others."""
    zero = ops.const(0)
    top = max_kept(ops, profile, kept, scores)
    return [ops.ite(flag, numerator(ops, profile, score, top), zero)
            for flag, score in zip(kept, scores, strict=True)]


def _repeat(ops: NumOps[N, B], terms: list[N], counts: Counts) -> list[N]:
    """TERMS with each term multiplied by its key's multiplicity (unchanged without COUNTS)."""
    if counts is None:
        return terms
    if _symbolic(counts):
        return [ops.mul(t, c) for t, c in zip(terms, counts, strict=True)]
    return [t if c == 1 else ops.mul(t, ops.const(c)) for t, c in zip(terms, counts, strict=True)]


def normalise(ops: NumOps[N, B], profile: Profile, exps: list[N],
              counts: Counts = None) -> list[N]:
    """Softmax steps 3-5: `alpha_j = round(e_j / Z)`, all 0 if `Z` overflows under `vanish`.

    `Z` is the exact sum.  Since every `e_j >= 0`, the partial sums of `sums sequential` only
    grow, so overflowing at a partial sum is the same as overflowing at the total and the
    saturated running sum is `min(Z, max)`: both options give the same `Z`.
    """
    z = total(ops, _repeat(ops, exps, counts))
    return [softmax_weight(ops, profile, e, z) for e in exps]


def softmax_weight(ops: NumOps[N, B], profile: Profile, e: N, z: N) -> N:
    """Softmax steps 4-5 for one key: `alpha = round(e / Z)` for its numerator E and the
    exact denominator Z (`Z = 0` only when nothing is kept), divided by `max` where Z
    exceeds it under `saturate`, 0 there under `vanish`."""
    divisor = clamp_to(ops, z, 1, profile.max_raw)
    weight = round_div(ops, profile, ops.mul(e, ops.const(profile.one_raw)), divisor)
    if profile.denominator == "saturate":
        return weight
    return ops.ite(ops.lt(ops.const(profile.max_raw), z), ops.const(0), weight)


def weighted_sum(ops: NumOps[N, B], profile: Profile, weights: list[N], values: list[N],
                 counts: Counts = None) -> N:
    """Step 5 output: `clamp(round(sum alpha_j * V(j)))`, or the sequential-kernel variant.

    With COUNTS, key j stands for counts[j] consecutive identical keys: adding c identical
    terms with a clamp after each equals one clamped addition of c times the term, since the
    running sum then moves in one direction only. Symbolic counts fix no order: the caller
    guarantees that every term has one sign, where the running clamp equals one clamp of the
    total.
    """
    if profile.sums == "exact":
        products = [ops.mul(w, v) for w, v in zip(weights, values, strict=True)]
        exact = round_shift(ops, profile, total(ops, _repeat(ops, products, counts)),
                            profile.frac_bits)
        return clamp(ops, profile, exact)
    terms = [weighted_term(ops, profile, w, v) for w, v in zip(weights, values, strict=True)]
    if _symbolic(counts):
        return clamp(ops, profile, total(ops, _repeat(ops, terms, counts)))
    running = ops.const(0)
    for term in _repeat(ops, terms, counts):
        running = running_add(ops, profile, running, term)
    return running


def weighted_term(ops: NumOps[N, B], profile: Profile, weight: N, value: N) -> N:
    """One term of the sequential sum: `clamp(round(alpha * V))`."""
    return clamp(ops, profile, round_shift(ops, profile, ops.mul(weight, value),
                                           profile.frac_bits))


def running_add(ops: NumOps[N, B], profile: Profile, running: N, term: N) -> N:
    """One step of the sequential sum: `clamp(running + term)`."""
    return clamp(ops, profile, ops.add(running, term))


def _uniform(
    ops: NumOps[N, B], profile: Profile, kept: list[B], values: list[N],
    counts: Counts = None, max_keys: int | None = None,
) -> tuple[N, list[N]]:
    """Softmax with every score 0: `e_j = 1`, so `alpha` depends only on the kept count.

    The weight comes from `uniform_table` (no division); under exact sums the output is one
    product `alpha * sum_kept V(j)`.  Results are identical to the general path.
    """
    zero, unit = ops.const(0), ops.const(1)
    count = total(ops, _repeat(ops, [ops.ite(flag, unit, zero) for flag in kept], counts))
    weight = ops.lookup(uniform_table(profile, _key_count(kept, counts, max_keys)), count)
    weights = [ops.ite(flag, weight, zero) for flag in kept]
    if profile.sums == "sequential":
        return weighted_sum(ops, profile, weights, values, counts), weights
    kept_values = [ops.ite(f, v, zero) for f, v in zip(kept, values, strict=True)]
    kept_sum = total(ops, _repeat(ops, kept_values, counts))
    exact = round_shift(ops, profile, ops.mul(weight, kept_sum), profile.frac_bits)
    return clamp(ops, profile, exact), weights


def aggregate(
    ops: NumOps[N, B],
    profile: Profile,
    kept: list[B],
    scores: list[N] | None,
    values: list[N],
    default: N,
    counts: Counts = None,
    max_keys: int | None = None,
    capped: Sequence[bool] | None = None,
) -> tuple[N, list[N]]:
    """Soft attention: `(output, weights)` following the five softmax steps of section 5.

    `default` is returned where no key is kept (all weights 0 then); a vanished denominator
    yields output 0 with all weights 0, not the default.  `scores=None` is uniform attention.
    COUNTS (constants >= 1, one per key) make key j stand for counts[j] identical consecutive
    keys; the result equals the call on the expanded lists (the all-lengths engine's multisets).
    Multiplicities are meant for exact backends (PyOps): they are not bounded by MAX_KEYS.
    Symbolic COUNTS (backend numbers >= 0; a kept key has count >= 1) need MAX_KEYS, a bound
    on the total count, and one-signed terms under `sums sequential` (`weighted_sum`).
    In a float format, multiplicities are Python ints over PyOps (`float_counts`); CAPPED[j]
    says count j is a cap of the all-lengths engine (it stands for itself or more).
    """
    _check_keys(len(kept), kept, scores, values, counts)
    if isinstance(profile, FloatProfile):
        if counts is None:
            output, weights = floats.aggregate(ops, profile, kept, scores, values)
        elif isinstance(ops, PyOps):
            output, weights = float_counts.aggregate(profile, kept, scores, values, counts,
                                                     capped)
        else:
            raise floats.UnsupportedFloat(f"{floats.UNSUPPORTED}: symbolic multiplicities")
        return ops.ite(any_of(ops, kept), output, default), weights
    if scores is None:
        output, weights = _uniform(ops, profile, kept, values, counts, max_keys)
    else:
        exps = exp_weights(ops, profile, kept, scores)
        weights = normalise(ops, profile, exps, counts)
        output = weighted_sum(ops, profile, weights, values, counts)
    return ops.ite(any_of(ops, kept), output, default), weights


def pick(
    ops: NumOps[N, B],
    profile: Profile,
    kept: list[B],
    scores: list[N] | None,
    values: list[V],
    default: V,
    leftmost: bool,
) -> tuple[V, list[B]]:
    """Unique hard attention: `(V(j*), one-hot selection)` for the leftmost (or rightmost)
    kept `j*` of maximal score; `(default, all False)` where no key is kept.

    Values may be numbers or booleans; the selection is listed in ascending `j`.
    """
    _check_keys(len(kept), kept, scores, values)
    best = kept
    if scores is not None and isinstance(profile, FloatProfile):
        best = _float_best(ops, profile, kept, scores)
    elif scores is not None:
        top = max_kept(ops, profile, kept, scores)
        best = [ops.and_(flag, ops.eq(s, top)) for flag, s in zip(kept, scores, strict=True)]
    order = range(len(kept)) if leftmost else range(len(kept) - 1, -1, -1)
    found = ops.bconst(False)
    selected: dict[int, B] = {}
    for j in order:
        selected[j] = ops.and_(best[j], ops.not_(found))
        found = ops.or_(found, best[j])
    output = default
    for j in range(len(kept)):
        output = ops.ite(selected[j], values[j], output)
    return output, [selected[j] for j in range(len(kept))]


def _float_best(ops: NumOps[N, B], profile: FloatProfile, kept: list[B], scores: list[N]
                ) -> list[B]:
    """The kept keys of maximal float score; NaN scores never win (all NaN: none)."""
    top = ops.const(-profile.top_code)
    ordered = [ops.and_(flag, ops.not_(floats.is_nan(ops, profile, s)))
               for flag, s in zip(kept, scores, strict=True)]
    for flag, score in zip(ordered, scores, strict=True):
        top = ops.ite(ops.and_(flag, ops.lt(top, score)), score, top)
    return [ops.and_(flag, ops.eq(s, top)) for flag, s in zip(ordered, scores, strict=True)]


def uniform_weight(profile: Profile, count: int) -> int:
    """The raw weight of each of COUNT >= 1 keys kept with equal scores (0 if vanished): the
    softmax above, run on one key of multiplicity COUNT."""
    ops = PyOps()
    exps = exp_weights(ops, profile, [True], [0])
    return normalise(ops, profile, exps, [count])[0]


@lru_cache(maxsize=64)
def uniform_table(profile: Profile, max_keys: int) -> LookupTable:
    """Raw weight of each kept key when `c` keys are kept uniformly, for `c = 0..max_keys`."""
    return LookupTable(0, (0, *(uniform_weight(profile, c) for c in range(1, max_keys + 1))))


def attention_span(profile: Profile) -> int | None:
    """Largest `c` such that uniform attention over `c` positions keeps non-zero weights
    (None: never vanish, only under `denominator saturate` when `round(1 / max) > 0`)."""
    if profile.denominator == "saturate" and uniform_weight(profile, profile.max_raw + 1) > 0:
        return None
    low, high = 1, profile.max_raw // profile.one_raw  # weight(1) = 1 > 0; c <= max for Z <= max
    while low < high:
        middle = (low + high + 1) // 2
        if uniform_weight(profile, middle) > 0:
            low = middle
        else:
            high = middle - 1
    return low
