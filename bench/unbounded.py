"""Proof time of every all-lengths claim in proofs/ and of a compiled 12+-head hybrid program.

Prints, per claim, the unbounded engine's time and, as the baseline measured in the same run,
the time brute-force enumeration takes for all words up to length 10 (which proves much less).
Target: at most 1 s per all-lengths claim on this machine.

    python bench/unbounded.py [proofs/]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from verifier.check.claims import CheckedClaim
from verifier.checking import collect_files, question_for
from verifier.compile import compile_language
from verifier.engines.decide import Question, decide
from verifier.engines.verdict import Verdict
from verifier.pipeline import check_text, load_program

BASELINE_BOUND = 10
TARGET_SECONDS = 1.0
HYBRID_FORMULA = ("P(a & Y b) & P(b & Y a) & P(c & Y Y a) & P(a & P b) & P(c & P(b & Y c)) "
                  "& !P(c & Y c)")


def _timed(question: Question, engine: str) -> tuple[Verdict, float]:
    start = time.perf_counter()
    verdict = decide(question, engine)
    return verdict, time.perf_counter() - start


def _row(label: str, question: Question) -> float:
    verdict, seconds = _timed(question, "unbounded")
    size = len(question.program.alphabet)
    baseline_bound = BASELINE_BOUND if size <= 3 else 6
    base = Question(question.program, question.target, baseline_bound, question.negated)
    _, base_seconds = _timed(base, "enumerate")
    ratio = base_seconds / seconds if seconds > 0 else float("inf")
    flag = "" if seconds <= TARGET_SECONDS else "  (over target)"
    print(f"{label:58s} {verdict.status.value:8s} {seconds:8.3f} s   enumerate<={baseline_bound}: "
          f"{base_seconds:7.3f} s   ratio {ratio:7.1f}x{flag}")
    return seconds


def _claims(root: Path) -> list[tuple[str, Question]]:
    rows = []
    for path in collect_files([str(root)]):
        checked, program = load_program(path)
        for claim in checked.claims:
            assert isinstance(claim, CheckedClaim)
            if claim.claim.bound is None and claim.claim.kind not in ("accepts", "rejects"):
                label = f"{path.relative_to(root)}:{claim.statement.span.line}"
                rows.append((label, question_for(claim, program, checked)))
    return rows


def _hybrid() -> tuple[str, Question]:
    from verifier.checking import question_for as build
    from verifier.ir.lower import lower

    source = compile_language(f"ltl:{HYBRID_FORMULA}", "hybrid", ["a", "b", "c"])
    checked = check_text(source, "hybrid12.attn")
    program = lower(checked)
    heads = len(program.attention_nodes())
    return f"compiled hybrid program ({heads} heads)", build(checked.claims[0], program, checked)


def main(argv: list[str]) -> int:
    root = Path(argv[1] if len(argv) > 1 else "proofs")
    rows = _claims(root) + [_hybrid()]
    times = [_row(label, question) for label, question in rows]
    times.sort()
    print(f"\n{len(times)} all-lengths claims: median {times[len(times) // 2]:.3f} s, "
          f"max {times[-1]:.3f} s (target <= {TARGET_SECONDS} s each); "
          f"{sum(t > TARGET_SECONDS for t in times)} over target")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
