"""The checker: what it accepts (bool -> num, -8 in fixed(4, 4), …) and known bugs (xfail)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from verifier.check.types import Type
from verifier.errors import UserError
from verifier.ir.nodes import Op
from verifier.pipeline import check_text, compile_text

BAD = Path(__file__).parent / "bad"


def diagnostics(source: str) -> list[tuple[int, int, str]]:
    with pytest.raises(UserError) as caught:
        compile_text(source, "t.attn")
    return [(d.span.line, d.span.column, d.message) for d in caught.value.diagnostics]


def types_of(source: str) -> dict[str, Type]:
    checked = check_text(source, "t.attn")
    return {d.name: checked.types[d.expr] for d in checked.definitions}


def test_bool_arithmetic_is_accepted_as_num() -> None:
    types = types_of("alphabet a b\n"
                     "s = a + b\nt = true * 2 - eos\nu = -a\nv = min(a, 0.5)\nw = exp(b)\n"
                     "c = a < b\nm = if a then 1 else b\nk = if a then b else eos\n"
                     "h = aggregate(select(global), a, default: true)\n"
                     "l = leftmost(select(global), a + 1)\n"
                     "accept (a + b) * true > 0 and k\n")
    assert types == {"s": Type.NUM, "t": Type.NUM, "u": Type.NUM, "v": Type.NUM,
                     "w": Type.NUM, "c": Type.BOOL, "m": Type.NUM, "k": Type.BOOL,
                     "h": Type.NUM, "l": Type.NUM}


def test_bool_to_num_is_lowered_to_zero_or_one() -> None:
    program = compile_text("alphabet a b\ns = a + b\naccept s > 0\n", "t.attn")
    assert Op.TO_NUM in {node.op for node in program.nodes}


@pytest.mark.parametrize(("literal", "ok"), [
    ("-8", True), ("7.9375", True), ("0.0625", True), ("-0.0625", True), ("0", True),
    ("8", False), ("0.8", False), ("-8.0625", False), ("0.03125", False), ("100", False),
])
def test_representable_literals_in_fixed_4_4(literal: str, ok: bool) -> None:
    source = f"alphabet a\nprecision fixed(4, 4)\nx = {literal}\naccept x < 1\n"
    if ok:
        program = compile_text(source, "t.attn")
        raw = int(Fraction(literal) * 16)
        assert raw in {node.const for node in program.nodes if node.op is Op.CONST}
    else:
        [(line, column, message)] = diagnostics(source)
        assert (line, column) == (3, 5)
        assert message.startswith(f"literal {literal} is not exactly representable")


def test_representability_follows_the_format() -> None:
    small = compile_text("alphabet a\nprecision fixed(2, 1)\nx = -2 + 1.5\naccept x < 1\n", "t")
    assert {-4, 3} <= {node.const for node in small.nodes if node.op is Op.CONST}
    assert diagnostics("alphabet a\nprecision fixed(2, 1)\nx = 0.25\naccept x < 1\n")
    assert diagnostics("alphabet a\nprecision fixed(2, 1)\nx = 2\naccept x < 1\n")
    wide = compile_text("alphabet a\nx = 127.99609375 + -128\naccept x < 1\n", "t")  # (8, 8)
    assert {32767, -32768} <= {node.const for node in wide.nodes if node.op is Op.CONST}


def test_a_named_selector_is_shared_by_two_heads() -> None:
    program = compile_text("alphabet a b\nprev = select(local 1)\nx = leftmost(prev, a)\n"
                           "y = aggregate(prev, b)\naccept x or y > 0.5\n", "t.attn")
    heads = [program.nodes[i] for i in program.attention_nodes()]
    assert len(heads) == 2
    assert heads[0].selector == heads[1].selector
    assert [name for name, _ in program.named] == ["x", "y"]


def test_every_diagnostic_names_the_file() -> None:
    with pytest.raises(UserError) as caught:
        compile_text("alphabet a b\naccept c\n", "dir/prog.attn")
    assert caught.value.render().startswith("dir/prog.attn:2:8: error: undefined name 'c'")


@pytest.mark.parametrize(("source", "fragment"), [
    ("alphabet a b\ns = select(global)\naccept s\n", "got a selector"),
    ("alphabet a b\nh = aggregate(a, b)\naccept h > 0\n", "expected a selector"),
    ("alphabet a b\nh = aggregate(select(global, score: a[j] + b[k]), b)\naccept h > 0\n",
     "index must be 'i' (query) or 'j' (key)"),
    ("alphabet a b\nh = aggregate(select(global, where: select(global)), b)\naccept h > 0\n",
     "select() inside a selector"),
    ("alphabet a b\nh = leftmost(select(global, where: a[j]), a, default: 0.5)\naccept h\n",
     "expected a bool in default:"),
    ("alphabet a b\nlanguage a = regex \"a\"\naccept eos\n", "already defined"),
    ("alphabet a b\ni = a\naccept eos\n", "reserved"),
    ("alphabet a b\nx = exp(a, b)\naccept x > 0\n", "exp() takes 1 argument, got 2"),
    ("alphabet a b\nh = aggregate(select(local 0), a)\naccept h > 0\n",
     "local window must be at least 1"),
    ("alphabet a b\nprecision fixed(4, 4) rounding down rounding up\naccept eos\n",
     "'rounding' must be one of"),
])
def test_more_checker_errors(source: str, fragment: str) -> None:
    found = diagnostics(source)
    assert any(fragment in message for _, _, message in found), found


# --- regressions: bugs found by review, now fixed ---


@pytest.mark.parametrize("name", ["forward_reference", "undefined_name", "num_where_bool",
                                  "index_outside_selector"])
def test_an_error_in_a_definition_does_not_cascade(name: str) -> None:
    with pytest.raises(UserError) as caught:
        compile_text((BAD / f"{name}.attn").read_text(), f"{name}.attn")
    assert len(caught.value.diagnostics) == 1, caught.value.render()


@pytest.mark.parametrize("text", ["a and", "a +", "a *", "a <", "a or"])
def test_missing_operand_says_an_expression_is_expected(text: str) -> None:
    [(line, _, message)] = diagnostics(f"alphabet a b\nx = {text}\naccept true\n")
    assert line == 2
    assert message == "unexpected end of line; expected an expression"


def test_an_unclosed_parenthesis_is_one_error() -> None:
    with pytest.raises(UserError) as caught:
        compile_text((BAD / "unbalanced_paren.attn").read_text(), "unbalanced_paren.attn")
    assert len(caught.value.diagnostics) == 1, caught.value.render()


def test_minus_before_a_parenthesis_is_not_part_of_the_literal() -> None:
    found = diagnostics("alphabet a\nprecision fixed(4, 4)\nx = -(8)\naccept x < 0\n")
    assert any("literal 8 is not exactly representable" in m for _, _, m in found), found


@pytest.mark.parametrize("options", ["where: a[j], where: b[j]", "score: a[j], score: b[j]"])
def test_a_repeated_selector_option_is_refused(options: str) -> None:
    found = diagnostics(f"alphabet a b\nh = aggregate(select(global, {options}), a)\n"
                        "accept h > 0\n")
    assert found and found[0][0] == 2


def test_a_selector_alias_lowers_or_is_refused() -> None:
    source = ("alphabet a b\ns = select(global)\ns2 = s\nh = aggregate(s2, a)\n"
              "accept h > 0.5\n")
    try:
        program = compile_text(source, "t.attn")
    except UserError:
        return  # refusing aliases with a diagnostic would be fine too
    assert len(program.attention_nodes()) == 1


def test_word_error_column_after_an_escape() -> None:
    source = 'alphabet a b\naccept eos\nassert accepts "a\\"b"\n'
    [(line, column, message)] = diagnostics(source)
    assert message.startswith("unknown symbol '\"'")
    assert (line, column) == (3, 19)  # the quote character itself, not the backslash at 18
