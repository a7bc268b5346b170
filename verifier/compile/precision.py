"""The number format of a compiled program: the default choice and the soundness check.

The constructions need exactly one figure of the profile, its attention span ``c`` (the
largest number of keys over which uniform attention keeps non-zero weights):

* a ``P`` head pair is sound for every span ``c >= 1``: the first head is positive while
  ``1..c`` φ-positions precede; the patch ``φ2`` holds exactly at the 2nd … (c+1)-th
  φ-position, so the second head never sees more than ``c`` keys;
* a ``Y<=k`` head needs ``k <= c`` (its window holds up to ``k`` keys, all kept);
* a ``Y`` head needs nothing (one key, weight exactly 1).
"""

from __future__ import annotations

from verifier.check.profile import parse_profile
from verifier.errors import UsageError
from verifier.semantics.profile import Profile


def default_precision(window: int) -> str:
    """The smallest ``fixed(I, F)`` (by ``I + F``, from ``fixed(4, 4)``) whose span covers
    WINDOW keys."""
    candidates = sorted(((i, f) for i in range(4, 13) for f in range(4, 13)),
                        key=lambda p: (p[0] + p[1], p[0]))
    for int_bits, frac_bits in candidates:
        span = Profile(int_bits, frac_bits).attention_span()
        if span is None or span >= window:
            return f"fixed({int_bits}, {frac_bits})"
    raise UsageError(f"no format up to fixed(12, 12) has an attention span of {window}")


def parse_precision(text: str) -> Profile:
    """The profile a ``precision`` line TEXT gives; UsageError if it is not valid."""
    if any(c in text for c in "\r\n#"):
        raise UsageError(f"--precision {text!r}: expected one line such as 'fixed(4, 4)'")
    return parse_profile(text)


def check_window(profile: Profile, window: int) -> None:
    """UsageError unless a WINDOW-local head keeps non-zero weights under PROFILE."""
    span = profile.attention_span()
    if window and span is not None and span < window:
        raise UsageError(
            f"precision {profile.describe()} has attention span {span}, too small for a "
            f"{window}-local head (the mean over {window} keys would vanish); "
            f"try --precision \"{default_precision(window)}\"")
