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


# --- floating point ---------------------------------------------------------------------

#: Exponent bits E of `float(E, M)`: 2 is the fewest with a normal number (so 1.0 exists);
#: 8 is fp32/bf16's range, the widest whose exact sums the backends are sized for.
FLOAT_EXP_BITS = (2, 8)
#: Stored fraction bits M: 1 is the fewest with a NaN distinct from infinity; 23 is fp32's.
FLOAT_MAN_BITS = (1, 23)

#: The named formats: `(E, M, finite_only)`; `finite_only` is the OCP E4M3FN encoding (no
#: infinities, the exponent field of all ones holds normal numbers, NaN only at S.1111.111).
FLOAT_PRESETS: dict[str, tuple[int, int, bool]] = {
    "bf16": (8, 7, False),
    "fp16": (5, 10, False),
    "fp32": (8, 23, False),
    "fp8e5m2": (5, 2, False),
    "fp8e4m3": (4, 3, True),
}


@dataclass(frozen=True)
class FloatProfile(Profile):
    """A binary floating-point format `float(exp_bits, man_bits)` (IEEE 754-2019 section 3.4
    style: bias `2**(E-1) - 1`, subnormals, infinities, NaN) with the options of `Profile`.

    A value is stored as an order-preserving integer *code*: for a finite or infinite value
    the code is `+m` or `-m`, where `m` is the magnitude bit pattern (biased exponent, then
    fraction), so `<` on codes is `<` on values; -0 and +0 share the code 0 (no operation of
    the language observes the sign of zero); NaN has the single code `nan_code`, above +inf,
    and every comparison treats it explicitly (`verifier.semantics.floats`).  The finite set
    F with +-inf is the value set of Li & Cotterell 2025, Assumption 3.1, and of Park, Park &
    Hwang, arXiv 2601.16450.  `int_bits`/`frac_bits` are unused.  The default sum mode is
    `sequential` (ascending `j`, every addition rounded: what a kernel does).
    """

    sums: Sums = "sequential"
    exp_bits: int = 8
    man_bits: int = 7
    finite_only: bool = False
    preset: str | None = None

    @property
    def bias(self) -> int:
        """The exponent bias `2**(E-1) - 1`."""
        return (1 << (self.exp_bits - 1)) - 1

    @property
    def emin(self) -> int:
        """The exponent of the smallest normal number, `1 - bias`."""
        return 1 - self.bias

    @property
    def has_inf(self) -> bool:
        """Whether the format has infinities (not the OCP `finite_only` encoding)."""
        return not self.finite_only

    @property
    def max_code(self) -> int:
        """The code of the largest finite value."""
        if self.finite_only:
            return (1 << (self.exp_bits + self.man_bits)) - 2
        return ((1 << self.exp_bits) - 1 << self.man_bits) - 1

    @property
    def top_code(self) -> int:
        """The largest non-NaN code: +inf, or the largest finite value without infinities."""
        return self.max_code + 1 if self.has_inf else self.max_code

    @property
    def nan_code(self) -> int:
        """The one code of NaN, just above `top_code`."""
        return self.top_code + 1

    @property
    def one_raw(self) -> int:
        """The code of 1.0."""
        return self.bias << self.man_bits

    @property
    def max_raw(self) -> int:
        """The code of the largest finite value."""
        return self.max_code

    @property
    def min_raw(self) -> int:
        """The code of the most negative finite value."""
        return -self.max_code

    @property
    def ulp(self) -> Fraction:
        """The spacing just above 1.0, `2**-M`."""
        return Fraction(1, 1 << self.man_bits)

    @property
    def min_subnormal(self) -> Fraction:
        """The smallest positive value, `2**(emin - M)`."""
        return Fraction(2) ** (self.emin - self.man_bits)

    def is_finite_code(self, code: int) -> bool:
        """Whether `code` stands for a finite number."""
        return -self.max_code <= code <= self.max_code

    def decode(self, raw: int) -> Fraction:
        """The exact value of a finite code; `ValueError` for +-inf and NaN (see `special`)."""
        if not self.is_finite_code(raw):
            raise ValueError(f"code {raw} is {self.special(raw)}, not a finite number")
        magnitude = abs(raw)
        field, fraction = magnitude >> self.man_bits, magnitude & ((1 << self.man_bits) - 1)
        significand = fraction + ((1 << self.man_bits) if field else 0)
        value = significand * Fraction(2) ** (max(field, 1) - self.bias - self.man_bits)
        return -value if raw < 0 else value

    def special(self, raw: int) -> str | None:
        """`"inf"`, `"-inf"` or `"nan"` for those codes, None for a finite one."""
        if raw == self.nan_code:
            return "nan"
        if self.has_inf and abs(raw) == self.top_code:
            return "inf" if raw > 0 else "-inf"
        return None

    def overflow_code(self, negative: bool) -> int:
        """The code an overflowing result takes (IEEE 754-2019 section 7.4): +-inf under
        `nearest_even`, the largest finite magnitude under `toward_zero`, and under `down`
        +max for positive, -inf for negative results; always +-max without infinities
        (the OCP saturating mode)."""
        to_inf = self.has_inf and (self.rounding == "nearest_even"
                                   or (self.rounding == "down" and negative))
        magnitude = self.top_code if to_inf else self.max_code
        return -magnitude if negative else magnitude

    def round_raw(self, value: Fraction) -> int:
        """The code of the exact rational `value` rounded once with the profile's rounding
        (the reference rounding: plain Python, independent of the soft-float)."""
        value = Fraction(value)
        if value == 0:
            return 0
        negative = value < 0
        magnitude = -value if negative else value
        exponent = magnitude.numerator.bit_length() - magnitude.denominator.bit_length()
        if Fraction(2) ** exponent > magnitude:
            exponent -= 1
        scale = max(exponent, self.emin) - self.man_bits
        scaled = magnitude / Fraction(2) ** scale
        whole, rest = divmod(scaled.numerator, scaled.denominator)
        half = Fraction(rest, scaled.denominator)
        if self.rounding == "nearest_even":
            up = half > Fraction(1, 2) or (half == Fraction(1, 2) and whole % 2 == 1)
        elif self.rounding == "toward_zero":
            up = False
        else:
            up = negative and rest != 0
        code = ((max(exponent, self.emin) + self.bias - 1) << self.man_bits) + whole + up
        if code > self.max_code:
            return self.overflow_code(negative)
        return -code if negative else code

    def encode(self, value: Fraction | int) -> int:
        """The code of `value`; `ValueError` if it is not exactly representable."""
        code = self.round_raw(Fraction(value))
        if not self.is_finite_code(code) or self.decode(code) != value:
            raise ValueError(f"{value} is not exactly representable")
        return code

    def attention_span(self) -> int | None:
        """`floats.float_attention_span` (None: uniform weights never vanish)."""
        from verifier.semantics.floats import float_attention_span
        return float_attention_span(self)

    def format_name(self) -> str:
        """`bf16`, or `float(E, M)`."""
        return self.preset or f"float({self.exp_bits}, {self.man_bits})"

    def describe(self) -> str:
        """The profile as written in a program, listing only non-default options."""
        text = self.format_name()
        defaults = FloatProfile()
        for name in ("rounding", "denominator", "sums"):
            value = getattr(self, name)
            if value != getattr(defaults, name):
                text += f" {name} {value}"
        return text


def float_profile(exp_bits: int, man_bits: int, preset: str | None = None,
                  **options: str) -> FloatProfile:
    """The `FloatProfile` of `float(E, M)` (or of the named PRESET) with OPTIONS."""
    finite_only = False
    if preset is not None:
        exp_bits, man_bits, finite_only = FLOAT_PRESETS[preset]
    return FloatProfile(exp_bits=exp_bits, man_bits=man_bits, finite_only=finite_only,
                        preset=preset, **options)  # type: ignore[arg-type]
