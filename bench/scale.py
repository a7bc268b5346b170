"""Scale (issue 11): specifications and compilation at sizes users work with.

Prints, from one run:

* the 34-head program compiled (``--arch hybrid``, alphabet a b c d e f g h k m) from the
  30-operator formula, end to end: compile, then check (the verdict's seconds include building
  the specification's DFA, which is also timed alone). Target: checked in <= 5 s;
* the C-RASP depth family L_k = k alternating blocks (``a+b+a+…``) compiled with
  ``--arch global`` for k = 8 … 20, with the ratio to k = 8 (it doubled per block before).
  Target: L_20 compiled in <= 2 s;
* the window family ``Y<=k a`` with one k-local head in fixed(8, 8), k = 4 … 64, with the
  ratio to k = 4 (bench/windows.py). Targets: k = 16 in <= 1 s, k = 64 in <= 10 s;
* chains of 200, 1000 and 5000 s-ops (``x_t = not x_(t-1)`` after a 1-local head), each
  claim (``recognizes regex ".*a"``) decided for all lengths by the default `check`.

    python bench/scale.py
"""

from __future__ import annotations

import sys
import time

import windows  # type: ignore[import-not-found]  # bench/windows.py, next to this script

from verifier.checking import check_source
from verifier.compile import compile_program
from verifier.langs import parse_language
from verifier.pipeline import check_text

FORMULA_30 = ("P(b & Y a) & P(c & P(d & Y e)) & !P(f & Y Y g) & Y<=3 m & "
              "P(h & P(k & P(m & Y Y a))) & !P(a & Y b & Y Y c) & "
              "(P(d & P(e & P(f & P(g)))) | Y h)")
SIGMA_10 = list("abcdefghkm")
CHECK_TARGET = 5.0
COMPILE_TARGET = 2.0
BLOCKS = range(8, 21)
REPEATS = 3  # L_k rows: the best of three runs (each takes milliseconds)


def _flag(seconds: float, target: float) -> str:
    return "" if seconds <= target else "  (over target)"


def formula_end_to_end() -> float:
    """Compile the 30-operator formula, then check the program; returns the check time."""
    start = time.perf_counter()
    spec = parse_language("ltl", FORMULA_30, SIGMA_10)
    spec_seconds = time.perf_counter() - start
    start = time.perf_counter()
    compiled = compile_program(f"ltl:{FORMULA_30}", "hybrid", SIGMA_10)
    compile_seconds = time.perf_counter() - start
    start = time.perf_counter()
    result = check_source(lambda: check_text(compiled.text, "f30.attn"), "f30.attn")
    check_seconds = time.perf_counter() - start
    assert result.error is None, result.error
    (claim,) = result.claims
    verdict = claim.verdict
    print(f"30-operator formula, {compiled.size.heads} heads, depth {compiled.size.depth}:")
    print(f"  specification DFA alone      {spec_seconds:8.3f} s   ({spec.dfa.n_states} "
          "minimal states)")
    print(f"  compile                      {compile_seconds:8.3f} s")
    print(f"  check                        {check_seconds:8.3f} s   {verdict.status.value}, "
          f"verdict says {verdict.seconds:.3f} s ({verdict.method}); "
          f"{check_seconds / CHECK_TARGET:.2f}x the {CHECK_TARGET:.0f} s target"
          f"{_flag(check_seconds, CHECK_TARGET)}")
    print(f"  end to end                   {compile_seconds + check_seconds:8.3f} s")
    return check_seconds


def blocks(k: int) -> str:
    """The regex of L_k: k alternating blocks, ``a+b+a+…``."""
    return "".join("ab"[i % 2] + "+" for i in range(k))


def depth_family() -> float:
    """Compile L_k for every k in BLOCKS; returns the time of the largest."""
    print(f"\nL_k = k alternating blocks, compile --arch global (best of {REPEATS}):")
    base = seconds = 0.0
    for k in BLOCKS:
        runs = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            compiled = compile_program(f"regex:{blocks(k)}", "global", ["a", "b"])
            runs.append(time.perf_counter() - start)
        seconds = min(runs)
        base = base or seconds
        target = _flag(seconds, COMPILE_TARGET) if k == BLOCKS[-1] else ""
        print(f"  k = {k:2d}  {compiled.size.heads:4d} heads  {seconds:8.3f} s   "
              f"ratio to k = {BLOCKS[0]}: {seconds / base:6.2f}x{target}")
    return seconds


CHAINS = (200, 1000, 5000)


def chain(length: int) -> str:
    """A program of LENGTH + 2 s-ops: whether the last symbol is an `a`, negated LENGTH
    times (LENGTH even: the language `.*a`), with its claim."""
    lines = ["alphabet a b", "x0 = aggregate(select(local 1), a) > 0.5"]
    lines += [f"x{t} = not x{t - 1}" for t in range(1, length + 1)]
    return "\n".join([*lines, f"accept x{length}", 'assert recognizes regex ".*a"', ""])


def chains() -> None:
    """Check each chain of CHAINS with the default engine, end to end (parse included)."""
    print("\nchains of s-ops, default check (parse, lower, decide):")
    for length in CHAINS:
        text = chain(length)
        start = time.perf_counter()
        result = check_source(lambda text=text: check_text(text, "chain.attn"), "chain.attn")
        seconds = time.perf_counter() - start
        assert result.error is None, result.error
        (claim,) = result.claims
        print(f"  {length + 2:5d} s-ops  {claim.verdict.status.value:8s} {seconds:8.3f} s   "
              f"({claim.verdict.method})")


def main(argv: list[str]) -> int:
    check_seconds = formula_end_to_end()
    last = depth_family()
    print("\nwindow family Y<=k a, one k-local head, fixed(8, 8) (bench/windows.py):")
    windows.main(["windows"])
    chains()
    print(f"\ntargets: 34-head check {check_seconds:.3f} s (<= {CHECK_TARGET:.0f} s), "
          f"L_{BLOCKS[-1]} compile {last:.3f} s (<= {COMPILE_TARGET:.0f} s); windows and "
          "chains above")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
