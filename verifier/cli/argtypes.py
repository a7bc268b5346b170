"""Argument types shared by every subcommand: one definition of a valid number of seconds,
megabytes or states, so that `--timeout nan` or `--timeout 0` is refused the same way by all.

Each is an argparse `type=` function: it returns the value or raises
`argparse.ArgumentTypeError`, which argparse reports as a usage error (exit status 2).
"""

from __future__ import annotations

import argparse
import math
from typing import TYPE_CHECKING

from verifier.errors import UsageError
from verifier.langs.errors import LanguageError
from verifier.langs.language import check_alphabet

if TYPE_CHECKING:
    from verifier.semantics.profile import Profile

#: The largest --timeout accepted (seconds): a week.
MAX_SECONDS = 7 * 24 * 3600.0
#: The largest count accepted by a --budget / --rlimit style option.
MAX_COUNT = 1 << 62


def seconds(text: str) -> float:
    """A positive, finite number of seconds (at most a week)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not math.isfinite(value) or value <= 0 or value > MAX_SECONDS:
        raise argparse.ArgumentTypeError(
            f"must be a positive number of seconds up to {MAX_SECONDS:.0f}, not {text!r}")
    return value


def positive_int(text: str) -> int:
    """A whole number >= 1 (budgets, resource limits, megabytes)."""
    return _int(text, 1)


def natural(text: str) -> int:
    """A whole number >= 0 (seeds, lengths)."""
    return _int(text, 0)


def alphabet(option: str | None) -> list[str] | None:
    """The `--alphabet` option (`a,b,c` or `"a b c"`) as a list of symbols (None when
    absent); UsageError on an empty or repeated name (`langs.language.check_alphabet`)."""
    if option is None:
        return None
    symbols = [s.strip() for s in option.split(",")] if "," in option else option.split()
    symbols = symbols or [""]
    if not all(symbols):
        raise UsageError(f"--alphabet: empty symbol name in {option!r}")
    try:
        return list(check_alphabet(symbols))
    except LanguageError as error:
        raise UsageError(f"--alphabet: {error.message}") from None


def precision(text: str) -> Profile:
    """The `--precision PROFILE` option (`bf16`, `'fixed(8, 8)'`, `'fp16 sums exact'`): the
    profile that replaces the program's own (`check.profile.parse_profile`)."""
    from verifier.check.profile import parse_profile

    try:
        return parse_profile(text)
    except UsageError as error:
        raise argparse.ArgumentTypeError(str(error).removeprefix("--precision: ")) from None


def add_precision_argument(parser: argparse.ArgumentParser) -> None:
    """Add `--precision PROFILE` to PARSER (dest `precision`, default None)."""
    parser.add_argument("--precision", type=precision, default=None, metavar="PROFILE",
                        help="replace the program's profile, written as after 'precision' "
                             "in a program: bf16, fp16, fp8e4m3, 'fixed(8, 8)', "
                             "'float(5, 2) sums exact'")


def _int(text: str, low: int) -> int:
    try:
        value = int(text.strip(), 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not low <= value <= MAX_COUNT:
        raise argparse.ArgumentTypeError(
            f"must be a whole number from {low} to {MAX_COUNT}, not {text!r}")
    return value
