"""Malformed regexes, formulas and DFA files: LanguageError with the right offset/message."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from verifier.langs import LanguageError, parse_language, parse_language_spec
from verifier.limits import Limit, LimitReached

AB = ["a", "b"]

REGEX_ERRORS = [
    ("", 0, "empty regex"),
    ("a|", 2, "empty alternative"),
    ("(ab", 0, "missing ')'"),
    ("(((", 2, "missing ')'"),
    ("(a|", 0, "missing ')'"),
    ("((a|)", 4, "empty alternative"),
    ("ab)", 2, "unmatched ')'"),
    ("*a", 0, "nothing to repeat"),
    ("a{3,1}", 1, "empty repetition range"),
    ("a{5000}", 2, "too large"),
    ("a{2", 3, "expected '}'"),
    ("a{,3}", 2, "expected a number"),
    ("[ab", 0, "missing ']'"),
    ("[]", 0, "empty symbol class"),
    ("<b0", 0, "symbol name"),
    ("a c", 2, "unknown symbol 'c'"),
    ("a$", 1, "unexpected '$'"),
    ("(" * 70 + "a" + ")" * 70, 64, "nested deeper"),
]

LTL_ERRORS = [
    ("", 0, "empty formula"),
    ("P", 1, "expected a formula"),
    ("a &", 3, "expected a formula"),
    ("(a", 0, "missing ')'"),
    ("a b", 2, "unexpected 'b'"),
    ("Y<= a", 4, "window size"),
    ("Y<=0 a", 3, "between 1 and"),
    ("Y<=99999999 a", 3, "between 1 and"),
    ("c", 0, "unknown symbol 'c'"),
    ("P(a & Pa)", 6, "write 'P a'"),
    ("a $ b", 2, "unexpected '$'"),
    ("<a", 0, "symbol name"),
    ("S a", 0, "found 'S'"),
    ("!" * 100 + "a", 64, "nested deeper"),
]


@pytest.mark.parametrize(("text", "offset", "fragment"), REGEX_ERRORS)
def test_regex_errors(text: str, offset: int, fragment: str) -> None:
    with pytest.raises(LanguageError) as info:
        parse_language("regex", text, AB)
    assert info.value.offset == offset and fragment in info.value.message


@pytest.mark.parametrize(("text", "offset", "fragment"), LTL_ERRORS)
def test_ltl_errors(text: str, offset: int, fragment: str) -> None:
    with pytest.raises(LanguageError) as info:
        parse_language("ltl", text, AB)
    assert info.value.offset == offset and fragment in info.value.message


def test_multi_character_symbol_hint() -> None:
    with pytest.raises(LanguageError, match="written in angle brackets: <b0>"):
        parse_language("regex", "b", ["a", "b0"])
    with pytest.raises(LanguageError, match="in angle brackets: <bx>"):
        parse_language("regex", "b", ["a", "bx", "by"])


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("regex", "((a{1000}){1000})"),  # NFA budget
        ("regex", "(a|b)*a(a|b){20}"),  # subset-construction blowup
    ],
)
def test_size_guards_fail_fast(kind: str, text: str) -> None:
    # a budget is a resource limit (an `unknown` verdict), not a malformed language
    start = time.perf_counter()
    with pytest.raises(LimitReached, match="exceeds") as info:
        parse_language(kind, text, AB)
    assert info.value.limit is Limit.STATES
    assert time.perf_counter() - start < 5


def test_ltl_state_budget() -> None:
    with pytest.raises(LimitReached, match="state budget of 50 states"):
        parse_language("ltl", "Y<=1000 a", AB, budget=50)


def test_spec_offsets_index_the_whole_spec() -> None:
    with pytest.raises(LanguageError) as info:
        parse_language_spec("regex:a|", AB)
    assert info.value.offset == len("regex:a|")
    with pytest.raises(LanguageError, match="expected regex:"):
        parse_language_spec("perl:a", AB)
    with pytest.raises(LanguageError, match="twice"):
        parse_language("regex", "a", ["a", "a"])
    with pytest.raises(LanguageError, match="unknown language form"):
        parse_language("glob", "a", AB)


GOOD = {"alphabet": ["a", "b"], "states": ["p", "q"], "start": "p", "accept": ["q"],
        "delta": {"p": {"a": "q"}, "q": {"b": "p"}}}


def _variant(**changes: object) -> dict[str, object]:
    doc: dict[str, object] = {**GOOD, **changes}
    return {k: v for k, v in doc.items() if v is not None}


JSON_ERRORS = [
    ('{"alphabet": ["a",]}', "d.json:1:19: invalid JSON"),
    ("[1, 2]", "must hold a JSON object"),
    (_variant(delta=None), "missing field 'delta'"),
    (_variant(accepting=["q"]), "unknown field 'accepting'"),
    (_variant(start="r"), "start: unknown state 'r'"),
    (_variant(accept=["r"]), "accept: unknown state 'r'"),
    (_variant(delta={"r": {"a": "p"}}), "delta.r: unknown state 'r'"),
    (_variant(delta={"p": {"c": "p"}}), "delta.p.c: symbol 'c' is not in the file's alphabet"),
    (_variant(delta={"p": {"a": "r"}}), "delta.p.a: unknown target state 'r'"),
    (_variant(alphabet=["a", "a"]), "'alphabet' lists 'a' twice"),
    (_variant(alphabet=["a", "b", "z"]), "symbol 'z' of the DFA file is not in the alphabet"),
    (_variant(states=[]), "'states' must not be empty"),
    (_variant(delta={"p": ["a"]}), "delta.p: must be an object"),
]


@pytest.mark.parametrize(("doc", "fragment"), JSON_ERRORS)
def test_dfa_file_errors(tmp_path: Path, doc: object, fragment: str) -> None:
    text = doc if isinstance(doc, str) else json.dumps(doc)
    (tmp_path / "d.json").write_text(text, encoding="utf-8")
    with pytest.raises(LanguageError) as info:
        parse_language("dfa", "d.json", AB, base_dir=tmp_path)
    assert fragment in info.value.message and str(tmp_path / "d.json") in info.value.message


def test_missing_dfa_file(tmp_path: Path) -> None:
    with pytest.raises(LanguageError, match="cannot read"):
        parse_language("dfa", "nope.json", AB, base_dir=tmp_path)
