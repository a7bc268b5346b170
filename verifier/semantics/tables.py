"""Exact lookup tables: the rounded exponential (the uniform-attention weights are built by
the softmax itself, `attention.uniform_table`).

`e^x` is irrational for every rational `x != 0`, so its rounding is never a tie and is decided
by a high-precision decimal computation; `e^0 = 1` exactly.  The table covers the raw arguments
`lo..hi` where the result is neither constant 0 (below) nor the clamped maximum (above):
`lo` is the largest argument whose rounded exp is 0 (or the smallest argument softmax can
produce, `min - max`), `hi` the smallest argument whose exp clamps to `max` (or `max` itself).
Outside that range the function is constant, so callers clamp the argument into `lo..hi`.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterator
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from verifier.semantics.profile import Profile, Rounding

_PREC = 90  # digits for the running product; relative error stays far below 1e-70
_CHECK_PREC = 200  # digits for the rare direct recomputation near a rounding boundary
_MARGIN = Decimal(10) ** -50  # closer than this to a boundary triggers the recomputation


class LookupTable:
    """A function on the integers `lo..hi`: `values[x - lo]` is its value at `x`.

    Backends implement `NumOps.lookup` with it (fancy indexing, or an if-tree over the runs of
    equal values for Z3).
    """

    def __init__(self, lo: int, values: tuple[int, ...]) -> None:
        """Store the first argument `lo` and the values for `lo, lo + 1, ...`."""
        self.lo = lo
        self.values = values

    @property
    def hi(self) -> int:
        """The last argument covered."""
        return self.lo + len(self.values) - 1

    def at(self, x: int) -> int:
        """The rounded exp of any raw argument `x` (constant outside `lo..hi`)."""
        return self.values[min(max(x, self.lo), self.hi) - self.lo]

    @cached_property
    def array(self) -> npt.NDArray[np.int64]:
        """The values as an int64 array (for fancy indexing)."""
        return np.array(self.values, dtype=np.int64)

    @cached_property
    def runs(self) -> tuple[tuple[int, int], ...]:
        """`(first argument, value)` for each maximal run of equal values, ascending."""
        runs: list[tuple[int, int]] = []
        for offset, value in enumerate(self.values):
            if not runs or runs[-1][1] != value:
                runs.append((self.lo + offset, value))
        return tuple(runs)


def _round_decimal(y: Decimal, rounding: Rounding, margin: Decimal) -> int | None:
    """Round the positive approximation `y`, or `None` if it is within `margin` of a boundary."""
    floor = int(y)
    rest = y - floor
    if rounding == "nearest_even":
        if abs(rest - Decimal("0.5")) < margin:
            return None
        return floor + 1 if rest > Decimal("0.5") else floor
    if rest < margin or 1 - rest < margin:
        return None
    return floor


def _exact_round(x: int, profile: Profile) -> int:
    """Round `2**F * e^(x * 2**-F)` directly at very high precision (x != 0)."""
    with decimal.localcontext() as ctx:
        ctx.prec = _CHECK_PREC
        y = (Decimal(x) / Decimal(profile.one_raw)).exp() * profile.one_raw
        value = _round_decimal(y, profile.rounding, Decimal(10) ** -(_CHECK_PREC - 20))
    if value is None:
        raise ArithmeticError(f"cannot decide the rounding of exp({x} * 2^-{profile.frac_bits})")
    return value


def _walk(profile: Profile, step: int, stop: int) -> Iterator[tuple[int, int]]:
    """Yield `(x, rounded exp)` for `x = step, 2*step, ...` up to `stop` (inclusive)."""
    with decimal.localcontext() as ctx:
        ctx.prec = _PREC
        factor = (Decimal(step) / Decimal(profile.one_raw)).exp()
        y = Decimal(profile.one_raw)
        for x in range(step, stop + step, step):
            y *= factor
            value = _round_decimal(y, profile.rounding, _MARGIN)
            yield x, _exact_round(x, profile) if value is None else value


def _negative_side(profile: Profile) -> list[int]:
    """Values for `x = -1, -2, ...` down to the first 0 or to `min - max`, in that order."""
    values: list[int] = []
    for _, value in _walk(profile, -1, profile.min_raw - profile.max_raw):
        values.append(value)
        if value == 0:
            break
    return values


def _positive_side(profile: Profile) -> list[int]:
    """Clamped values for `x = 1, 2, ...` up to the first `max` or to `max` itself."""
    values: list[int] = []
    for _, value in _walk(profile, 1, profile.max_raw):
        values.append(min(value, profile.max_raw))
        if value >= profile.max_raw:
            break
    return values


def exp_table(profile: Profile) -> LookupTable:
    """`clamp(round(e^(x * 2**-F)))` for raw `x` in `lo..hi`.

    Profiles with equal `I`, `F` and rounding share the table.

    `down` and `toward_zero` agree on the positive numbers `e^x`, so they share a table.
    """
    rounding: Rounding = "down" if profile.rounding == "toward_zero" else profile.rounding
    return _cached_table(Profile(profile.int_bits, profile.frac_bits, rounding))


@lru_cache(maxsize=32)
def _cached_table(profile: Profile) -> LookupTable:
    """Build the table of a profile whose options other than rounding are the defaults."""
    negative = _negative_side(profile)
    positive = _positive_side(profile)
    values = (*reversed(negative), profile.one_raw, *positive)
    return LookupTable(-len(negative), values)


@lru_cache(maxsize=32)
def softmax_exp_table(profile: Profile) -> LookupTable:
    """The part `lo..0` of `exp_table(profile)`: softmax only takes `e^(s_j - m)`, `s_j <= m`."""
    table = exp_table(profile)
    return LookupTable(table.lo, table.values[: 1 - table.lo])


def run_tree(ops: Any, runs: tuple[tuple[int, int], ...], x: Any) -> Any:
    """The value of the run of RUNS (ascending `(start, value)`) that contains X, as a
    balanced if-tree of OPS's `ite`/`lt`/`const`: how the symbolic backends (Z3, pysmt)
    implement `NumOps.lookup` (depth log2 of the number of runs)."""
    if len(runs) == 1:
        return ops.const(runs[0][1])
    middle = len(runs) // 2
    return ops.ite(ops.lt(x, ops.const(runs[middle][0])), run_tree(ops, runs[:middle], x),
                   run_tree(ops, runs[middle:], x))
