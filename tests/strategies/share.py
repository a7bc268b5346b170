"""The share of random programs that are nontrivial (see `nontrivial.py`), by class, for the
seeded writer and for hypothesis's own draws: `python -m tests.strategies --share [N]`."""

from __future__ import annotations

import argparse
import random
from collections import Counter

from hypothesis import HealthCheck, given, settings

from verifier.pipeline import compile_text

from .nontrivial import profile
from .programs import program_texts, random_program_text

CLASSES = ("constant", "empty-word", "length-only", "symbols")


def seeded_profiles(count: int, **options: object) -> Counter[str]:
    """The classes of COUNT programs from the seeded writer (seeds 0..COUNT-1)."""
    return Counter(profile(compile_text(random_program_text(random.Random(seed), **options)))
                   for seed in range(count))


def hypothesis_profiles(count: int, **options: object) -> Counter[str]:
    """The classes of COUNT programs hypothesis draws (derandomized)."""
    found: Counter[str] = Counter()

    @settings(derandomize=True, max_examples=count, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(program_texts(**options))
    def collect(text: str) -> None:
        found[profile(compile_text(text))] += 1

    collect()
    return found


def report(name: str, found: Counter[str]) -> str:
    total = sum(found.values())
    kept = found["length-only"] + found["symbols"]
    parts = ", ".join(f"{c} {100 * found[c] / total:.1f}%" for c in CLASSES)
    return f"{name}: {total} programs, nontrivial (kept) {100 * kept / total:.1f}%  ({parts})"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.strategies")
    parser.add_argument("--share", type=int, nargs="?", const=1000, default=1000,
                        metavar="N", help="programs to draw (default 1000)")
    args = parser.parse_args()
    print(report("seeded writer", seeded_profiles(args.share)))
    print(report("seeded writer, one empty head", seeded_profiles(args.share, empty_head=True)))
    print(report("hypothesis draws", hypothesis_profiles(args.share)))
