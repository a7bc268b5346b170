"""Ctrl-C ends the run ("interrupted", exit status 130), also while Z3 is inside a check
(Z3 catches SIGINT itself and answers unknown; that answer must not become a verdict)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from verifier.smt.session import check_interrupt


def _slow_program(heads: int = 12) -> str:
    lines = ["alphabet a b", "precision fixed(12, 12) denominator saturate"]
    for k in range(heads):
        key, value = ("a" if k % 2 else "b"), ("a" if k % 3 else "b")
        lines.append(f"h{k} = aggregate(select(global, score: {key}[j] * {k + 1}), {value})")
    lines.append("s = " + " + ".join(f"h{k}" for k in range(heads)))
    lines.append("accept s > 3.5")
    lines += ['assert recognizes regex "(a|b)*a" up to 14'] * 3
    return "\n".join(lines) + "\n"


def test_z3s_keyboard_answer_becomes_keyboard_interrupt() -> None:
    with pytest.raises(KeyboardInterrupt):
        check_interrupt("interrupted from keyboard")
    assert check_interrupt("timeout") == "timeout"


def test_ctrl_c_during_a_solver_query_ends_the_run(tmp_path: Path) -> None:
    program = tmp_path / "slow.attn"
    program.write_text(_slow_program())
    process = subprocess.Popen(
        [sys.executable, "-m", "verifier", "check", str(program), "--engine", "bounded"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(2.5)
    sent = time.monotonic()
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130, out + err
    assert "interrupted" in err and "Traceback" not in err
    assert time.monotonic() - sent < 3.0
