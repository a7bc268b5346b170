"""The `ppltl` form: ltlf2dfa's pure-past LTL over propositions, read at the last instant with
non-strict O, H, S. Formulas from ltlf2dfa's README, issues and tests give the hand-derived
DFAs; every formula is compared with an independent evaluator of the PPLTL semantics (the
definitions of ltlf2dfa's MONA encoding, over traces of valuations) on all short words."""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Sequence

import pytest

from verifier.cli import dispatch
from verifier.langs import LanguageError, from_partial, minimal_dfa, parse_language
from verifier.langs.language import inferred_alphabet, parse_language_spec
from verifier.langs.ppltl import PNode, parse_ppltl, symbol_valuation

V2 = ["none", "a", "b", "a_b"]  # the valuations of {a, b}, in the inferred order


def holds_at(node: PNode, trace: Sequence[frozenset[str]], i: int) -> bool:
    """ltlf2dfa's semantics at instant I (0-based) of a non-empty TRACE of valuations."""
    op, args = node.op, node.args
    if op == "prop":
        return node.name in trace[i]
    if op in ("true", "false"):
        return op == "true"
    if op == "start":
        return i == 0
    if op == "!":
        return not holds_at(args[0], trace, i)
    if op == "&":
        return all(holds_at(a, trace, i) for a in args)
    if op == "|":
        return any(holds_at(a, trace, i) for a in args)
    if op == "->":  # ltlf2dfa's NNF folds a chain from the left
        value = holds_at(args[0], trace, i)
        for a in args[1:]:
            value = (not value) or holds_at(a, trace, i)
        return value
    if op == "<->":  # all equal
        values = {holds_at(a, trace, i) for a in args}
        return len(values) == 1
    if op == "Y":
        return i > 0 and holds_at(args[0], trace, i - 1)
    if op == "WY":
        return i == 0 or holds_at(args[0], trace, i - 1)
    if op == "O":
        return any(holds_at(args[0], trace, k) for k in range(i + 1))
    if op == "H":
        return all(holds_at(args[0], trace, k) for k in range(i + 1))
    if op == "S":  # exists x <= i: right(x) and left on (x, i]
        return any(holds_at(args[1], trace, x)
                   and all(holds_at(args[0], trace, y) for y in range(x + 1, i + 1))
                   for x in range(i + 1))
    assert op == "P"  # past release: not (not left S not right)
    return not any(not holds_at(args[1], trace, x)
                   and all(not holds_at(args[0], trace, y) for y in range(x + 1, i + 1))
                   for x in range(i + 1))


def valuation(symbol: str) -> frozenset[str]:
    """The independent reading of a valuation symbol: `none`, or names joined by `_`."""
    return frozenset() if symbol == "none" else frozenset(symbol.split("_"))


def brute_accepts(formula: str, word: Sequence[str]) -> bool:
    if not word:
        return False
    return holds_at(parse_ppltl(formula), [valuation(s) for s in word], len(word) - 1)


def table(alphabet: list[str], accepting: set[int], rows: dict[int, Sequence[int]]):
    edges = {(q, k): t for q, row in rows.items() for k, t in enumerate(row)}
    return minimal_dfa(from_partial(alphabet, len(rows), 0, accepting, edges))


# The five formulas of the acceptance, each with the DFA derived by hand over {a, b}'s
# valuations (none, a, b, a_b): state 0 is the empty word, which is never accepted.
HAND = {
    # ltlf2dfa README: "H(a -> Y b)". 1: fine, last without b; 2: fine, last with b; 3: dead.
    "H(a -> Y b)": table(V2, {1, 2}, {0: (1, 3, 2, 3), 1: (1, 3, 2, 3), 2: (1, 1, 2, 2),
                                      3: (3, 3, 3, 3)}),
    # ltlf2dfa issue #36 ("Bug on generating DFA for O(a) -> O(b)"). 1: no a, no b yet;
    # 2: some b (absorbing); 3: some a, no b.
    "O(a) -> O(b)": table(V2, {1, 2}, {0: (1, 3, 2, 2), 1: (1, 3, 2, 2), 2: (2, 2, 2, 2),
                                       3: (3, 3, 2, 2)}),
    # ltlf2dfa tests (test_mona): "a & O(b)". 1: no b yet; 2: b seen, last without a;
    # 3: b seen, last with a.
    "a & O(b)": table(V2, {3}, {0: (1, 1, 2, 3), 1: (1, 1, 2, 3), 2: (2, 3, 2, 3),
                                3: (2, 3, 2, 3)}),
    # ltlf2dfa tests (test_parser): a tautology read at the last instant: every non-empty word.
    "(O (a&b)) <-> !(H (!a | !b) )": table(V2, {1}, {0: (1, 1, 1, 1), 1: (1, 1, 1, 1)}),
    # ltlf2dfa tests (test_mona): "a S b", non-strict. 1: holds; 2: fails.
    "a S b": table(V2, {1}, {0: (2, 2, 1, 1), 1: (2, 1, 1, 1), 2: (2, 2, 1, 1)}),
}

# More formulas of ltlf2dfa's tests (parsing and NNF), checked against the evaluator only.
MORE = ["(a S b S !c)", "a & start", "Y(H faLse)", "YHYO H prop0", "!(Y (a & b))",
        "!(WY (a & b))", "!(a P b)", "!(O (a | b))", "!(H (a | b))",
        "!a | b <-> !(a & !b) <-> a->b",
        "(Y a)", "a -> b -> c", "a && b || ~c => b", "WY false", "a P b", "true", "false"]


@pytest.mark.parametrize("formula", list(HAND), ids=list(HAND))
def test_hand_derived_dfas(formula: str) -> None:
    lang = parse_language_spec(f"ppltl:{formula}", None)
    assert list(lang.alphabet) == V2
    assert lang.dfa == HAND[formula]


@pytest.mark.parametrize("formula", [*HAND, *MORE])
def test_agrees_with_the_semantics_on_short_words(formula: str) -> None:
    alphabet = inferred_alphabet(f"ppltl:{formula}")
    lang = parse_language_spec(f"ppltl:{formula}", None)
    longest = 5 if len(alphabet) <= 4 else 3
    for n in range(longest + 1):
        for word in itertools.product(alphabet, repeat=n):
            expected = brute_accepts(formula, word)
            assert lang.dfa.accepts(word) == expected, word
            assert lang.contains(word) == expected, word


def test_issue_36_language_is_not_the_buggy_one() -> None:
    lang = parse_language_spec("ppltl:O(a) -> O(b)", None)
    assert lang.contains(["none"]) and lang.contains(["a", "b"])
    assert not lang.contains(["a"]) and not lang.contains([])


def test_one_hot_alphabet_is_the_declare_assumption() -> None:
    # each symbol makes exactly its own proposition true
    lang = parse_language("ppltl", "H(a -> Y b)", ["a", "b", "c"])
    assert lang.dfa == parse_language("regex", "(b|c|ba)(b|c|ba)*", ["a", "b", "c"]).dfa


def test_inferred_alphabet_and_names() -> None:
    assert inferred_alphabet("ppltl:O(b) & a") == V2
    assert inferred_alphabet("ppltl:p | q | r")[:5] == ["none", "p", "q", "p_q", "r"]
    assert inferred_alphabet("ppltl:true") == ["none"]
    assert symbol_valuation("state_0_request", ["state_0", "request"]) == {"state_0",
                                                                           "request"}
    assert symbol_valuation("c", ["a", "b"]) == frozenset()
    with pytest.raises(LanguageError, match="ambiguous"):
        symbol_valuation("a_b", ["a", "b", "a_b"])
    with pytest.raises(LanguageError, match="unambiguous symbol name"):
        inferred_alphabet("ppltl:a & b & a_b")
    with pytest.raises(LanguageError, match="propositions"):
        inferred_alphabet("ppltl:" + " & ".join(f"p{k}" for k in range(9)))


def test_parses_like_ltlf2dfa() -> None:
    node = parse_ppltl("a S b S !c")
    assert node.op == "S" and node.args[1].op == "S"  # right nested
    assert parse_ppltl("HY a").op == "H" and parse_ppltl("HY a").args[0].op == "Y"
    assert parse_ppltl("a -> b -> c").op == "->" and len(parse_ppltl("a -> b -> c").args) == 3
    assert parse_ppltl("TRUE").op == "true" and parse_ppltl("Start").op == "start"
    assert parse_ppltl("trueish").op == "prop"


BAD = [("Ya", 0, "written apart"), ("aSa", 1, "written apart"), ("H", 1, "expected a formula"),
       ("(a)(", 3, "unexpected"), ("a & ", 4, "expected a formula"), ("", 0, "empty formula"),
       ("a P b P c", 6, "chain of 'P'"), ("Past", 0, "written apart"), ("a $ b", 2, "unexpected"),
       ("(a", 0, "missing ')'"), ("X a", 0, "written apart"), ("40a", 0, "unexpected"),
       ("!" * 70 + "a", 64, "nested deeper")]


@pytest.mark.parametrize(("text", "offset", "message"), BAD)
def test_malformed_formulas(text: str, offset: int, message: str) -> None:
    with pytest.raises(LanguageError, match=re.escape(message)) as caught:
        parse_ppltl(text)
    assert caught.value.offset == offset


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return dispatch(list(argv), out, err), out.getvalue(), err.getvalue()


def test_cli_forms(tmp_path) -> None:
    status, out, _ = _cli("dfa", "ppltl:H(a -> Y b)")
    assert status == 0 and "4 states over none a b a_b" in out
    status, out, _ = _cli("dfa", "ppltl:H(a -> Y b)", "--alphabet", "a,b")
    assert status == 0 and "over a b" in out
    status, out, _ = _cli("classify", "ppltl:O(a) -> O(b)")
    assert status == 0 and "LTL[P]" in out
    status, _, err = _cli("dfa", "ppltl:H(a -> Yb)")
    assert status == 2 and "error:" in err and "^" in err and "Traceback" not in err
    program = tmp_path / "p.attn"
    program.write_text("alphabet a b\n"
                       "seen = rightmost(select(global, nonstrict, where: a[j]), true)\n"
                       "accept rightmost(select(local 1), seen)\n"
                       'assert recognizes ppltl "O a"\n')
    status, out, err = _cli("check", str(program), "--quiet")
    assert status == 0, out + err
    status, out, _ = _cli("check", str(program), "--lang", "ppltl:H a", "--quiet")
    assert status == 1
    status, out, _ = _cli("check", str(program), "--lang", "ppltl:O(a) & !(a & b)", "--quiet")
    assert status == 0, out
    compiled = tmp_path / "c.attn"
    status, _, err = _cli("compile", "ppltl:O(a)", "--arch", "global", "--alphabet", "a,b",
                          "-o", str(compiled))
    assert status == 0, err
    assert 'recognizes ppltl "O(a)"' in compiled.read_text()
    assert _cli("check", str(compiled), "--quiet")[0] == 0
    bad = tmp_path / "bad.attn"
    bad.write_text('alphabet a b\naccept a\nassert recognizes ppltl "O(a"\n')
    status, _, err = _cli("check", str(bad))
    assert status == 2 and "bad.attn:3:" in err and "ppltl:" in err
