"""Fuzzing `.attn` programs through the in-process command line (`verifier.cli.dispatch`).

Inputs: random well-typed programs with random claims (tests/strategies), the same mutated
(tests/fuzz/mutations.py), and the programs of proofs/ and tests/corpus mutated. Each goes
through one of `check` (small `--timeout`), `run`, `info`, `extract` and `smt2`, and must
meet the contract of tests/fuzz/contract.py; a program the generator wrote unmutated must
moreover never be unreadable (exit 2), and changes the language ignores (a byte-order mark,
CRLF, tabs, comments, blank lines, spaces) must keep every verdict.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import budgets, claims, program_texts, quick, words

from .contract import Blob, Outcome, run_with_files
from .mutations import mutated

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted(p.read_text() for p in [*ROOT.glob("proofs/*/*.attn"),
                                       *ROOT.glob("tests/corpus/programs/*.attn")])


def _alphabet(text: str) -> tuple[str, ...]:
    first = text.split("\n", 1)[0].split()
    return tuple(first[1:]) or ("a",)


@st.composite
def generated_files(draw: st.DrawFn) -> str:
    """A random program with 0..3 random claims."""
    text = draw(program_texts(max_heads=2))
    alphabet = _alphabet(text)
    lines = [f"assert {draw(claims(alphabet, max_bound=4, others=('fuzz.attn',)))}"
             for _ in range(draw(st.integers(0, 3)))]
    return text + "".join(f"{line}\n" for line in lines)


@st.composite
def commands(draw: st.DrawFn, alphabet: tuple[str, ...]) -> tuple[list[str], bool]:
    """(the command line, whether an exit 2 must point into the file)."""
    command = draw(st.sampled_from(["check", "check", "run", "info", "extract", "smt2"]))
    if command == "check":
        extra = draw(st.sampled_from([[], ["--engine", "enumerate"], ["--engine", "bounded"],
                                      ["--engine", "unbounded"], ["--format", "json"],
                                      ["--cross-check"]]))
        return ["check", "fuzz.attn", "--timeout", "1", *extra], True
    if command == "run":
        word = draw(st.one_of(words(alphabet, 6).map(" ".join),
                              st.text(max_size=8)))
        return ["run", "fuzz.attn", word, *draw(st.sampled_from([[], ["--attention"],
                                                            ["--format", "json"]]))], False
    if command == "extract":
        return ["extract", "fuzz.attn", "--timeout", "1"], True
    if command == "smt2":
        return ["smt2", "fuzz.attn", "--length", str(draw(st.integers(0, 3)))], True
    return ["info", "fuzz.attn", *draw(st.sampled_from([[], ["--format", "json"]]))], True


def _run(blob: Blob, argv: list[str], from_file: bool, valid: bool) -> None:
    outcome = run_with_files(argv, {"fuzz.attn": blob.data},
                             program_files=["fuzz.attn"] if from_file else ())
    if valid and argv[0] != "run":
        assert outcome.status != 2, f"a generated program is unreadable\n{outcome}"


@st.composite
def _generated_case(draw: st.DrawFn) -> tuple[Blob, list[str], bool, bool]:
    text = draw(generated_files())
    argv, from_file = draw(commands(_alphabet(text)))
    return Blob(text.encode()), argv, from_file, True


@st.composite
def _mutated_case(draw: st.DrawFn) -> tuple[Blob, list[str], bool, bool]:
    text = draw(generated_files() | st.sampled_from(SEEDS))
    data = draw(mutated(text))
    argv, from_file = draw(commands(_alphabet(text)))
    if argv[0] == "check":
        argv = [a for a in argv if a != "--cross-check"]  # keeps a mutated run short
    return Blob(data), argv, from_file, False


def _check(case: tuple[Blob, list[str], bool, bool]) -> None:
    _run(*case)


@pytest.mark.parametrize("budget", budgets(40, 600))
def test_generated_programs_meet_the_contract(budget: int) -> None:
    quick(budget)(given(_generated_case())(_check))()


@pytest.mark.parametrize("budget", budgets(120, 800))
def test_mutated_programs_meet_the_contract(budget: int) -> None:
    quick(budget)(given(_mutated_case())(_check))()


HARMLESS = {
    "bom": lambda text: "\ufeff" + text,
    "crlf": lambda text: text.replace("\n", "\r\n"),
    "tabs": lambda text: text.replace(" ", "\t"),
    "blank lines and comments": lambda text: "# fuzz\n\n" + text.replace("\n", "  # c\f\u2028\n\n"),
    "spaces": lambda text: text.replace(", ", " ,  ").replace("(", "( ").replace(")", " )"),
}


def _verdicts(outcome: Outcome) -> list[tuple[object, ...]]:
    claims = json.loads(outcome.out)["files"][0]["claims"]
    return [(c["line"], c["verdict"], str(c.get("counterexample"))) for c in claims]


@st.composite
def _harmless_case(draw: st.DrawFn) -> tuple[str, str]:
    return draw(generated_files()), draw(st.sampled_from(sorted(HARMLESS)))


def _check_harmless(case: tuple[str, str]) -> None:
    """A change the language ignores (spec section 3: comments, blank lines, spaces; and a
    byte-order mark, CRLF line ends, tabs) keeps every verdict."""
    text, change = case
    argv = ["check", "fuzz.attn", "--format", "json", "--engine", "enumerate"]
    before = run_with_files(argv, {"fuzz.attn": text.encode()}, program_files=["fuzz.attn"])
    after = run_with_files(argv, {"fuzz.attn": HARMLESS[change](text).encode()},
                           program_files=["fuzz.attn"])
    assert before.status == after.status, f"{change}\n{before}\n{after}"
    if before.status != 2:
        lines = text.count("\n") if change != "blank lines and comments" else None
        old, new = _verdicts(before), _verdicts(after)
        assert [v[1:] for v in old] == [v[1:] for v in new], f"{change}\n{before}\n{after}"
        assert lines is None or [v[0] for v in old] == [v[0] for v in new]


@pytest.mark.parametrize("budget", budgets(25, 600))
def test_harmless_changes_keep_the_verdicts(budget: int) -> None:
    quick(budget)(given(_harmless_case())(_check_harmless))()


def test_many_errors_are_reported_quickly() -> None:
    """Found by the campaign (a mutation stacked a 5 000-definition chain three times): every
    diagnostic is rendered, and rendering must not rescan the whole file for each of them
    (20 000 `already defined` errors in 600 KB took 28 s)."""
    chain = [f"z{k} = z{k - 1}" for k in range(1, 20_000)]
    text = "\n".join(["alphabet a b", "z0 = true", *chain, *chain, "accept z19999", ""])
    outcome = run_with_files(["check", "fuzz.attn", "--timeout", "1"], {"fuzz.attn": text.encode()},
                             program_files=["fuzz.attn"], seconds=10)
    assert outcome.status == 2 and "already defined" in outcome.err


def test_a_long_name_is_not_quoted_whole() -> None:
    """Found by the campaign (a token duplicated 2 600 times): the message of an undefined
    100 000-character name quoted it whole (the excerpt below it is cut, the message not)."""
    text = f"alphabet a b\nx = {'ab' * 50_000}\naccept a\n"
    outcome = run_with_files(["check", "fuzz.attn"], {"fuzz.attn": text.encode()},
                             program_files=["fuzz.attn"])
    assert outcome.status == 2 and "undefined" in outcome.err
