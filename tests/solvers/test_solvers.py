"""Every SMT solver gives the same verdicts: the corpus and random nontrivial claims up to
length 8, each solver's bounded search against enumeration (which never uses a solver).
Solvers that are not installed are skipped, saying so (`pip install '.[solvers]'`)."""

from __future__ import annotations

import io

import pytest
from corpus import BY_NAME, CORPUS
from hypothesis import given
from hypothesis import strategies as st
from strategies import Generated, budgets, languages, programs, quick

import verifier.cli as cli
from verifier.engines.bounded import bounded_search, method
from verifier.engines.enumerate import enumerate_search
from verifier.engines.search import Deadline
from verifier.engines.target import Target
from verifier.errors import UsageError
from verifier.ir.nodes import Program
from verifier.langs import parse_language
from verifier.options import Options
from verifier.smt.solvers import (
    SOLVERS,
    Answer,
    Query,
    Race,
    _record,
    installed,
    missing_message,
    require,
    solve,
)

#: The solvers under test, each skipped with a message when absent; and the portfolio.
CHOICES = [pytest.param(name, id=name, marks=pytest.mark.skipif(
    not installed(name), reason=missing_message(name))) for name in SOLVERS] + ["portfolio"]


def _agree(program: Program, target: Target, bound: int, solver: str,
           cross_check: bool = False) -> None:
    """The solver's search and enumeration give the same word (or none), the same length."""
    options = Options(timeout=120, solver=solver, cross_check=cross_check)
    found = bounded_search(program, target, bound, Deadline(120), options)
    expected = enumerate_search(program, target, bound, Deadline(120))
    assert found.reason is None, found.reason
    assert (found.word, found.clean_up_to) == (expected.word, expected.clean_up_to)
    assert found.method == method(solver)


def _symbol(name: str) -> str:
    return name if len(name) == 1 else f"<{name}>"


@pytest.mark.parametrize("solver", CHOICES)
@pytest.mark.parametrize("entry", CORPUS, ids=lambda e: e.name)
def test_corpus_verdicts_agree(entry, solver: str) -> None:  # type: ignore[no-untyped-def]
    """Every corpus program against 'the first symbol is the first letter' up to 4."""
    program = entry.compile()
    language = parse_language("regex", f"{_symbol(program.alphabet[0])}.*", program.alphabet)
    _agree(program, Target(language=language), 4, solver)


@pytest.mark.parametrize("solver", CHOICES)
@pytest.mark.parametrize(("left", "right"), [
    ("first_is_a", "starts_with_a_nonstrict"), ("contains_ab", "contains_ab_one_head"),
    ("rounding_down", "rounding_toward_zero"), ("more_a_than_b", "comparisons")])
def test_equivalence_verdicts_agree(left: str, right: str, solver: str) -> None:
    _agree(BY_NAME[left].compile(), Target(other=BY_NAME[right].compile()), 6, solver)


@st.composite
def _claim(draw: st.DrawFn) -> tuple[Program, Target, int]:
    generated: Generated = draw(programs())
    program = generated.program
    kind, text = draw(languages(program.alphabet))
    bound = draw(st.integers(0, 8))
    return program, Target(language=parse_language(kind, text, program.alphabet)), bound


@pytest.mark.parametrize("budget", budgets(6, 60))
def test_random_claims_agree_across_solvers(budget: int) -> None:
    """Random nontrivial programs and languages, bounds up to 8: every installed solver and
    the portfolio (with cross-checked unsats) agree with enumeration."""
    names = [n for n in SOLVERS if installed(n)]
    absent = [n for n in SOLVERS if n not in names]
    if absent:
        print(f"skipped (not installed): {', '.join(absent)}")

    def check(case: tuple[Program, Target, int]) -> None:
        for name in names:
            _agree(*case, solver=name)
        _agree(*case, solver="portfolio", cross_check=True)

    quick(budget)(given(_claim())(check))()


def test_a_refutation_is_the_same_word_for_every_solver() -> None:
    program = BY_NAME["contains_ab_one_head"].compile()
    language = parse_language("ltl", "P(b & Y a)", program.alphabet)
    words = set()
    for name in [n for n in SOLVERS if installed(n)] + ["portfolio"]:
        found = bounded_search(program, Target(language=language), 16, Deadline(300),
                               Options(timeout=300, solver=name))
        words.add(found.word)
    assert words == {tuple("abababababababab")}


def test_absent_or_unknown_solver_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(UsageError, match="--solver must be one of"):
        require("mathsat")
    monkeypatch.setattr("verifier.smt.solvers.installed", lambda name: name == "z3")
    with pytest.raises(UsageError) as caught:
        require("cvc5")
    assert str(caught.value) == ("solver cvc5 is not installed "
                                 "(pip install 'attention-verifier[solvers]')")
    assert require("portfolio") == ("z3",)


def test_absent_solver_on_the_command_line_exits_2(monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("verifier.smt.solvers.installed", lambda name: name == "z3")
    out, err = io.StringIO(), io.StringIO()
    path = str(BY_NAME["first_is_a"].path)
    for argv in (["check", path, "--solver", "bitwuzla"],
                 ["smt2", path, "--length", "2", "--solver", "yices"]):
        code = cli.dispatch(argv, out, err)
        text = err.getvalue() + capsys.readouterr().err
        assert code == 2
        assert "is not installed (pip install 'attention-verifier[solvers]')" in text
        assert "Traceback" not in text


def test_disagreeing_solvers_are_an_internal_error() -> None:
    from verifier.errors import InternalError

    result = Race()
    _record(result, Answer("unsat", "cvc5"))
    with pytest.raises(InternalError, match="the solvers disagree"):
        _record(result, Answer("sat", "z3", {"w_1": 0}))


@pytest.mark.parametrize("solver", CHOICES[:-1])
def test_each_solver_answers_a_script(solver: str) -> None:
    head = "(set-option :produce-models true)\n(set-logic QF_BV)\n"
    sat = Query(head + "(declare-fun w_1 () (_ BitVec 3))\n(assert (bvult #b101 w_1))\n",
                ("w_1",))
    answer = solve(solver, sat, 10.0, 0)
    assert answer.status == "sat" and answer.values["w_1"] in (6, 7)
    unsat = Query(head + "(declare-fun w_1 () (_ BitVec 3))\n(assert (bvult w_1 #b000))\n",
                  ("w_1",))
    assert solve(solver, unsat, 10.0, 0).status == "unsat"
