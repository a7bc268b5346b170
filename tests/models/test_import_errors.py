"""`verifier import model WEIGHTS --config CONFIG`: a good tiny model imports (exit 0), and
every bad input (config, weights, precision, command line, claims) exits 2 with a message that
names the file and what is wrong, never a traceback or an internal error, never a hang.

The models are built here with NumPy (seeded, a few dozen weights); the tensor names and
shapes are written out from the format (MODEL_FORMAT.md), not taken from the importer.
"""

from __future__ import annotations

import copy
import io
import json
import os
import pickle
import re
import struct
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from safetensors.numpy import save_file

from verifier.cli import dispatch

ROOT = Path(__file__).resolve().parents[2]

#: A tiny model: two symbols, width 3, one layer with a global and a 1-local head and an FFN.
CONFIG: dict[str, Any] = {
    "kind": "nope-transformer",
    "vocabulary": ["a", "b", "<eos>"],
    "eos": "<eos>",
    "width": 3,
    "head_width": 2,
    "layers": [{"heads": ["global", "local 1"], "ffn_width": 2}],
    "masking": "strict",
    "activation": "relu",
    "layernorm": False,
    "score_scale": 0.5,
    "classifier": "eos",
}


def _config(**changes: Any) -> dict[str, Any]:
    config = copy.deepcopy(CONFIG)
    config.update(changes)
    return config


def _shapes(config: dict[str, Any]) -> dict[str, tuple[int, ...]]:
    """The tensors of MODEL_FORMAT.md for CONFIG, with their shapes."""
    d, dh = config["width"], config["head_width"]
    shapes: dict[str, tuple[int, ...]] = {"embedding": (len(config["vocabulary"]), d)}
    for number, layer in enumerate(config["layers"]):
        prefix = f"layers.{number}"
        heads = layer["heads"]
        for head in range(len(heads)):
            for part in ("query", "key", "value"):
                shapes[f"{prefix}.heads.{head}.{part}"] = (d, dh)
        if heads:
            shapes[f"{prefix}.attention_output"] = (len(heads) * dh, d)
            shapes[f"{prefix}.attention_output_bias"] = (d,)
        ffn = layer.get("ffn_width", 0)
        if ffn:
            shapes[f"{prefix}.ffn.hidden"] = (d, ffn)
            shapes[f"{prefix}.ffn.hidden_bias"] = (ffn,)
            shapes[f"{prefix}.ffn.output"] = (ffn, d)
            shapes[f"{prefix}.ffn.output_bias"] = (d,)
    shapes["classifier"] = (d,)
    shapes["classifier_bias"] = ()
    return shapes


def _tensors(config: dict[str, Any] | None = None, seed: int = 16) -> dict[str, np.ndarray]:
    """Seeded float32 weights in [-1, 1] for every tensor CONFIG needs."""
    rng = np.random.default_rng(seed)
    return {name: rng.uniform(-1.0, 1.0, shape).astype(np.float32)
            for name, shape in _shapes(config or CONFIG).items()}


def _save(path: Path, tensors: dict[str, np.ndarray]) -> Path:
    if path.suffix == ".safetensors":
        save_file(tensors, str(path))
    else:
        with path.open("wb") as handle:
            np.savez(handle, **tensors)  # type: ignore[arg-type]
    return path


def _model(tmp_path: Path, config: dict[str, Any] | str | None = None,
           tensors: dict[str, np.ndarray] | None = None,
           suffix: str = ".npz") -> tuple[Path, Path]:
    """(weights, config) files in TMP_PATH; CONFIG as a dict (dumped) or raw text."""
    document = CONFIG if config is None else config
    config_path = tmp_path / "config.json"
    text = document if isinstance(document, str) else json.dumps(document, indent=2)
    config_path.write_text(text, encoding="utf-8")
    if tensors is None:
        tensors = _tensors(document if isinstance(document, dict) else CONFIG)
    weights = _save(tmp_path / f"model{suffix}", tensors)
    return weights, config_path


def _cli(*argv: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = dispatch([str(a) for a in argv], out, err)
    return status, out.getvalue(), err.getvalue()


def _import(weights: Path, config: Path, *extra: str | Path) -> tuple[int, str, str]:
    return _cli("import", "model", weights, "--config", config, *extra)


def _refused(result: tuple[int, str, str], *fragments: str) -> str:
    """RESULT is exit 2 with nothing on stdout and an error holding every fragment."""
    status, out, err = result
    assert "Traceback" not in out + err
    assert "internal error" not in err, err
    assert status == 2, err
    assert out == ""
    for fragment in fragments:
        assert fragment in err, f"{fragment!r} not in {err!r}"
    return err


# --- a good model ------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".npz", ".safetensors"])
def test_good_model_imports(tmp_path: Path, suffix: str) -> None:
    weights, config = _model(tmp_path, suffix=suffix)
    status, out, err = _import(weights, config)
    assert status == 0, err
    assert "alphabet a b" in out
    assert "precision bf16" in out  # the default profile
    assert out.rstrip().endswith("accept logit > 0")
    assert "select(global" in out and "select(local 1" in out
    assert "relu(" in out


def test_npz_and_safetensors_give_the_same_program(tmp_path: Path) -> None:
    tensors = _tensors()
    (tmp_path / "npz").mkdir()
    (tmp_path / "st").mkdir()
    texts = []
    for folder, suffix in (("npz", ".npz"), ("st", ".safetensors")):
        weights, config = _model(tmp_path / folder, tensors=tensors, suffix=suffix)
        status, out, err = _import(weights, config)
        assert status == 0, err
        texts.append(out.split("\n", 2)[2])  # past the header naming the file and its hash
    assert texts[0] == texts[1]


def test_output_file_is_written(tmp_path: Path) -> None:
    weights, config = _model(tmp_path)
    target = tmp_path / "model.attn"
    status, out, err = _import(weights, config, "-o", target)
    assert status == 0, err
    assert out == ""
    assert f"wrote {target}" in err
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Imported by `verifier import model`")
    assert "accept logit > 0" in text


def test_existing_output_needs_force(tmp_path: Path) -> None:
    weights, config = _model(tmp_path)
    target = tmp_path / "model.attn"
    target.write_text("keep me\n")
    _refused(_import(weights, config, "-o", target), str(target), "exists", "--force")
    assert target.read_text() == "keep me\n"
    status, _, err = _import(weights, config, "-o", target, "--force")
    assert status == 0, err
    assert "accept logit > 0" in target.read_text()


@pytest.mark.parametrize("force", [False, True])
def test_output_equal_to_the_weights_is_refused(tmp_path: Path, force: bool) -> None:
    weights, config = _model(tmp_path)
    before = weights.read_bytes()
    same = tmp_path / "." / weights.name  # another spelling of the same file
    extra = ("--force",) if force else ()
    _refused(_import(weights, config, "-o", same, *extra), "is an input file")
    assert weights.read_bytes() == before


def test_output_equal_to_the_config_is_refused(tmp_path: Path) -> None:
    weights, config = _model(tmp_path)
    before = config.read_text()
    status, _, err = _import(weights, config, "-o", config, "--force")
    assert config.read_text() == before
    assert status == 2, err


def test_output_into_a_missing_folder(tmp_path: Path) -> None:
    weights, config = _model(tmp_path)
    target = tmp_path / "no" / "such" / "model.attn"
    _refused(_import(weights, config, "-o", target), "cannot write", str(target))


# --- the config -------------------------------------------------------------------------


def test_invalid_json_names_line_and_column(tmp_path: Path) -> None:
    text = '{\n  "vocabulary": ["a", "b", "<eos>"],\n  "eos": ,\n  "width": 3\n}\n'
    weights, config = _model(tmp_path, text)
    _refused(_import(weights, config), f"{config}:3:10", "invalid JSON")


def test_config_errors_do_not_mention_an_offset(tmp_path: Path) -> None:
    weights, config = _model(tmp_path, '{"width": }')
    err = _refused(_import(weights, config), f"{config}:1:")
    assert "offset" not in err


@pytest.mark.parametrize(("text", "kind"), [
    ("[1, 2]", "an array"), ('"model"', "a string"), ("3", "a number"), ("null", "null")])
def test_config_not_an_object(tmp_path: Path, text: str, kind: str) -> None:
    weights, config = _model(tmp_path, text)
    _refused(_import(weights, config), str(config), "JSON object", kind)


def test_config_unreadable(tmp_path: Path) -> None:
    weights, _ = _model(tmp_path)
    missing = tmp_path / "nothing.json"
    _refused(_import(weights, missing), str(missing), "no such file")
    folder = tmp_path / "folder.json"
    folder.mkdir()
    _refused(_import(weights, folder), str(folder), "not a regular file")
    binary = tmp_path / "binary.json"
    binary.write_bytes(b'{"eos": "\xff"}')
    _refused(_import(weights, binary), str(binary), "UTF-8")


def test_config_duplicate_key(tmp_path: Path) -> None:
    text = json.dumps(CONFIG)[:-1] + ', "width": 4}'
    weights, config = _model(tmp_path, text)
    _refused(_import(weights, config), str(config), "'width'", "twice")


@pytest.mark.parametrize(("changes", "fragments"), [
    ({"dropout": 0.1}, ["'dropout'", "unexpected"]),
    ({"layers": [{"heads": ["global"], "ffn_width": 2, "bias": True}]},
     ["layers[0]", "'bias'"]),
    ({"kind": "gpt2"}, ["kind", "nope-transformer"]),
    ({"masking": "causal"}, ["masking", "'causal'"]),
    ({"width": "3"}, ["width", "integer"]),
    ({"vocabulary": ["a", 1, "<eos>"]}, ["vocabulary[1]", "string"]),
    ({"layers": [{"heads": "global"}]}, ["layers[0].heads", "array"]),
    ({"layers": [{"heads": ["global"], "ffn_width": -1}]}, ["layers[0].ffn_width", "-1"]),
    ({"score_scale": 0}, ["score_scale"]),
], ids=["unknown-field", "unknown-layer-field", "kind", "masking", "width-string",
        "vocabulary-int", "heads-string", "ffn-negative", "score-scale-zero"])
def test_config_schema(tmp_path: Path, changes: dict[str, Any], fragments: list[str]) -> None:
    weights, config = _model(tmp_path, _config(**changes), tensors=_tensors())
    _refused(_import(weights, config), str(config), *fragments)


def test_config_missing_field(tmp_path: Path) -> None:
    document = _config()
    del document["width"]
    weights, config = _model(tmp_path, document, tensors=_tensors())
    _refused(_import(weights, config), str(config), "'width'", "required")


@pytest.mark.parametrize(("head", "where"), [
    ("local 0", "layers[0].heads[1]"), ("sliding", "layers[0].heads[1]"),
    ("local", "layers[0].heads[1]"), ("local -1", "layers[0].heads[1]"),
    ("Global", "layers[0].heads[1]")])
def test_bad_head_scope(tmp_path: Path, head: str, where: str) -> None:
    document = _config(layers=[{"heads": ["global", head], "ffn_width": 2}])
    weights, config = _model(tmp_path, document, tensors=_tensors())
    _refused(_import(weights, config), str(config), where, repr(head))


def test_eos_not_in_vocabulary(tmp_path: Path) -> None:
    weights, config = _model(tmp_path, _config(eos="</s>"), tensors=_tensors())
    _refused(_import(weights, config), str(config), "eos", "'</s>'", "vocabulary")


@pytest.mark.parametrize("symbol", ["a b", "a\tb", "a\u00a0b"])
def test_vocabulary_symbol_with_whitespace(tmp_path: Path, symbol: str) -> None:
    document = _config(vocabulary=[symbol, "c", "<eos>"])
    weights, config = _model(tmp_path, document)
    _refused(_import(weights, config), str(config), "vocabulary", repr(symbol), "whitespace")


def test_vocabulary_symbol_named_eos(tmp_path: Path) -> None:
    document = _config(vocabulary=["eos", "b", "<eos>"])
    weights, config = _model(tmp_path, document)
    _refused(_import(weights, config), str(config), "vocabulary", "'eos'")


def test_eos_token_may_be_called_eos(tmp_path: Path) -> None:
    document = _config(vocabulary=["a", "b", "eos"], eos="eos")
    weights, config = _model(tmp_path, document)
    status, out, err = _import(weights, config)
    assert status == 0, err
    assert "alphabet a b" in out


@pytest.mark.parametrize("symbol", ["logit", "h0_0", "s1_0", "a1_1_1", "f1_0", "r1_2"])
def test_symbol_colliding_with_a_generated_sop(tmp_path: Path, symbol: str) -> None:
    document = _config(vocabulary=[symbol, "b", "<eos>"])
    weights, config = _model(tmp_path, document)
    _refused(_import(weights, config), str(config), "vocabulary", repr(symbol), "s-op")


@pytest.mark.parametrize("symbol", ["if", "select", "<a>", "0"])
def test_awkward_symbols_are_quoted(tmp_path: Path, symbol: str) -> None:
    document = _config(vocabulary=[symbol, "b", "<eos>"])
    weights, config = _model(tmp_path, document)
    status, _, err = _import(weights, config)
    assert status == 0, err


def test_layernorm_refused(tmp_path: Path) -> None:
    weights, config = _model(tmp_path, _config(layernorm=True), tensors=_tensors())
    _refused(_import(weights, config), str(config), "layernorm", "LayerNorm")


@pytest.mark.parametrize("activation", ["gelu", "tanh", "ReLU"])
def test_activation_refused(tmp_path: Path, activation: str) -> None:
    weights, config = _model(tmp_path, _config(activation=activation), tensors=_tensors())
    _refused(_import(weights, config), str(config), "activation", repr(activation), "relu")


def test_classifier_mean_refused(tmp_path: Path) -> None:
    weights, config = _model(tmp_path, _config(classifier="mean"), tensors=_tensors())
    _refused(_import(weights, config), str(config), "classifier", "'mean'", "eos")


def test_absurd_width(tmp_path: Path) -> None:
    weights, config = _model(tmp_path, _config(width=100000), tensors=_tensors())
    _refused(_import(weights, config), str(config), "width", "100000", "256")


@pytest.mark.parametrize("window", [100, 1000])
def test_absurd_local_window(tmp_path: Path, window: int) -> None:
    document = _config(layers=[{"heads": ["global", f"local {window}"], "ffn_width": 2}])
    weights, config = _model(tmp_path, document, tensors=_tensors())
    err = _refused(_import(weights, config), str(config), "layers[0].heads[1]")
    if window == 100:
        assert "at most 64" in err


def test_too_many_sops(tmp_path: Path) -> None:
    # 16 heads of width 256 in each of two layers: about 33 000 s-ops. Refused from the
    # config alone, before a (here mismatched) weight file is read.
    document = _config(width=8, head_width=256,
                       layers=[{"heads": ["global"] * 16}, {"heads": ["global"] * 16}])
    weights, config = _model(tmp_path, document, tensors=_tensors())
    _refused(_import(weights, config), str(config), "s-ops", "20000")


@pytest.mark.parametrize("changes", [
    {"width": 3.0}, {"head_width": 2.0},
    {"layers": [{"heads": ["global", "local 1"], "ffn_width": 2.0}]}],
    ids=["width", "head_width", "ffn_width"])
def test_float_valued_integer_field(tmp_path: Path, changes: dict[str, Any]) -> None:
    """JSON Schema's "integer" admits 4.0: a whole float reads as that integer."""
    whole = {key: (int(value) if isinstance(value, float) else value)
             for key, value in changes.items()}
    if "layers" in changes:
        whole = {"layers": [{"heads": ["global", "local 1"], "ffn_width": 2}]}
    weights, config = _model(tmp_path, _config(**changes), tensors=_tensors())
    status, out, err = _import(weights, config)
    assert status == 0, err
    weights, config = _model(tmp_path, _config(**whole), tensors=_tensors())
    assert _import(weights, config)[1] == out


@pytest.mark.parametrize("literal", ["1e400", "NaN", "Infinity"])
def test_non_finite_score_scale(tmp_path: Path, literal: str) -> None:
    text = json.dumps(CONFIG).replace('"score_scale": 0.5', f'"score_scale": {literal}')
    assert literal in text
    weights, config = _model(tmp_path, text)
    _refused(_import(weights, config), str(config), "score_scale")


# --- the weights ------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".npz", ".safetensors"])
def test_missing_tensor(tmp_path: Path, suffix: str) -> None:
    tensors = _tensors()
    del tensors["layers.0.heads.1.key"]
    weights, config = _model(tmp_path, tensors=tensors, suffix=suffix)
    _refused(_import(weights, config), str(weights), "missing", "'layers.0.heads.1.key'",
             "[3, 2]")


def test_missing_scalar_tensor(tmp_path: Path) -> None:
    tensors = _tensors()
    del tensors["classifier_bias"]
    weights, config = _model(tmp_path, tensors=tensors)
    _refused(_import(weights, config), str(weights), "'classifier_bias'", "[]")


@pytest.mark.parametrize(("name", "shape", "expected"), [
    ("layers.0.ffn.hidden", (2, 3), "[3, 2]"),
    ("embedding", (4, 3), "[3, 3]"),
    ("layers.0.attention_output", (2, 3), "[4, 3]"),
    ("classifier_bias", (2,), "[]"),
])
def test_wrong_shape(tmp_path: Path, name: str, shape: tuple[int, ...], expected: str) -> None:
    tensors = _tensors()
    tensors[name] = np.zeros(shape, np.float32)
    weights, config = _model(tmp_path, tensors=tensors)
    found = "[" + ", ".join(map(str, shape)) + "]"
    _refused(_import(weights, config), str(weights), repr(name), found, expected)


def test_scalar_bias_of_one_element_is_accepted(tmp_path: Path) -> None:
    tensors = _tensors()
    tensors["classifier_bias"] = np.array([0.25], np.float32)
    weights, config = _model(tmp_path, tensors=tensors)
    status, out, err = _import(weights, config)
    assert status == 0, err
    assert "0.25" in out.split("logit = ", 1)[1]


def test_unexpected_norm_tensor_mentions_layernorm(tmp_path: Path) -> None:
    tensors = _tensors()
    tensors["layers.0.norm.weight"] = np.ones(3, np.float32)
    weights, config = _model(tmp_path, tensors=tensors)
    _refused(_import(weights, config), str(weights), "unexpected", "'layers.0.norm.weight'",
             "LayerNorm")


def test_unexpected_tensor(tmp_path: Path) -> None:
    tensors = _tensors()
    tensors["layers.1.heads.0.query"] = np.ones((3, 2), np.float32)  # a layer not configured
    weights, config = _model(tmp_path, tensors=tensors)
    _refused(_import(weights, config), str(weights), "unexpected", "'layers.1.heads.0.query'")


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.bool_, np.complex64])
def test_non_float_dtype(tmp_path: Path, dtype: Any) -> None:
    tensors = _tensors()
    tensors["embedding"] = np.ones((3, 3), dtype)
    weights, config = _model(tmp_path, tensors=tensors)
    _refused(_import(weights, config), str(weights), "'embedding'", np.dtype(dtype).name,
             "floating point")


def test_integer_dtype_in_safetensors(tmp_path: Path) -> None:
    tensors = _tensors()
    tensors["classifier"] = np.ones(3, np.int64)
    weights, config = _model(tmp_path, tensors=tensors, suffix=".safetensors")
    _refused(_import(weights, config), str(weights), "'classifier'", "int64")


def test_float16_weights_are_read(tmp_path: Path) -> None:
    tensors = {name: value.astype(np.float16) for name, value in _tensors().items()}
    weights, config = _model(tmp_path, tensors=tensors, suffix=".safetensors")
    status, _, err = _import(weights, config)
    assert status == 0, err


def _safetensors_bytes(tensors: dict[str, tuple[str, list[int], bytes]]) -> bytes:
    header: dict[str, Any] = {}
    body = b""
    for name, (dtype, shape, data) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape,
                        "data_offsets": [len(body), len(body) + len(data)]}
        body += data
    encoded = json.dumps(header).encode()
    return struct.pack("<Q", len(encoded)) + encoded + body


def test_bfloat16_safetensors(tmp_path: Path) -> None:
    raw = {}
    for name, value in _tensors().items():
        bits = (value.astype(np.float32).view(np.uint32) >> 16).astype(np.uint16)
        raw[name] = ("BF16", list(value.shape), bits.tobytes())
    weights, config = _model(tmp_path)
    weights = tmp_path / "bf16.safetensors"
    weights.write_bytes(_safetensors_bytes(raw))
    status, out, err = _import(weights, config)
    assert status == 0, err
    # bf16 values widen exactly: the program equals the one of the same values in float32
    widened = {name: (bits.astype(np.uint32) << 16).view(np.float32).reshape(shape)
               for name, (_, shape, data) in raw.items()
               for bits in [np.frombuffer(data, dtype="<u2")]}
    reference = tmp_path / "f32.npz"
    np.savez(reference, **widened)  # type: ignore[arg-type]
    _, expected, _ = _import(reference, config)
    assert out.split("\n", 1)[1] == expected.split("\n", 1)[1]


@pytest.mark.parametrize(("value", "index", "shown"), [
    (np.nan, (2, 1), "nan"), (np.inf, (0, 2), "inf"), (-np.inf, (3, 0), "-inf")])
@pytest.mark.parametrize("suffix", [".npz", ".safetensors"])
def test_non_finite_weight(tmp_path: Path, suffix: str, value: float,
                           index: tuple[int, int], shown: str) -> None:
    tensors = _tensors()
    tensors["layers.0.attention_output"][index] = value
    weights, config = _model(tmp_path, tensors=tensors, suffix=suffix)
    _refused(_import(weights, config), str(weights), "'layers.0.attention_output'", shown,
             f"[{index[0]}, {index[1]}]", "finite")


class _Payload:
    """Unpickling this creates the folder MARKER: proof that a file was unpickled."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return os.mkdir, (str(self.marker),)


def test_pickled_object_array_in_npz_is_not_unpickled(tmp_path: Path) -> None:
    marker = tmp_path / "unpickled"
    tensors: dict[str, Any] = dict(_tensors())
    payload = np.empty(1, dtype=object)
    payload[0] = _Payload(marker)
    tensors["embedding"] = payload
    weights = tmp_path / "model.npz"
    with weights.open("wb") as handle:
        np.savez(handle, **tensors)
    config = tmp_path / "config.json"
    config.write_text(json.dumps(CONFIG))
    _refused(_import(weights, config), str(weights), "not a readable .npz")
    assert not marker.exists()


def _raw_pickle_npz(tmp_path: Path) -> tuple[Path, Path, Path]:
    """An .npz whose 'embedding.npy' member is a bare pickle (no .npy header)."""
    marker = tmp_path / "unpickled"
    weights, config = _model(tmp_path)
    with zipfile.ZipFile(weights, "a") as archive:
        archive.writestr("payload.npy", pickle.dumps(_Payload(marker)))
    return weights, config, marker


def test_bare_pickle_member_in_npz_is_not_unpickled(tmp_path: Path) -> None:
    weights, config, marker = _raw_pickle_npz(tmp_path)
    status, _, err = _import(weights, config)
    assert not marker.exists()
    assert status != 0, err


def test_bare_pickle_member_in_npz_is_refused(tmp_path: Path) -> None:
    weights, config, _ = _raw_pickle_npz(tmp_path)
    _refused(_import(weights, config), str(weights), "payload")


def test_single_npy_array_named_npz(tmp_path: Path) -> None:
    _, config = _model(tmp_path)
    weights = tmp_path / "array.npz"
    with weights.open("wb") as handle:
        np.save(handle, np.zeros(3, np.float32))
    _refused(_import(weights, config), str(weights), "single array")


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


@pytest.mark.parametrize(("suffix", "mangle", "fragment"), [
    (".safetensors", lambda data: data[:100], "safetensors"),
    (".safetensors", lambda data: data[:-8], "safetensors"),
    (".safetensors", lambda data: b"hello, not a tensor file", "safetensors"),
    (".safetensors", lambda data: b"", "safetensors"),
    (".safetensors", lambda data: struct.pack("<Q", 1 << 62) + b"{}", "safetensors"),
    (".npz", _truncated, ".npz"),
    (".npz", lambda data: b"PK\x03\x04" + b"garbage" * 10, ".npz"),
    (".npz", lambda data: b"random bytes, not an archive", ".npz"),
    (".npz", lambda data: b"", ".npz"),
], ids=["st-header-cut", "st-body-cut", "st-garbage", "st-empty", "st-huge-header",
        "npz-truncated", "npz-bad-zip", "npz-garbage", "npz-empty"])
def test_malformed_weight_file(tmp_path: Path, suffix: str, mangle: Any, fragment: str) -> None:
    weights, config = _model(tmp_path, suffix=suffix)
    weights.write_bytes(mangle(weights.read_bytes()))
    _refused(_import(weights, config), str(weights), fragment)


@pytest.mark.parametrize("name", ["model.h5", "model.onnx", "model"])
def test_unknown_suffix(tmp_path: Path, name: str) -> None:
    _, config = _model(tmp_path)
    weights = tmp_path / name
    weights.write_bytes(b"\x89HDF\r\n\x1a\n")
    _refused(_import(weights, config), str(weights), "unknown weight file type",
             ".safetensors")


def test_weights_that_are_a_folder(tmp_path: Path) -> None:
    _, config = _model(tmp_path)
    folder = tmp_path / "folder.npz"
    folder.mkdir()
    _refused(_import(folder, config), str(folder), "not a regular file")


def test_missing_weights(tmp_path: Path) -> None:
    _, config = _model(tmp_path)
    missing = tmp_path / "absent.safetensors"
    _refused(_import(missing, config), str(missing), "no such file")


def test_oversized_weights(tmp_path: Path) -> None:
    _, config = _model(tmp_path)
    big = tmp_path / "big.npz"
    with big.open("wb") as handle:
        handle.truncate(65 << 20)  # sparse: nothing is written
    _refused(_import(big, config), str(big), "larger than")


def _subprocess_import(*argv: str | Path) -> subprocess.CompletedProcess[str]:
    """The real command in a child process, killed after 60 s: a hang fails the test."""
    return subprocess.run([sys.executable, "-m", "verifier", "import", "model",
                           *map(str, argv)], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, check=False)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("which", ["weights", "config"])
def test_fifo_does_not_hang(tmp_path: Path, which: str) -> None:
    weights, config = _model(tmp_path)
    fifo = tmp_path / ("fifo.npz" if which == "weights" else "fifo.json")
    os.mkfifo(fifo)
    argv = (fifo, "--config", config) if which == "weights" else (weights, "--config", fifo)
    result = _subprocess_import(*argv)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert str(fifo) in result.stderr
    assert "not a regular file" in result.stderr


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_device_does_not_hang(tmp_path: Path) -> None:
    _, config = _model(tmp_path)
    result = _subprocess_import("/dev/zero", "--config", config)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "/dev/zero" in result.stderr


def _torch_importable() -> bool:
    try:
        import torch  # type: ignore[import-not-found, unused-ignore]  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.skipif(_torch_importable(), reason="PyTorch is installed")
@pytest.mark.parametrize("suffix", [".pt", ".pth", ".bin"])
def test_torch_file_without_torch(tmp_path: Path, suffix: str) -> None:
    _, config = _model(tmp_path)
    weights = tmp_path / f"model{suffix}"
    weights.write_bytes(pickle.dumps({"embedding": [[0.0]]}))
    _refused(_import(weights, config), str(weights), "PyTorch", ".safetensors")


# --- precision --------------------------------------------------------------------------


def _with_weight(name: str, index: tuple[int, ...], value: float) -> dict[str, np.ndarray]:
    tensors = _tensors()
    tensors[name][index] = value
    return tensors


def test_overflow_in_fp16_names_the_weight(tmp_path: Path) -> None:
    weights, config = _model(tmp_path, tensors=_with_weight("classifier", (1,), 1e5))
    _refused(_import(weights, config, "--precision", "fp16"), str(weights), "classifier[1]",
             "overflows", "fp16")


def test_overflow_in_fp8e4m3_names_the_weight(tmp_path: Path) -> None:
    tensors = _with_weight("layers.0.ffn.hidden", (1, 0), 1000.0)
    weights, config = _model(tmp_path, tensors=tensors)
    _refused(_import(weights, config, "--precision", "fp8e4m3"), str(weights),
             "layers.0.ffn.hidden[1, 0]", "1000")


def test_overflow_toward_zero_names_the_weight(tmp_path: Path) -> None:
    weights, config = _model(tmp_path, tensors=_with_weight("classifier", (1,), 1e5))
    _refused(_import(weights, config, "--precision", "fp16 rounding toward_zero"),
             str(weights), "classifier[1]")


def test_fp8e4m3_in_range_imports(tmp_path: Path) -> None:
    weights, config = _model(tmp_path)
    status, out, err = _import(weights, config, "--precision", "fp8e4m3")
    assert status == 0, err
    assert "precision fp8e4m3" in out


def test_fixed_point_out_of_range(tmp_path: Path) -> None:
    weights, config = _model(tmp_path, tensors=_with_weight("classifier", (2,), 20.0))
    _refused(_import(weights, config, "--precision", "fixed(4, 4)"), str(weights),
             "classifier[2]", "20", "outside", "fixed(4, 4)")


def test_fixed_point_in_range_imports(tmp_path: Path) -> None:
    weights, config = _model(tmp_path)
    status, out, err = _import(weights, config, "--precision", "fixed(4, 4)")
    assert status == 0, err
    assert "precision fixed(4, 4)" in out


@pytest.mark.parametrize("profile", ["nonsense", "fixed(4)", "float(0, 0)", ""])
def test_bad_precision(tmp_path: Path, profile: str) -> None:
    weights, config = _model(tmp_path)
    _refused(_import(weights, config, "--precision", profile), "--precision")


# --- the command line -------------------------------------------------------------------


def test_model_needs_config(tmp_path: Path) -> None:
    weights, _ = _model(tmp_path)
    _refused(_cli("import", "model", weights), "--config")


@pytest.mark.parametrize("extra", [("--config", "x.json"), ("--precision", "bf16"),
                                   ("--assert", 'recognizes regex "a*" up to 2')])
def test_brasp_refuses_model_options(tmp_path: Path, extra: tuple[str, str]) -> None:
    source = tmp_path / "p.brasp"
    source.write_text("P = Q_a\n")
    _refused(_cli("import", "brasp", source, *extra), extra[0], "import model only")


# --- claims -----------------------------------------------------------------------------


def _check(path: Path) -> tuple[int, str, str]:
    return _cli("check", path, "--quiet")


def test_assert_lands_in_output_and_checks(tmp_path: Path) -> None:
    document = _config(width=2, head_width=1, layers=[{"heads": ["global"], "ffn_width": 1}])
    weights, config = _model(tmp_path, document)
    target = tmp_path / "model.attn"
    claim = 'recognizes regex "(ab)*" up to 4'
    status, _, err = _import(weights, config, "-o", target, "--assert", claim)
    assert status == 0, err
    assert f"assert {claim}" in target.read_text().splitlines()
    status, out, err = _check(target)
    verdict = re.search(r"(\d+) proved, (\d+) refuted, (\d+) unknown", out)
    assert verdict is not None, out + err
    proved, refuted = int(verdict[1]), int(verdict[2])
    assert proved + refuted == 1, out
    assert status == (0 if proved else 1), out + err


def test_assert_proved_on_an_accept_all_model(tmp_path: Path) -> None:
    tensors = {name: np.zeros_like(value) for name, value in _tensors().items()}
    tensors["classifier_bias"] = np.array(1.0, np.float32)  # logit 1 on every word
    weights, config = _model(tmp_path, tensors=tensors)
    target = tmp_path / "model.attn"
    status, _, err = _import(weights, config, "-o", target,
                             "--assert", 'recognizes regex "(a|b)*" up to 4',
                             "--assert", 'accepts "abba"')
    assert status == 0, err
    status, out, err = _check(target)
    assert status == 0, out + err
    assert "2 proved, 0 refuted" in out


@pytest.mark.parametrize(("claim", "fragment"), [
    ('recognizes regex "(ab" up to 4', "regex"),
    ("blah blah", "blah"),
    ('recognizes regex "(xy)*" up to 4', "unknown symbol 'x'"),
    ("recognizes", "--assert 'recognizes'"),
])
def test_malformed_assert(tmp_path: Path, claim: str, fragment: str) -> None:
    weights, config = _model(tmp_path)
    target = tmp_path / "model.attn"
    _refused(_import(weights, config, "-o", target, "--assert", claim), fragment)
    assert not target.exists()


def test_assert_with_a_newline_is_refused(tmp_path: Path) -> None:
    weights, config = _model(tmp_path)
    claim = 'recognizes regex "(ab)*" up to 4\nextra = 1'
    _refused(_import(weights, config, "--assert", claim), "--assert")


def test_pytorch_state_dict_imports_like_safetensors(tmp_path: Path) -> None:
    """Runs where the `torch` extra is installed (skipped otherwise): a state_dict of float32
    or bfloat16 tensors gives the program of the same weights in safetensors."""
    torch = pytest.importorskip("torch")
    tensors = _tensors()
    weights, config = _model(tmp_path, tensors=tensors, suffix=".safetensors")
    status, expected, err = _import(weights, config)
    assert status == 0, err
    for dtype in (torch.float32, torch.bfloat16):
        path = tmp_path / f"w_{str(dtype).split('.')[-1]}.pt"
        state = {k: torch.from_numpy(np.ascontiguousarray(v, np.float32)).to(dtype)
                 for k, v in tensors.items()}
        torch.save(state, path)
        status, out, err = _import(path, config)
        assert status == 0, err
        if dtype == torch.float32:
            assert out.split("\n", 1)[1] == expected.split("\n", 1)[1]
    torch.save([1, 2], tmp_path / "list.pt")
    _refused(_import(tmp_path / "list.pt", config), "state_dict")


def test_messages_a_first_user_needed(tmp_path: Path) -> None:
    """The wording found poor by a first user: each names the real cause."""
    weights, config = _model(tmp_path, _config(layers=[{"heads": ["Global"], "ffn_width": 2}]))
    _refused(_import(weights, config), "'Global' is not a head: write 'global' or 'local K'")
    weights, config = _model(tmp_path, _config(score_scale=-1))
    _refused(_import(weights, config), "score_scale: must be positive")
    weights, config = _model(tmp_path, _config(activation="ReLU"))
    _refused(_import(weights, config), '"relu" (lower case)')
    # bfloat16 through np.savez is a raw 2-byte void dtype
    raw = {k: (v.astype(np.float32).view(np.uint32) >> 16).astype(np.uint16).view("V2")
           for k, v in _tensors().items()}
    bf16 = tmp_path / "bf16.npz"
    np.savez(bf16, **raw)  # type: ignore[arg-type]
    _, config = _model(tmp_path)
    _refused(_import(bf16, config), "NumPy stores bfloat16")
    # a safetensors file under an .npz name, and the other way round
    real, _ = _model(tmp_path, suffix=".safetensors")
    renamed = tmp_path / "st.npz"
    renamed.write_bytes(real.read_bytes())
    err = _refused(_import(renamed, config), "looks like a safetensors file")
    assert "allow_pickle" not in err
    real, _ = _model(tmp_path)
    renamed = tmp_path / "npz.safetensors"
    renamed.write_bytes(real.read_bytes())
    _refused(_import(renamed, config), "looks like a zip archive")
    # a misnamed tensor is shown next to the one that is missing
    tensors = _tensors()
    tensors["layers.0.heads.0.Wq"] = tensors.pop("layers.0.heads.0.query")
    weights, config = _model(tmp_path, tensors=tensors)
    _refused(_import(weights, config), "missing tensor 'layers.0.heads.0.query'",
             "'layers.0.heads.0.Wq'")
