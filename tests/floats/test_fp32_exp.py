"""fp32 has no exact `exp` (its table would hold 2^32 codes): a scored softmax or an `exp()`
call is refused when the program is checked (exit 2, at the expression), never a crash;
uniform attention in fp32 runs."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from verifier.cli import dispatch
from verifier.errors import UserError
from verifier.pipeline import check_text

SCORED = """alphabet a b
precision fp32
s = select(global, score: a[j])
x = aggregate(s, b)
accept x > 0.5
"""


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return dispatch(list(argv), out, err), out.getvalue(), err.getvalue()


def test_scored_softmax_in_fp32_is_refused_at_the_score() -> None:
    with pytest.raises(UserError) as caught:
        check_text(SCORED, "s.attn", None)
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.span.line, diagnostic.span.column) == (3, 27)
    assert "fp32" in diagnostic.message and "exp" in diagnostic.message


@pytest.mark.parametrize("command", ["run", "check", "info"])
def test_every_command_exits_2_with_precision_fp32(tmp_path: Path, command: str) -> None:
    source = tmp_path / "e.attn"
    source.write_text("alphabet a b\nx = exp(-1) * 2\naccept x > 0.5 and a\n"
                      "assert accepts \"a\"\n")
    argv = [command, str(source), "--precision", "fp32"] + (["a"] if command == "run" else [])
    status, _, err = _cli(*argv)
    assert status == 2, err
    assert "exp(): fp32 (the --precision profile) is too wide" in err
    assert "internal error" not in err


def test_uniform_attention_in_fp32_runs(tmp_path: Path) -> None:
    source = tmp_path / "u.attn"
    source.write_text("alphabet a b\nprecision fp32\nx = aggregate(select(global), a)\n"
                      "accept x > 0.5\nassert accepts \"aab\"\nassert rejects \"abb\"\n")
    status, out, err = _cli("check", str(source))
    assert status == 0, out + err
