"""`verifier smt2`, and malformed claims and command lines: exit 2, a message, no traceback."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import z3
from corpus import PROGRAMS, SPEC_CONTAINS_AB

import verifier.cli as cli

ONE_HEAD = PROGRAMS / "contains_ab_one_head.attn"


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.dispatch(argv, out, err)
    captured = capsys.readouterr()  # argparse writes its own errors to sys.stderr
    return code, out.getvalue(), err.getvalue() + captured.err


def _status(text: str) -> z3.CheckSatResult:
    solver = z3.Solver()
    solver.from_string(text)
    return solver.check()


def test_smt2_writes_a_qf_bv_query(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["smt2", str(SPEC_CONTAINS_AB), "--length", "4"], capsys)
    assert code == 0
    assert "(set-logic QF_BV)" in out and out.rstrip().endswith("(check-sat)\n(get-model)")
    assert "(declare-fun w_4 () (_ BitVec 1))" in out
    assert _status(out) == z3.unsat  # the spec program recognizes its language at length 4


def test_smt2_with_lang_finds_the_one_head_counterexample(
        capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["smt2", str(ONE_HEAD), "--length", "16", "--lang", "ltl:P(b & Y a)"]
    code, out, _ = _run(argv, capsys)
    assert code == 0 and _status(out) == z3.sat
    argv[3] = "15"
    assert _status(_run(argv, capsys)[1]) == z3.unsat


def test_smt2_without_claims_encodes_acceptance(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["smt2", str(PROGRAMS / "reject_all.attn"), "--length", "2"], capsys)
    assert code == 0 and "accepts some word" in out and _status(out) == z3.unsat
    code, out, _ = _run(["smt2", str(PROGRAMS / "accept_all.attn"), "--length", "0"], capsys)
    assert code == 0 and _status(out) == z3.sat


def _file(tmp_path: Path, text: str, name: str = "bad.attn") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


SPEC = str(SPEC_CONTAINS_AB)

MALFORMED: list[tuple[list[str], str]] = [
    (["check", SPEC, "--up-to", "5"], "--up-to goes with --lang"),
    (["check", SPEC, "--lang", "foo:x"], "--lang must be"),
    (["check", SPEC, "--lang", "regex:a", "--up-to", "-1"], "between 0 and"),
    (["check", SPEC, "--lang", "regex:a", "--up-to", "1000"], "between 0 and"),
    (["check", SPEC, "--engine", "nope"], "invalid choice: 'nope'"),
    (["check", SPEC, "--timeout", "0"], "--timeout: must be a positive number of seconds"),
    (["check", SPEC, "--timeout", "nan"], "--timeout: must be a positive number of seconds"),
    (["check", SPEC, "--timeout", "inf"], "--timeout: must be a positive number of seconds"),
    (["check", "/nonexistent/missing.attn"], "cannot read file"),
    (["smt2", SPEC, "--length", "-3"], "--length must be between 0 and"),
    (["smt2", SPEC, "--length", "100"], "--length must be between 0 and"),
    (["smt2", SPEC, "--length", "x"], "invalid int value"),
    (["smt2", SPEC], "--length"),
    (["smt2", "/nonexistent/missing.attn", "--length", "2"], "cannot read file"),
    (["smt2", SPEC, "--length", "2", "--lang", "regex:(a"], "missing ')'"),
    (["smt2", SPEC, "--length", "2", "--lang", "ltl:P("], "expected a formula"),
    (["smt2", SPEC, "--length", "2", "--lang", "regex:abz"], "unknown symbol 'z'"),
    (["smt2", SPEC, "--length", "2", "--lang", "dfa:/nonexistent.json"], "cannot read"),
    (["smt2", SPEC, "--length", "2", "--lang", "foo:x"], "expected regex:"),
]

#: Malformed --lang texts that `check` reports as internal errors (exit 4) at the time of
#: writing: checking.py parses the spec without catching LanguageError (reported).
CHECK_LANG = [("regex:(a", "missing ')'"), ("ltl:P(", "expected a formula"),
              ("regex:abz", "unknown symbol 'z'"), ("dfa:/nonexistent.json", "cannot read")]


def _assert_usage_error(code: int, err: str, message: str) -> None:
    assert code == 2, err
    assert message in err
    assert "Traceback" not in err and "internal error" not in err


@pytest.mark.parametrize(("argv", "message"), MALFORMED, ids=lambda v: str(v))
def test_malformed_command_line_exits_2(argv: list[str], message: str,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(argv, capsys)
    _assert_usage_error(code, out + err, message)  # `check` lists unreadable files on stdout


@pytest.mark.parametrize(("spec", "message"), CHECK_LANG)
def test_check_with_malformed_lang_exits_2(spec: str, message: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["check", SPEC, "--lang", spec, "--engine", "bounded"], capsys)
    _assert_usage_error(code, err, message)


def test_folder_without_programs_exits_2(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["check", str(tmp_path)], capsys)
    _assert_usage_error(code, err, "no .attn files found")


@pytest.mark.parametrize(("claim", "message"), [
    ('assert recognizes regex "a" up to 100000', "bound 100000 is too large"),
    ('assert recognizes regex "(a"', "missing ')'"),
    ('assert recognizes ltl "P("', "expected a formula"),
    ('assert recognizes regex "z"', "unknown symbol 'z'"),
    ('assert accepts "abz"', "unknown symbol 'z'"),
    ('assert equivalent "missing.attn"', "no such program file"),
])
def test_malformed_claim_in_a_file_exits_2(claim: str, message: str, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = _file(tmp_path, f"alphabet a b\naccept a\n{claim}\n")
    for argv in (["check", path, "--engine", "bounded"], ["smt2", path, "--length", "2"]):
        code, out, err = _run(argv, capsys)
        _assert_usage_error(code, out + err, message)
