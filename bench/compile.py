"""Compiling LTL[P, Y] languages with ``--arch hybrid`` (issue 15, item 1).

Draws random complete DFAs (2 … MAX_STATES states, alphabets of 2 or 3 symbols, a fixed
seed), keeps the minimal ones the classifier places in LTL[P, Y] until COUNT of them are
neither partially ordered nor definite (the delay route; the partially ordered and definite
ones met on the way, usually many more, are compiled too, up to COUNT in all), and compiles
each with ``--arch hybrid`` through ``compile_program`` (which proves the program for all
lengths before returning it), then checks the program once more with ``verifier check``'s
all-lengths engine. Prints, per route and per minimal-DFA size: heads, attention depth,
window ``k`` of the delay construction, compile time (proof included) and check time, as
median and max; then the named languages of the issue.

    python bench/compile.py [COUNT] [MAX_STATES] [SEED]
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from verifier.compile import compile_program
from verifier.engines.decide import Question, decide
from verifier.engines.target import Target
from verifier.engines.verdict import Status
from verifier.langs import DFA, classify, minimal_dfa, parse_language_spec
from verifier.langs.dfa_json import dfa_document
from verifier.pipeline import compile_text

NAMED = [("(ab)*", "a,b"), ("()|a(.*a)?|b(.*b)?", "a,b"), ("(ba)*", "a,b"),
         ("(b|ab|aab)*(()|a|aa)", "a,b"), (".*ab.*", "a,b,c"), ("a.*b", "a,b")]
NAMES = ["DYCK-(1,1) (ab)*", "even pairs", "Tomita 2 (ba)*", "Tomita 4 (no aaa)", "LT-2",
         "a.*b"]


def _random_dfa(rng: random.Random, max_states: int) -> DFA:
    n = rng.randint(2, max_states)
    alphabet = ("a", "b", "c")[: rng.randint(2, 3)]
    rows = tuple(tuple(rng.randrange(n) for _ in alphabet) for _ in range(n))
    accepting = frozenset(q for q in range(n) if rng.random() < 0.5)
    return minimal_dfa(DFA(alphabet, n, 0, accepting, rows))


def _run(spec: str, alphabet: Sequence[str], base: Path) -> dict[str, object]:
    start = time.perf_counter()
    compiled = compile_program(spec, "hybrid", list(alphabet), base_dir=base, out_dir=base)
    compile_seconds = time.perf_counter() - start
    program = compile_text(compiled.text, "<compiled>", base)
    language = parse_language_spec(spec, list(alphabet), base)
    start = time.perf_counter()
    verdict = decide(Question(program, Target(language=language)), "unbounded")
    check_seconds = time.perf_counter() - start
    route = compiled.route.split(" DFA")[0]
    k = int(compiled.route.split("last ")[1].split()[0]) if "last " in compiled.route else None
    return {"route": route, "heads": compiled.size.heads, "depth": compiled.size.depth,
            "k": k, "compile": compile_seconds, "check": check_seconds,
            "proved": verdict.status is Status.PROVED}


def _stats(values: Sequence[float], fmt: str = "{:.0f}") -> str:
    return f"{fmt.format(statistics.median(values))} / {fmt.format(max(values))}"


def _table(title: str, rows: dict[object, list[dict[str, object]]]) -> None:
    print(f"\n{title}")
    print(f"{'':>14} {'n':>4} {'heads med/max':>14} {'depth med/max':>14} "
          f"{'k med/max':>10} {'compile s med/max':>18} {'check s med/max':>16}")
    for key in sorted(rows, key=str):
        group = rows[key]
        ks = [float(r["k"]) for r in group if r["k"] is not None]  # type: ignore[arg-type]
        print(f"{key!s:>14} {len(group):>4} "
              f"{_stats([float(r['heads']) for r in group]):>14} "  # type: ignore[arg-type]
              f"{_stats([float(r['depth']) for r in group]):>14} "  # type: ignore[arg-type]
              f"{(_stats(ks) if ks else '-'):>10} "
              f"{_stats([float(r['compile']) for r in group], '{:.3f}'):>18} "  # type: ignore[arg-type]
              f"{_stats([float(r['check']) for r in group], '{:.3f}'):>16}")  # type: ignore[arg-type]


def main(argv: Sequence[str]) -> int:
    count = int(argv[0]) if argv else 200
    max_states = int(argv[1]) if len(argv) > 1 else 8
    rng = random.Random(int(argv[2]) if len(argv) > 2 else 15)
    results: list[tuple[int, dict[str, object]]] = []
    drawn = 0
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        others = 0
        while len(results) - others < count:
            drawn += 1
            dfa = _random_dfa(rng, max_states)
            result = classify(dfa)
            if not result.holds("LTL[P,Y]"):
                continue
            simple = bool(result.holds("LTL[P]") or result.holds("LTL[Y]"))
            if simple and others >= count:
                continue
            others += simple
            path = base / f"d{len(results)}.json"
            path.write_text(json.dumps(dfa_document(dfa)))
            results.append((dfa.n_states, _run(f"dfa:{path.name}", dfa.alphabet, base)))
        named = [_run(f"regex:{regex}", alphabet.split(","), base) for regex, alphabet in NAMED]
    proved = sum(bool(r["proved"]) for _, r in results)
    print(f"{len(results)} random minimal DFAs in LTL[P, Y], {count} of them neither partially "
          f"ordered nor definite ({drawn} drawn, up to {max_states} states before "
          f"minimization): {proved} compiled and proved for all lengths")
    by_route: dict[object, list[dict[str, object]]] = defaultdict(list)
    for _, r in results:
        by_route[r["route"]].append(r)
    by_route["all"] = [r for _, r in results]
    _table("by route", by_route)
    by_size: dict[object, list[dict[str, object]]] = defaultdict(list)
    for n, r in results:
        if str(r["route"]).startswith("locally"):
            by_size[f"{n} states"].append(r)
    _table("delay route, by minimal DFA size (growth)", by_size)
    print("\nnamed languages")
    for name, r in zip(NAMES, named, strict=True):
        print(f"  {name:<20} {r['route']:<28} heads {r['heads']:>3}  depth {r['depth']:>3}  "
              f"k {r['k'] if r['k'] is not None else '-'}  compile {r['compile']:.3f} s  "
              f"check {r['check']:.3f} s  {'proved' if r['proved'] else 'NOT PROVED'}")
    return 0 if proved == len(results) and all(r["proved"] for r in named) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
