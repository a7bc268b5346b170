"""`--precision PROFILE` (issue 12, item 3): one program swept across number formats, and the
float figures of `verifier info`, pinned by hand computation."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from verifier.check.profile import parse_profile
from verifier.cli import dispatch
from verifier.errors import UsageError
from verifier.semantics.profile import FloatProfile, Profile

ROOT = Path(__file__).resolve().parents[2]
CONTAINS_AB = str(ROOT / "proofs" / "hybrid" / "contains_ab.attn")


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = dispatch(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(("text", "described"), [
    ("bf16", "bf16"), ("fp16 sums exact", "fp16 sums exact"), ("fixed(4, 4)", "fixed(4, 4)"),
    ("float(3, 2) denominator saturate", "float(3, 2) denominator saturate"),
    ("fixed(8, 8) sums sequential", "fixed(8, 8) sums sequential"),
])
def test_parse_profile_reads_what_a_precision_line_reads(text: str, described: str) -> None:
    assert parse_profile(text).describe() == described


@pytest.mark.parametrize(("text", "message", "caret_column"), [
    ("float(0, 3)", "exponent bits E must be between", 6),
    ("bogus", "unknown number format 'bogus'", 0),
    ("fp16 sums sometimes", "'sums' must be one of", 5),
    ("fixed(8, 8", "unclosed '('", 5),
])
def test_parse_profile_errors_point_into_the_option(text: str, message: str,
                                                      caret_column: int) -> None:
    with pytest.raises(UsageError) as caught:
        parse_profile(text)
    lines = str(caught.value).splitlines()
    assert message in lines[0]
    assert lines[1].strip() == text
    assert lines[2].index("^") - lines[1].index(text[0]) == caret_column


@pytest.mark.parametrize("text", ["", "bf16\nalphabet a", "bf16 # comment"])
def test_parse_profile_takes_exactly_one_profile(text: str) -> None:
    with pytest.raises(UsageError, match="one profile"):
        parse_profile(text)


def test_the_override_replaces_the_file_profile() -> None:
    code, out, _ = _run("run", CONTAINS_AB, "ab", "--precision", "fp8e5m2")
    assert code == 0 and "[fp8e5m2]" in out
    code, out, _ = _run("run", CONTAINS_AB, "ab")
    assert code == 0 and "[fixed(4, 4)]" in out
    assert isinstance(parse_profile("fp8e5m2"), FloatProfile)
    assert type(parse_profile("fixed(8, 8)")) is Profile


def test_a_literal_the_override_cannot_hold_is_an_error_with_its_position(tmp_path: Path
                                                                           ) -> None:
    path = tmp_path / "big.attn"
    path.write_text("alphabet a b\nprecision fixed(12, 4)\n"
                    "x = aggregate(select(global), if a then 300 else 0)\naccept x > 1\n")
    assert _run("run", str(path), "ab")[0] == 0
    code, _, err = _run("run", str(path), "ab", "--precision", "fp8e4m3")
    assert code == 2
    assert "big.attn:3:" in err and "300 is not exactly representable in fp8e4m3" in err


def test_a_bad_override_is_a_usage_error() -> None:
    for command in ("run", "info", "extract"):
        argv = [command, CONTAINS_AB] + (["ab"] if command == "run" else [])
        code, _, err = _run(*argv, "--precision", "float(9, 0)")
        assert code == 2, command
        assert "argument --precision" in err and "^" in err


def _float_figures(precision: str) -> dict[str, object]:
    code, out, _ = _run("info", CONTAINS_AB, "--precision", precision, "--format", "json")
    assert code == 0
    figures = json.loads(out)["float"]
    assert isinstance(figures, dict)
    return figures


def test_info_float_figures_fp8e5m2() -> None:
    # float(5, 2): bias 15, max (2 - 1/4)·2^15 = 57344, smallest subnormal 2^(-14 - 2);
    # 8 + 1 = 9 lies halfway between 8 and 10 (ulp 2 above 8) and ties to even, 8.
    # The exact span: 57344 + 4096 ties between 57344 (odd significand) and 65536 = ∞.
    assert _float_figures("fp8e5m2") == {
        "largest_finite": "57344", "smallest_subnormal": "0.0000152587890625",
        "ulp_at_1": "0.25", "infinities": True,
        "attention_span": {"exact": 61439, "sequential": None}, "stagnation_length": 8}


def test_info_float_figures_bf16_and_e4m3() -> None:
    bf16 = _float_figures("bf16")
    assert int(str(bf16["largest_finite"])) == (2**8 - 1) * 2**120
    assert bf16["stagnation_length"] == 256
    assert bf16["attention_span"] == {"exact": 2**128 - 2**119 - 1, "sequential": None}
    e4m3 = _float_figures("fp8e4m3")
    # float(4, 3) without infinities: max 1.75·2^8 = 448; 16 + 1 ties to 16 (ulp 2).
    assert e4m3["largest_finite"] == "448" and e4m3["infinities"] is False
    assert e4m3["stagnation_length"] == 16
    assert e4m3["attention_span"] == {"exact": None, "sequential": None}


def test_info_text_shows_the_figures_readably() -> None:
    code, out, _ = _run("info", CONTAINS_AB, "--precision", "bf16")
    assert code == 0
    assert "2^-133 ≈ 9.18355e-41" in out
    assert "stops growing at 256 keys" in out
    code, out, _ = _run("info", CONTAINS_AB)
    assert "stagnation" not in out and "attention span" in out


MAJORITY = str(ROOT / "proofs" / "float" / "majority_fp8e5m2.attn")


def test_check_sweeps_one_program_across_formats() -> None:
    code, out, _ = _run("check", MAJORITY, "--no-times")
    assert code == 0 and "0 refuted" in out
    code, out, _ = _run("check", MAJORITY, "--no-times", "--precision", "fp8e4m3")
    assert code == 1 and "fp8e4m3" in out
    # fp8e4m3 stagnates at 16 keys, not 8: a^9 b^8 is now counted right, so it is accepted
    assert "counterexample: aaaaaaaaabbbbbbbb" in out
    code, parallel, _ = _run("check", MAJORITY, "--no-times", "--precision", "fp8e4m3",
                             "-j", "2")
    assert (code, parallel) == (1, out)


def test_check_precision_reaches_the_other_program_of_an_equivalence(tmp_path: Path) -> None:
    body = ("alphabet a b\nprecision fixed(12, 4)\n"
            "x = aggregate(select(global), if a then {} else 0)\naccept x > 1\n")
    (tmp_path / "other.attn").write_text(body.format(300))  # 300 is no fp8e4m3 value
    (tmp_path / "main.attn").write_text(body.format(256)
                                        + 'assert equivalent "other.attn" up to 3\n')
    code, out, _ = _run("check", str(tmp_path / "main.attn"), "--no-times")
    assert code == 0 and "1 proved" in out
    code, _, err = _run("check", str(tmp_path / "main.attn"), "--precision", "fp8e4m3")
    assert code == 2 and "other.attn:3:" in err
    assert "300 is not exactly representable in fp8e4m3" in err


def test_a_tiny_format_vanishes_under_sequential_sums_too() -> None:
    # float(2, 1): max 1.5 * 2 = 3; 1 + 1 + 1 = 3, and 3 + 1 = 4 > 3.5 rounds to +inf
    figures = _float_figures("float(2, 1)")
    assert figures["attention_span"] == {"exact": 3, "sequential": 3}
    assert figures["stagnation_length"] is None


def test_a_float_literal_error_names_its_nearest_values(tmp_path: Path) -> None:
    path = tmp_path / "lit.attn"
    path.write_text("alphabet a b\nx = aggregate(select(global), if a then 300 else 0)\n"
                    "accept x > 1\n")
    code, _, err = _run("run", str(path), "ab", "--precision", "fp8e4m3")
    # fp8e4m3 between 256 and 448 steps by 32
    assert code == 2 and "(the --precision profile) (nearest values 288 and 320)" in err


def test_minimization_stops_at_the_deadline() -> None:
    from verifier.engines.compose import MachineTooLarge
    from verifier.engines.moore import Mealy, minimize

    counter = Mealy(tuple((min(s + 1, 9),) for s in range(10)),
                    tuple((s == 9,) for s in range(10)))
    assert minimize(counter).size == 10
    with pytest.raises(MachineTooLarge, match="minimizing a machine of 10 states"):
        minimize(counter, lambda: True)
