"""The delay construction (issue 15, item 1): every LTL[P, Y] language compiles with
``--arch hybrid``; the program is proved for all lengths and compared with enumeration."""

from __future__ import annotations

import itertools
import json
import tempfile
from pathlib import Path

import pytest
from compile_support import compile_and_prove
from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import budgets, dfas, quick

from verifier.compile import OutsideClass, compile_program
from verifier.compile.delay import locally_r_trivial_formula, separating_window
from verifier.interp import run_word
from verifier.langs import DFA, classify, ltl_to_dfa, minimal_dfa, parse_language_spec
from verifier.langs.dfa import equivalent
from verifier.langs.dfa_json import dfa_document
from verifier.pipeline import compile_text

AB, ABC = ("a", "b"), ("a", "b", "c")
MAX_WORDS = 400  # enumeration: every word up to the longest length within this many words

# (name, regex, alphabet, window k of the construction)
NAMED = [
    ("DYCK-(1,1)", "(ab)*", AB, 1),
    ("even pairs", "()|a(.*a)?|b(.*b)?", AB, 1),
    ("Tomita 2 (0 -> a, 1 -> b)", "(ba)*", AB, 1),
    ("Tomita 4 (0 -> a, 1 -> b)", "(b|ab|aab)*(()|a|aa)", AB, 2),
    ("LT-2", ".*ab.*", ABC, 1),
    ("a.*b", "a.*b", AB, 1),
    ("ab-factor-free over 3", "([^a]|a+[^ab])*a*", ABC, 1),
]


def _enumerated(text: str, dfa: DFA, base_dir: Path | None = None) -> None:
    """The program's answer on every word up to a length (MAX_WORDS words) is the DFA's."""
    program = compile_text(text, "<compiled>", base_dir)
    k = len(dfa.alphabet)
    longest = max(n for n in range(1, 12) if sum(k**i for i in range(n + 1)) <= MAX_WORDS)
    for n in range(longest + 1):
        for word in itertools.product(dfa.alphabet, repeat=n):
            assert run_word(program, word).accepted == dfa.accepts(word), word


@pytest.mark.parametrize(("name", "regex", "alphabet", "k"), NAMED, ids=[n[0] for n in NAMED])
def test_named_hybrid_languages_compile(name: str, regex: str, alphabet: tuple[str, ...],
                                        k: int) -> None:
    spec = f"regex:{regex}"
    dfa = parse_language_spec(spec, list(alphabet)).dfa
    result = classify(dfa)
    assert result.holds("LTL[P,Y]") and not result.holds("LTL[P]") and not result.holds(
        "LTL[Y]"), name
    compiled = compile_and_prove(spec, "hybrid", alphabet)
    assert compiled.route.startswith("locally R-trivial DFA")
    assert f"last {k} symbol" in compiled.route
    _enumerated(compiled.text, dfa)


def test_dyck11_is_eight_heads() -> None:
    compiled = compile_and_prove("regex:(ab)*", "hybrid", AB)
    assert (compiled.size.heads, compiled.size.depth) == (8, 6)


def _compile_dfa(dfa: DFA) -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        (base / "lang.json").write_text(json.dumps(dfa_document(dfa)))
        compiled = compile_and_prove("dfa:lang.json", "hybrid", dfa.alphabet, base_dir=base)
        _enumerated(compiled.text, dfa, base)


@pytest.mark.parametrize("budget", budgets(25, 200))
def test_random_ltl_py_dfas_compile_and_are_proved(budget: int) -> None:
    """Random DFAs in LTL[P, Y] that are neither partially ordered nor definite (the other
    routes have their own tests): compiled, proved for all lengths, enumerated."""
    def check(dfa: DFA) -> None:
        dfa = minimal_dfa(dfa)
        result = classify(dfa)
        assume(result.holds("LTL[P,Y]") and not result.holds("LTL[P]")
               and not result.holds("LTL[Y]"))
        _compile_dfa(dfa)

    quick(budget)(given(dfas(max_states=6))(check))()


@pytest.mark.parametrize("budget", budgets(150, 1000))
def test_window_separation_is_membership(budget: int) -> None:
    """A separated window automaton exists (within the bound n(n-1)) iff the eSe test says
    LTL[P, Y]; its formula defines the DFA's language."""
    def check(dfa: DFA) -> None:
        dfa = minimal_dfa(dfa)
        holds = classify(dfa).holds("LTL[P,Y]")
        assume(holds is not None)
        automaton = separating_window(dfa, limit=20_000)
        if not holds:
            assert automaton is None
            return
        assert automaton is not None
        derived = locally_r_trivial_formula(dfa, limit=20_000)
        assert equivalent(minimal_dfa(ltl_to_dfa(derived.formula, dfa.alphabet)), dfa)

    quick(budget)(given(dfas(max_states=5))(check))()


@pytest.mark.parametrize("regex", ["(a(ab)*b)*", "(aa)*", "((a|b)(a|b))*"])
def test_outside_ltl_py_is_still_refused(regex: str) -> None:
    with pytest.raises(OutsideClass) as info:
        compile_program(f"regex:{regex}", "hybrid", list(AB))
    assert "witness against LTL[P,Y]:" in str(info.value)


@given(st.sampled_from(["(ab)*", "a.*b", "(ba)*"]))
def test_cli_writes_the_program(regex: str) -> None:
    from compile_support import run_cli

    status, out, err = run_cli(["compile", f"regex:{regex}", "--arch", "hybrid",
                                "--alphabet", "a,b"])
    assert status == 0, err
    assert "delay construction" in out and f'assert recognizes regex "{regex}"' in out
