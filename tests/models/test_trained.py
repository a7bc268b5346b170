"""The committed trained models (examples/trained/): each imported program computes what the
framework computed. `reference.json` holds JAX's own bf16 forward pass, op by op in the order
the `.attn` program rounds (`logits`), for every word of length <= 8 and 1000 random words of
length 0..64; the program's logit must equal it bit for bit, and its decision must match.
The proofs in proofs/trained/ are the imports of these weights (nothing edited by hand)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from verifier.check.profile import parse_profile
from verifier.interop.model import import_model, logits
from verifier.ir.lower import lower
from verifier.pipeline import check_text

REPO = Path(__file__).resolve().parents[2]
MODELS = sorted(p.parent for p in (REPO / "examples" / "trained").glob("*/config.json"))
PROOFS = REPO / "proofs" / "trained"


def _compare(folder: Path, longest: int) -> tuple[int, list[Any]]:
    """(words compared, mismatches) between the imported program and the reference pass on
    the reference words of length <= LONGEST."""
    reference = json.loads((folder / "reference.json").read_text(encoding="utf-8"))
    assert reference["precision"] == "bf16"
    model = import_model(folder / "weights.safetensors", folder / "config.json",
                         parse_profile("bf16"))
    program = lower(check_text(model.text, "model.attn", folder))
    pairs = [(w, v) for w, v in zip(reference["words"], reference["logits"], strict=True)
             if len(w) <= longest]
    got = logits(program, [tuple(w) for w, _ in pairs])
    mismatches = [(w, v, g) for (w, v), g in zip(pairs, got, strict=True)
                  if not (g == v or (np.isnan(g) and np.isnan(v)))]
    return len(pairs), mismatches


def test_every_language_and_architecture_is_committed() -> None:
    names = {folder.name for folder in MODELS}
    assert names == {f"{lang}_{arch}" for lang in ("first", "ends_ab", "ab_star")
                     for arch in ("global", "local", "hybrid")}


@pytest.mark.parametrize("folder", MODELS, ids=[m.name for m in MODELS])
def test_program_equals_the_framework_on_every_word_up_to_length_8(folder: Path) -> None:
    count, mismatches = _compare(folder, 8)
    assert count >= 2**9 - 1  # every word up to 8, and the random ones that short
    assert mismatches == []


@pytest.mark.slow
@pytest.mark.parametrize("folder", MODELS, ids=[m.name for m in MODELS])
def test_program_equals_the_framework_on_1000_random_words(folder: Path) -> None:
    count, mismatches = _compare(folder, 64)
    assert count == 2**9 - 1 + 1000
    assert mismatches == []


@pytest.mark.parametrize("folder", MODELS, ids=[m.name for m in MODELS])
def test_proof_file_is_the_import_of_the_committed_weights(folder: Path) -> None:
    text = (PROOFS / f"{folder.name}.attn").read_text(encoding="utf-8")
    claims = [line.removeprefix("assert ") for line in text.splitlines()
              if line.startswith("assert ")]
    model = import_model(folder / "weights.safetensors", folder / "config.json",
                         parse_profile("bf16"), claims)
    story = text[: text.index("# Imported by")]
    assert story.startswith(f"# {folder.name}.attn: ")
    assert text == story + model.text
