"""`verifier import brasp`: eleven B-RASP example programs of the B-RASP verifier
(github.com/hongjianjiang/llm_verification, MIT licence: see LICENSE-examples) are imported and
their stated languages proved for all lengths; the translation agrees with an independent
B-RASP evaluator (BOS at position 0, output at the last symbol) on every short word; malformed
text is a positioned error with exit status 2."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

import pytest

from verifier.api import read_program, run
from verifier.cli import dispatch
from verifier.interop.brasp import (
    Const,
    Definition,
    Expr,
    Nary,
    Not,
    Ref,
    parse_brasp,
    translate_brasp,
)

EXAMPLES = Path(__file__).parent / "examples"
FILES = sorted(EXAMPLES.glob("*.brasp"))


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = dispatch(list(argv), out, err)
    return status, out.getvalue(), err.getvalue()


def test_the_acceptance_set() -> None:
    names = {f.stem for f in FILES}
    assert len(names) >= 10
    assert any(n.startswith("dot_depth") for n in names)
    first = [n for n in names if n.startswith("first__k-")]
    assert first and int(first[0].split("-")[-1]) >= 10


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_imported_and_proved(path: Path, tmp_path: Path) -> None:
    target = tmp_path / (path.stem + ".attn")
    status, _, err = _cli("import", "brasp", str(path), "-o", str(target))
    assert status == 0, err
    assert "assert recognizes" in target.read_text()
    status, out, err = _cli("check", str(target), "--quiet")
    assert status == 0, out + err
    assert "1 proved, 0 refuted" in out


# --- an independent reference: the B-RASP semantics, position 0 = BOS -------------------


def _value(expr: Expr, values: dict[str, list[bool]], query: int, key: int) -> bool:
    if isinstance(expr, Const):
        return expr.value
    if isinstance(expr, Ref):
        return values[expr.name][query if expr.at == "i" else key]
    if isinstance(expr, Not):
        return not _value(expr.arg, values, query, key)
    assert isinstance(expr, Nary)
    parts = [_value(a, values, query, key) for a in expr.args]
    return all(parts) if expr.op == "&" else any(parts)


def _column(d: Definition, word: tuple[str, ...], values: dict[str, list[bool]]) -> list[bool]:
    column = []
    for p in range(len(word) + 1):
        if d.kind == "bos":
            column.append(p == 0)
        elif d.kind == "symbol":
            column.append(p > 0 and word[p - 1] == d.symbol)
        elif d.kind in ("const", "bool"):
            assert d.expr is not None
            column.append(_value(d.expr, values, p, p))
        else:
            assert d.score is not None and d.value is not None
            keys = [q for q in range(p) if _value(d.score, values, p, q)]
            if not keys:
                column.append(False)
            else:
                key = max(keys) if d.kind == "rightmost" else min(keys)
                column.append(_value(d.value, values, p, key))
    return column


def brasp_accepts(source: str, word: tuple[str, ...]) -> bool:
    """B-RASP's own reading of SOURCE on WORD: the output at position len(word)."""
    program = parse_brasp(source)
    values: dict[str, list[bool]] = {}
    for definition in program.definitions:
        values[definition.name] = _column(definition, word, values)
    return values[program.output][len(word)]


@pytest.mark.parametrize("path", [f for f in FILES if not f.stem.startswith("first")],
                         ids=lambda p: p.stem)
def test_agrees_with_the_brasp_semantics(path: Path) -> None:
    source = path.read_text()
    status, text, err = _cli("import", "brasp", str(path))
    assert status == 0, err
    program = read_program(text)
    alphabet = parse_brasp(source).alphabet
    for n in range(7):
        for word in itertools.product(alphabet, repeat=n):
            assert run(program, word).accepted == brasp_accepts(source, word), word


def test_a_wrong_language_is_refuted(tmp_path: Path) -> None:
    source = (EXAMPLES / "a_is_last.brasp").read_text().replace('"Y a"', '"Y b"')
    (tmp_path / "x.brasp").write_text(source)
    status, _, err = _cli("import", "brasp", str(tmp_path / "x.brasp"), "-o",
                          str(tmp_path / "x.attn"))
    assert status == 0, err
    status, out, _ = _cli("check", str(tmp_path / "x.attn"))
    assert status == 1 and "REFUTED" in out


def test_query_side_values_bos_and_renaming() -> None:
    source = ("alphabet a i\nx = symbol a\nb0 = bos\n"
              "not = rightmost(true, x@i & !x@j | b0@j)\nand = leftmost(x@j, !x@i)\n"
              "out = not | and\n")
    text = translate_brasp(parse_brasp(source))
    assert "renamed: 'not' -> not_" in text and "renamed: 'i'" not in text
    assert "alphabet a i\n" in text  # `i` and `j` are symbols like any other
    checked = read_program(text)
    for n in range(6):
        for word in itertools.product(("a", "i"), repeat=n):
            assert run(checked, word).accepted == brasp_accepts(source, word), word


def test_symbols_are_kept_unless_attn_cannot_have_them() -> None:
    source = ('alphabet 0 "(" > not "a b" s_a20b eos\nx = symbol 0\ny = symbol "("\n'
              "z = symbol >\nw = symbol not\nv = symbol s_a20b\nout = x | y | z | w | v\n")
    text = translate_brasp(parse_brasp(source))
    assert 'alphabet 0 <(> ">" <not> s_a20b_ s_a20b eos_\n' in text
    assert "renamed: 'a b' -> s_a20b_" in text and "renamed: 'eos' -> eos_" in text
    checked = read_program(text)
    for n in range(3):
        for word in itertools.product(("0", "(", ">", "not", "s_a20b"), repeat=n):
            assert run(checked, word).accepted == brasp_accepts(source, word), word


BAD = [
    ("alphabet a b\nx = symbol a\ny = rightmost(x@j, \n", 3, "expected an expression"),
    ("alphabet a b\nx = y & a\n", 2, "undefined name 'y'"),
    ("alphabet a b\nx = symbol a\nx = symbol b\n", 3, "already defined"),
    ("x = symbol a\n", 1, "missing 'alphabet"),
    ("alphabet a b\nx = symbol a\ny = x@j\n", 3, "only allowed inside"),
    ("alphabet a b\nx = symbol a\ny = rightmost[future](true, x@j)\n", 3, "future-masked"),
    ("alphabet a b\nx = symbol a\ny = (x | x\n", 3, "missing ')'"),
    ("alphabet a b\nx = symbol a\noutput z\n", 3, "undefined output 'z'"),
    ("alphabet a b\nx = symbol a\ny = rightmost(x@k, true)\n", 3, "expected i or j"),
    ("alphabet a a\nx = symbol a\n", 1, "appears twice"),
    ("alphabet a b\nx = symbol a\nhello\n", 3, "expected 'NAME = EXPRESSION'"),
    ("alphabet a b\n1x = symbol a\n", 2, "invalid subprogram name"),
    ("alphabet a b\nx = const maybe\n", 2, "expected true or false"),
    ("alphabet a b\nx = symbol a\ny = x x\n", 3, "unexpected trailing text"),
    ("alphabet a b\nx = symbol a\ny = x & x)\n", 3, "unexpected trailing text"),
]


@pytest.mark.parametrize(("source", "line", "message"), BAD)
def test_malformed_text_is_a_positioned_error(source: str, line: int, message: str,
                                              tmp_path: Path) -> None:
    path = tmp_path / "bad.brasp"
    path.write_text(source)
    status, out, err = _cli("import", "brasp", str(path))
    assert status == 2 and not out
    assert f"bad.brasp:{line}:" in err and message in err and "Traceback" not in err
    assert "^" in err


def test_a_bad_claim_is_reported_at_its_comment(tmp_path: Path) -> None:
    path = tmp_path / "c.brasp"
    path.write_text('alphabet a b\n# assert recognizes regex "(a|"\nx = symbol a\n')
    status, _, err = _cli("import", "brasp", str(path))
    assert status == 2 and "c.brasp:2:" in err and "in the claim" in err


def test_output_file_is_not_replaced_without_force(tmp_path: Path) -> None:
    source = EXAMPLES / "a_is_last.brasp"
    target = tmp_path / "o.attn"
    target.write_text("keep")
    status, _, err = _cli("import", "brasp", str(source), "-o", str(target))
    assert status == 2 and "--force" in err and target.read_text() == "keep"
    assert _cli("import", "brasp", str(source), "-o", str(target), "--force")[0] == 0
    assert _cli("import", "brasp", str(tmp_path / "missing.brasp"))[0] == 2
