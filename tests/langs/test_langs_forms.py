"""Languages given in two forms (regex / LTL / DFA file) yield identical minimal DFAs; the
regex features; DFA files, alphabets and the DFA API."""

from __future__ import annotations

import json
from itertools import product
from pathlib import Path

import numpy as np
import pytest

from verifier.langs import (
    DFA,
    equivalent,
    from_partial,
    minimal_dfa,
    parse_language,
    parse_language_spec,
    shortest_difference,
)
from verifier.langs.dfa_json import dfa_document

AB = ["a", "b"]
ABC = ["a", "b", "c"]
RDP = ["a", "b0", "b1"]

# (regex, LTL, alphabet): the same language in two forms.
PAIRS = [
    ("b(a|b)*", "P(b & !Y true) ", AB),
    ("b.*", "P(b & H false)", AB),
    (".*a.*", "P a", AB),
    (".*a.*b.*", "P(b & P a)", ABC),
    (".*b", "Y b", AB),
    (".*ab", "Y(b & Y a)", AB),
    (".*ab.*", "P(b & Y a)", ABC),
    ("(ab)*", "H((a -> (Y b | !Y true)) & (b -> Y a)) & (Y true -> Y b)", AB),
    ("[^a]*", "H !a", AB),
    ("()", "!P true", AB),
    ("a*", "H a", AB),
    ("(a|b)*", "true", AB),
    ("[ab]*", "!false", AB),
    (".{3}", "Y Y Y true & !Y Y Y Y true", AB),
    (".{0,2}", "!Y Y Y true", AB),
    (".{1,3}", "Y<=3 (!P true)", AB),
    (".*a.?", "Y<=2 a", AB),
    (".*ab*", "b S a", AB),
    ("a*b.*", "P(b & H a)", AB),
    ("(a|b)*(aa|bb)(a|b)*", "P((a & Y a) | (b & Y b))", AB),
    ("a.*b", "P(a & !Y true) & Y b", AB),
    (".*a.*a.*", "P(a & P a)", AB),
    ("[^<b0>]*a[^a<b1>]*", "b0 S (a & H !b0)", RDP),
    ("c*|.*a.*b.*|.*b.*a.*", "P a <-> P b", ABC),
    ("[bc]*|.*b.*", "P a -> P b", ABC),
    ("(<a>|<b>)<b>{2,}", "Y Y Y true & P(!Y true & (a | b)) & H(!Y true | b)", AB),
]


@pytest.mark.parametrize(("regex", "ltl", "alphabet"), PAIRS)
def test_regex_and_ltl_give_identical_minimal_dfas(
    regex: str, ltl: str, alphabet: list[str]
) -> None:
    r = parse_language("regex", regex, alphabet)
    f = parse_language("ltl", ltl, alphabet)
    assert shortest_difference(r.dfa, f.dfa) is None
    assert r.dfa == f.dfa  # canonical numbering: equal languages, identical DFAs


def test_at_least_20_pairs() -> None:
    assert len(PAIRS) >= 20


def _write(tmp_path: Path, name: str, doc: object) -> str:
    (tmp_path / name).write_text(json.dumps(doc), encoding="utf-8")
    return name


PARITY_DOC = {
    "alphabet": ["a", "b"], "states": ["even", "odd"], "start": "even", "accept": ["even"],
    "delta": {"even": {"a": "even", "b": "odd"}, "odd": {"a": "odd", "b": "even"}},
}


def test_dfa_file_against_regex(tmp_path: Path) -> None:
    name = _write(tmp_path, "parity.json", PARITY_DOC)
    from_file = parse_language("dfa", name, AB, base_dir=tmp_path)
    assert from_file.dfa == parse_language("regex", "(a*ba*b)*a*", AB).dfa
    partial = {"alphabet": ["a", "b"], "states": ["s", "t"], "start": "s", "accept": ["s"],
               "delta": {"s": {"a": "t"}, "t": {"b": "s"}}}  # missing moves go to a sink
    name = _write(tmp_path, "abstar.json", partial)
    assert parse_language("dfa", name, AB, tmp_path).dfa == parse_language("regex", "(ab)*", AB).dfa


def test_dfa_file_alphabet_superset_goes_to_sink(tmp_path: Path) -> None:
    name = _write(tmp_path, "parity.json", PARITY_DOC)
    lang = parse_language("dfa", name, ["c", "a", "b"], base_dir=tmp_path)
    assert lang.alphabet == ("c", "a", "b")
    assert lang.dfa == parse_language("regex", "(a*ba*b)*a*", ["c", "a", "b"]).dfa
    assert not lang.contains(["c"]) and lang.contains(["b", "b"])


def test_dfa_json_round_trip(tmp_path: Path) -> None:
    dfa = parse_language("regex", "(a(ab)*b)*", AB).dfa
    name = _write(tmp_path, "d.json", dfa_document(dfa))
    assert parse_language("dfa", name, AB, tmp_path).dfa == dfa


def test_spec_form_and_inferred_alphabet(tmp_path: Path) -> None:
    lang = parse_language_spec("regex:<b0>a*", None)
    assert lang.alphabet == ("a", "b0") and lang.kind == "regex"
    assert parse_language_spec("ltl:P(b & Y a)", None).describe() == 'ltl "P(b & Y a)"'
    name = _write(tmp_path, "parity.json", PARITY_DOC)
    assert parse_language_spec(f"dfa:{tmp_path / name}", None).alphabet == ("a", "b")
    assert parse_language_spec("ltl:true", None).alphabet == ()


@pytest.mark.parametrize(
    ("regex", "yes", "no"),
    [
        ("a b", ["ab"], ["a", "ba"]),
        ("a{2}", ["aa"], ["a", "aaa"]),
        ("a{2,}", ["aa", "aaaa"], ["a"]),
        ("a{1,2}b?", ["a", "aab"], ["", "aaa"]),
        ("(ab)+", ["ab", "abab"], ["", "aba"]),
        ("[^a]", ["b"], ["a", ""]),
        ("()|a", ["", "a"], ["aa"]),
        ("a{0}", [""], ["a"]),
        ("(a|b){0,1}c", ["c", "ac"], ["abc"]),
    ],
)
def test_regex_features(regex: str, yes: list[str], no: list[str]) -> None:
    lang = parse_language("regex", regex, ABC)
    assert all(lang.contains(list(w)) for w in yes)
    assert not any(lang.contains(list(w)) for w in no)


def test_dfa_api() -> None:
    dfa = parse_language("regex", "(ab)*", AB).dfa
    assert dfa.n_states == 3 and dfa.start == 0 and dfa.accepting == frozenset({0})
    assert dfa.delta == ((1, 2), (2, 0), (2, 2))  # canonical BFS numbering, sink last
    assert dfa.run(["a"]) == 1 and dfa.accepts(["a", "b"]) and not dfa.accepts(["b"])
    table = dfa.table()
    assert table.shape == (3, 2) and np.issubdtype(table.dtype, np.integer)
    with pytest.raises(ValueError, match="not in the alphabet"):
        dfa.accepts(["c"])
    other = from_partial(AB, 2, 0, [0], {(0, 0): 1, (1, 1): 0})
    assert equivalent(dfa, other) and other.n_states == 3
    assert shortest_difference(dfa, parse_language("regex", "(ab)*a?", AB).dfa) == ["a"]
    assert minimal_dfa(DFA(("a",), 1, 0, frozenset(), ((0,),))).n_states == 1


def test_ltl_contains_uses_evaluator_and_agrees_with_dfa() -> None:
    lang = parse_language("ltl", "b S a", AB)
    assert lang.formula is not None
    for n in range(6):
        for w in product(AB, repeat=n):
            assert lang.contains(w) == lang.dfa.accepts(w)
    with pytest.raises(ValueError):
        lang.contains(["z"])
