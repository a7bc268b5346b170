"""An independent forward pass of the causal NoPE transformer of docs/models.md, in float64
numpy (the test oracle of the importer: it shares no code with verifier/interop/model.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]


def forward(config: dict[str, Any], tensors: dict[str, Array], word: str) -> float:
    """The logit of WORD (one character per symbol) under CONFIG and TENSORS, in float64."""
    vocabulary = config["vocabulary"]
    tokens = [vocabulary.index(ch) for ch in word] + [vocabulary.index(config["eos"])]
    h = np.asarray(tensors["embedding"], dtype=np.float64)[tokens]
    n = len(tokens)
    nonstrict = config.get("masking", "strict") == "nonstrict"
    dh = config["head_width"]
    scale = config.get("score_scale", 1 / np.sqrt(dh))
    for number, layer in enumerate(config["layers"]):
        prefix = f"layers.{number}"
        outputs = []
        for head, scope in enumerate(layer["heads"]):
            q = h @ tensors[f"{prefix}.heads.{head}.query"]
            k = h @ tensors[f"{prefix}.heads.{head}.key"]
            v = h @ tensors[f"{prefix}.heads.{head}.value"]
            window = None if scope == "global" else int(scope.split()[1])
            out = np.zeros((n, dh))
            for i in range(n):
                low = 0 if window is None else max(0, i - window)
                keys = list(range(low, i + 1 if nonstrict else i))
                if not keys:
                    continue
                scores = scale * (k[keys] @ q[i])
                weights = np.exp(scores - scores.max())
                out[i] = (weights / weights.sum()) @ v[keys]
            outputs.append(out)
        if outputs:
            h = h + np.concatenate(outputs, axis=1) @ tensors[f"{prefix}.attention_output"] \
                + tensors[f"{prefix}.attention_output_bias"]
        if layer.get("ffn_width", 0):
            hidden = np.maximum(h @ tensors[f"{prefix}.ffn.hidden"]
                                + tensors[f"{prefix}.ffn.hidden_bias"], 0)
            h = h + hidden @ tensors[f"{prefix}.ffn.output"] + tensors[f"{prefix}.ffn.output_bias"]
    bias = float(np.asarray(tensors["classifier_bias"]).reshape(-1)[0])
    return float(h[-1] @ tensors["classifier"]) + bias


def load_model(folder: Path) -> tuple[dict[str, Any], dict[str, Array]]:
    """The config and float64 tensors of a committed model folder (config.json,
    weights.safetensors)."""
    from safetensors.numpy import load_file

    config = json.loads((folder / "config.json").read_text())
    tensors = {k: np.asarray(v, dtype=np.float64)
               for k, v in load_file(str(folder / "weights.safetensors")).items()}
    return config, tensors
