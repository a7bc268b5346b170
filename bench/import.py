"""Trained models (issue 16): for each committed model of examples/trained/, the size of the
imported program and the time to decide ``recognizes LANG up to 12`` with ``enumerate`` (the
batch interpreter over every word) and with the bounded engine (Z3 over the bit-precise
soft-float; 60 s and 4 GiB per claim), and their ratio, measured in this run.

    python bench/import.py [--up-to N] [--precision bf16] [--timeout S]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from verifier.check.profile import parse_profile
from verifier.checking import AdHocClaim, check_source
from verifier.interop.model import import_model
from verifier.ir.lower import lower
from verifier.options import Options
from verifier.pipeline import check_text

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "examples" / "trained"


def _decide(text: str, spec: str, engine: str, bound: int, timeout: float
            ) -> tuple[float, str]:
    start = time.perf_counter()
    result = check_source(lambda: check_text(text, "model.attn", MODELS),
                          "model.attn", engine, Options(timeout=timeout, memory_mb=4096),
                          AdHocClaim(spec, bound))
    seconds = time.perf_counter() - start
    assert result.error is None, result.error.render()
    (claim,) = result.claims
    verdict = claim.verdict
    extra = ""
    if verdict.counterexample is not None:
        extra = f" at length {len(verdict.counterexample.word)}"
    elif verdict.reason:
        extra = f" ({verdict.reason.split(';')[0][:60]})"
    return seconds, verdict.status.value + extra


def main() -> int:
    """Print one line per committed model."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--up-to", type=int, default=12)
    parser.add_argument("--precision", default="bf16")
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    profile = parse_profile(args.precision)
    folders = sorted(p.parent for p in MODELS.glob("*/config.json"))
    languages = json.loads((MODELS / "languages.json").read_text(encoding="utf-8"))
    if not folders:
        print(f"no models under {MODELS}", file=sys.stderr)
        return 1
    print(f"recognizes LANG up to {args.up_to}, {profile.describe()}; bounded: "
          f"{args.timeout:g} s, 4096 MB")
    for folder in folders:
        name = json.loads((folder / "metrics.json").read_text())["language"]
        language = "regex:" + languages[name]["regex"]
        model = import_model(folder / "weights.safetensors", folder / "config.json", profile)
        program = lower(check_text(model.text, "model.attn", folder))
        enum_s, enum_v = _decide(model.text, language, "enumerate", args.up_to, args.timeout)
        bnd_s, bnd_v = _decide(model.text, language, "bounded", args.up_to, args.timeout)
        print(f"{folder.name:18} {model.sops:4} s-ops {len(program.nodes):5} IR nodes  "
              f"enumerate {enum_s:7.2f} s {enum_v:22}  bounded {bnd_s:7.2f} s {bnd_v:40}  "
              f"bounded/enumerate x{bnd_s / max(enum_s, 1e-6):.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
