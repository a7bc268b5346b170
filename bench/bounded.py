"""Benchmark: time to prove `up to N` with the bounded SMT engine, for each installed solver
and the portfolio, with the explicit-state engine (`--engine explicit`), with `auto` (what
`verifier check` runs on an `up to N` claim) and with enumeration; ratios are enumerate /
configuration.  The last lines check issue 13's targets (>= 2x at N = 16, >= 10x at N = 20,
for the best configuration and for `auto`).

Programs cover global, local and hybrid scopes, soft and hard heads, 1 to 6 heads; every
claim holds, so each run is a full proof up to N.  Enumeration is skipped once its projected
time (16 times that of the previous bound, 4 lengths further over two letters) exceeds the
budget (default 60 s), and the table says so; the ratio then uses the projection (marked ~).
A solver is dropped from a program's later bounds once it exceeds the budget.  Solvers that
are not installed are listed and skipped.  Each solver's worker process is started (and its
library loaded) before timing.

Run: python bench/bounded.py [--bounds 8,12,16,20,24] [--budget 60] [--only NAME]
     [--solvers z3,cvc5,yices,bitwuzla,portfolio,explicit,auto] [--quick]
     (--quick: N = 8, 16, 20)
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from pathlib import Path

from verifier.engines.bounded import bounded_search
from verifier.engines.enumerate import enumerate_search
from verifier.engines.explicit import explicit_search
from verifier.engines.portfolio import bounded_auto
from verifier.engines.search import Deadline, SearchResult
from verifier.engines.target import Target
from verifier.ir.nodes import Program
from verifier.langs import parse_language
from verifier.options import Options
from verifier.pipeline import compile_text
from verifier.smt.solvers import SOLVER_CHOICES, SOLVERS, Query, installed, race

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus" / "programs"

SIX_HEADS = """
alphabet a b
precision fixed(4, 4)
p1 = leftmost(select(local 1), a)
p2 = leftmost(select(local 1), b)
aa = a and p1
bb = b and p2
s1 = rightmost(select(global, where: aa[j]), true)
s2 = rightmost(select(global, where: bb[j]), true)
f  = leftmost(select(global), a)
l  = rightmost(select(local 1), b)
accept (s1 and s2) or (f and l)
"""
SIX_HEADS_LTL = "(P(a & Y a) & P(b & Y b)) | (P(a & !P true) & Y b)"

MORE_A = """
alphabet a b
diff = aggregate(select(global), if a then 1 else -1)
accept diff > 0
"""


@dataclass(frozen=True)
class Case:
    """A program (corpus file name or inline text) and the target it provably matches."""

    name: str
    scope: str
    source: str
    kind: str
    target: str

    def program(self) -> Program:
        """The compiled program."""
        if self.source.endswith(".attn"):
            path = CORPUS / self.source
            return compile_text(path.read_text(encoding="utf-8"), str(path), CORPUS)
        return compile_text(self.source, f"{self.name}.attn")

    def make_target(self, program: Program) -> Target:
        """The language (or the other program) of the claim."""
        if self.kind == "equivalent":
            return Target(other=compile_text(self.target, "other.attn"))
        return Target(language=parse_language(self.kind, self.target, program.alphabet))


CASES = [
    Case("first_is_a", "global hard", "first_is_a.attn", "regex", "a(a|b)*"),
    Case("last_is_b", "local hard", "last_is_b.attn", "regex", "(a|b)*b"),
    Case("majority_last3", "local soft", "majority_last3.attn", "regex",
         "b|bb|(a|b)*(bba|bab|abb|bbb)"),
    Case("more_a_than_b", "global soft", "more_a_than_b.attn", "equivalent", MORE_A),
    Case("contains_ab_one_head", "hybrid soft", "contains_ab_one_head.attn", "regex",
         "b*(a+b+){1,7}a*"),
    Case("contains_ab", "hybrid soft", "contains_ab.attn", "ltl", "P(b & Y a)"),
    Case("depth3", "hybrid hard", "depth3.attn", "regex", "(a|b)*a(a|b)b(a|b)*"),
    Case("six_heads", "hybrid hard", SIX_HEADS, "ltl", SIX_HEADS_LTL),
]


#: Configurations that are not SMT solvers.
ENGINES = ("explicit", "auto")
TARGETS = {16: 2.0, 20: 10.0}


def _bounded(program: Program, target: Target, bound: int, budget: float, solver: str
             ) -> tuple[float, SearchResult]:
    """Seconds and result of the bounded engine with SOLVER (or of an engine of ENGINES)."""
    options = Options(timeout=budget * 2, solver="z3" if solver in ENGINES else solver)
    start = time.perf_counter()
    if solver == "explicit":
        result = explicit_search(program, target, bound, Deadline(budget * 2), options)
    elif solver == "auto":
        result = bounded_auto(program, target, bound, Deadline(budget * 2), options)
    else:
        result = bounded_search(program, target, bound, Deadline(budget * 2), options)
    return time.perf_counter() - start, result


def _enumerate(program: Program, target: Target, bound: int) -> tuple[float, SearchResult]:
    """Seconds and result of enumeration."""
    start = time.perf_counter()
    result = enumerate_search(program, target, bound, Deadline(None))
    return time.perf_counter() - start, result


def _cell(seconds: float, result: SearchResult, bound: int) -> str:
    """The time, or what went wrong (a proof that did not reach the bound)."""
    if result.word is not None:
        return f"REFUTED {''.join(result.word)}"
    if result.clean_up_to != bound:
        return f"unknown ({result.reason})"
    return f"{seconds:8.3f}"


def _title(case: Case, program: Program, target: Target) -> str:
    heads = len(program.attention_nodes())
    if target.other is not None:
        heads += len(target.other.attention_nodes())
    claim = "equivalent program" if case.kind == "equivalent" else f"{case.kind} {case.target}"
    return f"{case.name} ({case.scope}, {heads} heads, {program.profile.describe()}): {claim}"


def bench_case(case: Case, bounds: list[int], budget: float, solvers: list[str]
               ) -> dict[tuple[str, int], float]:
    """Print one row per bound for CASE; the ratio enumerate / solver per (solver, bound)."""
    program = case.program()
    target = case.make_target(program)
    print("\n" + _title(case, program, target))
    print(f"  {'N':>3}  {'enumerate s':>12}" + "".join(f"  {s:>18}" for s in solvers))
    last: tuple[int, float] | None = None
    slow: set[str] = set()
    ratios: dict[tuple[str, int], float] = {}
    for bound in bounds:
        projected = None if last is None else last[1] * 2 ** (bound - last[0])
        if projected is not None and projected > budget:
            e_time, e_text, mark = projected, f"~{projected:,.0f} (proj.)", "~"
        else:
            e_time, e_result = _enumerate(program, target, bound)
            e_text, mark = _cell(e_time, e_result, bound), ""
            last = (bound, e_time)
        cells = []
        for solver in solvers:
            if solver in slow:
                cells.append(f"{'skipped':>18}")
                continue
            b_time, b_result = _bounded(program, target, bound, budget, solver)
            if b_time > budget:
                slow.add(solver)
            text = _cell(b_time, b_result, bound)
            if b_result.word is None and b_result.clean_up_to == bound:
                ratios[(solver, bound)] = e_time / b_time
                text = f"{b_time:7.3f} {mark}{e_time / b_time:7.1f}x"
            cells.append(f"{text:>18}")
        print(f"  {bound:>3}  {e_text:>12}" + "".join(f"  {c}" for c in cells), flush=True)
    return ratios


def _warm_up(solvers: list[str]) -> None:
    """Start every solver's worker (process start and library load are not timed)."""
    script = "(set-logic QF_BV)(declare-fun w_1 () (_ BitVec 1))(assert (= w_1 #b1))"
    race(tuple(s for s in SOLVERS if s in solvers or "portfolio" in solvers),
         Query(script, ("w_1",)), 60, 0, None)


def main() -> None:
    """Run every case (or --only one) at every bound, for every installed solver."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bounds", default=None)
    parser.add_argument("--budget", type=float, default=60.0)
    parser.add_argument("--only", default=None)
    parser.add_argument("--solvers", default=",".join((*SOLVER_CHOICES, *ENGINES)))
    parser.add_argument("--quick", action="store_true", help="N = 8, 16, 20 only")
    args = parser.parse_args()
    default = "8,16,20" if args.quick else "8,12,16,20,24"
    bounds = [int(b) for b in (args.bounds or default).split(",")]
    wanted = args.solvers.split(",")
    solvers = [s for s in wanted if s in ("portfolio", *ENGINES) or installed(s)]
    absent = [s for s in wanted if s not in solvers]
    if absent:
        print(f"not installed (skipped): {', '.join(absent)}")
    _warm_up(solvers)
    best: dict[str, dict[int, tuple[float, str]]] = {}
    auto: dict[str, dict[int, float]] = {}
    for case in CASES:
        if args.only is None or case.name == args.only:
            ratios = bench_case(case, bounds, args.budget, solvers)
            for (solver, bound), ratio in ratios.items():
                row = best.setdefault(case.name, {})
                if bound not in row or ratio > row[bound][0]:
                    row[bound] = (ratio, solver)
                if solver == "auto":
                    auto.setdefault(case.name, {})[bound] = ratio
    print("\nbest configuration per program (enumerate / best configuration):")
    for name, row in best.items():
        print(f"  {name:22}" + "".join(f"  N={b}: {r:8.1f}x {s:9}" for b, (r, s)
                                       in sorted(row.items())))
    _targets(best, auto)


def _targets(best: dict[str, dict[int, tuple[float, str]]], auto: dict[str, dict[int, float]]
             ) -> None:
    """Issue 13's targets: how many programs each one holds on."""
    for bound, goal in TARGETS.items():
        for label, got in (("best", {n: r[bound][0] for n, r in best.items() if bound in r}),
                           ("auto", {n: r[bound] for n, r in auto.items() if bound in r})):
            if got:
                held = sum(1 for ratio in got.values() if ratio >= goal)
                worst = min(got, key=lambda n: got[n])
                print(f"target N={bound} >= {goal:g}x ({label}): {held} of {len(got)} programs"
                      f" (lowest {got[worst]:.1f}x, {worst})")


if __name__ == "__main__":
    main()
