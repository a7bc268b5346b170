"""Proof time of the window family `Y<=k a` with one k-local head in fixed(8, 8).

    near = aggregate(select(local k), a)
    accept near > 0
    assert recognizes ltl "Y<=k a"

Prints, per k, the all-lengths engine's verdict, its time (language construction included,
each program extracted afresh) and the ratio to k = 4 measured in the same run.
Targets (issue 11): k = 16 in at most 1 s, k = 64 in at most 10 s on this machine.

    python bench/windows.py [k ...]
"""

from __future__ import annotations

import sys
import time

from verifier.engines.decide import Question, decide
from verifier.engines.target import Target
from verifier.langs import parse_language
from verifier.pipeline import compile_text

WINDOWS = (4, 8, 16, 32, 64)
TARGETS = {16: 1.0, 64: 10.0}
SOURCE = """alphabet a b
precision fixed(8, 8)
near = aggregate(select(local {k}), a)
accept near > 0
"""


def _timed(k: int) -> tuple[str, float]:
    start = time.perf_counter()
    program = compile_text(SOURCE.format(k=k))
    language = parse_language("ltl", f"Y<={k} a", program.alphabet)
    verdict = decide(Question(program, Target(language=language)), "unbounded")
    return verdict.status.value, time.perf_counter() - start


def main(argv: list[str]) -> int:
    windows = tuple(int(k) for k in argv[1:]) or WINDOWS
    _timed(2)  # warm up: imports and the semantics' tables are not what is measured
    base = None
    for k in windows:
        status, seconds = _timed(k)
        base = seconds if base is None else base
        target = TARGETS.get(k)
        flag = "" if target is None else f"  (target <= {target:g} s" + (
            ", over)" if seconds > target else ")")
        print(f"k = {k:4d}  {status:8s} {seconds:8.3f} s   ratio to k = {windows[0]}: "
              f"{seconds / base:7.1f}x{flag}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
