"""The fuzz suite's own machinery: the contract catches what it must, the watchdog stops a
run that hangs."""

from __future__ import annotations

import time

import pytest

from . import contract
from .contract import Outcome, assert_contract, assert_echoes, run_in_process


def _outcome(status: int | None, err: str = "", out: str = "", seconds: float = 0.1
             ) -> Outcome:
    return Outcome(("check", "p.attn"), status, out, err, seconds)


@pytest.mark.parametrize("bad", [
    _outcome(4, "internal error (a bug in the verifier): IndexError"),
    _outcome(1, "Traceback (most recent call last):"),
    _outcome(2, "the program is nested too deeply"),
    _outcome(2, "error: the program is nested too deeply to be read"),
    _outcome(0, seconds=99.0),
    _outcome(2, "p.attn:1:1: error: " + "a" * 5000),
])
def test_the_contract_refuses(bad: Outcome) -> None:
    with pytest.raises(AssertionError):
        assert_contract(bad, files=["p.attn"])


@pytest.mark.parametrize("good", [
    _outcome(0), _outcome(3), _outcome(130, "interrupted"),
    _outcome(2, "p.attn:3:7: error: unexpected ')'\n    accept a)\n          ^"),
    _outcome(2, "error: --lang: d.json:2:1: invalid JSON"),
])
def test_the_contract_accepts(good: Outcome) -> None:
    assert_contract(good, files=["p.attn"], named=["d.json"])


def test_an_echo_of_the_wrong_line_is_caught() -> None:
    source = "alphabet a b\n# x\fy\naccept a +\n"
    right = _outcome(2, "p.attn:3:11: error: unexpected end of line\n    accept a +\n   ^")
    wrong = _outcome(2, "p.attn:3:11: error: unexpected end of line\n    y\n   ^")
    assert_echoes(right, {"p.attn": source})
    with pytest.raises(AssertionError):
        assert_echoes(wrong, {"p.attn": source})


def test_the_watchdog_stops_a_hanging_run(monkeypatch: pytest.MonkeyPatch) -> None:
    def hang(argv: object, out: object, err: object) -> int:
        time.sleep(30)
        return 0

    monkeypatch.setattr(contract, "dispatch", hang)
    start = time.monotonic()
    outcome = run_in_process(["check", "p.attn"], seconds=0.3)
    assert time.monotonic() - start < 5
    assert outcome.timed_out and outcome.status is None
    with pytest.raises(AssertionError):
        assert_contract(outcome)
