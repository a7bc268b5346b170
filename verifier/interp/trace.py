"""Traces are data: every named s-op at every position, and every head's weight grid."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from verifier.check.types import Type
from verifier.semantics.profile import FloatProfile, Profile


@dataclass(frozen=True)
class Row:
    """One s-op: its name, type and raw value (int for num, bool for bool) at positions 1..N+1."""

    name: str
    type: Type
    values: tuple[int | bool, ...]


@dataclass(frozen=True)
class HeadTrace:
    """One attention head: WEIGHTS[i-1][j-1] for query i and key j (None where not kept/seen).

    Soft heads hold raw fixed-point weights; hard heads hold 1 at the chosen key, else 0.
    """

    name: str
    kind: str
    selector: str
    weights: tuple[tuple[int | None, ...], ...]


@dataclass(frozen=True)
class Trace:
    """The run of a program on one word."""

    alphabet: tuple[str, ...]
    profile: Profile
    word: tuple[str, ...]
    accepted: bool
    rows: tuple[Row, ...]
    heads: tuple[HeadTrace, ...]

    def row(self, name: str) -> Row:
        """The row of the s-op NAME."""
        return next(r for r in self.rows if r.name == name)

    def values(self) -> dict[str, tuple[bool | Fraction | float, ...]]:
        """Every s-op's values at positions 1..N+1 in user units: bools, and nums as exact
        Fractions (the raw integer times the profile's ulp, docs/semantics.md)."""
        return {row.name: tuple(bool(v) if row.type is Type.BOOL
                                else user_number(self.profile, int(v)) for v in row.values)
                for row in self.rows}


def user_number(profile: Profile, raw: int) -> Fraction | float:
    """The exact value of a raw number of PROFILE; float infinities and NaN as Python
    floats (docs/semantics.md)."""
    if isinstance(profile, FloatProfile) and profile.special(raw) is not None:
        return float(profile.special(raw) or "nan")
    return profile.decode(raw)
