"""Benchmark: the batch interpreter over every word of length 16 of a 4-head program.

Prints word-positions per second (words x positions, eos included) and the per-head figure
(word-positions x heads per second: each head evaluated at one position of one word counts
once); the target is >= 10^6 per second per head.

Run: python bench/enumerate.py [--length N] [--repeat R]
"""

from __future__ import annotations

import argparse
import time

from verifier.interp import accepts_all
from verifier.pipeline import compile_text

PROGRAM = """
alphabet a b
precision fixed(8, 8)
prev = aggregate(select(local 1), a)
pa   = aggregate(select(global), a)
pb   = aggregate(select(global), b)
ab   = b and prev > 0.5
seen = aggregate(select(global, where: ab[j]), ab)
accept pa > pb or seen > 0
"""


def main() -> None:
    """Time `accepts_all` and print the throughput figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--length", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    program = compile_text(PROGRAM, "bench4.attn")
    heads = len(program.attention_nodes())
    best = float("inf")
    for _ in range(args.repeat):
        start = time.perf_counter()
        accepts_all(program, args.length)
        best = min(best, time.perf_counter() - start)
    positions = 2**args.length * (args.length + 1)
    rate = positions / best
    print(f"{heads}-head program, all 2^{args.length} words of length {args.length}: "
          f"{best:.3f} s (best of {args.repeat})")
    print(f"  {rate:,.0f} word-positions/s")
    print(f"  {rate * heads:,.0f} word-positions x heads/s "
          f"(per head; target >= 1,000,000: {'met' if rate * heads >= 1e6 else 'NOT met'})")


if __name__ == "__main__":
    main()
