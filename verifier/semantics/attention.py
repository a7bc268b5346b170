"""Soft (`aggregate`) and unique hard (`leftmost`/`rightmost`) attention of spec sections 4-5.

Keyed arguments are Python lists with one backend value per key position `j`, in ascending
`j`: `kept[j]` says whether key `j` is selected (scope, mask and `where:` already applied),
`scores[j]` is its raw score (`None`: every key scores 0) and `values[j]` the value `V(j)`.
A backend value may itself be a batch (e.g. a numpy array over words and queries).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from verifier.semantics.arith import clamp, clamp_to, round_div, round_shift
from verifier.semantics.numops import NumOps
from verifier.semantics.profile import MAX_KEYS, Profile
from verifier.semantics.tables import softmax_exp_table, uniform_table

N = TypeVar("N")
B = TypeVar("B")
V = TypeVar("V")


def _key_count(kept: Sequence[object], counts: Sequence[int] | None) -> int:
    """How many keys KEPT stands for (with multiplicities)."""
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


def exp_weights(ops: NumOps[N, B], profile: Profile, kept: list[B], scores: list[N]) -> list[N]:
    """Softmax steps 1-2: `e_j = round(e^(s_j - m))` for kept `j`, 0 for the others."""
    zero = ops.const(0)
    table = softmax_exp_table(profile)
    top = max_kept(ops, profile, kept, scores)
    weights = []
    for flag, score in zip(kept, scores, strict=True):
        argument = clamp_to(ops, ops.sub(score, top), table.lo, 0)
        weights.append(ops.ite(flag, ops.lookup(table, argument), zero))
    return weights


def _repeat(ops: NumOps[N, B], terms: list[N], counts: Sequence[int] | None) -> list[N]:
    """TERMS with each term multiplied by its key's multiplicity (unchanged without COUNTS)."""
    if counts is None:
        return terms
    return [t if c == 1 else ops.mul(t, ops.const(c)) for t, c in zip(terms, counts, strict=True)]


def normalise(ops: NumOps[N, B], profile: Profile, exps: list[N],
              counts: Sequence[int] | None = None) -> list[N]:
    """Softmax steps 3-5: `alpha_j = round(e_j / Z)`, all 0 if `Z` overflows under `vanish`.

    `Z` is the exact sum.  Since every `e_j >= 0`, the partial sums of `sums sequential` only
    grow, so overflowing at a partial sum is the same as overflowing at the total and the
    saturated running sum is `min(Z, max)`: both options give the same `Z`.
    """
    z = total(ops, _repeat(ops, exps, counts))
    zero = ops.const(0)
    divisor = clamp_to(ops, z, 1, profile.max_raw)  # Z = 0 only when nothing is kept
    weights = [
        round_div(ops, profile, ops.mul(e, ops.const(profile.one_raw)), divisor) for e in exps
    ]
    if profile.denominator == "saturate":
        return weights
    overflow = ops.lt(ops.const(profile.max_raw), z)
    return [ops.ite(overflow, zero, weight) for weight in weights]


def weighted_sum(ops: NumOps[N, B], profile: Profile, weights: list[N], values: list[N],
                 counts: Sequence[int] | None = None) -> N:
    """Step 5 output: `clamp(round(sum alpha_j * V(j)))`, or the sequential-kernel variant.

    With COUNTS, key j stands for counts[j] consecutive identical keys: adding c identical
    terms with a clamp after each equals one clamped addition of c times the term, since the
    running sum then moves in one direction only.
    """
    products = [ops.mul(w, v) for w, v in zip(weights, values, strict=True)]
    if profile.sums == "exact":
        exact = round_shift(ops, profile, total(ops, _repeat(ops, products, counts)),
                            profile.frac_bits)
        return clamp(ops, profile, exact)
    terms = [clamp(ops, profile, round_shift(ops, profile, p, profile.frac_bits))
             for p in products]
    running = ops.const(0)
    for term in _repeat(ops, terms, counts):
        running = clamp(ops, profile, ops.add(running, term))
    return running


def _uniform(
    ops: NumOps[N, B], profile: Profile, kept: list[B], values: list[N],
    counts: Sequence[int] | None = None,
) -> tuple[N, list[N]]:
    """Softmax with every score 0: `e_j = 1`, so `alpha` depends only on the kept count.

    The weight comes from `uniform_table` (no division); under exact sums the output is one
    product `alpha * sum_kept V(j)`.  Results are identical to the general path.
    """
    zero, unit = ops.const(0), ops.const(1)
    count = total(ops, _repeat(ops, [ops.ite(flag, unit, zero) for flag in kept], counts))
    weight = ops.lookup(uniform_table(profile, _key_count(kept, counts)), count)
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
    counts: Sequence[int] | None = None,
) -> tuple[N, list[N]]:
    """Soft attention: `(output, weights)` following the five softmax steps of section 5.

    `default` is returned where no key is kept (all weights 0 then); a vanished denominator
    yields output 0 with all weights 0, not the default.  `scores=None` is uniform attention.
    COUNTS (constants >= 1, one per key) make key j stand for counts[j] identical consecutive
    keys; the result equals the call on the expanded lists (the all-lengths engine's multisets).
    Multiplicities are meant for exact backends (PyOps): they are not bounded by MAX_KEYS.
    """
    _check_keys(len(kept), kept, scores, values, counts)
    if scores is None:
        output, weights = _uniform(ops, profile, kept, values, counts)
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
    if scores is not None:
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
