"""A trained model's files: its config (JSON) and its weights (safetensors, NumPy `.npz` or a
PyTorch `state_dict`), read and checked against each other (docs/models.md, issue 16).

Every problem is a UsageError naming the file and what was expected (the JSON path of a config
field, the tensor's name and shape), so the command line prints it and exits 2.
"""

from __future__ import annotations

import io
import json
import math
import struct
import zipfile
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np
import numpy.typing as npt

from verifier.errors import UsageError
from verifier.files import UnreadableFile, read_bytes
from verifier.langs.dfa_json import read_json
from verifier.langs.errors import LanguageError

#: The largest weight file read (bytes): the models this importer serves are tiny.
MAX_WEIGHT_BYTES = 64 << 20
#: The most s-ops an imported program may have (one per residual coordinate and layer, and
#: one per projected coordinate of every head and FFN unit).
MAX_SOPS = 20_000
#: The widest local window (the mission's k-local heads reach 64).
MAX_WINDOW = 64

Array = npt.NDArray[np.float64]

SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["vocabulary", "eos", "width", "head_width", "layers"],
    "properties": {
        "kind": {"const": "nope-transformer"},
        "vocabulary": {"type": "array", "minItems": 2, "maxItems": 64, "uniqueItems": True,
                       "items": {"type": "string", "minLength": 1, "maxLength": 40}},
        "eos": {"type": "string"},
        "width": {"type": "integer", "minimum": 1, "maximum": 256},
        "head_width": {"type": "integer", "minimum": 1, "maximum": 256},
        "layers": {"type": "array", "maxItems": 16, "items": {
            "type": "object", "additionalProperties": False, "required": ["heads"],
            "properties": {
                "heads": {"type": "array", "maxItems": 16, "items": {
                    "type": "string", "pattern": "^(global|local [1-9][0-9]{0,2})$"}},
                "ffn_width": {"type": "integer", "minimum": 0, "maximum": 1024}}}},
        "masking": {"enum": ["strict", "nonstrict"]},
        "activation": {"type": "string"},
        "layernorm": {"type": "boolean"},
        "score_scale": {"type": "number", "exclusiveMinimum": 0},
        "classifier": {"type": "string"},
    },
}


@dataclass(frozen=True)
class Head:
    """One attention head: global (`window` None) or k-local (`window` = k ≥ 1)."""

    window: int | None

    @property
    def scope(self) -> str:
        """The head's selector scope as `.attn` writes it: `global` or `local K`."""
        return "global" if self.window is None else f"local {self.window}"


@dataclass(frozen=True)
class Layer:
    """One transformer layer: its heads (all reading the same residual stream) and its FFN."""

    heads: tuple[Head, ...]
    ffn_width: int


@dataclass(frozen=True)
class ModelConfig:
    """A causal NoPE transformer's shape (docs/models.md, "config.json")."""

    vocabulary: tuple[str, ...]
    eos: str
    width: int
    head_width: int
    layers: tuple[Layer, ...]
    nonstrict: bool
    score_scale: Fraction

    @property
    def alphabet(self) -> tuple[str, ...]:
        """The input symbols: the vocabulary without eos, in order."""
        return tuple(token for token in self.vocabulary if token != self.eos)

    def shapes(self) -> dict[str, tuple[int, ...]]:
        """Every tensor the weight file must hold, with its shape (row-vector convention)."""
        d, dh = self.width, self.head_width
        shapes: dict[str, tuple[int, ...]] = {"embedding": (len(self.vocabulary), d)}
        for number, layer in enumerate(self.layers):
            prefix = f"layers.{number}"
            for head in range(len(layer.heads)):
                for part in ("query", "key", "value"):
                    shapes[f"{prefix}.heads.{head}.{part}"] = (d, dh)
            if layer.heads:
                shapes[f"{prefix}.attention_output"] = (len(layer.heads) * dh, d)
                shapes[f"{prefix}.attention_output_bias"] = (d,)
            if layer.ffn_width:
                shapes[f"{prefix}.ffn.hidden"] = (d, layer.ffn_width)
                shapes[f"{prefix}.ffn.hidden_bias"] = (layer.ffn_width,)
                shapes[f"{prefix}.ffn.output"] = (layer.ffn_width, d)
                shapes[f"{prefix}.ffn.output_bias"] = (d,)
        shapes["classifier"] = (d,)
        shapes["classifier_bias"] = ()
        return shapes

    def sop_count(self) -> int:
        """The number of s-ops the imported program defines (named selectors not counted)."""
        count = self.width + 1
        for layer in self.layers:
            count += len(layer.heads) * 4 * self.head_width + (self.width if layer.heads else 0)
            count += layer.ffn_width + (self.width if layer.ffn_width else 0)
        return count


def read_config(path: Path) -> ModelConfig:
    """The model config at PATH, checked against `SCHEMA` and the importer's limits.

    Raises UsageError with the file's line and column (JSON syntax) or the field's JSON path
    (`layers[0].heads[1]`) and what was expected; LayerNorm and activations other than relu
    are refused with the reason (`.attn` has no division, square root, tanh or erf)."""
    try:
        document = read_json(path, "the model config", 3)
    except LanguageError as error:
        raise UsageError(error.message) from None
    if not isinstance(document, dict):
        raise UsageError(f"{path}: a model config is a JSON object, not {_json_kind(document)}")
    _refuse_components(path, document)
    validator = jsonschema.Draft202012Validator(SCHEMA)
    problem = jsonschema.exceptions.best_match(validator.iter_errors(document))
    if problem is not None:
        where = _json_path(problem.absolute_path)
        message = problem.message
        if problem.validator == "pattern":
            message = f"{problem.instance!r} is not a head: write 'global' or 'local K' (K ≥ 1)"
        elif problem.validator == "exclusiveMinimum":
            message = f"must be positive, not {problem.instance!r}"
        raise UsageError(f"{path}: {where or 'the config'}: {message}")
    vocabulary = tuple(document["vocabulary"])
    eos = document["eos"]
    if eos not in vocabulary:
        raise UsageError(f"{path}: eos: {eos!r} is not in the vocabulary {list(vocabulary)}")
    # JSON Schema's "integer" admits 4.0: whole floats are read as the integers they are
    layers = tuple(Layer(tuple(_head(text) for text in layer["heads"]),
                         int(layer.get("ffn_width", 0))) for layer in document["layers"])
    head_width = int(document["head_width"])
    scale = float(document.get("score_scale", 1 / math.sqrt(head_width)))
    if not math.isfinite(scale):
        raise UsageError(f"{path}: score_scale: {scale} is not a finite number")
    config = ModelConfig(vocabulary, eos, int(document["width"]), head_width, layers,
                         document.get("masking", "strict") == "nonstrict", Fraction(scale))
    for number, layer in enumerate(config.layers):
        for index, head in enumerate(layer.heads):
            if head.window is not None and head.window > MAX_WINDOW:
                raise UsageError(f"{path}: layers[{number}].heads[{index}]: a local window of "
                                 f"at most {MAX_WINDOW} positions, not {head.window}")
    if config.sop_count() > MAX_SOPS:
        raise UsageError(f"{path}: the imported program would have {config.sop_count()} s-ops; "
                         f"at most {MAX_SOPS} are imported")
    return config


def _refuse_components(path: Path, document: dict[str, Any]) -> None:
    if document.get("layernorm") is True:
        raise UsageError(f"{path}: layernorm: LayerNorm is not supported: it divides by a "
                         "square root, and .attn has neither (train without LayerNorm, or "
                         "fold a fixed normalization into the weights)")
    activation = document.get("activation", "relu")
    if activation != "relu":
        raise UsageError(f"{path}: activation: {activation!r} is not supported: only \"relu\" "
                         "(lower case) is computed exactly in .attn (no tanh, erf or sigmoid)")
    classifier = document.get("classifier", "eos")
    if classifier != "eos":
        raise UsageError(f"{path}: classifier: {classifier!r} is not supported: the logit is "
                         "read at the eos position ('eos')")


def _head(text: str) -> Head:
    return Head(None) if text == "global" else Head(int(text.split()[1]))


def _json_path(parts: Any) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _json_kind(value: object) -> str:
    return {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number")


def read_weights(path: Path) -> dict[str, Array]:
    """The named tensors of the weight file PATH as float64 arrays, by its suffix:
    `.safetensors` (the `safetensors` library), `.npz` (NumPy, pickles refused) or
    `.pt`/`.pth`/`.bin` (a PyTorch `state_dict`, read with `torch.load(weights_only=True)`
    when PyTorch is installed). UsageError for an unreadable, malformed or oversized file,
    a tensor that is not floating point, or a value that is not finite."""
    try:
        data = read_bytes(path, MAX_WEIGHT_BYTES)
    except UnreadableFile as error:
        raise UsageError(f"cannot read the weights {path}: {error.reason}") from None
    suffix = path.suffix.lower()
    if suffix == ".safetensors":
        raw = _read_safetensors(path, data)
    elif suffix == ".npz":
        raw = _read_npz(path, data)
    elif suffix in (".pt", ".pth", ".bin"):
        raw = _read_torch(path, data)
    else:
        raise UsageError(f"{path}: unknown weight file type {suffix or '(no suffix)'!r}: "
                         "expected .safetensors, .npz or a PyTorch state_dict (.pt)")
    tensors: dict[str, Array] = {}
    for name, array in raw.items():
        if not isinstance(array, np.ndarray):
            raise UsageError(f"{path}: member {name!r} is not an array")
        if array.dtype.kind == "V" and array.dtype.itemsize == 2:
            raise UsageError(f"{path}: tensor {name!r} has a raw 2-byte dtype ({array.dtype}): "
                             "NumPy stores bfloat16 that way, without its type; save float32, "
                             "or bfloat16 in .safetensors")
        if array.dtype.kind != "f":
            raise UsageError(f"{path}: tensor {name!r} has dtype {array.dtype}; expected "
                             "floating point")
        values = np.asarray(array, dtype=np.float64)
        bad = np.argwhere(~np.isfinite(values))
        if len(bad):
            where = ", ".join(str(int(i)) for i in bad[0])
            raise UsageError(f"{path}: tensor {name!r} holds {values[tuple(bad[0])]} at "
                             f"[{where}]; weights must be finite")
        tensors[name] = values
    return tensors


def _read_safetensors(path: Path, data: bytes) -> dict[str, Any]:
    from safetensors import SafetensorError
    from safetensors.numpy import load

    try:
        return dict(load(data))
    except KeyError:  # a dtype numpy lacks (BF16): widened below, exactly
        return _read_bf16_safetensors(path, data)
    except (SafetensorError, ValueError, TypeError) as error:
        raise UsageError(f"{path}: not a readable safetensors file{_looks_like(data)}: "
                         f"{error}") from None


def _read_bf16_safetensors(path: Path, data: bytes) -> dict[str, Any]:
    """A safetensors file with bfloat16 tensors, which `safetensors.numpy` cannot return:
    the layout (8-byte little-endian header length, JSON header, raw data) read directly,
    each bf16 value widened exactly to float32 (its 16 bits are float32's upper half)."""
    widths = {"BF16": 2, "F16": 2, "F32": 4, "F64": 8}
    try:
        (length,) = struct.unpack("<Q", data[:8])
        header = json.loads(data[8:8 + length])
        body = data[8 + length:]
        tensors: dict[str, Any] = {}
        for name, entry in header.items():
            if name == "__metadata__":
                continue
            dtype, shape, (start, end) = entry["dtype"], entry["shape"], entry["data_offsets"]
            if dtype not in widths:
                raise UsageError(f"{path}: tensor {name!r} has dtype {dtype}; expected "
                                 "floating point (BF16, F16, F32, F64)")
            count = math.prod(shape)
            if end - start != count * widths[dtype] or end > len(body) or start < 0:
                raise ValueError(f"tensor {name!r}: its data offsets do not fit its shape")
            raw = body[start:end]
            if dtype == "BF16":
                bits = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
                tensors[name] = bits.view(np.float32).reshape(shape)
            else:
                kind = {"F16": "<f2", "F32": "<f4", "F64": "<f8"}[dtype]
                tensors[name] = np.frombuffer(raw, dtype=kind).reshape(shape)
        return tensors
    except UsageError:
        raise
    except (struct.error, ValueError, TypeError, KeyError, AttributeError) as error:
        raise UsageError(f"{path}: not a readable safetensors file: {error}") from None


def _looks_like(data: bytes) -> str:
    """` (it looks like …)` when DATA starts like another weight format, else ""."""
    if data.startswith(b"PK\x03\x04"):
        return " (it looks like a zip archive: an .npz or a PyTorch .pt?)"
    if data.startswith(b"\x93NUMPY"):
        return " (it looks like a single NumPy .npy array)"
    if len(data) >= 9 and data[8:9] == b"{":
        return " (it looks like a safetensors file)"
    return ""


def _read_npz(path: Path, data: bytes) -> dict[str, Any]:
    try:
        archive = np.load(io.BytesIO(data), allow_pickle=False)
        if not isinstance(archive, np.lib.npyio.NpzFile):
            raise UsageError(f"{path}: a single array, not an .npz archive of named tensors")
        with archive:
            return {name: archive[name] for name in archive.files}
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, AttributeError,
            TypeError) as error:
        reason = str(error)
        if "pickle" in reason:
            reason = "its content is neither a zip archive nor an .npy array (pickled data " \
                     "is never loaded)"
        raise UsageError(f"{path}: not a readable .npz archive{_looks_like(data)}: "
                         f"{reason}") from None


def _read_torch(path: Path, data: bytes) -> dict[str, Any]:
    try:
        import torch  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        raise UsageError(f"{path}: reading a PyTorch state_dict needs PyTorch "
                         "(pip install torch); or save the weights as .safetensors") from None
    try:
        state = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except Exception as error:  # noqa: BLE001 - torch raises many unpickling error types
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise UsageError(f"{path}: not a readable PyTorch state_dict (read with "
                         f"weights_only=True): {reason}") from None
    if not isinstance(state, dict):
        raise UsageError(f"{path}: expected a state_dict (a mapping of names to tensors)")
    return {str(name): tensor.detach().float().numpy() for name, tensor in state.items()}


def check_weights(path: Path, config: ModelConfig, tensors: dict[str, Array]) -> None:
    """Every tensor the CONFIG needs is in TENSORS with its shape, and no other is: UsageError
    naming the first tensor that is missing, misshapen or unexpected."""
    shapes = config.shapes()
    unexpected = sorted(set(tensors) - set(shapes))
    for name, shape in shapes.items():
        if name not in tensors:
            extra = ""
            if unexpected:
                listed = ", ".join(repr(n) for n in unexpected[:4])
                more = f" and {len(unexpected) - 4} more" if len(unexpected) > 4 else ""
                extra = f"; the file has tensors the config does not name: {listed}{more}"
            raise UsageError(f"{path}: missing tensor {name!r} (expected shape "
                             f"{list(shape)}){extra}")
        found = tuple(tensors[name].shape)
        if found != shape and not (shape == () and found == (1,)):
            hint = ""
            if unexpected:
                hint = (f"; the file also has tensors the config does not name (more heads or "
                        f"layers than the config?): {unexpected[0]!r}")
            raise UsageError(f"{path}: tensor {name!r} has shape {list(found)}; expected "
                             f"{list(shape)}{_shape_hint(name)}{hint}")
    for name in unexpected:
        reason = (" (LayerNorm is not supported)" if "norm" in name.lower() else
                  " (the config does not use it: check layers, heads and ffn_width)")
        raise UsageError(f"{path}: unexpected tensor {name!r}{reason}")


def _shape_hint(name: str) -> str:
    last = name.rsplit(".", 1)[-1]
    return {"embedding": " (vocabulary × width)", "query": " (width × head_width)",
            "key": " (width × head_width)", "value": " (width × head_width)",
            "attention_output": " (heads·head_width × width)", "hidden": " (width × ffn_width)",
            "output": " (ffn_width × width)"}.get(last, "")
