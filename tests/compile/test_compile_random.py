"""Random formulas of small depth in each fragment: compiled, proved, sized as predicted."""

from __future__ import annotations

from compile_support import check_ltl, expected_size
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from verifier.compile.formulas import render
from verifier.langs.ltl import Binary, Const, Formula, Not, Past, Sym

UNARY = {"global": ("P", "H"), "local": ("Y", "W"), "hybrid": ("P", "H", "Y", "W")}
MAX_HEADS = 8  # keeps each proof well under a second


def formulas(arch: str, depth: int, top: int = 3) -> st.SearchStrategy[Formula]:
    """Formulas of height <= DEPTH over {a, b} with the arch's operators; the root (at
    height TOP) is an operator."""
    leaves: st.SearchStrategy[Formula] = st.one_of(
        st.sampled_from([Sym("a"), Sym("b")]), st.builds(Const, st.booleans()))
    if depth == 0:
        return leaves
    sub = formulas(arch, depth - 1, top)
    unary = st.builds(lambda op, arg, k: Past(op, arg, k if op == "W" else 1),
                      st.sampled_from(UNARY[arch]), sub, st.integers(2, 3))
    binary = st.builds(Binary, st.sampled_from(["&", "|", "->", "<->"]), sub, sub)
    if depth == top:
        return st.one_of(unary, binary, st.builds(Not, unary))  # the root is an operator
    return st.one_of(unary, binary, st.builds(Not, sub), leaves, leaves)


def _run(arch: str, formula: Formula) -> None:
    assume(1 <= expected_size(formula)[0] <= MAX_HEADS)
    check_ltl(render(formula), arch, ("a", "b"))


SETTINGS = settings(derandomize=True, deadline=None, max_examples=60,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@SETTINGS
@given(formulas("global", 3))
def test_random_ltl_p(formula: Formula) -> None:
    _run("global", formula)


@SETTINGS
@given(formulas("local", 3))
def test_random_ltl_y(formula: Formula) -> None:
    _run("local", formula)


@SETTINGS
@given(formulas("hybrid", 3))
def test_random_ltl_py(formula: Formula) -> None:
    _run("hybrid", formula)
