"""The Python API (`verifier.check_text`, `check_file`, `check_claim`): the whole pipeline from
source text or a file, with the verdicts `verifier check` gives."""

from __future__ import annotations

import doctest
from fractions import Fraction
from pathlib import Path

import pytest

import verifier
import verifier.api
from verifier.engines.verdict import Status
from verifier.errors import UserError
from verifier.pipeline import check_text as checked_program

ROOT = Path(__file__).parents[1]
ENDS_A = """alphabet a b
precision fixed(4, 4)
last_a = rightmost(select(local 1), a)
accept last_a
"""


def test_check_text_decides_every_claim_of_source_text() -> None:
    result = verifier.check_text(ENDS_A + 'assert recognizes ltl "Y a"\n'
                                 'assert recognizes regex "(a|b)*b" up to 4\nassert accepts "ba"\n')
    assert result.error is None
    assert [c.verdict.status for c in result.claims] == [
        Status.PROVED, Status.REFUTED, Status.PROVED]
    example = result.claims[1].verdict.counterexample
    assert example is not None and example.word == ("a",)


def test_check_text_keeps_input_errors_with_positions() -> None:
    result = verifier.check_text("alphabet a b\naccept a +\n", path="mine.attn")
    assert result.error is not None and not result.claims
    assert result.error.render().startswith("mine.attn:2:")


def test_check_file_agrees_with_the_command_line() -> None:
    result = verifier.check_file(ROOT / "proofs" / "hybrid" / "contains_ab.attn")
    assert result.error is None and result.claims
    assert all(c.verdict.status is Status.PROVED for c in result.claims)


def test_check_claim_decides_one_claim_about_a_checked_program() -> None:
    program = checked_program(ENDS_A)
    assert verifier.check_claim(program, 'recognizes ltl "Y a"').status is Status.PROVED
    refuted = verifier.check_claim(program, 'recognizes ltl "Y b" up to 3',
                                   options=verifier.Options(timeout=30))
    assert refuted.status is Status.REFUTED and refuted.counterexample is not None
    with pytest.raises(UserError):
        verifier.check_claim(program, 'recognizes ltl "Y c"')


def test_the_module_docstring_example_runs() -> None:
    failures, tried = doctest.testmod(verifier.api)
    assert tried > 0 and failures == 0


def test_unknown_attributes_are_attribute_errors() -> None:
    with pytest.raises(AttributeError):
        _ = verifier.no_such_thing  # type: ignore[attr-defined]


def test_run_gives_the_trace_in_user_units_and_a_typed_error_for_a_bad_word() -> None:
    program = verifier.read_program(
        "alphabet a b\nprecision fixed(4, 4)\nh = aggregate(select(global), a)\n"
        "accept h > 0.25\n")
    trace = verifier.run(program, "ab")
    values = trace.values()
    assert trace.accepted is True and values["h"] == (0, 1, Fraction(1, 2))
    assert values["accept"] == (False, True, True)
    assert verifier.run(program, ["a", "b"]) == trace
    with pytest.raises(verifier.WordError) as bad:
        verifier.run(program, "abz")
    assert bad.value.offset == 2 and "'z'" in bad.value.message
    with pytest.raises(verifier.WordError) as listed:
        verifier.run(program, ["a", "c"])
    assert listed.value.offset == 1


def test_the_readme_python_example_prints_what_its_comments_say(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Python API", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(root)
    exec(compile(block, "README.md", "exec"), {})  # our own README, not user text
    printed = capsys.readouterr().out.splitlines()
    expected = [line.split("# ", 1)[1].strip() for line in block.splitlines()
                if line.startswith("print(") and "# " in line]
    shown = [p for p in printed if not p[:1].isdigit()]  # the contains_ab loop's lines
    assert shown == expected
