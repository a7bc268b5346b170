"""The contract at the process level: real `python -m verifier` runs, with their exit status,
streams, wall-clock time and peak memory (`os.wait4`); Ctrl-C (SIGINT) during a solver run;
special files; a few mutated programs."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from strategies import budgets, quick

from .contract import Blob, assert_contract, run_process
from .mutations import mutated

ROOT = Path(__file__).resolve().parents[2]
SPEC = (ROOT / "proofs" / "hybrid" / "contains_ab.attn").read_text()
#: Peak resident memory (MB) any run may reach: Python, numpy and Z3 take about 150.
PEAK_MB = 1000
SECONDS = 30.0


def _folder() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory()


def test_a_proof_run_meets_the_contract() -> None:
    with _folder() as folder:
        (Path(folder) / "p.attn").write_text(SPEC)
        outcome = run_process(["check", "p.attn", "--timeout", "5"], cwd=Path(folder))
    assert_contract(outcome, seconds=SECONDS)
    assert outcome.status == 0 and "proved" in outcome.out
    assert outcome.peak_mb is not None and outcome.peak_mb < PEAK_MB, outcome


@pytest.mark.parametrize("argv", [
    ["check", "p.attn", "--timeout", "nan"], ["check"], ["bogus"], ["run", "p.attn", "abz"],
    ["dfa", "regex:(("], ["compile", "regex:a*", "--arch", "global", "-o", "p.attn"],
    ["check", "x" * 300 + ".attn"]])
def test_usage_errors_meet_the_contract(argv: list[str]) -> None:
    with _folder() as folder:
        (Path(folder) / "p.attn").write_text(SPEC)
        outcome = run_process(argv, cwd=Path(folder))
        assert (Path(folder) / "p.attn").read_text() == SPEC  # never overwritten
    assert_contract(outcome, seconds=SECONDS)
    assert outcome.status == 2 and "error:" in outcome.err, outcome


@pytest.mark.parametrize("special", ["/dev/zero", "fifo", "/dev/null", "folder"])
def test_special_files_are_refused_quickly(special: str) -> None:
    """Read as a program, or as a DFA file: refused (exit 2) within seconds, memory low."""
    with _folder() as folder:
        base = Path(folder)
        (base / "folder").mkdir()
        os.mkfifo(base / "fifo")
        path = special if special.startswith("/") else str(base / special)
        (base / "claim.attn").write_text(f'alphabet a b\naccept a\nassert recognizes dfa '
                                         f'"{path}"\n')
        for argv in (["check", path, "--timeout", "2"], ["check", "claim.attn", "--timeout", "2"],
                     ["dfa", f"dfa:{path}"]):
            outcome = run_process(argv, cwd=base, seconds=15)
            assert_contract(outcome, seconds=10)
            assert outcome.status == 2, outcome
            assert outcome.peak_mb is not None and outcome.peak_mb < PEAK_MB, outcome


def test_ctrl_c_ends_the_run() -> None:
    """SIGINT during a long bounded (Z3) search (after 2 s of CPU): `interrupted`, exit
    130, at once (the search alone takes about 15 s)."""
    with _folder() as folder:
        (Path(folder) / "p.attn").write_text(SPEC)
        argv = ["check", "p.attn", "--lang", "ltl:P(b & Y a)", "--engine", "bounded",
                "--up-to", "40", "--timeout", "120"]
        outcome = run_process(argv, cwd=Path(folder), seconds=40, interrupt_after=2.0)
    assert_contract(outcome, seconds=30)
    assert outcome.status == 130 and "interrupted" in outcome.err, outcome


def _check_mutated(blob: Blob) -> None:
    with _folder() as folder:
        (Path(folder) / "m.attn").write_bytes(blob.data)
        outcome = run_process(["check", "m.attn", "--timeout", "2"], cwd=Path(folder))
    assert_contract(outcome, files=["m.attn"], seconds=SECONDS)
    assert outcome.peak_mb is not None and outcome.peak_mb < PEAK_MB, outcome


@pytest.mark.parametrize("budget", budgets(3, 60))
def test_mutated_programs_meet_the_contract_as_processes(budget: int) -> None:
    quick(budget)(given(mutated(SPEC).map(Blob))(_check_mutated))()
