"""Fuzzing command lines: random options and values for every subcommand.

The subcommands and their options are read from the parser itself (`build_parser`), so an
option added later is fuzzed too. Values come from pools of good and bad ones (numbers at and
past every limit, `nan`, `inf`, words, empty strings, long names, paths of every kind), with
unknown options, repeated options and stray arguments mixed in. Runs happen in a scratch
folder holding a program, a DFA file and a folder, and must meet the contract of
tests/fuzz/contract.py (an exit 2 from a command line says `error:`).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import budgets, quick

from verifier.cli import build_parser

from .contract import PROGRAM as BASE_PROGRAM
from .contract import assert_contract, run_in_process

PROGRAM = BASE_PROGRAM + 'assert recognizes ltl "P(b & Y a)" up to 4\nassert accepts "ab"\n'
DFA = ('{"alphabet": ["a", "b"], "states": ["q0", "q1"], "start": "q0", "accept": ["q1"], '
       '"delta": {"q0": {"a": "q1", "b": "q0"}, "q1": {"a": "q1", "b": "q1"}}}')

BAD_NUMBERS = ["0", "-1", "1e-9", "1e9", "nan", "inf", "-inf", "NaN", "abc", "", " 2", "0x10",
               "99999999999999999999", "1_0", "\u0663", "1e309", "-0", "0.5"]
GOOD_NUMBERS = {"timeout": ["1", "0.5", "2"], "memory": ["800", "2000"],
                "budget": ["1000", "200000"], "length": ["0", "2", "4"],
                "up_to": ["0", "3", "5"], "seed": ["0", "7"], "rlimit": ["1", "200000"],
                "jobs": ["1", "2"]}
BAD_PATHS = ["missing.attn", "", "-", ".", "x" * 300, "folder/../p.attn", "p.attn\u200b",
             "/dev/null", "nul\u00e9.attn", "--", "p.attn/", "d.json", "folder"]
GOOD_LANGS = ["regex:(a|b)*ab", "ltl:P(b & Y a)", "dfa:d.json", "regex:a*", "ltl:Y a",
              "regex:[^a]b?", "ppltl:H(a -> Y b)", "ppltl:O(a) -> O(b)"]
BAD_LANGS = ["regex:", "ltl:", "dfa:", "dfa:missing.json", "regex:((", "ltl:P(", "regex:a{2,1}",
             "foo:bar", "regex:<b0>", "ltl:<P>", "regex:.", "regex:\t", "regex:a" + "|a" * 40,
             "dfa:p.attn", "dfa:folder", "ppltl:", "ppltl:Ya", "ppltl:a P b P c",
             "ppltl:" + " & ".join(f"p{k}" for k in range(9)), "ppltl:a & b & a_b"]
GOOD_TEXTS = {"word": ["ab", "", "bab"], "alphabet": ["a,b", "a,b,c"],
              "precision": ["fixed(4, 4)", "fixed(8, 8)"], "output": ["out.attn", "o2.attn"],
              "html": ["report.html", "missing/r.html", "p.attn", "folder"],
              "solver": ["z3", "bitwuzla"],
              # import model: a config (the fuzzed weights file is never a model) and claims
              "config": ["d.json", "config.json", "p.attn"],
              "claim": ['recognizes regex "(ab)*" up to 3', 'accepts "ab"', "junk claim"],
              # a reachable scheduler is tested in tests/test_parallel.py (slow); here only
              # addresses that fail fast
              "dask": ["not-an-address", "tcp://"]}
BAD_TEXTS = ["a,a", "a,,b", ",", "a b", "fixed(1, 1)", "fixed(99, 99)", "fixed(2,1", "abc",
             "\u00e9", "a" * 300, "ab\tab", "-a", "p.attn", "d.json", "folder", "",
             "ab" * 50_000 + "z"]


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


SUBCOMMANDS = _subcommands()


def _pools(parser_name: str, action: argparse.Action) -> tuple[list[str], list[str]]:
    """(good values, bad values) for ACTION of the subcommand PARSER_NAME: its choices and
    some not in them, else pools by what the option's name says it takes."""
    if action.choices is not None:
        return [*map(str, action.choices)], ["bogus", ""]
    name = " ".join([*action.option_strings, action.dest, str(action.metavar or "")]).lower()
    for key, good in GOOD_NUMBERS.items():
        if key in name or key.replace("_", "-") in name:
            return good, BAD_NUMBERS
    if "lang" in name:
        return GOOD_LANGS, BAD_LANGS
    if action.dest in ("file", "paths"):
        return (["p.attn", "folder"] if action.dest == "paths" else ["p.attn"]), BAD_PATHS
    for key, good in GOOD_TEXTS.items():
        if key in name:
            return good, BAD_TEXTS
    return ["1"], BAD_NUMBERS + BAD_TEXTS


def _value(draw: st.DrawFn, parser_name: str, action: argparse.Action) -> str:
    good, bad = _pools(parser_name, action)
    return draw(st.sampled_from(bad if draw(st.integers(0, 9)) >= 8 else good))


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    """A command line: a subcommand, its positionals (now and then missing or doubled),
    random options with values (mostly good ones), and now and then junk."""
    name = draw(st.sampled_from(sorted(SUBCOMMANDS)))
    parser = SUBCOMMANDS[name]
    argv = [name]
    positionals = [a for a in parser._actions if not a.option_strings]
    optionals = [a for a in parser._actions
                 if a.option_strings and not isinstance(a, argparse._HelpAction)]
    for action in positionals:
        count = draw(st.sampled_from([1] * 12 + [0, 2]))
        argv += [_value(draw, name, action) for _ in range(count)]
    required = [a for a in optionals if a.required]
    chosen = draw(st.lists(st.sampled_from(optionals), max_size=3)) if optionals else []
    for action in [*required, *chosen]:
        option = draw(st.sampled_from(action.option_strings))
        if action.nargs == 0:
            argv.append(option)
            continue
        value = _value(draw, name, action)
        argv += draw(st.sampled_from([[option, value], [f"{option}={value}"]])) \
            if option.startswith("--") else [option, value]
    if draw(st.integers(0, 9)) >= 8:
        junk = draw(st.sampled_from([["--bogus"], ["extra"], ["-h"], ["--"], ["--timeout"],
                                     ["-"], ["--format", "json"], ["-o"]]))
        at = draw(st.integers(0, len(argv)))
        argv[at:at] = junk
    if not any(a.startswith("--timeout") for a in argv) and any(
            "--timeout" in a.option_strings for a in optionals):
        argv += ["--timeout", "2"]  # keep a run short when the line leaves it unlimited
    return argv


def _check(argv: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        (base / "p.attn").write_text(PROGRAM)
        (base / "d.json").write_text(DFA)
        (base / "folder").mkdir()
        (base / "folder" / "q.attn").write_text(PROGRAM)
        before = {p: p.read_bytes() for p in (base / "p.attn", base / "d.json")}
        outcome = run_in_process(argv, cwd=base)
        for path, data in before.items():  # `compile -o` must never replace an input
            if outcome.status != 0 or path.name not in argv:
                continue
            assert path.read_bytes() == data or "--force" in " ".join(argv), outcome
        assert sorted(os.listdir(base / "folder")) == ["q.attn"]
    assert_contract(outcome)


@pytest.mark.parametrize("budget", budgets(120, 1500))
def test_command_lines_meet_the_contract(budget: int) -> None:
    quick(budget)(given(command_lines())(_check))()


def test_every_subcommand_is_fuzzed() -> None:
    """The pools cover what the parser declares: every subcommand, and good values for
    every option that takes one (a new option needs its pool)."""
    assert {"run", "info", "check", "dfa", "classify", "compile", "extract", "smt2"} <= set(
        SUBCOMMANDS)
    for name, parser in SUBCOMMANDS.items():
        for action in parser._actions:
            if action.nargs != 0 and not isinstance(action, argparse._HelpAction):
                assert _pools(name, action)[0] != ["1"], (name, action.dest)
