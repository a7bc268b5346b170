"""Specifications at scale (issue 11, part 1): the layered LTL -> DFA construction.

* Differential: on random formulas (trees from the shared strategy, and DAGs whose
  subformulas are shared many times over) the layered construction returns exactly the DFA of
  the reference one-state-at-a-time construction (`ltl_reference.py`, the code it replaced):
  same states, same numbering, same budget and deadline behaviour; and the evaluator, written
  independently, agrees with the DFA on short words.
* Counted work: the 30-operator formula of the issue is evaluated in a few vectorized layers
  (not once per state and symbol), and hashing / comparing formula DAGs visits each node a
  bounded number of times.
* A claim's verdict counts the time spent building its language.
"""

from __future__ import annotations

import pickle
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import product
from typing import Any

import ltl_reference
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import budgets, ltl_formulas, quick

import verifier
from verifier.langs import ltl_dfa, ltl_nodes, ltl_to_dfa, minimal_dfa, parse_ltl
from verifier.langs.language import LanguageSource
from verifier.langs.ltl import Binary, Const, Formula, Not, Past, Sym
from verifier.langs.ltl_semantics import holds
from verifier.limits import Deadline, Limit, LimitReached

F30 = ("P(b & Y a) & P(c & P(d & Y e)) & !P(f & Y Y g) & Y<=3 m & P(h & P(k & P(m & Y Y a)))"
       " & !P(a & Y b & Y Y c) & (P(d & P(e & P(f & P(g)))) | Y h)")
SIGMA10 = tuple("abcdefghkm")
ALPHABETS = (("a", "b"), ("a",), ("a", "b", "c"))


def _same_as_reference(formula: Formula, alphabet: tuple[str, ...]) -> None:
    mine = ltl_to_dfa(formula, alphabet)
    assert mine == ltl_reference.ltl_to_dfa(formula, alphabet)
    for n in range(5):
        for word in product(alphabet, repeat=n):
            assert holds(formula, list(word)) == mine.accepts(word), (formula, word)


@st.composite
def _tree_cases(draw: st.DrawFn) -> tuple[tuple[str, ...], str]:
    alphabet = draw(st.sampled_from(ALPHABETS))
    return alphabet, draw(ltl_formulas(alphabet, depth=4))


@pytest.mark.parametrize("budget", budgets(80, 800))
def test_layered_construction_matches_reference_on_random_formulas(budget: int) -> None:
    def check(case: tuple[tuple[str, ...], str]) -> None:
        alphabet, text = case
        _same_as_reference(parse_ltl(text), alphabet)

    quick(budget)(given(_tree_cases())(check))()


@st.composite
def shared_dags(draw: st.DrawFn, alphabet: tuple[str, ...] = ("a", "b"),
                steps: int = 14) -> Formula:
    """A formula built bottom up from a pool, each new node reading earlier ones: subformula
    objects are shared by several parents (the shape the compiler's formulas have)."""
    pool: list[Formula] = [*(Sym(s) for s in alphabet), Const(True)]
    for _ in range(draw(st.integers(1, steps))):
        kind = draw(st.sampled_from(["!", "P", "Y", "H", "W", "&", "|", "->", "<->", "S"]))
        x = pool[draw(st.integers(0, len(pool) - 1))]
        y = pool[draw(st.integers(0, len(pool) - 1))]
        if kind == "!":
            pool.append(Not(x))
        elif kind == "W":
            pool.append(Past("W", x, draw(st.integers(1, 3))))
        elif kind in ("P", "Y", "H"):
            pool.append(Past(kind, x))
        else:
            pool.append(Binary(kind, x, y))
    return pool[-1]


@pytest.mark.parametrize("budget", budgets(60, 600))
def test_layered_construction_matches_reference_on_shared_dags(budget: int) -> None:
    quick(budget)(given(shared_dags())(lambda f: _same_as_reference(f, ("a", "b"))))()


def test_budget_and_deadline_as_before() -> None:
    formula = parse_ltl("Y<=30 a")
    for build in (ltl_to_dfa, ltl_reference.ltl_to_dfa):
        assert build(formula, ("a", "b"), budget=31).n_states == 31
        with pytest.raises(LimitReached) as error:
            build(formula, ("a", "b"), budget=30)
        assert error.value.limit is Limit.STATES
    with pytest.raises(LimitReached) as error:
        ltl_to_dfa(parse_ltl(F30), SIGMA10, deadline=Deadline(0.0))
    assert error.value.limit is Limit.TIME


def test_formula_without_past_operators_and_wide_window() -> None:
    for text in ("a & !b", "true", "false", "Y<=300 (a & Y<=2 b)", "Y<=1000 a"):
        _same_as_reference(parse_ltl(text), ("a", "b"))


@contextmanager
def counting(module: Any, name: str, *more: Any) -> Iterator[list[int]]:
    """Count the calls of MODULE.NAME (patched there and in MORE modules too)."""
    calls = [0]
    original: Callable[..., Any] = getattr(module, name)

    def counted(*args: Any) -> Any:
        calls[0] += 1
        return original(*args)

    owners = (module, *more)
    for owner in owners:
        setattr(owner, name, counted)
    try:
        yield calls
    finally:
        for owner in owners:
            setattr(owner, name, original)


def test_thirty_operator_formula_is_built_in_few_layers() -> None:
    """The issue's specification: 19960 vectors, 866 minimal states, built with 17 vectorized
    evaluations; hashing the formula walks its 64 nodes, not its 200 million paths."""
    formula = parse_ltl(F30)
    with counting(ltl_dfa._Layered, "values") as layers, \
            counting(ltl_nodes, "children", ltl_dfa) as visits:
        raw = ltl_to_dfa(formula, SIGMA10)
        hash(formula)
    assert raw.n_states == 19960 and layers[0] <= 40
    assert visits[0] <= 10 * 64
    dfa = minimal_dfa(raw)
    assert dfa.n_states == 866
    rng = random.Random(11)
    for _ in range(300):
        word = rng.choices(SIGMA10, k=rng.randint(0, 14))
        assert holds(formula, word) == dfa.accepts(word)


def _doubling(depth: int, leaf: Formula) -> Formula:
    """``x_{i+1} = P(x_i & Y x_i)``: a DAG of 3·depth nodes whose tree has 2^depth leaves."""
    node = leaf
    for _ in range(depth):
        node = Past("P", Binary("&", node, Past("Y", node)))
    return node


def test_dag_hash_and_equality_are_linear() -> None:
    one, two, other = _doubling(80, Sym("a")), _doubling(80, Sym("a", 7)), _doubling(80, Sym("b"))
    with counting(ltl_nodes, "children") as visits:
        assert one == two and hash(one) == hash(two)
        assert one != other
        assert len({one, two, other}) == 2
    assert visits[0] <= 20 * 3 * 80
    assert len(list(ltl_nodes.subformulas(one))) == 3 * 80 + 1
    copy = pickle.loads(pickle.dumps(one))
    assert "_hash" not in copy.__dict__ and copy == one and hash(copy) == hash(one)
    assert Sym("a", 3) == Sym("a") and Past("W", Sym("a"), 2) != Past("W", Sym("a"), 3)
    assert Not(Sym("a")) != Sym("a") and Binary("&", Sym("a"), Sym("b")) != \
        Binary("|", Sym("a"), Sym("b"))


def test_verdict_seconds_include_building_the_language(monkeypatch: pytest.MonkeyPatch) -> None:
    original = LanguageSource.build

    def slow_build(self: LanguageSource, *args: Any) -> Any:
        time.sleep(0.3)
        return original(self, *args)

    monkeypatch.setattr(LanguageSource, "build", slow_build)
    result = verifier.check_text("alphabet a b\nprecision fixed(4, 4)\n"
                                 "last_a = rightmost(select(local 1), a)\naccept last_a\n"
                                 'assert recognizes ltl "Y a"\n')
    (claim,) = result.claims
    assert claim.verdict.status.value == "proved"
    assert claim.verdict.seconds >= 0.3
