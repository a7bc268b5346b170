"""Hand-written formulas of every fragment: compiled, proved for all lengths, sized as
the construction predicts."""

from __future__ import annotations

import pytest
from compile_support import check_ltl

from verifier.langs.ltl import Past, parse_ltl, subformulas

AB, ABC = ("a", "b"), ("a", "b", "c")

GLOBAL = [
    "P a", "!P a", "P(a & !P true)", "H a", "H(a | b)", "P a & P b", "P(a & P b)",
    "P P a", "!P !a", "H a -> P b", "P a <-> P b", "P(a & H a)", "P(b & !P a)", "true",
    "false", "a", "P true", "!P true", "P false", "H false", "H true", "P(P a & b)",
    "H(a -> P b)", "P(a & P(a & P a))", "H H a", "P(a & !P b) | H b",
]
GLOBAL_ABC = ["P(b & P(a & P c))", "P(c & !P a) & P(a & H !b)", "H(c -> P(a | b))"]
LOCAL = [
    "Y a", "Y Y a", "Y(a & Y b)", "Y<=2 a", "Y<=3 b", "Y<=2 (a & Y b)", "Y true", "!Y true",
    "Y a | Y<=3 b", "Y<=3 Y<=2 a", "Y a <-> Y Y a", "Y(a -> Y b)", "Y<=1 a", "Y<=7 a",
    "!Y<=2 b & Y true", "Y Y Y !a",
]
HYBRID = [
    "P(b & Y a)", "Y P a", "P Y a", "H(Y a -> b)", "P(a & Y<=2 b)", "Y<=3 P a",
    "P(Y<=2 a) & !Y b", "H a | Y<=3 b", "Y(a & P(b & Y a))", "P(a & Y H b)", "Y<=2 H a",
    "P(Y a & Y<=3 b) -> H(b -> Y a)", "P(a & P(b & Y a))",
]
HYBRID_ABC = ["(P a -> Y b) & H(c | P a)", "P(c & Y(b & Y a))", "Y<=2 (c & P(a & Y b))"]

CASES = ([(f, "global", AB) for f in GLOBAL] + [(f, "global", ABC) for f in GLOBAL_ABC]
         + [(f, "local", AB) for f in LOCAL] + [(f, "hybrid", AB) for f in HYBRID]
         + [(f, "hybrid", ABC) for f in HYBRID_ABC])


def test_the_list_covers_every_operator_and_architecture() -> None:
    assert len(CASES) >= 40
    ops = {(n.op, n.k) for text, _, _ in CASES for n in subformulas(parse_ltl(text))
           if isinstance(n, Past)}
    assert {("P", 1), ("H", 1), ("Y", 1), ("W", 2), ("W", 3)} <= ops
    assert {arch for _, arch, _ in CASES} == {"global", "local", "hybrid"}


@pytest.mark.parametrize(("text", "arch", "alphabet"), CASES)
def test_formula_compiles_and_is_proved(text: str, arch: str, alphabet: tuple[str, ...]) -> None:
    check_ltl(text, arch, alphabet)


@pytest.mark.parametrize("text", ["P a", "Y a", "H(a -> Y<=2 b)"])
def test_every_fragment_formula_also_compiles_for_hybrid(text: str) -> None:
    check_ltl(text, "hybrid", AB)


@pytest.mark.parametrize(
    "precision",
    ["fixed(2, 1)", "fixed(3, 2)", "fixed(4, 4) rounding down",
     "fixed(4, 4) rounding toward_zero", "fixed(4, 4) sums sequential"],
)
def test_the_patch_is_sound_at_every_precision(precision: str) -> None:
    """Even an attention span of 1 (fixed(2, 1)) is enough for the P patch."""
    compiled = check_ltl("P(a & P b) | H(b -> P a)", "global", AB, precision)
    assert f"precision {precision}\n" in compiled.text


def test_a_wide_format_is_proved_too() -> None:
    """fixed(8, 8): counts are capped at 128, so the proof explores more states; a small
    formula keeps it fast."""
    check_ltl("Y<=3 b | P a", "hybrid", AB, "fixed(8, 8)")


def test_a_wide_window_gets_a_wider_default_format() -> None:
    compiled = check_ltl("Y<=9 a", "local", AB)
    assert compiled.precision == "fixed(5, 4)"


def test_names_are_readable_and_avoid_the_alphabet() -> None:
    text = check_ltl("P a & Y b", "hybrid", AB).text
    for line in ("p_a_h1 = aggregate(select(global, where: a[j]), a)",
                 "a_again = a and p_a_h1 > 0", "p_a = p_a_h1 > 0 or p_a_h2 > 0",
                 "y_b = aggregate(select(local 1), b) > 0.5"):
        assert line in text
    clash = check_ltl("P a", "global", ("a", "p_a")).text
    assert "p_a_2 = p_a_h1 > 0 or p_a_h2 > 0" in clash and "accept p_a_2" in clash


def test_shared_subformulas_are_emitted_once() -> None:
    compiled = check_ltl("P a & (P a | Y P a)", "hybrid", AB)
    assert compiled.size.heads == 3
    assert compiled.text.count("where: a[j]") == 1


def test_header_names_language_architecture_construction_and_theorem() -> None:
    text = check_ltl("P(b & Y a)", "hybrid", AB).text
    assert text.startswith('# Compiled by `verifier compile` from ltl "P(b & Y a)"\n')
    assert "# Architecture: hybrid" in text and "Li & Cotterell" in text
    assert "\nalphabet a b\nprecision fixed(4, 4)\n" in text
    assert text.endswith('accept p_b_and_y_a\n\nassert recognizes ltl "P(b & Y a)"\n')
