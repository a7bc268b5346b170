"""Float programs end to end: the precision line (errors exit 2 with a position), the batch
interpreter (enumerate) against the one-word interpreter, and the pinned vanishing and
stagnation lengths of docs/semantics.md."""

from __future__ import annotations

import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from verifier.interp import all_words, run_batch, run_word
from verifier.pipeline import compile_text
from verifier.semantics import floats
from verifier.semantics.attention import aggregate
from verifier.semantics.profile import FloatProfile, float_profile
from verifier.semantics.pyops import PyOps

ROOT = Path(__file__).resolve().parents[2]


def _cli(tmp_path: Path, text: str, *args: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "p.attn"
    path.write_text(text)
    return subprocess.run([sys.executable, "-m", "verifier", *args, str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.parametrize(("line", "column", "message"), [
    ("precision float(0, 3)", 17, "exponent bits E must be between 2 and 8"),
    ("precision float(9, 0)", 17, "exponent bits E must be between 2 and 8"),
    ("precision float(5, 0)", 20, "fraction bits M must be between 1 and 23"),
    ("precision float(5, 24)", 20, "fraction bits M must be between 1 and 23"),
    ("precision bf17", 11, "unknown number format 'bf17'"),
    ("precision double(11, 52)", 11, "unknown number format 'double'"),
    ("precision bf16(8, 7)", 11, "'bf16' takes no parameters"),
    ("precision float", 11, "unknown number format 'float'"),
    ("precision bf16 sums sideways", 16, "'sums' must be one of exact, sequential"),
])
def test_malformed_float_profiles_exit_2_with_a_position(tmp_path: Path, line: str,
                                                         column: int, message: str) -> None:
    result = _cli(tmp_path, f"alphabet a b\n{line}\naccept a\n", "check")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert f"p.attn:2:{column}: error: {message}" in result.stderr


def test_a_literal_that_would_round_is_an_error(tmp_path: Path) -> None:
    result = _cli(tmp_path, "alphabet a b\nprecision bf16\naccept a + 0.1 > 257\n", "check")
    assert result.returncode == 2
    assert "p.attn:3:12: error: literal 0.1 is not exactly representable in bf16" in \
        result.stderr
    ok = _cli(tmp_path, "alphabet a b\nprecision bf16\naccept a + 0.375 < 256\n", "check")
    assert ok.returncode == 0, ok.stderr


def test_presets_and_options_round_trip() -> None:
    for name, (exp_bits, man_bits, finite) in {"bf16": (8, 7, False), "fp16": (5, 10, False),
                                               "fp32": (8, 23, False),
                                               "fp8e5m2": (5, 2, False),
                                               "fp8e4m3": (4, 3, True)}.items():
        p = compile_text(f"alphabet a\nprecision {name}\naccept a\n").profile
        assert isinstance(p, FloatProfile)
        assert (p.exp_bits, p.man_bits, p.finite_only, p.describe()) == (
            exp_bits, man_bits, finite, name)
    p = compile_text("alphabet a\nprecision float(4, 3) sums exact rounding down\naccept a\n"
                     ).profile
    assert p.describe() == "float(4, 3) rounding down sums exact"
    assert float_profile(0, 0, "fp8e4m3").max_value == 448
    assert float_profile(0, 0, "bf16").max_value == 2**128 - 2**120


PROGRAMS = {
    "uniform_bf16": """alphabet a b
precision bf16
n = aggregate(select(global, nonstrict), a)
m = aggregate(select(global), n, default: -1)
accept n > 0.25 and m < 0.75
""",
    "scored_fp8e4m3": """alphabet a b
precision fp8e4m3
s = aggregate(select(global, score: 4 * a[j] - 3 * b[j]), a - 0.5 * b)
t = leftmost(select(global, nonstrict, score: s[j]), s, default: 1)
accept s > 0.25 or t * 448 > 96
""",
    "exact_fp8e5m2": """alphabet a b
precision fp8e5m2 sums exact
s = aggregate(select(global, score: 8 * a[j] - 3 * b[j]), 57344 * a)
u = s + s - exp(3 * s)
l = aggregate(select(local 2, nonstrict), u)
accept l > 0 or s == 57344
""",
    "saturate_down": """alphabet a b
precision float(3, 2) denominator saturate rounding down
s = aggregate(select(global, score: 2 * a[j]), a + 1)
accept s > 1
""",
}


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_enumerate_interpreter_matches_the_reference(name: str) -> None:
    program = compile_text(PROGRAMS[name])
    for length in range(7):
        words = all_words(len(program.alphabet), length)
        batch = run_batch(program, words)
        for index, row in enumerate(words):
            word = tuple(program.alphabet[k] for k in row)
            trace = run_word(program, word)
            for node_name, node_id in program.named:
                got = tuple(np.asarray(batch[node_id][index]).tolist())
                assert got == tuple(trace.row(node_name).values), (word, node_name)


def test_vanishing_a_uniform_denominator_overflows_to_inf() -> None:
    # float(3, 2): max = 14 (1.11b * 2^3); an exact Z = 15 is a tie with 16 = inf: rounds to
    # inf, so every weight of a uniform head over 15 keys is 0 (Li & Cotterell, Ass. 3.1)
    source = ("alphabet a b\nprecision float(3, 2) sums exact\n"
              "n = aggregate(select(global), a)\naccept n > 0.5\n")
    program = compile_text(source)
    assert program.profile.attention_span() == 14
    assert run_word(program, "a" * 14).accepted
    trace = run_word(program, "a" * 15)
    assert not trace.accepted and trace.values()["n"][-1] == 0
    # bf16 exact: Z = round(n) is inf from n = max + ulp/2 = 2^128 - 2^119 (a tie, odd max)
    bf16 = float_profile(0, 0, "bf16", sums="exact")
    assert bf16.attention_span() == 2**128 - 2**119 - 1
    assert floats.uniform_denominator(bf16, 2**128 - 2**119) == bf16.top_code
    assert floats.uniform_denominator(bf16, 2**128 - 2**119 - 1) == bf16.max_code
    # fp8e5m2: max 57344, Z = 61440 ties to inf
    assert float_profile(0, 0, "fp8e5m2", sums="exact").attention_span() == 61439
    # sequential sums never reach inf, saturate never vanishes, no inf in fp8e4m3
    assert float_profile(0, 0, "bf16").attention_span() is None
    assert float_profile(0, 0, "fp8e4m3", sums="exact").attention_span() is None


def test_stagnation_256_plus_1_is_256_in_bf16() -> None:
    bf16 = float_profile(0, 0, "bf16")
    assert floats.stagnation_length(bf16) == 256
    assert floats.stagnation_length(float_profile(0, 0, "fp8e5m2")) == 8
    assert floats.stagnation_length(float_profile(0, 0, "fp16")) == 2048
    ops = PyOps()
    one = bf16.encode(1)
    # a uniform head over 300 keys: Z stagnates at 256, each weight is 1/256 and the running
    # output stagnates at 1.0 (1 + 1/256 ties back to 1), while exact sums give 300/300
    output, weights = aggregate(ops, bf16, [True] * 300, None, [one] * 300, 0)
    assert set(weights) == {bf16.encode(Fraction(1, 256))} and output == one
    exact = float_profile(0, 0, "bf16", sums="exact")
    output, weights = aggregate(ops, exact, [True] * 300, None, [one] * 300, 0)
    assert set(weights) == {exact.round_raw(Fraction(1, 300))}
    assert exact.decode(output) == exact.decode(exact.round_raw(300 * exact.decode(weights[0])))
    # the same stagnation in a program: fp8e5m2, 8 + 1 rounds back to 8
    source = ("alphabet a b\nprecision fp8e5m2\n"
              "n = aggregate(select(global), a)\naccept n > 0.5\n")
    trace = run_word(compile_text(source), "a" * 12)
    assert trace.heads[0].weights[-1][:12] == (trace.heads[0].weights[-1][0],) * 12
    profile = float_profile(0, 0, "fp8e5m2")
    assert profile.decode(trace.heads[0].weights[-1][0]) == Fraction(1, 8)


def test_engines_on_a_float_program(tmp_path: Path) -> None:
    text = ("alphabet a b\nprecision fp8e4m3\n"
            "s = aggregate(select(global, score: 2 * a[j]), a)\naccept s > 0.5\n"
            'assert recognizes regex "(a|b)*a(a|b)*" up to 3\n')
    for engine in ("enumerate", "bounded"):
        result = _cli(tmp_path, text, "check", "--engine", engine)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "proved" in result.stdout
    global_head = text.replace(" up to 3", "")
    result = _cli(tmp_path, global_head, "check", "--engine", "unbounded")
    # a-keys have numerator 1, b-keys exp(-2): their rounded running sum depends on the order,
    # so the engine keeps the running sums (engines/ordered.py) and finds the shortest word
    assert result.returncode == 1 and "counterexample: bbbabbbb (length 8)" in result.stdout
    brute = _cli(tmp_path, text.replace(" up to 3", " up to 8"), "check", "--engine",
                 "enumerate")
    assert brute.returncode == 1 and "counterexample: bbbabbbb (length 8)" in brute.stdout
    wide = _cli(tmp_path, global_head.replace("fp8e4m3", "bf16"), "check", "--engine",
                "unbounded")
    assert "depends on their order" in wide.stdout
    assert "keeping the running sums instead does not fit" in wide.stdout
    assert wide.returncode == 3
    uniform = global_head.replace("score: 2 * a[j]", "where: a[j]")
    result = _cli(tmp_path, uniform, "check", "--engine", "unbounded")
    assert result.returncode == 0 and "proved" in result.stdout, result.stdout
    local = ("alphabet a b\nprecision bf16\n"
             "p = aggregate(select(local 1), a)\naccept p > 0.5\n"
             'assert recognizes regex "(a|b)*a"\n')
    result = _cli(tmp_path, local, "check", "--engine", "unbounded")
    assert result.returncode == 0 and "proved" in result.stdout, result.stdout


def test_traces_print_and_serialise_infinities_and_nan() -> None:
    import json

    import jsonschema

    from verifier.report.trace import render_trace, trace_json

    source = ("alphabet a b\nprecision fp8e5m2\nx = 57344 * (a + 1)\ny = x - x\n"
              "accept y == y\n")
    trace = run_word(compile_text(source), "ab")
    text = render_trace(trace)
    assert "inf" in text and "nan" in text
    document = trace_json(trace)
    rows = {row["name"]: row["values"] for row in document["trace"]}
    assert rows["x"] == ["inf", 57344, 57344] and rows["y"] == ["nan", 0, 0]
    assert rows["accept"] == [False, True, True]  # NaN == NaN is false
    schema = json.loads((ROOT / "docs" / "check.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    items = _find(schema, "values")["items"]
    for row in rows.values():
        for entry in row:
            jsonschema.validate(entry, items)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate("infinity", items)


def _find(node: object, key: str) -> dict[str, object]:
    """The first sub-schema under property KEY (depth first)."""
    if isinstance(node, dict):
        if key in node and isinstance(node[key], dict) and "items" in node[key]:
            return node[key]  # type: ignore[no-any-return]
        for child in node.values():
            found = _find(child, key)
            if found:
                return found
    if isinstance(node, list):
        for child in node:
            found = _find(child, key)
            if found:
                return found
    return {}
