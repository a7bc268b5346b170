"""Import every committed model of examples/trained/ and check what it recognizes: writes
`proofs/trained/<model>.attn` (the imported program, its story and its decided claims), the
per-model HTML report `examples/trained/<model>/report.html` (verdicts, the shortest
misclassified word with its trace and attention heatmaps) and `examples/trained/REPORT.md`.

    python examples/trained/verify.py [--precision bf16] [--beyond 12]

For each model: `recognizes LANG up to 8` (its training lengths); then all lengths when the
program is finite-state (k-local heads), else every length up to `--beyond` by enumeration.
A misclassified word becomes a `not recognizes LANG up to N` claim, proved by that witness.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from pathlib import Path

from verifier.check.profile import parse_profile
from verifier.checking import AdHocClaim, check_source
from verifier.engines.verdict import Status, Verdict
from verifier.interop.model import import_model
from verifier.langs import DFA
from verifier.options import Options
from verifier.pipeline import check_text

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PROOFS = ROOT / "proofs" / "trained"
TRAIN_LENGTH = 8
LANGUAGES: dict[str, dict[str, str]] = json.loads(
    (HERE / "languages.json").read_text(encoding="utf-8"))
ARCHES = {"global": "global heads", "local": "1-local heads", "hybrid": "global + 1-local heads"}


def _decide(text: str, spec: str, engine: str, bound: int | None) -> Verdict:
    result = check_source(lambda: check_text(text, "model.attn", PROOFS), "model.attn", engine,
                          Options(timeout=600), AdHocClaim(spec, bound))
    assert result.error is None, result.error.render()
    return result.claims[0].verdict


def _word(verdict: Verdict) -> str:
    assert verdict.counterexample is not None
    return "".join(verdict.counterexample.word)


def verify(folder: Path, precision: str, beyond: int) -> dict[str, str]:
    """Write the proof file and report of the model in FOLDER; return its REPORT.md row."""
    metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    language = LANGUAGES[metrics["language"]]
    regex = language["regex"]
    spec, claim = f"regex:{regex}", f'regex "{regex}"'
    profile = parse_profile(precision)
    model = import_model(folder / "weights.safetensors", folder / "config.json", profile)
    claims: list[str] = []
    notes: list[str] = []
    trained = _decide(model.text, spec, "enumerate", TRAIN_LENGTH)
    if trained.status is Status.PROVED:
        claims.append(f"recognizes {claim} up to {TRAIN_LENGTH}")
    else:
        short = _word(trained)
        claims.append(f"not recognizes {claim} up to {TRAIN_LENGTH}")
        notes.append(f"wrong already on the training lengths: {short or 'ε'}")
    every = _decide(model.text, spec, "unbounded", None)
    witness = ""
    if every.status is Status.PROVED:
        claims.append(f"recognizes {claim}")
        verdict = "proved for all lengths"
    elif every.status is Status.REFUTED:
        witness = _word(every)
        claims.append(f"not recognizes {claim}")
        verdict = "refuted for all lengths"
    else:
        notes.append(f"all lengths: unknown ({every.reason})")
        longer = _decide(model.text, spec, "enumerate", beyond)
        if longer.status is Status.PROVED:
            claims.append(f"recognizes {claim} up to {beyond}")
            verdict = f"proved up to length {beyond}"
        else:
            witness = _word(longer)
            if trained.status is Status.PROVED:
                claims.append(f"not recognizes {claim} up to {len(witness)}")
            verdict = f"refuted (enumeration up to {beyond})"
    if witness:
        claims.append(f'{"accepts" if _accepted(model.text, witness) else "rejects"} '
                      f'"{witness}"')
    sampled = _sampled_witness(folder, model.text, regex, beyond)
    if sampled and not witness:
        claims.append(f'{"accepts" if _accepted(model.text, sampled) else "rejects"} '
                      f'"{sampled}"')
        notes.append(f"a misclassified word of length {len(sampled)}, found among the "
                     "framework's 1000 random words and words near the language's border "
                     "(members of every length up to 64 and their one-symbol mutants)")
    name, arch = folder.name, metrics["architecture"]
    story = [
        f"# {name}.attn: {ARCHES.get(arch, arch)} trained on {language['name']}"
        + ("" if language["name"] == regex else f" = {regex}") + ", "
        f"every word of length 0..{TRAIN_LENGTH}; imported in {precision}.",
        "# The experiment of Li & Cotterell (arXiv 2505.23623; 2605.00768 for local heads) "
        "in miniature: NoPE, strict masking, trained on short words, checked on longer ones.",
        f"# Framework (JAX, bf16): {_pct(metrics, 'train_accuracy_bf16')} right on the "
        f"training lengths, {_pct(metrics, 'random_accuracy_bf16')} on 1000 random words of "
        f"length 0..64 ({_pct(metrics, 'random_longer_than_8_accuracy_bf16')} of those longer "
        f"than {TRAIN_LENGTH}).",
        f"# Verifier: {verdict}" + (f"; the shortest misclassified word is {witness or 'ε'} "
                                    f"(length {len(witness)})" if witness else "") + ".",
        *(f"# Also: {note}." for note in notes),
        "# Written by examples/trained/verify.py (do not edit by hand).",
    ]
    imported = import_model(folder / "weights.safetensors", folder / "config.json", profile,
                            claims)
    PROOFS.mkdir(parents=True, exist_ok=True)
    target = PROOFS / f"{name}.attn"
    target.write_text("\n".join(story) + "\n" + imported.text, encoding="utf-8")
    report = folder / "report.html"
    subprocess.run([sys.executable, "-m", "verifier", "check", str(target), "--no-times",
                    "--html", str(report)], check=False, capture_output=True)
    shown = witness or sampled
    cell = regex.replace("|", "\\|")
    return {"model": name, "language": f"`{cell}`", "sops": str(imported.sops),
            "train": _pct(metrics, "train_accuracy_bf16"),
            "random": _pct(metrics, "random_accuracy_bf16"),
            "beyond": _pct(metrics, "random_longer_than_8_accuracy_bf16"), "verdict": verdict,
            "witness": f"`{shown}` ({len(shown)})" if shown else ""}


def _sampled_witness(folder: Path, text: str, regex: str, beyond: int) -> str:
    """The shortest word longer than BEYOND that the program misclassifies ("" if none) among
    the framework's reference words and `_probes` (members near the language's border)."""
    from verifier.interop.model import logits
    from verifier.ir.lower import lower
    from verifier.langs import parse_language

    reference = json.loads((folder / "reference.json").read_text(encoding="utf-8"))
    program = lower(check_text(text, "model.attn", PROOFS))
    language = parse_language("regex", regex, program.alphabet)
    candidates = set(reference["words"]) | _probes(language.dfa, beyond + 1, 64)
    words = sorted((w for w in candidates if len(w) > beyond), key=lambda w: (len(w), w))
    values = logits(program, [tuple(w) for w in words])
    wrong = [w for w, v in zip(words, values, strict=True)
             if (v > 0) != language.contains(list(w))]
    return wrong[0] if wrong else ""


def _probes(dfa: DFA, shortest: int, longest: int, per_length: int = 4) -> set[str]:
    """Words near the language's border: for each length, PER_LENGTH members drawn uniformly
    (path counts through the minimal DFA; seeded) and every one-symbol mutant of each."""
    rng = random.Random(0)
    symbols = range(len(dfa.alphabet))
    counts = [[int(q in dfa.accepting) for q in range(dfa.n_states)]]
    for _ in range(longest):
        counts.append([sum(counts[-1][dfa.delta[q][s]] for s in symbols)
                       for q in range(dfa.n_states)])
    words: set[str] = set()
    for length in range(shortest, longest + 1):
        if not counts[length][dfa.start]:
            continue
        for _ in range(per_length):
            state, word = dfa.start, []
            for left in range(length, 0, -1):
                pick = rng.randrange(counts[left][state])
                for s in symbols:
                    pick -= counts[left - 1][dfa.delta[state][s]]
                    if pick < 0:
                        word.append(s)
                        state = dfa.delta[state][s]
                        break
            member = "".join(dfa.alphabet[s] for s in word)
            words.add(member)
            for k in range(length):
                for s in dfa.alphabet:
                    words.add(member[:k] + s + member[k + 1:])
    return words


def _accepted(text: str, word: str) -> bool:
    from verifier.interp import run_word
    from verifier.ir.lower import lower

    return run_word(lower(check_text(text, "model.attn", PROOFS)), tuple(word)).accepted


def _pct(metrics: dict[str, float], key: str) -> str:
    value = metrics.get(key)
    return "?" if value is None else f"{100 * value:.1f} %"


def report_text(table: str, precision: str, beyond: int) -> str:
    """REPORT.md: the introduction, then TABLE."""
    return (
        "# What the trained models recognize\n\nGenerated by `python examples/trained/"
        f"verify.py --precision {precision} --beyond {beyond}`; the programs and "
        "their claims are in [proofs/trained/](../../proofs/trained/), each model's HTML "
        "report (verdicts, the misclassified word with its trace and attention heatmaps) "
        "next to its weights (generated, not committed).\n\nThe misclassified word is the "
        "shortest one (then the first in alphabetical order) when the verdict is a refutation "
        f"(the all-lengths engine or enumeration found it); after `proved up to {beyond}` it is "
        "the shortest *found* among the framework's 1000 random words and words near the "
        "language's border (members of every length up to 64 and their one-symbol "
        "mutants): a shorter one may exist. A refutation appears in `verifier check` as a "
        "proved `not recognizes` claim with its witness. s-ops: as `verifier info` counts "
        "them.\n\n" + table + "\n")


def main() -> int:
    """Verify every model; print and write the summary table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--precision", default="bf16")
    parser.add_argument("--beyond", type=int, default=12)
    args = parser.parse_args()
    rows = [verify(config.parent, args.precision, args.beyond)
            for config in sorted(HERE.glob("*/config.json"))]
    lines = ["| model | language | s-ops | train acc. (≤ 8) | random acc. (≤ 64) | "
             "acc. beyond 8 | verifier | misclassified word (length) |",
             "| --- | --- | ---: | ---: | ---: | ---: | --- | --- |"]
    for row in rows:
        lines.append(f"| `{row['model']}` | {row['language']} | {row['sops']} | "
                     f"{row['train']} | {row['random']} | {row['beyond']} | {row['verdict']} | "
                     f"{row['witness']} |")
    table = "\n".join(lines)
    print(table)
    (HERE / "REPORT.md").write_text(report_text(table, args.precision, args.beyond),
                                    encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
