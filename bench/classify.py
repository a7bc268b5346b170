"""Benchmark: classify 100 random regexes over {a, b, c} (seeded) and report the median and
maximum time per language (parse + minimal DFA + classification).

Run: python bench/classify.py [--count N] [--seed S]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from verifier.langs import LanguageError, classify, parse_language
from verifier.limits import LimitReached

ALPHABET = ["a", "b", "c"]


def random_regex(rng: random.Random, depth: int) -> str:
    """A random regex over {a, b, c} using |, concatenation, * + ? {m,n}, classes and '.'."""
    if depth == 0 or rng.random() < 0.25:
        return rng.choice(["a", "b", "c", ".", "[ab]", "[^c]", "()"])
    kind = rng.choice(["cat", "cat", "alt", "star", "plus", "opt", "count"])
    left = random_regex(rng, depth - 1)
    if kind == "cat":
        return f"{left}{random_regex(rng, depth - 1)}"
    if kind == "alt":
        return f"({left}|{random_regex(rng, depth - 1)})"
    if kind == "count":
        low = rng.randint(0, 3)
        return f"({left}){{{low},{low + rng.randint(0, 3)}}}"
    suffix = {"star": "*", "plus": "+", "opt": "?"}[kind]
    return f"({left}){suffix}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    times: list[float] = []
    worst = ("", 0.0)
    counts = {"LTL[P]": 0, "LTL[Y]": 0, "LTL[P,Y]": 0, "star-free": 0, "DA": 0}
    errors = 0
    for _ in range(args.count):
        text = random_regex(rng, 5)
        start = time.perf_counter()
        try:
            lang = parse_language("regex", text, ALPHABET)
            result = classify(lang.dfa, language=lang.describe())
        except (LanguageError, LimitReached):  # a budget is a limit, not a language error
            errors += 1
            continue
        elapsed = time.perf_counter() - start
        times.append(elapsed)
        worst = max(worst, (text, elapsed), key=lambda t: t[1])
        for name in counts:
            counts[name] += bool(result.holds(name))
    print(f"languages: {len(times)} classified, {errors} over a budget")
    print(f"median: {statistics.median(times) * 1000:.2f} ms")
    print(f"max:    {max(times) * 1000:.2f} ms  ({worst[0]})")
    print("members: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
