"""A second oracle for minimization and equivalence: automata-lib, an independent, maintained
automata library (its own regex parser, subset construction and Hopcroft minimization).

* Random regexes: the project's minimal DFA has exactly as many states as automata-lib's
  minimal complete DFA, and the two accept the same language.
* Random DFAs (some with unreachable or equivalent states): `minimal_dfa` has as many states
  as automata-lib's `minify` and the same language.
* Random pairs of regexes: `equivalent` says what automata-lib's language equality says;
  `shortest_difference` returns a word in the symmetric difference whose length is the
  symmetric difference's shortest word length.
* Random LTL formulas: the evaluator agrees with the DFA on every short word (no second
  library reads LTL; the evaluator is the project's own independent oracle).
* Random nontrivial programs: the automaton `extract` builds is already minimal by
  automata-lib's count.
"""

from __future__ import annotations

from itertools import product

import pytest
from automata.fa.dfa import DFA as LibDFA
from automata.fa.nfa import NFA as LibNFA
from hypothesis import given
from hypothesis import strategies as st
from strategies import (
    Generated,
    Regex,
    budgets,
    dfas,
    ltl_formulas,
    programs,
    quick,
    regexes,
)

from verifier.engines.streaming import NotFiniteState
from verifier.engines.unbounded import BudgetExceeded, extract
from verifier.langs import DFA, equivalent, minimal_dfa, parse_language, shortest_difference
from verifier.langs.ltl import parse_ltl
from verifier.langs.ltl_semantics import holds

ALPHABETS = (("a", "b"), ("a",), ("a", "b", "c"))


def to_lib(dfa: DFA) -> LibDFA:
    """The project's (complete) DFA as an automata-lib DFA."""
    return LibDFA(
        states=frozenset(range(dfa.n_states)),
        input_symbols=frozenset(dfa.alphabet),
        transitions={q: {s: dfa.delta[q][i] for i, s in enumerate(dfa.alphabet)}
                     for q in range(dfa.n_states)},
        initial_state=dfa.start,
        final_states=frozenset(dfa.accepting),
    )


def lib_regex(regex: Regex, alphabet: tuple[str, ...]) -> LibDFA:
    """automata-lib's minimal complete DFA of REGEX."""
    nfa = LibNFA.from_regex(regex.lib, input_symbols=frozenset(alphabet))
    return LibDFA.from_nfa(nfa).to_complete().minify()


@st.composite
def _regex_cases(draw: st.DrawFn) -> tuple[tuple[str, ...], Regex]:
    alphabet = draw(st.sampled_from(ALPHABETS))
    return alphabet, draw(regexes(alphabet, depth=4))


def _check_regex(case: tuple[tuple[str, ...], Regex]) -> None:
    alphabet, regex = case
    mine = parse_language("regex", regex.text, alphabet).dfa
    theirs = lib_regex(regex, alphabet)
    assert mine.n_states == len(theirs.states), (regex.text, regex.lib)
    assert to_lib(mine) == theirs  # automata-lib's == is language equality


@pytest.mark.parametrize("budget", budgets(150, 1000))
def test_regex_minimal_dfa_matches_automata_lib(budget: int) -> None:
    quick(budget)(given(_regex_cases())(_check_regex))()


def _check_minimization(dfa: DFA) -> None:
    small = minimal_dfa(dfa)
    theirs = to_lib(dfa).minify()
    assert small.n_states == len(theirs.states)
    assert to_lib(small) == to_lib(dfa)


@pytest.mark.parametrize("budget", budgets(150, 1000))
def test_minimization_matches_automata_lib(budget: int) -> None:
    quick(budget)(given(dfas(max_states=7))(_check_minimization))()


@st.composite
def _regex_pairs(draw: st.DrawFn) -> tuple[tuple[str, ...], Regex, Regex]:
    alphabet = draw(st.sampled_from(ALPHABETS[:2]))
    return alphabet, draw(regexes(alphabet, depth=3)), draw(regexes(alphabet, depth=3))


def _check_equivalence(case: tuple[tuple[str, ...], Regex, Regex]) -> None:
    alphabet, left, right = case
    mine = [parse_language("regex", r.text, alphabet).dfa for r in (left, right)]
    theirs = [lib_regex(r, alphabet) for r in (left, right)]
    same = theirs[0] == theirs[1]
    assert equivalent(*mine) == same
    word = shortest_difference(*mine)
    assert (word is None) == same
    if word is not None:
        difference = theirs[0].symmetric_difference(theirs[1])
        assert difference.accepts_input("".join(word))
        assert len(word) == difference.minimum_word_length()


@pytest.mark.parametrize("budget", budgets(150, 1000))
def test_equivalence_matches_automata_lib(budget: int) -> None:
    """Half the pairs are a regex and a rewriting of it that keeps its language."""
    pairs = _regex_pairs() | _regex_cases().map(
        lambda case: (case[0], case[1], Regex("alt", (case[1], case[1]))))
    quick(budget)(given(pairs)(_check_equivalence))()


def _check_ltl(formula: str) -> None:
    dfa = parse_language("ltl", formula, ("a", "b")).dfa
    parsed = parse_ltl(formula)
    for n in range(7):
        for word in product(("a", "b"), repeat=n):
            assert holds(parsed, list(word)) == dfa.accepts(word), (formula, word)


@pytest.mark.parametrize("budget", budgets(60, 600))
def test_ltl_evaluator_matches_dfa(budget: int) -> None:
    quick(budget)(given(ltl_formulas(("a", "b"), depth=4))(_check_ltl))()


def _check_extracted(generated: Generated) -> None:
    try:
        dfa = extract(generated.program, budget=20_000).dfa
    except (NotFiniteState, BudgetExceeded):
        return
    assert dfa.n_states == len(to_lib(dfa).minify().states)


@pytest.mark.parametrize("budget", budgets(30, 200))
def test_extracted_automaton_is_minimal_by_automata_lib(budget: int) -> None:
    quick(budget)(given(programs())(_check_extracted))()
