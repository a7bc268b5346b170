"""Deep input (issue 9, recursion): valid programs of any depth are read and decided; input
nested past the documented limits is refused quickly, with its file and position.

The chain program is a head and then N negations (N even): it accepts exactly the words
with an `a`, whatever N, so every engine has a known answer.
"""

from __future__ import annotations

import io
import json
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from verifier.check.checker import CheckedProgram
from verifier.cli import dispatch
from verifier.ir.lower import lower
from verifier.ir.nodes import Program
from verifier.ir.walk import topological
from verifier.langs.dfa_json import MAX_JSON_DEPTH
from verifier.pipeline import compile_text
from verifier.syntax.parser import MAX_NESTING
from verifier.syntax.walk import Step, trampoline

CONTAINS_A = "(a|b)*a(a|b)*"


def chain(n: int) -> str:
    """A head, then N negations (N even): accepts the words with an `a`."""
    lines = ["alphabet a b", "precision fixed(4, 4)",
             "x0 = leftmost(select(global, nonstrict, where: a[j]), a)"]
    lines += [f"x{i} = not x{i - 1}" for i in range(1, n + 1)]
    lines += [f"accept x{n}", f'assert recognizes regex "{CONTAINS_A}"']
    return "\n".join(lines) + "\n"


def total(terms: int) -> str:
    """`s = a + a + … + a` (TERMS terms, one left-nested expression)."""
    return ("alphabet a b\nprecision fixed(12, 4)\ns = " + " + ".join(["a"] * terms)
            + "\naccept s > 1.5\n")


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = dispatch(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def _write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text)
    return str(path)


def _verdicts(out: str) -> list[str]:
    return [c["verdict"] for f in json.loads(out)["files"] for c in f["claims"]]


@pytest.fixture(scope="module")
def chain_files(tmp_path_factory: pytest.TempPathFactory) -> dict[int, str]:
    folder = tmp_path_factory.mktemp("chains")
    return {n: _write(folder, f"chain{n}.attn", chain(n)) for n in (2_000, 10_000)}


# --- valid deep programs are read and decided ------------------------------------------------


def test_a_10000_s_op_chain_runs(chain_files: dict[int, str]) -> None:
    for word, verdict in (("ba", "accepted"), ("bb", "rejected")):
        code, out, err = _run("run", chain_files[10_000], word)
        assert (code, err) == (0, "")
        assert out.startswith(f"{word}: {verdict}")


@pytest.mark.parametrize("engine", ["enumerate", "bounded"])
def test_a_2000_s_op_chain_is_decided_up_to_3(chain_files: dict[int, str], engine: str) -> None:
    code, out, err = _run("check", chain_files[2_000], "--engine", engine, "--lang",
                          f"regex:{CONTAINS_A}", "--up-to", "3", "--format", "json")
    assert (code, err) == (0, "")
    assert _verdicts(out) == ["proved"]


def test_a_2000_s_op_chain_is_proved_for_all_lengths(chain_files: dict[int, str]) -> None:
    code, out, err = _run("check", chain_files[2_000], "--engine", "unbounded",
                          "--cross-check", "--format", "json")
    assert (code, err) == (0, "")
    assert _verdicts(out) == ["proved"]


def test_a_2000_s_op_chain_is_extracted(chain_files: dict[int, str]) -> None:
    code, out, err = _run("extract", chain_files[2_000], "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out)["info"]["dfa_states"] == 2


@pytest.mark.slow
@pytest.mark.parametrize("argv", [
    ["info"],
    ["check", "--engine", "enumerate", "--lang", f"regex:{CONTAINS_A}", "--up-to", "3"],
    ["check", "--engine", "bounded", "--lang", f"regex:{CONTAINS_A}", "--up-to", "3"],
    ["check", "--engine", "unbounded", "--cross-check"],
    ["extract"],
    ["smt2", "--length", "3"],
])
def test_every_command_reads_a_10000_s_op_chain(chain_files: dict[int, str],
                                                argv: list[str]) -> None:
    code, out, err = _run(argv[0], chain_files[10_000], *argv[1:])
    assert (code, err) == (0, "")
    if argv[0] == "check":
        assert "1 proved, 0 refuted, 0 unknown" in out


def test_a_1000_term_sum_is_read(tmp_path: Path) -> None:
    path = _write(tmp_path, "sum.attn", total(1_000))
    code, out, err = _run("run", path, "ab", "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out)["trace"][0]["values"] == [1000, 0, 0]


def test_a_deep_selector_expression_is_evaluated_by_every_engine(tmp_path: Path) -> None:
    """A `where:` of 600 terms: the pair evaluators (interpreter, SMT, streaming) walk it."""
    terms = " + ".join(["a[j]"] * 600)
    source = ("alphabet a b\nprecision fixed(12, 4)\n"
              f"h = leftmost(select(global, nonstrict, where: {terms} > 0.5), a)\n"
              f'accept h\nassert recognizes regex "{CONTAINS_A}"\n')
    path = _write(tmp_path, "where.attn", source)
    assert _run("run", path, "ba")[1].startswith("ba: accepted")
    for engine in ("enumerate", "bounded"):
        code, out, _ = _run("check", path, "--engine", engine, "--lang", f"regex:{CONTAINS_A}",
                            "--up-to", "3", "--format", "json")
        assert (code, _verdicts(out)) == (0, ["proved"])
    code, out, _ = _run("check", path, "--engine", "unbounded", "--format", "json")
    assert (code, _verdicts(out)) == (0, ["proved"])


def test_deep_expressions_lower_like_shallow_ones() -> None:
    """`not` nested 5 000 deep, and brackets just inside the limit, read as usual."""
    nots = compile_text("alphabet a b\nprecision fixed(4, 4)\nx = " + "not " * 5_000
                        + "a\naccept x\n")
    assert len(nots.nodes) == 5_003
    inner = "(" * MAX_NESTING + "a" + ")" * MAX_NESTING
    brackets = compile_text(f"alphabet a b\nprecision fixed(4, 4)\naccept {inner}\n")
    assert brackets.nodes[brackets.accept].const == 0  # the symbol a


# --- input past the limits: refused quickly, with its file and position -----------------------


@contextmanager
def within_a_second_and_50_mb() -> Iterator[None]:
    tracemalloc.start()
    start = time.perf_counter()
    try:
        yield
    finally:
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert elapsed < 1.0, f"took {elapsed:.2f} s"
    assert peak < 50 * 2**20, f"allocated {peak} bytes"


def parens(n: int) -> str:
    return "alphabet a b\nprecision fixed(4, 4)\nx = " + "(" * n + "a" + ")" * n + "\naccept x\n"


def test_100000_nested_parentheses_are_refused_at_the_limit(tmp_path: Path) -> None:
    path = _write(tmp_path, "parens.attn", parens(100_000))
    with within_a_second_and_50_mb():
        code, out, err = _run("run", path, "ab")
    assert (code, out) == (2, "")
    column = len("x = ") + MAX_NESTING + 1
    assert err.startswith(f"{path}:3:{column}: error: brackets nested deeper than {MAX_NESTING}")


def test_unclosed_deep_brackets_are_refused_at_the_limit_too(tmp_path: Path) -> None:
    path = _write(tmp_path, "open.attn", "alphabet a b\nprecision fixed(4, 4)\nx = "
                  + "min(a, " * 100_000 + "\naccept x\n")
    with within_a_second_and_50_mb():
        code, _, err = _run("info", path)
    assert code == 2
    column = len("x = ") + len("min(a, ") * MAX_NESTING + len("min(")
    assert err.startswith(f"{path}:3:{column}: error: brackets nested")


def deep_json(n: int) -> str:
    return '{"alphabet": ["a"], "states": ' + "[" * n + "]" * n + "}"


def test_a_dfa_file_nested_100000_deep_is_refused_with_its_position(tmp_path: Path) -> None:
    dfa = _write(tmp_path, "deep.json", deep_json(100_000))
    column = len('{"alphabet": ["a"], "states": ') + MAX_JSON_DEPTH
    message = f"{dfa}:1:{column}: JSON nested deeper than {MAX_JSON_DEPTH} levels"
    with within_a_second_and_50_mb():
        code, _, err = _run("dfa", f"dfa:{dfa}")
    assert code == 2 and message in err
    program = _write(tmp_path, "p.attn", 'alphabet a\nprecision fixed(4, 4)\naccept a\n'
                     'assert recognizes dfa "deep.json"\n')
    with within_a_second_and_50_mb():
        code, _, err = _run("check", program)
    assert code == 2
    assert err.startswith(f"{program}:4:24: error: dfa: {message}")


def test_brackets_inside_json_strings_do_not_count(tmp_path: Path) -> None:
    name = '[{\\"' * 100
    document = {"alphabet": ["a"], "states": [name], "start": name, "accept": [name],
                "delta": {name: {"a": name}}}
    dfa = _write(tmp_path, "names.json", json.dumps(document))
    code, out, _ = _run("dfa", f"dfa:{dfa}")
    assert code == 0 and "1 states" in out


def test_check_dir_decides_the_good_files_next_to_a_too_deep_one(tmp_path: Path) -> None:
    _write(tmp_path, "a_deep.attn", parens(100_000))
    _write(tmp_path, "b_good.attn", chain(4))
    code, out, err = _run("check", str(tmp_path), "--format", "json")
    assert code == 2
    deep, good = json.loads(out)["files"]
    assert deep["errors"][0]["line"] == 3 and deep["claims"] == []
    assert [c["verdict"] for c in good["claims"]] == ["proved"]
    assert err.startswith(f"{tmp_path / 'a_deep.attn'}:3:")


def test_a_pass_that_still_recursed_would_be_that_files_error_only(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The net of pipeline.nesting_guard: a RecursionError names its file, positioned, and the
    other files are still decided."""
    import verifier.pipeline as pipeline

    def recursing(checked: CheckedProgram) -> Program:
        if "a_first" in checked.path:
            raise RecursionError("maximum recursion depth exceeded")
        return lower(checked)

    import verifier.checking as checking

    monkeypatch.setattr(pipeline, "lower", recursing)
    monkeypatch.setattr(checking, "lower", recursing)
    first = _write(tmp_path, "a_first.attn", chain(2))
    _write(tmp_path, "b_second.attn", chain(2))
    code, out, err = _run("check", str(tmp_path), "--format", "json")
    assert code == 2
    assert [c["verdict"] for f in json.loads(out)["files"] for c in f["claims"]] == ["proved"]
    assert err.startswith(f"{first}:1:1: error: nested too deeply for this verifier")
    code, _, err = _run("run", first, "a")
    assert code == 2 and err.startswith(f"{first}:1:1: error: nested too deeply")


# --- the walkers ------------------------------------------------------------------------------


def test_topological_is_the_recursive_post_order_without_recursion() -> None:
    children = {0: [1, 2], 1: [3], 2: [3, 1], 3: []}
    assert topological([0], lambda n: children[n]) == [3, 1, 2, 0]
    line = topological([100_000], lambda n: [n - 1] if n else [])
    assert line[:3] == [0, 1, 2] and len(line) == 100_001


def test_trampoline_keeps_the_order_and_the_exceptions_of_recursion() -> None:
    seen: list[int] = []

    def visit(n: int) -> Step[int, int]:
        seen.append(n)
        if n == 0:
            return 0
        if n == 7:
            raise KeyError(n)
        try:
            below: int = yield n - 1
        except KeyError:
            below = -1_000
        return below + 1

    # 7 raises; 8 catches it (-1 000 + 1); each level above adds one
    assert trampoline(visit(100_000), visit) == -1_000 + (100_000 - 7)
    assert seen[:3] == [100_000, 99_999, 99_998] and seen[-1] == 7
    assert trampoline(visit(3), visit) == 3
    with pytest.raises(KeyError):
        trampoline(visit(7), visit)
