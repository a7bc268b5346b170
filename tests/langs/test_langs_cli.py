"""The ``classify`` and ``dfa`` subcommands end to end, through our own argparse parser."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from verifier.cli import dispatch


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = dispatch(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_classify_text() -> None:
    code, out, err = run("classify", "ltl:P(b & Y a)", "--alphabet", "a,b,c")
    assert code == 0 and not err
    assert 'language: ltl "P(b & Y a)"' in out and "LTL[P,Y]   yes" in out
    assert "witness against LTL[P]:" in out


def test_classify_json_with_inferred_alphabet() -> None:
    code, out, _ = run("classify", "regex:(a(ab)*b)*", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["alphabet"] == ["a", "b"] and doc["dfa_states"] == 4
    assert doc["classes"]["LTL[P,Y]"] is False and doc["classes"]["star-free"] is True
    assert doc["architectures"]["unique-hard"] is True
    assert doc["witnesses"]["LTL[P,Y]"]["e"]


def test_classify_with_one_or_zero_inferred_symbols() -> None:
    assert run("classify", "regex:a*")[0] == 0
    code, out, _ = run("classify", "ltl:true", "--format", "json")
    assert code == 0 and json.loads(out)["alphabet"] == []


@pytest.mark.parametrize("fmt", ["text", "dot", "json"])
def test_dfa_formats(fmt: str) -> None:
    code, out, _ = run("dfa", "regex:(ab)*", "--format", fmt)
    assert code == 0
    if fmt == "json":
        assert json.loads(out)["states"] == ["q0", "q1", "q2"]
    elif fmt == "dot":
        assert out.startswith("digraph") and 'q0 -> q1 [label="a"]' in out
    else:
        assert "3 states" in out and "->*0" in out


def test_dfa_from_file(tmp_path: Path) -> None:
    path = tmp_path / "parity.json"
    path.write_text(json.dumps({
        "alphabet": ["a", "b"], "states": ["e", "o"], "start": "e", "accept": ["e"],
        "delta": {"e": {"a": "e", "b": "o"}, "o": {"a": "o", "b": "e"}}}), encoding="utf-8")
    code, out, _ = run("classify", f"dfa:{path}", "--format", "json")
    assert code == 0 and json.loads(out)["classes"]["star-free"] is False
    code, out, _ = run("dfa", f"dfa:{path}", "--alphabet", "a,b,c")
    assert code == 0 and "3 states" in out


@pytest.mark.parametrize(
    ("argv", "fragment", "caret_column"),
    [
        (("classify", "regex:a|"), "empty alternative", 2 + len("regex:a|")),
        (("classify", "ltl:P(a & c)", "--alphabet", "a,b"), "unknown symbol 'c'", 2 + 10),
        (("dfa", "regex:(ab"), "missing ')'", 2 + 6),
        (("classify", "perl:a"), "expected regex:", 2),
        (("dfa", "dfa:/nonexistent/x.json"), "cannot read", None),
        (("classify", "regex:a", "--alphabet", "a,,b"), "empty symbol name", None),
        (("classify", "regex:a", "--alphabet", "a,a"), "twice", None),
    ],
)
def test_errors_exit_2_with_caret(
    argv: tuple[str, ...], fragment: str, caret_column: int | None
) -> None:
    code, out, err = run(*argv)
    assert code == 2 and not out
    lines = err.splitlines()
    assert lines[0].startswith("error: ") and fragment in lines[0]
    assert "Traceback" not in err
    if caret_column is None:
        assert len(lines) == 1
    else:
        assert lines[1] == "    " + argv[1] and lines[2] == " " * (caret_column + 2) + "^"
