"""Past LTL: parser precedence, the evaluator's semantics, and evaluator == DFA."""

from __future__ import annotations

import random
from itertools import product

import pytest

from verifier.langs import evaluate, holds, ltl_to_dfa, minimal_dfa, parse_ltl
from verifier.langs.ltl import unparse

AB = ("a", "b")

FORMULAS = [
    "a", "!a", "true", "false", "a & b", "a | b", "a -> b", "a <-> b",
    "P a", "Y a", "H a", "a S b", "Y<=1 a", "Y<=2 a", "Y<=3 (a & Y b)",
    "P(b & Y a)", "P(a & !P true)", "Y b", "Y(b & Y a)", "H !a", "!P true", "H false",
    "P(b & H a)", "b S a", "(a | b) S (a & !Y true)", "P a <-> P b", "P a -> P b",
    "H((a -> (Y b | !Y true)) & (b -> Y a)) & (Y true -> Y b)", "Y Y Y true & !Y Y Y Y true",
    "Y<=3 (!P true)", "P((a & Y a) | (b & Y b))", "H(a -> Y<=2 b)", "P(a & P(b & P a))",
    "!(a S (b S a))", "(P a S b) <-> H Y<=2 b", "H(P a) -> Y b", "Y H a", "H Y a",
    "P H b", "a S b S a", "!Y !Y a", "Y<=4 (a S b) | H(b -> P a)",
]


def _random_formula(rng: random.Random, depth: int) -> str:
    """A random formula over {a, b} using every operator."""
    if depth == 0 or rng.random() < 0.2:
        return rng.choice(["a", "b", "true", "false"])
    kind = rng.choice(["!", "P", "Y", "H", "W", "&", "|", "->", "<->", "S"])
    sub = _random_formula(rng, depth - 1)
    if kind == "W":
        return f"Y<={rng.randint(1, 3)} ({sub})"
    if kind in ("!", "P", "Y", "H"):
        return f"{kind}({sub})"
    return f"({sub}) {kind} ({_random_formula(rng, depth - 1)})"


RNG = random.Random(2024)
ALL_FORMULAS = FORMULAS + [_random_formula(RNG, 4) for _ in range(30)]


def _all_words(max_len: int) -> list[tuple[str, ...]]:
    return [w for n in range(max_len + 1) for w in product(AB, repeat=n)]


WORDS_10 = _all_words(10)


def test_at_least_40_formulas_cover_every_operator() -> None:
    assert len(ALL_FORMULAS) >= 70
    text = " ".join(FORMULAS)
    for op in ("!", "&", "|", "->", "<->", "P", "Y", "Y<=", "H", "S", "true", "false", "("):
        assert op in text


@pytest.mark.parametrize("text", ALL_FORMULAS)
def test_evaluator_agrees_with_dfa_up_to_length_10(text: str) -> None:
    formula = parse_ltl(text)
    dfa = minimal_dfa(ltl_to_dfa(formula, AB))
    assert minimal_dfa(ltl_to_dfa(parse_ltl(unparse(formula)), AB)) == dfa
    for word in WORDS_10:
        assert holds(formula, word) == dfa.accepts(word), (text, word)


def test_positions_and_strictness() -> None:
    assert evaluate(parse_ltl("Y true"), []) == [False]  # Y at position 1 is false
    assert evaluate(parse_ltl("P true"), []) == [False]  # P at position 1 is false
    assert evaluate(parse_ltl("H false"), []) == [True]  # H at position 1 is true
    assert evaluate(parse_ltl("a"), ["a"]) == [True, False]  # no symbol at the end position
    assert evaluate(parse_ltl("b S a"), list("abb")) == [False, True, True, True]
    assert evaluate(parse_ltl("Y<=2 a"), list("abbb")) == [False, True, True, False, False]


@pytest.mark.parametrize(
    ("text", "member", "non_member"),
    [
        ("P(a & !P true)", "ab", "ba"),  # starts with a
        ("Y a", "ba", "ab"),  # ends with a
        ("P(b & Y a)", "bab", "ba"),  # contains ab
    ],
)
def test_spec_examples(text: str, member: str, non_member: str) -> None:
    formula = parse_ltl(text)
    assert holds(formula, list(member)) and not holds(formula, list(non_member))


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("!a & b", "(!a & b)"),
        ("P a & b", "(P a & b)"),
        ("a S b & a", "((a S b) & a)"),
        ("a S b S a", "(a S (b S a))"),
        ("a | b & a", "(a | (b & a))"),
        ("a -> b -> a", "(a -> (b -> a))"),
        ("a <-> b <-> a", "((a <-> b) <-> a)"),
        ("a -> b <-> a | b", "((a -> b) <-> (a | b))"),
        ("Y<=2 Y a", "Y<=2 Y a"),
        ("Y <= 3 a", "Y<=3 a"),
        ("!P<P> S <S>", "(!P <P> S <S>)"),
        ("<true> | true", "(<true> | true)"),
    ],
)
def test_precedence(text: str, tree: str) -> None:
    assert unparse(parse_ltl(text)) == tree


def test_operator_letter_symbols() -> None:
    formula = parse_ltl("P <P> & Y <Y>")
    dfa = minimal_dfa(ltl_to_dfa(formula, ("P", "Y")))
    assert dfa.accepts(["P", "Y"]) and not dfa.accepts(["Y", "P"])


def test_multi_character_symbols() -> None:
    formula = parse_ltl("P(b1 & Y b0)")
    dfa = minimal_dfa(ltl_to_dfa(formula, ("b0", "b1")))
    assert dfa.accepts(["b1", "b0", "b1"]) and not dfa.accepts(["b1", "b0"])
