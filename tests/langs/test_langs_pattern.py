"""The second LTL[P, Y] test (issue 15, item 2): the forbidden pattern on the minimal DFA
agrees with the eSe test on random DFAs, and its witnesses are checkable."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from strategies import budgets, dfas, quick

from verifier.langs import DFA, classify, minimal_dfa, parse_language
from verifier.langs.classify import _semigroup_verdicts
from verifier.langs.local_pattern import check_ltl_py_pattern
from verifier.langs.semigroup import transition_monoid

AB = ["a", "b"]


def _check_witness(dfa: DFA, witness: dict[str, object]) -> None:
    p, q = witness["states"]  # type: ignore[misc]
    m, v, w = (list(witness[key]) for key in ("m", "v", "w"))  # type: ignore[call-overload]
    assert p != q and m
    assert dfa.run(m, p) == p and dfa.run(m, q) == q
    assert dfa.run(v + m, p) == q and dfa.run(w + m, q) == p


@pytest.mark.parametrize("budget", budgets(300, 1000))
def test_pattern_agrees_with_ese(budget: int) -> None:
    """Acceptance of item 2: the two tests agree (1000 random DFAs under -m slow). The eSe
    test runs on the full monoid here (no size limit), so it never answers unknown."""
    def check(dfa: DFA) -> None:
        dfa = minimal_dfa(dfa)
        ese = _semigroup_verdicts(transition_monoid(dfa, limit=10**7))["LTL[P,Y]"]
        pattern = check_ltl_py_pattern(dfa)
        assert pattern.holds is not None and pattern.holds == ese.holds, (dfa, ese, pattern)
        if pattern.holds is False:
            assert pattern.witness is not None
            _check_witness(dfa, pattern.witness)

    quick(budget)(given(dfas(max_states=6))(check))()


@pytest.mark.parametrize("budget", budgets(100, 400))
def test_pattern_agrees_on_larger_dfas(budget: int) -> None:
    def check(dfa: DFA) -> None:
        dfa = minimal_dfa(dfa)
        ese = classify(dfa).verdicts["LTL[P,Y]"]
        assume(ese.holds is not None and ese.reason is None)
        assert check_ltl_py_pattern(dfa).holds == ese.holds

    quick(budget)(given(dfas(max_states=9, alphabet=("a", "b")))(check))()


@pytest.mark.parametrize(("regex", "alphabet", "holds"), [
    ("(ab)*", AB, True), ("(a(ab)*b)*", AB, False), (".*ab.*", ["a", "b", "c"], True),
    ("(aa)*", ["a"], False), ("a.*b", AB, True), ("((a|b)(a|b))*", AB, False),
    ("(b|ab|aab)*(()|a|aa)", AB, True),
])
def test_pattern_on_named_languages(regex: str, alphabet: list[str], holds: bool) -> None:
    dfa = parse_language("regex", regex, alphabet).dfa
    verdict = check_ltl_py_pattern(dfa)
    assert verdict.holds is holds
    if not holds:
        assert verdict.witness is not None
        _check_witness(dfa, verdict.witness)


def test_pattern_decides_when_the_monoid_is_too_large() -> None:
    """classify falls back on the pattern when the eSe test cannot run."""
    dyck11 = classify(parse_language("regex", "(ab)*", AB).dfa, semigroup_limit=3)
    assert dyck11.holds("LTL[P,Y]") is True
    assert "forbidden-pattern" in (dyck11.verdicts["LTL[P,Y]"].reason or "")
    dyck12 = classify(parse_language("regex", "(a(ab)*b)*", AB).dfa, semigroup_limit=3)
    assert dyck12.holds("LTL[P,Y]") is False
    assert dyck12.verdicts["LTL[P,Y]"].witness is not None
    assert dyck12.holds("star-free") is None


def test_pattern_budget_gives_unknown() -> None:
    dfa = parse_language("regex", "(a(ab)*b)*", AB).dfa
    assert check_ltl_py_pattern(dfa, node_limit=1).holds is None
