"""`verifier compile` end to end (through a local parser that calls `register`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from compile_support import run_cli

from verifier.checking import check_file, exit_status


def test_stdout_program_for_the_spec_example() -> None:
    status, out, err = run_cli(["compile", "ltl:P(b & Y a)", "--arch", "hybrid",
                                "--alphabet", "a,b"])
    assert (status, err) == (0, "")
    assert out.startswith("# Compiled by `verifier compile`")
    assert 'assert recognizes ltl "P(b & Y a)"' in out


@pytest.mark.parametrize(("lang", "arch"), [("ltl:H(a -> Y<=2 b)", "hybrid"),
                                            ("regex:c*a(a|c)*", "global"),
                                            ("regex:.*ab", "local")])
def test_output_file_passes_verifier_check(tmp_path: Path, lang: str, arch: str) -> None:
    target = tmp_path / "out" / "prog.attn"
    target.parent.mkdir()
    status, out, err = run_cli(["compile", lang, "--arch", arch, "--alphabet", "a,b,c",
                                "-o", str(target)])
    assert (status, out) == (0, "")
    assert err.startswith(f"wrote {target}: ")
    result = check_file(target)
    assert exit_status([result]) == 0 and len(result.claims) == 1


def test_dfa_file_from_the_working_directory(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("first_b.json").write_text(
        '{"alphabet": ["a", "b"], "states": ["s", "y"], "start": "s", "accept": ["y"],'
        ' "delta": {"s": {"b": "y"}, "y": {"a": "y", "b": "y"}}}')
    Path("progs").mkdir()
    status, _, err = run_cli(["compile", "dfa:first_b.json", "--arch", "global",
                              "-o", "progs/first_b.attn"])
    assert status == 0, err
    text = Path("progs/first_b.attn").read_text()
    assert 'assert recognizes dfa "../first_b.json"' in text
    assert exit_status([check_file(Path("progs/first_b.attn"))]) == 0


@pytest.mark.parametrize(("argv", "needle"), [
    (["ltl:Y a", "--arch", "global", "--alphabet", "a,b"], "witness against LTL[P]:"),
    (["ltl:P(a & !P true)", "--arch", "local", "--alphabet", "a,b"],
     "witness against LTL[Y]:"),
    (["regex:(ab)*", "--arch", "global"], "recognizes exactly LTL[P]"),
    (["regex:(a(ab)*b)*", "--arch", "hybrid"], "witness against LTL[P,Y]:"),
    (["ltl:P(a", "--arch", "global"], "missing ')'"),
    (["ltl:P c", "--arch", "global", "--alphabet", "a,b"], "c"),
    (["ltl:Y<=9 a", "--arch", "local", "--precision", "fixed(4, 4)"], "attention span 7"),
    (["ltl:P a", "--arch", "global", "--precision", "fixed(1, 1)"], "--precision"),
    (["ltl:P a", "--arch", "global", "--precision", "fixed(4, 4)\naccept true"],
     "one line"),
    (["ltl:P a", "--arch", "global", "--alphabet", "a,,b"], "empty symbol"),
    (["ltl:P eos", "--arch", "global"], "cannot be a symbol in .attn"),
    (["ltl:P a", "--arch", "global", "-o", "/nonexistent/dir/x.attn"], "cannot write"),
])
def test_usage_errors_exit_2(argv: list[str], needle: str) -> None:
    status, out, err = run_cli(["compile", *argv])
    assert status == 2 and out == ""
    assert err.startswith("error: ") and needle in err


def test_unknown_architecture_is_an_argparse_error() -> None:
    assert run_cli(["compile", "ltl:P a", "--arch", "quantum"])[0] == 2
