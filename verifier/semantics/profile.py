"""The `fixed(I, F)` arithmetic profile of spec section 5.

A `num` is stored as its raw integer `k`, meaning the value `k * 2**-F`.  `Profile` fixes the
format and the options; it also converts between raw integers and exact `Fraction`s.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

Rounding = Literal["nearest_even", "toward_zero", "down"]
Denominator = Literal["vanish", "saturate"]
Sums = Literal["exact", "sequential"]

#: Upper bound on `I + F`: every exact intermediate then fits in int64 (see docs/semantics.md).
MAX_TOTAL_BITS = 24
#: Upper bound on `F`: keeps the exp table (about `2**F * (F + I)` entries) small.
MAX_FRAC_BITS = 16
#: Upper bound on the number of key positions one attention head may sum over.
MAX_KEYS = 2**14


def round_fraction(q: Fraction, rounding: Rounding) -> int:
    """Round the exact rational `q` to an integer with the given rounding mode.

    `nearest_even` breaks ties to the even integer, `toward_zero` truncates and `down` floors.
    """
    floor = q.numerator // q.denominator
    rest = q - floor
    if rounding == "down" or rest == 0:
        return floor
    if rounding == "toward_zero":
        return floor + 1 if q < 0 else floor
    if rest > Fraction(1, 2) or (rest == Fraction(1, 2) and floor % 2 == 1):
        return floor + 1
    return floor


@dataclass(frozen=True)
class Profile:
    """A number format `fixed(int_bits, frac_bits)` with its rounding/softmax options."""

    int_bits: int = 8
    frac_bits: int = 8
    rounding: Rounding = "nearest_even"
    denominator: Denominator = "vanish"
    sums: Sums = "exact"

    @property
    def one_raw(self) -> int:
        """The raw integer of the value 1 (that is `2**F`)."""
        return 1 << self.frac_bits

    @property
    def max_raw(self) -> int:
        """The largest raw integer, `2**(I-1+F) - 1`."""
        return (1 << (self.int_bits - 1 + self.frac_bits)) - 1

    @property
    def min_raw(self) -> int:
        """The smallest raw integer, `-2**(I-1+F)`."""
        return -(1 << (self.int_bits - 1 + self.frac_bits))

    @property
    def ulp(self) -> Fraction:
        """The spacing of the format, `2**-F`."""
        return Fraction(1, self.one_raw)

    @property
    def max_value(self) -> Fraction:
        """The largest value, `2**(I-1) - 2**-F`."""
        return self.decode(self.max_raw)

    @property
    def min_value(self) -> Fraction:
        """The smallest value, `-2**(I-1)`."""
        return self.decode(self.min_raw)

    def decode(self, raw: int) -> Fraction:
        """The exact value of the raw integer `raw`."""
        return Fraction(raw, self.one_raw)

    def encode(self, value: Fraction | int) -> int:
        """The raw integer of `value`; `ValueError` if it is not exactly representable."""
        scaled = Fraction(value) * self.one_raw
        if scaled.denominator != 1:
            raise ValueError(f"{value} is not a multiple of 2^-{self.frac_bits}")
        raw = scaled.numerator
        if not self.min_raw <= raw <= self.max_raw:
            raise ValueError(f"{value} is outside [{self.min_value}, {self.max_value}]")
        return raw

    def round_raw(self, value: Fraction) -> int:
        """Round the exact `value` to the format and clamp it; returns the raw integer."""
        raw = round_fraction(value * self.one_raw, self.rounding)
        return min(max(raw, self.min_raw), self.max_raw)

    def attention_span(self) -> int | None:
        """`attention.attention_span` (the softmax builds on Profile: imported here)."""
        from verifier.semantics.attention import attention_span
        return attention_span(self)

    def describe(self) -> str:
        """The profile as written in a program, listing only non-default options."""
        text = f"fixed({self.int_bits}, {self.frac_bits})"
        defaults = Profile()
        for name in ("rounding", "denominator", "sums"):
            value = getattr(self, name)
            if value != getattr(defaults, name):
                text += f" {name} {value}"
        return text
