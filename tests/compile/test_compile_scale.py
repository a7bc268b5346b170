"""Compiling at scale (issue 11, part 1): the C-RASP depth family L_k = k alternating blocks
(``a+b+a+…``) compiles in work polynomial in k, although its Lemma C.1 formula, written out as
a tree, doubles per block; the header and comments never render the whole formula."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from compile_support import compile_and_prove
from hypothesis import given
from hypothesis import strategies as st
from strategies import budgets, ltl_formulas, quick

from verifier.compile import compile_program
from verifier.compile import formulas as formulas_module
from verifier.compile.formulas import normalize, render, render_length, render_within
from verifier.langs import ltl_nodes, ltl_to_dfa, minimal_dfa, parse_language_spec
from verifier.langs.ltl import Binary, Formula, Past, Sym, parse_ltl


def blocks(k: int) -> str:
    """The regex of L_k: k alternating blocks, ``a+b+a+…``."""
    return "".join("ab"[i % 2] + "+" for i in range(k))


@contextmanager
def counting(module: Any, name: str) -> Iterator[list[int]]:
    """Count the calls of MODULE.NAME."""
    calls = [0]
    original: Callable[..., Any] = getattr(module, name)

    def counted(*args: Any) -> Any:
        calls[0] += 1
        return original(*args)

    setattr(module, name, counted)
    try:
        yield calls
    finally:
        setattr(module, name, original)


def _compile_work(k: int) -> tuple[int, int]:
    with counting(ltl_nodes, "children") as visits, \
            counting(formulas_module, "render") as renders:
        compiled = compile_program(f"regex:{blocks(k)}", "global", ["a", "b"])
    assert (compiled.size.heads, compiled.size.depth) == (4 * k + 2, 4 * k + 2)
    return visits[0], renders[0]


def test_depth_family_compiles_in_polynomial_work() -> None:
    visits20, renders20 = _compile_work(20)
    visits40, renders40 = _compile_work(40)
    assert visits40 <= 6 * visits20  # quadratic at worst; the tree walk was 2^20 times more
    assert renders20 <= 1000 and renders40 <= 1000


def test_depth_family_program_is_the_language() -> None:
    compiled = compile_program(f"regex:{blocks(20)}", "global", ["a", "b"])
    language = parse_language_spec(f"regex:{blocks(20)}", ["a", "b"])
    assert minimal_dfa(ltl_to_dfa(compiled.formula, ("a", "b"))) == language.dfa
    assert "# Formula: " in compiled.text and " characters (see the comments" in compiled.text
    compile_and_prove(f"regex:{blocks(5)}", "global", ["a", "b"])


@pytest.mark.parametrize("budget", budgets(100, 1000))
def test_render_length_is_the_rendered_length(budget: int) -> None:
    def check(text: str) -> None:
        formula = parse_ltl(text)
        assert render_length(formula) == len(render(formula))
        assert render_within(formula, len(render(formula))) == render(formula)
        assert render_within(formula, len(render(formula)) - 1) is None

    quick(budget)(given(_formulas())(check))()


@st.composite
def _formulas(draw: st.DrawFn) -> str:
    return str(draw(ltl_formulas(("a", "b", "P"), depth=4)))


def _doubling(depth: int) -> Formula:
    node: Formula = Sym("a")
    for _ in range(depth):
        node = Past("P", Binary("&", node, Past("Y", node)))
    return node


def test_shared_formula_is_measured_not_rendered() -> None:
    small, huge = _doubling(3), _doubling(200)
    assert render_length(small) == len(render(small))
    assert render_length(huge) > 2**200 and render_within(huge, 90) is None


def test_normalize_keeps_shared_objects_without_h() -> None:
    formula = _doubling(60)
    assert normalize(formula) is formula
    with_h = Binary("&", formula, Past("H", formula))
    normal = normalize(with_h)
    assert isinstance(normal, Binary) and normal.left is formula
    assert render(normalize(parse_ltl("H a"))) == "!P !a"
