"""`verifier smt2` writes a file that SMT-LIB2 solvers run as is (`(check-sat)`,
`(get-model)`), for `recognizes` and `equivalent` claims: run through the `z3` and
`yices-smt2` executables (each skipped, saying so, when absent)."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from corpus import PROGRAMS

import verifier.cli as cli


def _executable(name: str) -> str | None:
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


SOLVERS = [pytest.param(name, id=name, marks=pytest.mark.skipif(
    _executable(name) is None, reason=f"{name} is not installed")) for name in ("z3", "yices-smt2")]


def _export(argv: list[str]) -> str:
    out, err = io.StringIO(), io.StringIO()
    assert cli.dispatch(["smt2", *argv], out, err) == 0, err.getvalue()
    return out.getvalue()


def _run(solver: str, text: str, tmp_path: Path) -> list[str]:
    path = tmp_path / "query.smt2"
    path.write_text(text, encoding="utf-8")
    command = [_executable(solver) or solver, str(path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    return done.stdout.split()


@pytest.mark.parametrize("solver", SOLVERS)
def test_recognizes_query_runs_as_is(solver: str, tmp_path: Path) -> None:
    one_head = str(PROGRAMS / "contains_ab_one_head.attn")
    text = _export([one_head, "--length", "16", "--lang", "ltl:P(b & Y a)"])
    assert text.rstrip().endswith("(check-sat)\n(get-model)")
    output = _run(solver, text, tmp_path)
    assert output[0] == "sat" and "w_16" in " ".join(output)  # the model follows
    text = _export([one_head, "--length", "15", "--lang", "ltl:P(b & Y a)"])
    assert _run(solver, text, tmp_path)[0] == "unsat"


@pytest.mark.parametrize("solver", SOLVERS)
def test_equivalent_claim_is_exported(solver: str, tmp_path: Path) -> None:
    for name in ("contains_ab.attn", "contains_ab_one_head.attn", "first_is_a.attn",
                 "starts_with_a_nonstrict.attn"):
        shutil.copy(PROGRAMS / name, tmp_path / name)
    claims = tmp_path / "claims.attn"
    source = (PROGRAMS / "first_is_a.attn").read_text(encoding="utf-8")
    claims.write_text(source + '\nassert equivalent "starts_with_a_nonstrict.attn" up to 6\n',
                      encoding="utf-8")
    text = _export([str(claims), "--length", "5"])
    assert "differ on some word" in text
    assert _run(solver, text, tmp_path)[0] == "unsat"
    claims.write_text((PROGRAMS / "contains_ab.attn").read_text(encoding="utf-8")
                      + '\nassert equivalent "contains_ab_one_head.attn"\n', encoding="utf-8")
    assert _run(solver, _export([str(claims), "--length", "16"]), tmp_path)[0] == "sat"
    assert _run(solver, _export([str(claims), "--length", "15"]), tmp_path)[0] == "unsat"


def test_smt2_solver_option_reports_the_answer() -> None:
    out, err = io.StringIO(), io.StringIO()
    one_head = str(PROGRAMS / "contains_ab_one_head.attn")
    argv = ["smt2", one_head, "--length", "16", "--lang", "ltl:P(b & Y a)", "--solver", "z3"]
    assert cli.dispatch(argv, out, err) == 0
    assert err.getvalue().startswith("; z3: sat, word: ")
