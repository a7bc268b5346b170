"""Fuzzing language specs: `--lang 'regex:…'` / `'ltl:…'` / `dfa:FILE` for `check`, and the
same specs for `dfa`, `classify` and `smt2 --lang`; DFA files (valid, and mutated JSON: deep
nesting, wrong types, huge numbers, invalid UTF-8) on the command line and in a program's
`assert recognizes dfa "…"`. Every run must meet the contract of tests/fuzz/contract.py.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import budgets, dfas, ltl_formulas, quick, regexes

from verifier.langs import DFA

from .contract import PROGRAM, Blob, run_with_files
from .mutations import mutated, mutated_json

ALPHABET = ("a", "b")


def dfa_json(dfa: DFA) -> str:
    """DFA in the file format of spec section 6."""
    return json.dumps({
        "alphabet": list(dfa.alphabet), "states": [f"q{q}" for q in range(dfa.n_states)],
        "start": f"q{dfa.start}", "accept": [f"q{q}" for q in sorted(dfa.accepting)],
        "delta": {f"q{q}": {s: f"q{dfa.delta[q][i]}" for i, s in enumerate(dfa.alphabet)}
                  for q in range(dfa.n_states)}})


@st.composite
def specs(draw: st.DrawFn) -> str:
    """A regex or LTL spec over {a, b}, valid or mutated (as text: the command line cannot
    carry invalid UTF-8, so bytes are decoded with replacement)."""
    kind = draw(st.sampled_from(["regex", "ltl"]))
    text = draw(regexes(ALPHABET, depth=4)).text if kind == "regex" else draw(
        ltl_formulas(ALPHABET, depth=4))
    if draw(st.booleans()):
        text = draw(mutated(text, most=2)).decode("utf-8", errors="replace")
        text = text.replace("\x00", "")  # an argument cannot hold NUL
    return f"{kind}:{text}"


@st.composite
def _spec_case(draw: st.DrawFn) -> list[str]:
    spec = draw(specs())
    command = draw(st.sampled_from(["check", "check", "dfa", "classify", "smt2"]))
    if command == "check":
        bound = draw(st.sampled_from([[], ["--up-to", "3"], ["--up-to", "0"]]))
        return ["check", "prog.attn", "--lang", spec, "--timeout", "1", *bound]
    if command == "smt2":
        return ["smt2", "prog.attn", "--length", "2", "--lang", spec]
    alphabet = draw(st.sampled_from([[], ["--alphabet", "a,b"], ["--alphabet", "a,b,c"]]))
    return [command, spec, *alphabet]


def _check_spec(argv: list[str]) -> None:
    run_with_files(argv, {"prog.attn": PROGRAM.encode()})


@pytest.mark.parametrize("budget", budgets(80, 1000))
def test_language_specs_meet_the_contract(budget: int) -> None:
    quick(budget)(given(_spec_case())(_check_spec))()


@st.composite
def _dfa_case(draw: st.DrawFn) -> tuple[list[str], Blob, bool]:
    text = dfa_json(draw(dfas(max_states=5, alphabet=ALPHABET)))
    valid = draw(st.booleans())
    data = text.encode() if valid else draw(mutated_json(text))
    how = draw(st.sampled_from(["lang", "dfa", "classify", "claim", "compile"]))
    argv = {"lang": ["check", "prog.attn", "--lang", "dfa:d.json", "--timeout", "1"],
            "dfa": ["dfa", "dfa:d.json"], "classify": ["classify", "dfa:d.json"],
            "claim": ["check", "claim.attn", "--timeout", "1"],
            "compile": ["compile", "dfa:d.json", "--arch", "hybrid"]}[how]
    return argv, Blob(data), valid


def _check_dfa(case: tuple[list[str], Blob, bool]) -> None:
    argv, blob, valid = case
    files = {"prog.attn": PROGRAM.encode(), "d.json": blob.data,
             "claim.attn": (PROGRAM + 'assert recognizes dfa "d.json"\n'
                            'assert accepts "ab"\n').encode()}
    outcome = run_with_files(argv, files, program_files=["claim.attn"], named=["d.json"])
    if valid and argv[0] != "compile":  # compile may refuse a language outside its class
        assert outcome.status != 2, f"a valid DFA file is unreadable\n{outcome}"


@pytest.mark.parametrize("budget", budgets(60, 1000))
def test_dfa_files_meet_the_contract(budget: int) -> None:
    quick(budget)(given(_dfa_case())(_check_dfa))()


TWO_STATES = DFA(("a", "b"), 2, 0, frozenset({1}), ((1, 0), (1, 1)))


@pytest.mark.parametrize("field", ["start", "target", "alphabet"])
def test_long_names_in_a_dfa_file_are_not_echoed_whole(field: str) -> None:
    """Found by the campaign: an unknown 100 000-character state or symbol name of a DFA file
    was echoed whole in the error (one 100 kB line)."""
    name = "q" * 100_000
    document = json.loads(dfa_json(TWO_STATES))
    if field == "start":
        document["start"] = name
    elif field == "target":
        document["delta"]["q0"]["a"] = name
    else:
        document["delta"]["q0"][name] = "q0"
    for argv in (["dfa", "dfa:d.json"], ["check", "prog.attn", "--lang", "dfa:d.json"]):
        outcome = run_with_files(argv, {"prog.attn": PROGRAM.encode(),
                                        "d.json": json.dumps(document).encode()},
                                 named=["d.json"])
        assert outcome.status == 2
