"""Symbols that are not names (issue 15): `alphabet 0 1`, `<…>`, quoted, `i` and `j`.

Every form parses to the same symbol, bad symbols are positioned errors (exit 2), every symbol
written by `symbol_text` reads back as itself, and FLaRe / Tomita-style DFAs over `0 1` (and
over symbols like `(0` and `>`) compile into programs proved for all lengths, unrenamed.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier import check_file, check_text
from verifier.api import read_program, run
from verifier.cli import dispatch
from verifier.compile import compile_program
from verifier.errors import UserError
from verifier.interop.brasp import parse_brasp, translate_brasp
from verifier.syntax import ast
from verifier.syntax.parser import parse_text
from verifier.syntax.symbols import RESERVED, alphabet_line, symbol_problem, symbol_text

ROOT = Path(__file__).resolve().parents[2]


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = dispatch(list(argv), out, err)
    return int(status), out.getvalue(), err.getvalue()


def _statuses(source: str) -> list[str]:
    return [c.verdict.status.value for c in check_text(source).claims]


# --- parsing -------------------------------------------------------------------------------


def test_every_form_names_the_same_symbol() -> None:
    program = read_program('alphabet 0 1 <(0> ">" i j <and> "x\\"y" 0b\n'
                           'x = <0> or "1" or "(0" or ">" or i or j or <and> or <x"y> or "0b"\n'
                           "accept rightmost(select(local 1), x)\n")
    assert program.alphabet == ("0", "1", "(0", ">", "i", "j", "and", 'x"y', "0b")
    for symbol in program.alphabet:
        assert run(program, [symbol]).accepted
    assert not run(program, []).accepted


def test_symbol_atoms_are_names_marked_as_symbols_also_indexed() -> None:
    module = parse_text('alphabet 0 ">"\nx = select(global, where: <0>[j] and ">"[i])\n'
                        "accept <0>\n")
    accept = module.statements[-1]
    assert isinstance(accept, ast.Accept)
    assert accept.expr == ast.Name("0", accept.expr.span, symbol=True)
    define = module.statements[1]
    assert isinstance(define, ast.Define) and isinstance(define.expr, ast.Select)
    where = define.expr.where
    assert isinstance(where, ast.Binary)
    assert isinstance(where.left, ast.Indexed) and where.left.symbol
    assert (where.left.name, where.left.index) == ("0", "j")
    assert isinstance(where.right, ast.Indexed) and (where.right.name, where.right.index) == (
        ">", "i")


def test_comparisons_still_read_next_to_angle_symbols() -> None:
    source = ("alphabet a b <0>\nprecision fixed(4, 4)\nx = (a<b)\ny = (x<b)==(b>x)\n"
              "z = a<<0> and <0><=b and a <= <0>\nw = 1<2\n"
              "accept y and not x and w and (z or not z)\nassert recognizes regex \".*\"\n")
    assert _statuses(source) == ["proved"]
    module = parse_text(source)
    x = module.statements[2]
    assert isinstance(x, ast.Define) and isinstance(x.expr, ast.Compare)
    assert x.expr.op == "<"


def test_i_and_j_are_symbols() -> None:
    source = ('alphabet i j a\nprecision fixed(4, 4)\nprev_i = rightmost(select(local 1), i)\n'
              "seen_j = rightmost(select(global, where: j[j] and not i[i]), true)\n"
              "accept prev_i and not seen_j\n"
              'assert recognizes regex "[ai]*i"\nassert accepts "aai"\nassert rejects "ij"\n')
    assert _statuses(source) == ["proved", "proved", "proved"]


def test_claims_over_digits_in_every_language_form() -> None:
    source = ("alphabet 0 1\nprecision fixed(4, 4)\n"
              "accept aggregate(select(local 1), <1>) > 0.5\n"
              'language ends_1 = regex "(0|1)*1"\n'
              'assert recognizes ltl "Y 1"\nassert recognizes regex "(0|<1>)*<1>"\n'
              "assert recognizes ends_1\nassert accepts \"0101\"\nassert rejects \"10\"\n")
    assert _statuses(source) == ["proved"] * 5


def test_words_over_digits_run_together_and_multi_character_ones_apart() -> None:
    program = read_program("alphabet 0 1\naccept rightmost(select(local 1), <1>)\n")
    assert run(program, "0101").accepted and not run(program, "10").accepted
    program = read_program('alphabet <(0> ">" a\naccept rightmost(select(local 1), ">")\n')
    assert run(program, "a (0 >").accepted and not run(program, "> a").accepted


# --- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(("source", "position", "message"), [
    ("alphabet a <>\naccept a\n", (1, 12), "a symbol cannot be empty"),
    ('alphabet a "a b"\naccept a\n', (1, 12), "contains whitespace"),
    ('alphabet a ""\naccept a\n', (1, 12), "a symbol cannot be empty"),
    ("alphabet 0 1 <0>\naccept true\n", (1, 14), "symbol '0' listed twice"),
    ('alphabet 0 1 "1"\naccept true\n', (1, 14), "symbol '1' listed twice"),
    ("alphabet 0 1\naccept <2>\n", (2, 8), "unknown symbol '2': not in the alphabet 0 1"),
    ('alphabet 0 1\naccept "a"[i]\n', (2, 8), "outside a selector"),
    ("alphabet 0 1\naccept <>\n", (2, 8), "a symbol cannot be empty"),
    ("alphabet a and\naccept a\n", (1, 12), "write the symbol as <and>"),
    ("alphabet a <eos>\naccept a\n", (1, 12), "'eos' names the end position"),
    ("alphabet a\nx = true\naccept <x>\n", (3, 8), "'x' is an s-op"),
    ("alphabet a <x>\nx = true\naccept a\n", (2, 1), "'x' is already defined"),
    ("alphabet 0\nx = select(global, where: <0>)\naccept true\n", (2, 27),
     "symbol '<0>' inside a selector"),
    ("alphabet 0 1\nx = 0 1\naccept true\n", (2, 7), "unexpected '1'"),
    ("alphabet 0 (\naccept true\n", (1, 12), "expected a symbol or end of line"),
    ("alphabet 0 1\naccept 1\n", (2, 8), "a bare 1 is a number: write the symbol as <1>"),
    ("alphabet 0 1\nx = 0 and <1>\naccept x\n", (2, 5), "write the symbol as <0>"),
])
def test_bad_symbols_are_positioned_errors(source: str, position: tuple[int, int],
                                           message: str, tmp_path: Path) -> None:
    with pytest.raises(UserError) as caught:
        read_program(source)
    first = caught.value.diagnostics[0]
    assert (first.span.line, first.span.column) == position, first.message
    assert message in first.message
    path = tmp_path / "bad.attn"
    path.write_text(source)
    status, _, err = _cli("check", str(path))
    assert status == 2
    assert f"bad.attn:{position[0]}:{position[1]}: error: " in err and message in err


# --- writing symbols -----------------------------------------------------------------------


def test_symbol_text_forms() -> None:
    assert [symbol_text(s) for s in ("a", "i", "0", "(0", ">", "and", 'a"<')] == [
        "a", "i", "<0>", "<(0>", '">"', "<and>", '"a\\"<"']
    assert [symbol_text(s, alphabet=True) for s in ("0", "01", "0b", "and", "eos_")] == [
        "0", "01", "0b", "<and>", "eos_"]
    for bad in ("", "a b", "eos", "\t"):
        assert symbol_problem(bad) is not None
        with pytest.raises(ValueError):
            symbol_text(bad)


_SYMBOLS = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=6).filter(
    lambda s: symbol_problem(s) is None and s not in ("uses__", "keys__"))


@settings(max_examples=300, deadline=None)
@given(st.lists(_SYMBOLS, min_size=1, max_size=4, unique=True))
def test_written_symbols_read_back(symbols: list[str]) -> None:
    uses = " or ".join(symbol_text(s) for s in symbols)
    keys = " or ".join(f"{symbol_text(s)}[j]" for s in symbols)
    source = (f"{alphabet_line(symbols)}\nuses__ = {uses}\n"
              f"keys__ = rightmost(select(global, where: {keys}), true)\n"
              "accept rightmost(select(local 1), uses__) and keys__\n")
    module = parse_text(source)
    alphabet = module.statements[0]
    assert isinstance(alphabet, ast.Alphabet)
    assert [s for s, _ in alphabet.symbols] == symbols
    define = module.statements[1]
    assert isinstance(define, ast.Define)
    names = []
    stack: list[ast.Expr] = [define.expr]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Binary):
            stack += [node.right, node.left]
        else:
            assert isinstance(node, ast.Name)
            names.append(node.name)
    assert names == symbols
    program = read_program(source)
    assert program.alphabet == tuple(symbols)
    assert all(run(program, [s]).accepted for s in symbols)


def test_reserved_words_are_written_in_angle_form() -> None:
    for word in sorted(RESERVED - {"eos"}):
        program = read_program(f"alphabet {symbol_text(word, alphabet=True)} a\n"
                               f"accept rightmost(select(local 1), {symbol_text(word)})\n")
        assert program.alphabet == (word, "a") and run(program, [word]).accepted


# --- compile: FLaRe / Tomita-style DFAs ----------------------------------------------------


def _dfa(alphabet: list[str], states: list[str], accept: list[str],
         delta: dict[str, dict[str, str]]) -> dict[str, object]:
    return {"alphabet": alphabet, "states": states, "start": states[0], "accept": accept,
            "delta": delta}


TOMITA1 = _dfa(["0", "1"], ["q0", "dead"], ["q0"],                       # 1*
               {"q0": {"1": "q0", "0": "dead"}, "dead": {"0": "dead", "1": "dead"}})
TOMITA2 = _dfa(["0", "1"], ["q0", "q1", "dead"], ["q0"],                 # (10)*
               {"q0": {"1": "q1", "0": "dead"}, "q1": {"0": "q0", "1": "dead"},
                "dead": {"0": "dead", "1": "dead"}})
SYMBOLS = _dfa(["(0", ">", "a"], ["q0", "q1"], ["q1"],                   # .* (0 .* > : (0 then >
               {"q0": {"(0": "q1", ">": "q0", "a": "q0"}, "q1": {"(0": "q1", ">": "q1", "a": "q1"}})
I_J = _dfa(["i", "j"], ["q0", "q1"], ["q1"],                             # some j
           {"q0": {"i": "q0", "j": "q1"}, "q1": {"i": "q1", "j": "q1"}})


@pytest.mark.parametrize(("name", "document", "arch", "words"), [
    ("tomita1", TOMITA1, "global", {"": True, "111": True, "101": False}),
    ("tomita2", TOMITA2, "hybrid", {"": True, "1010": True, "0": False, "1001": False}),
    ("symbols", SYMBOLS, "global", {"(0 >": True, "a >": False, "> (0": True}),
    ("i_j", I_J, "global", {"i i j": True, "i": False}),
])
def test_dfa_over_non_name_symbols_compiles_and_is_proved(
        name: str, document: dict[str, object], arch: str, words: dict[str, bool],
        tmp_path: Path) -> None:
    dfa_path = tmp_path / f"{name}.json"
    dfa_path.write_text(json.dumps(document))
    out = tmp_path / f"{name}.attn"
    status, _, err = _cli("compile", f"dfa:{dfa_path}", "--arch", arch, "-o", str(out))
    assert status == 0, err
    text = out.read_text()
    alphabet = document["alphabet"]
    assert isinstance(alphabet, list)
    assert f"\n{alphabet_line(alphabet)}\n" in text         # the symbols, not renamed
    assert "renamed" not in text
    result = check_file(out)
    assert [c.verdict.status.value for c in result.claims] == ["proved"]
    assert "unbounded" in result.claims[0].verdict.method  # all lengths
    program = read_program(text, base_dir=tmp_path)
    assert program.alphabet == tuple(alphabet)
    for word, accepted in words.items():
        assert run(program, word).accepted is accepted, word
    status, _, _ = _cli("check", str(out))
    assert status == 0


def test_compiled_expressions_write_symbols_in_angle_form() -> None:
    compiled = compile_program("regex:(10)*", "hybrid", ["0", "1"])
    assert "\nalphabet 0 1\n" in compiled.text
    assert "<0>" in compiled.text and "<1>" in compiled.text
    names = re.findall(r"^(\w+) =", compiled.text, re.MULTILINE)
    assert names and all(re.fullmatch(r"[A-Za-z_]\w*", n) for n in names)


def test_eos_cannot_be_compiled() -> None:
    status, out, err = _cli("compile", "ltl:P eos", "--arch", "global")
    assert status == 2 and out == "" and "'eos'" in err


def test_refuted_claim_output_shows_the_symbols(tmp_path: Path) -> None:
    path = tmp_path / "p.attn"
    path.write_text('alphabet <(0> ">" a\nprecision fixed(4, 4)\n'
                    'accept rightmost(select(local 1), ">")\nassert accepts "(0 a"\n')
    status, out, _ = _cli("check", str(path))
    assert status == 1
    assert "counterexample: (0 a (length 2)" in out
    assert "1:(0" in out and "2:a" in out
    status, out, _ = _cli("check", str(path), "--format", "json")
    assert json.loads(out)["files"][0]["claims"][0]["counterexample"]["word"] == ["(0", "a"]


def test_brasp_import_keeps_the_symbols() -> None:
    source = 'alphabet 0 1 >\nx = symbol 0\ny = symbol >\nout = x | y\n'
    text = translate_brasp(parse_brasp(source))
    assert '\nalphabet 0 1 ">"\n' in text and "renamed" not in text
    program = read_program(text)
    assert run(program, "1 0").accepted and run(program, "0 >").accepted
    assert not run(program, "1 1").accepted


def test_the_example_proof_is_proved() -> None:
    result = check_file(ROOT / "proofs" / "symbols" / "flare_tomita2.attn")
    assert result.error is None
    assert [c.verdict.status.value for c in result.claims] == ["proved"] * len(result.claims)
    assert len(result.claims) >= 3
