"""`verifier import model` computes the network: on random configs and weights whose logit
varies with the word (measured: 60 seeded random models, 44 accept a constant language up to
length 5 and 3 are decided by the empty word, yet their logits still vary with the word; the
test compares logit values, not verdicts, and drops only networks with one logit), the imported
program's logit (run by the batch interpreter) equals an independent float64 forward pass
(tests/models/reference.py) up to the profile's rounding, and the single-word interpreter
agrees with the batch one."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from models.reference import forward
from verifier.check.profile import parse_profile
from verifier.interop.model import import_model, logits
from verifier.interp import run_word
from verifier.ir.lower import lower
from verifier.pipeline import check_text

WORDS = [''.join(w) for n in range(6) for w in itertools.product("ab", repeat=n)]

SCOPES = st.sampled_from(["global", "local 1", "local 2", "local 3"])
LAYER = st.fixed_dictionaries({"heads": st.lists(SCOPES, max_size=2),
                               "ffn_width": st.integers(0, 3)})
CONFIG = st.fixed_dictionaries({
    "vocabulary": st.just(["a", "b", "<eos>"]), "eos": st.just("<eos>"),
    "width": st.integers(2, 4), "head_width": st.integers(1, 2),
    "layers": st.lists(LAYER, min_size=1, max_size=2),
    "masking": st.sampled_from(["strict", "nonstrict"]),
    "score_scale": st.sampled_from([0.25, 0.5, 1.0])})


def _tensors(config: dict[str, Any], seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    d, dh = config["width"], config["head_width"]
    tensors = {"embedding": rng.normal(size=(3, d)), "classifier": rng.normal(size=d),
               "classifier_bias": np.array(rng.normal())}
    for number, layer in enumerate(config["layers"]):
        prefix, heads, ffn = f"layers.{number}", len(layer["heads"]), layer["ffn_width"]
        for head in range(heads):
            for part in ("query", "key", "value"):
                tensors[f"{prefix}.heads.{head}.{part}"] = rng.normal(size=(d, dh))
        if heads:
            tensors[f"{prefix}.attention_output"] = rng.normal(size=(heads * dh, d))
            tensors[f"{prefix}.attention_output_bias"] = rng.normal(size=d)
        if ffn:
            tensors[f"{prefix}.ffn.hidden"] = rng.normal(size=(d, ffn))
            tensors[f"{prefix}.ffn.hidden_bias"] = rng.normal(size=ffn)
            tensors[f"{prefix}.ffn.output"] = rng.normal(size=(ffn, d))
            tensors[f"{prefix}.ffn.output_bias"] = rng.normal(size=d)
    return {k: np.asarray(v, dtype=np.float32) for k, v in tensors.items()}


def _write(tmp: Path, config: dict[str, Any], seed: int) -> tuple[Path, Path, dict[str, Any]]:
    tensors = _tensors(config, seed)
    weights, config_path = tmp / f"w{seed}.npz", tmp / f"c{seed}.json"
    np.savez(weights, **tensors)  # type: ignore[arg-type]
    config_path.write_text(json.dumps(config))
    return weights, config_path, {k: v.astype(np.float64) for k, v in tensors.items()}


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(config=CONFIG, seed=st.integers(0, 10_000))
def test_imported_program_computes_the_network(tmp_path: Path, config: dict[str, Any],
                                               seed: int) -> None:
    weights, config_path, tensors = _write(tmp_path, config, seed)
    model = import_model(weights, config_path, parse_profile("fp16"))
    program = lower(check_text(model.text, "<model>", tmp_path))
    got = np.array(logits(program, [tuple(w) for w in WORDS]))
    # the oracle runs on the fp16-rounded weights, so only activation rounding differs
    rounded = {k: v.astype(np.float16).astype(np.float64) for k, v in tensors.items()}
    want = np.array([forward(config, rounded, w) for w in WORDS])
    # a network whose logit is the same on every word (no head reads the word) tests little
    assume(np.ptp(want) > 1e-6)
    scale = 1 + np.abs(want).max()
    assert np.all(np.isfinite(got))
    assert np.abs(got - want).max() <= 0.01 * scale, (model.text, got, want)


def test_batch_and_single_word_interpreters_agree_on_an_imported_model(tmp_path: Path) -> None:
    config = {"vocabulary": ["a", "b", "<eos>"], "eos": "<eos>", "width": 3, "head_width": 2,
              "layers": [{"heads": ["global", "local 1"], "ffn_width": 2},
                         {"heads": ["local 2"], "ffn_width": 0}], "score_scale": 0.5}
    weights, config_path, _ = _write(tmp_path, config, 7)
    model = import_model(weights, config_path, parse_profile("bf16"))
    program = lower(check_text(model.text, "<model>", tmp_path))
    batch = logits(program, [tuple(w) for w in WORDS])
    for word, value in zip(WORDS, batch, strict=True):
        trace = run_word(program, tuple(word))
        assert float(trace.values()["logit"][-1]) == value
        assert trace.accepted == (value > 0)


def test_weights_are_rounded_once_to_the_profile(tmp_path: Path) -> None:
    config = {"vocabulary": ["a", "b", "<eos>"], "eos": "<eos>", "width": 2, "head_width": 1,
              "layers": [{"heads": [], "ffn_width": 0}], "score_scale": 1.0}
    weights = tmp_path / "w.npz"
    np.savez(weights, embedding=np.array([[1 + 2**-9, 0.1], [3.0, 0], [0, 0]], np.float32),
             classifier=np.array([1.0, 2**-140], np.float32),
             classifier_bias=np.array(0.0, np.float32))
    (tmp_path / "c.json").write_text(json.dumps(config))
    model = import_model(weights, tmp_path / "c.json", parse_profile("bf16"))
    # 1 + 2^-9 is a tie between 1 and 1 + 2^-7 in bf16: nearest even gives 1; 2^-140 is
    # below half of bf16's smallest subnormal (2^-133): flushed to zero
    assert "h0_0 = if eos then 0 else if a then 1 else 3\n" in model.text
    assert "h0_1 = if eos then 0 else if a then 0.10009765625 else 0\n" in model.text
    assert "logit = h0_0\n" in model.text
    assert model.rounding.flushed == 1
    assert model.rounding.weights == 9
