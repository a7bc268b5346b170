"""proofs/float/: every claim proved, and the words that separate formats and sum orders.

`verifier check proofs/float/ --format json` runs once per module (the `report` fixture). Each
pair below is the same program in two profiles (the files differ only in their `precision`
line, which is checked) with the separating word derived in the files' headers: the first
file accepts it, the second rejects it. The words are replayed with the one-word interpreter,
except a^256 b (bf16 against fp16: 257 positions take seconds per run), which both files state
as a word claim, so the report already holds both verdicts.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from verifier.cli import dispatch
from verifier.interp import run_word
from verifier.pipeline import compile_text

ROOT = Path(__file__).resolve().parents[2]
FLOAT = ROOT / "proofs" / "float"

# (accepts it, rejects it, word): each derived in the headers of both files.
SEPARATIONS = [
    # stagnation at 2^(M+1) keys: 8 in fp8e5m2, 16 in fp8e4m3
    ("stagnation_fp8e5m2", "stagnation_fp8e4m3", "a" * 8 + "b"),
    ("stagnation_fp8e5m2", "stagnation_bf16", "a" * 8 + "b"),
    ("stagnation_fp8e5m2", "stagnation_fp16", "a" * 8 + "b"),
    ("stagnation_fp8e4m3", "stagnation_bf16", "a" * 16 + "b"),
    # majority: a^9 b^8 is the first fp8e5m2 error; exact and sequential sums each win once
    ("majority_fp8e4m3", "majority_fp8e5m2", "a" * 9 + "b" * 8),
    ("majority_fp8e5m2", "majority_fp8e5m2_exact", "a" * 7 + "b" * 6),
    ("majority_fp8e5m2_exact", "majority_fp8e5m2", "a" * 10 + "b" * 8),
    # vanishing: float(3, 2) exact sums at 15 keys; float(4, 3) at 248, fp8e4m3 never
    ("vanish_e3m2_sequential", "vanish_e3m2_exact", "a" * 15),
    ("saturate_fp8e4m3_exact", "vanish_e4m3_ieee_exact", "a" + "b" * 247),
    # order inside a window: 0.25 + 0.03125 ties back to 0.25
    ("order_window_exact", "order_window_sequential", "abbb"),
    # overflow: inf - inf = NaN in fp8e5m2, saturation in fp8e4m3
    ("nan_softmax_fp8e4m3", "nan_softmax_fp8e5m2", "a"),
    ("saturate_add_bf16", "saturate_add_fp8e4m3", "ba"),
]
# Too long to replay here: both verdicts are word claims of the two files.
CLAIMED = [("stagnation_bf16", "stagnation_fp16", "a" * 256 + "b")]


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = dispatch(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def report() -> dict:
    code, out, err = _run("check", str(FLOAT), "--format", "json")
    assert code == 0, err
    return json.loads(out)


def _file(name: str) -> Path:
    return FLOAT / f"{name}.attn"


def _program_lines(path: Path) -> list[str]:
    """The program without comments, claims and the precision line."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        code = line.split("#")[0].strip()
        if code and not code.startswith(("assert ", "precision ")):
            lines.append(" ".join(code.split()))
    return lines


def test_every_claim_is_proved_in_at_least_12_files(report: dict) -> None:
    files = report["files"]
    assert len(files) >= 12
    assert len(files) == len(list(FLOAT.glob("*.attn")))
    for entry in files:
        assert entry["errors"] == [], entry["path"]
        assert entry["claims"], f"{entry['path']} has no claims"
        for claim in entry["claims"]:
            assert claim["verdict"] == "proved", (entry["path"], claim["line"], claim["claim"],
                                                  claim["reason"])
    summary = report["summary"]
    assert summary["refuted"] == summary["unknown"] == summary["unreadable"] == 0


def test_every_file_starts_with_its_name_and_names_its_profile() -> None:
    for path in FLOAT.glob("*.attn"):
        text = path.read_text(encoding="utf-8")
        assert text.startswith(f"# {path.name}:"), path
        assert "\nprecision " in text, path


@pytest.mark.parametrize(("accepting", "rejecting", "word"), SEPARATIONS + CLAIMED,
                         ids=[f"{a}-{r}" for a, r, _ in SEPARATIONS + CLAIMED])
def test_the_pair_is_one_program_in_two_profiles(accepting: str, rejecting: str,
                                                 word: str) -> None:
    first, second = _file(accepting), _file(rejecting)
    assert _program_lines(first) == _program_lines(second)
    profiles = {compile_text(p.read_text(encoding="utf-8"), str(p), p.parent).profile.describe()
                for p in (first, second)}
    assert len(profiles) == 2


@pytest.mark.parametrize(("accepting", "rejecting", "word"), SEPARATIONS,
                         ids=[f"{a}-{r}-{len(w)}" for a, r, w in SEPARATIONS])
def test_the_separating_word_is_accepted_in_one_profile_only(accepting: str, rejecting: str,
                                                            word: str) -> None:
    verdicts = []
    for name in (accepting, rejecting):
        path = _file(name)
        program = compile_text(path.read_text(encoding="utf-8"), str(path), path.parent)
        verdicts.append(run_word(program, word).accepted)
    assert verdicts == [True, False], (accepting, rejecting, word)


def test_long_separating_words_are_claimed_by_both_files(report: dict) -> None:
    proved = {(Path(entry["path"]).stem, claim["claim"])
              for entry in report["files"] for claim in entry["claims"]
              if claim["verdict"] == "proved"}
    for accepting, rejecting, word in CLAIMED:
        assert (accepting, f'accepts "{word}"') in proved
        assert (rejecting, f'rejects "{word}"') in proved
