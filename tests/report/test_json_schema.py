"""`check --format json` and `run --format json` validate against docs/check.schema.json."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from verifier import __version__
from verifier.cli import dispatch

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs" / "check.schema.json").read_text(encoding="utf-8"))
HEAD = """alphabet a b
precision fixed(4, 4)
prev_a = aggregate(select(local 1), a)
first = leftmost(select(global, nonstrict), a)
accept prev_a > 0.5
"""
CLAIMS = {
    "proved.attn": 'assert recognizes regex ".*a" up to 4\nassert not recognizes regex ".*b"\n',
    "refuted.attn": 'assert recognizes regex ".*b" up to 4\nassert accepts "bb"\n',
    "unknown.attn": 'assert recognizes regex ".*a"\n',
    "equivalent.attn": 'assert equivalent "other.attn"\n',
    "broken.attn": None,
}


def _run(*argv: str) -> tuple[int, Any]:
    out, err = io.StringIO(), io.StringIO()
    code = dispatch(list(argv), out, err)
    return code, json.loads(out.getvalue())


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("json")
    for name, claims in CLAIMS.items():
        text = "alphabet a b\naccept a +\n" if claims is None else HEAD + claims
        (base / name).write_text(text, encoding="utf-8")
    other = "alphabet a b\nlast_b = aggregate(select(local 1), b)\naccept last_b > 0.5\n"
    (base / "other.attn").write_text(other, encoding="utf-8")
    return base


@pytest.fixture(scope="module")
def report(folder: Path) -> tuple[int, Any]:
    return _run("check", str(folder), "--engine", "enumerate", "--format", "json")


def test_the_report_validates_and_holds_real_booleans_and_numbers(
        report: tuple[int, Any]) -> None:
    code, document = report
    jsonschema.validate(document, SCHEMA)
    assert code == 2 and document["summary"]["exit_status"] == 2
    assert document["version"] == __version__ and document["schema"] == 1
    by_name = {Path(f["path"]).name: f for f in document["files"]}
    assert by_name["broken.attn"]["errors"][0]["line"] == 2
    assert all(f["errors"] == [] for n, f in by_name.items() if n != "broken.attn")
    refuted = by_name["refuted.attn"]["claims"][0]
    rows = {r["name"]: r["values"] for r in refuted["counterexample"]["trace"]["trace"]}
    assert refuted["verdict"] == "refuted"
    assert rows["accept"][-1] is refuted["counterexample"]["accepted"]
    assert all(isinstance(v, bool) for v in rows["accept"])
    assert all(isinstance(v, int | float) and not isinstance(v, bool) for v in rows["prev_a"])
    equivalent = by_name["equivalent.attn"]["claims"][0]["counterexample"]
    assert equivalent is not None and "other_trace" in equivalent
    counts = document["summary"]
    assert counts["claims"] == sum(len(f["claims"]) for f in document["files"])
    assert counts["proved"] + counts["refuted"] + counts["unknown"] == counts["claims"]


def test_without_times_every_seconds_is_null_and_the_rest_is_the_same(
        folder: Path, report: tuple[int, Any]) -> None:
    code, document = _run("check", str(folder), "--engine", "enumerate", "--format", "json",
                          "--no-times")
    jsonschema.validate(document, SCHEMA)
    claims = [c for f in document["files"] for c in f["claims"]]
    assert document["seconds"] is None and all(c["seconds"] is None for c in claims)
    timed = copy.deepcopy(report[1])
    assert isinstance(timed["seconds"], float)
    for f in timed["files"]:
        for c in f["claims"]:
            c["seconds"] = None
    assert (code, {**document, "seconds": None}) == (report[0], {**timed, "seconds": None})


def test_run_json_is_the_schema_trace(tmp_path: Path) -> None:
    path = tmp_path / "p.attn"
    path.write_text(HEAD, encoding="utf-8")
    code, document = _run("run", str(path), "abab", "--format", "json", "--attention")
    trace_schema = {**SCHEMA["$defs"]["trace"], "$defs": SCHEMA["$defs"]}
    jsonschema.validate(document, trace_schema)
    weights = {h["name"]: h["weights"] for h in document["attention"]}
    assert code == 0 and weights["prev_a"][1][0] == 1 and weights["prev_a"][0][0] is None
    assert weights["first"][3] == [1, 0, 0, 0, None]  # query 4 sees keys 1..4 (nonstrict)
