"""The parser: precedence, associativity, literals, line structure and comments (spec 3-4)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from verifier.errors import UserError
from verifier.pipeline import compile_text
from verifier.syntax import ast
from verifier.syntax.parser import parse_text


def sexpr(expr: ast.Expr) -> str:
    """EXPR as a fully parenthesized prefix string."""
    match expr:
        case ast.Number(text=text):
            return text
        case ast.BoolLit(value=value):
            return "true" if value else "false"
        case ast.Name(name=name):
            return name
        case ast.Indexed(name=name, index=index):
            return f"{name}[{index}]"
        case ast.Unary(op=op, operand=operand):
            return f"({op} {sexpr(operand)})"
        case ast.Binary(op=op, left=left, right=right) | ast.Compare(op=op, left=left,
                                                                    right=right):
            return f"({op} {sexpr(left)} {sexpr(right)})"
        case ast.Call(func=func, args=args):
            return f"({func} {' '.join(sexpr(a) for a in args)})"
        case ast.Ite(cond=cond, then=then, orelse=orelse):
            return f"(if {sexpr(cond)} {sexpr(then)} {sexpr(orelse)})"
        case ast.Select():
            return "select"
        case ast.Attend(kind=kind, selector=selector, value=value):
            return f"({kind} {sexpr(selector)} {sexpr(value)})"
    raise AssertionError(expr)


def definitions(source: str) -> dict[str, ast.Define]:
    module = parse_text(source, "t.attn")
    return {s.name: s for s in module.statements if isinstance(s, ast.Define)}


def parse_expr(text: str) -> str:
    return sexpr(definitions(f"alphabet a b\nx = {text}\naccept true\n")["x"].expr)


@pytest.mark.parametrize(("text", "tree"), [
    # if/then/else is the loosest, like Python's conditional expression
    ("if c then x else y or z", "(if c x (or y z))"),
    ("if c then x or y else z", "(if c (or x y) z)"),
    ("if a then if b then x else y else z", "(if a (if b x y) z)"),
    ("if a or b then 1 else 2", "(if (or a b) 1 2)"),
    # or < and < not < comparisons < + - < * < unary -
    ("a or b and c", "(or a (and b c))"),
    ("a and b or c", "(or (and a b) c)"),
    ("not a and b", "(and (not a) b)"),
    ("not a or not b", "(or (not a) (not b))"),
    ("not not a", "(not (not a))"),
    ("not p < q", "(not (< p q))"),
    ("p < q and q >= r", "(and (< p q) (>= q r))"),
    ("p + q < r * s", "(< (+ p q) (* r s))"),
    ("p + q * r", "(+ p (* q r))"),
    ("p * q + r", "(+ (* p q) r)"),
    ("-p * q", "(* (neg p) q)"),
    ("-p + q", "(+ (neg p) q)"),
    ("- -p", "(neg (neg p))"),
    ("(p + q) * r", "(* (+ p q) r)"),
    # binary operators of one level associate to the left
    ("p - q - r", "(- (- p q) r)"),
    ("p - q + r", "(+ (- p q) r)"),
    ("p * q * r", "(* (* p q) r)"),
    ("a or b or c", "(or (or a b) c)"),
    ("a and b and c", "(and (and a b) c)"),
    # every comparison
    ("p <= q", "(<= p q)"), ("p > q", "(> p q)"), ("p == q", "(== p q)"), ("p != q", "(!= p q)"),
    # calls and attention
    ("min(p, max(q, r))", "(min p (max q r))"),
    ("abs(-p) + relu(p) * exp(q)", "(+ (abs (neg p)) (* (relu p) (exp q)))"),
    ("aggregate(s, a) + 1", "(+ (aggregate s a) 1)"),
])
def test_precedence_and_associativity(text: str, tree: str) -> None:
    assert parse_expr(text) == tree


@pytest.mark.parametrize(("text", "tree"), [
    ("-3", "-3"),
    ("-0.25", "-0.25"),
    ("p - 3", "(- p 3)"),
    ("p -3", "(- p 3)"),
    ("p * -3", "(* p -3)"),
    ("p - -3", "(- p -3)"),
    ("-3 * p", "(* -3 p)"),
])
def test_minus_directly_before_a_number_is_part_of_the_literal(text: str, tree: str) -> None:
    assert parse_expr(text) == tree


def test_negative_literal_value_and_span() -> None:
    number = definitions("alphabet a\nx = -0.25\naccept true\n")["x"].expr
    assert isinstance(number, ast.Number)
    assert number.value == Fraction(-1, 4)
    assert (number.span.line, number.span.column) == (2, 5)


@pytest.mark.parametrize("text", ["a < b < c", "p == q == r", "p < q >= r", "0 < p < 1"])
def test_comparisons_do_not_chain(text: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_text(f"alphabet a b\nx = {text}\naccept true\n", "t.attn")
    first = caught.value.diagnostics[0]
    assert first.span.line == 2
    assert first.message.startswith("unexpected")


def test_a_line_continues_inside_parentheses() -> None:
    defs = definitions(
        "alphabet a b\n"
        "x = (a and    # a comment inside the parentheses\n"
        "     b)\n"
        "m = min(1,\n"
        "\n"
        "        2)\n"
        "h = aggregate(select(global,\n"
        "                     where: a[j]),\n"
        "              b)\n"
        "accept x\n"
    )
    assert sexpr(defs["x"].expr) == "(and a b)"
    assert sexpr(defs["m"].expr) == "(min 1 2)"
    assert defs["h"].span.line == 7 and defs["h"].span.end_line == 9


def test_a_line_break_outside_parentheses_ends_the_statement() -> None:
    with pytest.raises(UserError) as caught:
        parse_text("alphabet a b\nx = a and\n  b\naccept x\n", "t.attn")
    assert caught.value.diagnostics[0].span.line == 2


def test_comments_and_blank_lines() -> None:
    module = parse_text(
        "# leading comment\n\n   # indented comment\nalphabet a b   # trailing\n\n"
        "x = a # another\n# between\naccept x # last\n# final comment without newline",
        "t.attn",
    )
    kinds = [type(s).__name__ for s in module.statements]
    assert kinds == ["Alphabet", "Define", "Accept"]
    assert [s.span.line for s in module.statements] == [4, 6, 8]


def test_file_without_final_newline_parses() -> None:
    module = parse_text("alphabet a\naccept a", "t.attn")
    assert len(module.statements) == 2


def test_statements_and_spans() -> None:
    source = ('alphabet b0 a b1\nprecision fixed(3, 2) rounding down sums sequential\n'
              'language L = regex "a*"\nv = b0\naccept v\nassert accepts "b0 a"\n'
              'assert recognizes L up to 5\nassert not recognizes ltl "Y a"\n'
              'assert equivalent "other.attn" up to 3\nassert rejects ""\n')
    module = parse_text(source, "t.attn")
    alphabet, precision, language, define, accept, *asserts = module.statements
    assert isinstance(alphabet, ast.Alphabet)
    assert [s for s, _ in alphabet.symbols] == ["b0", "a", "b1"]
    assert isinstance(precision, ast.Precision)
    assert (precision.int_bits, precision.frac_bits) == (3, 2)
    assert [(k, v) for k, v, _ in precision.options] == [("rounding", "down"),
                                                        ("sums", "sequential")]
    assert isinstance(language, ast.LanguageDef) and language.name == "L"
    assert isinstance(define, ast.Define) and define.name_span.column == 1
    assert isinstance(accept, ast.Accept)
    claims = [a.claim for a in asserts if isinstance(a, ast.Assert)]
    assert [(c.kind, c.bound) for c in claims] == [
        ("accepts", None), ("recognizes", 5), ("not_recognizes", None), ("equivalent", 3),
        ("rejects", None)]
    assert claims[0].target == "b0 a"
    assert claims[0].target_span is not None and claims[0].target_span.column == 17
    assert claims[4].target == ""
    assert [a.text for a in asserts if isinstance(a, ast.Assert)][1] == "recognizes L up to 5"


def test_selector_options() -> None:
    defs = definitions("alphabet a b\n"
                       "h = aggregate(select(local 3, nonstrict, where: a[j], score: b[i]), a,"
                       " default: -1)\naccept true\n")
    attend = defs["h"].expr
    assert isinstance(attend, ast.Attend)
    selector = attend.selector
    assert isinstance(selector, ast.Select)
    assert (selector.scope, selector.window, selector.nonstrict) == ("local", 3, True)
    assert selector.where is not None and sexpr(selector.where) == "a[j]"
    assert selector.score is not None and sexpr(selector.score) == "b[i]"
    assert attend.default is not None and sexpr(attend.default) == "-1"


@pytest.mark.parametrize(("source", "line", "column"), [
    ("alphabet a b\nx = a and\naccept x\n", 2, 10),      # missing operand
    ("alphabet a b\nx = a and b)\naccept x\n", 2, 12),   # unbalanced ')'
    ("alphabet a b\nx = a $ b\naccept x\n", 2, 7),       # stray character
    ("alphabet a b\nx = a b\naccept x\n", 2, 7),         # two operands in a row
    ("alphabet a b\nx =\naccept x\n", 2, 4),             # nothing after "="
    ("alphabet a b\nx = min(a,)\naccept x\n", 2, 11),    # dangling comma
    ("alphabet a b\naccept\n", 2, 7),                     # accept without expression
])
def test_syntax_error_positions(source: str, line: int, column: int) -> None:
    with pytest.raises(UserError) as caught:
        parse_text(source, "t.attn")
    first = caught.value.diagnostics[0]
    assert (first.span.line, first.span.column) == (line, column), first.message
    assert first.path == "t.attn"


def test_independent_syntax_errors_on_several_lines_are_all_reported() -> None:
    with pytest.raises(UserError) as caught:
        parse_text("alphabet a b\nx = a $ b\ny = a b\nz = min(a,)\naccept x\n", "t.attn")
    assert [(d.span.line, d.span.column) for d in caught.value.diagnostics] == [
        (2, 7), (3, 7), (4, 11)]


def test_a_keyword_where_no_keyword_fits_is_still_an_error() -> None:
    # the contextual lexer reads `and` as a name here; the checker must still refuse it
    with pytest.raises(UserError) as caught:
        compile_text("alphabet a b\ny = and\naccept y\n", "t.attn")
    first = caught.value.diagnostics[0]
    assert (first.span.line, first.span.column) == (2, 5)
