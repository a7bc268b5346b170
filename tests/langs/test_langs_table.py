"""THEORY.md's table of languages, classified as the table says, plus known separations.

Alphabets: {a, b} unless a language needs more; PT-2, LT-2, LDP-1, LDP-2 use {a, b, c}
(over {a, b}, Σ*abΣ* is piecewise testable and so already LTL[P]); RDP-1 uses {a, b0, b1}.
LDP-1 and LDP-2 are our choice of left-deterministic polynomials with 2 and 3 live states:
c*aΣ* and c*a(a|c)*bΣ*. CNT (a^n b^n) is not regular and is skipped.
"""

from __future__ import annotations

import pytest

from verifier.langs import classify, parse_language

T, F = True, False
ABC = ["a", "b", "c"]
AB = ["a", "b"]

# name, regex, alphabet, expected {class: value} (only the entries the table fixes, plus the
# ones that follow from the inclusions LTL[P] ⊂ LTL[P,Y] ⊂ star-free, LTL[P] ⊂ DA).
TABLE = [
    ("FIRST", "b.*", AB, {"LTL[P]": T, "LTL[Y]": F, "LTL[P,Y]": T, "star-free": T, "DA": T}),
    ("LT-1", ".*a.*", AB, {"LTL[P]": T, "LTL[P,Y]": T, "star-free": T, "DA": T}),
    ("PT-2", ".*a.*b.*", ABC, {"LTL[P]": T, "LTL[P,Y]": T, "star-free": T, "DA": T}),
    ("LDP-1", "c*a.*", ABC, {"LTL[P]": T, "LTL[P,Y]": T, "star-free": T, "DA": T}),
    ("LDP-2", "c*a[ac]*b.*", ABC, {"LTL[P]": T, "LTL[P,Y]": T, "DA": T}),
    ("LAST", ".*b", AB, {"LTL[P]": F, "LTL[Y]": T, "LTL[P,Y]": T, "star-free": T}),
    ("ENDS-AB", ".*ab", AB, {"LTL[P]": F, "LTL[Y]": T, "LTL[P,Y]": T, "star-free": T}),
    ("RDP-1", "[^<b0>]*a[^a<b1>]*", ["a", "b0", "b1"], {"LTL[P]": F, "DA": T, "star-free": T}),
    ("DYCK-(1,1)", "(ab)*", AB, {"LTL[P]": F, "LTL[P,Y]": T, "star-free": T}),
    ("LT-2", ".*ab.*", ABC, {"LTL[P]": F, "LTL[P,Y]": T, "star-free": T}),
    ("DYCK-(1,2)", "(a(ab)*b)*", AB, {"LTL[P]": F, "LTL[P,Y]": F, "star-free": T}),
    ("PARITY", "(a*ba*b)*a*", AB, {"LTL[P,Y]": F, "star-free": F, "DA": F}),
]


@pytest.mark.parametrize(
    ("name", "regex", "alphabet", "expected"), TABLE, ids=[t[0] for t in TABLE]
)
def test_theory_table(
    name: str, regex: str, alphabet: list[str], expected: dict[str, bool]
) -> None:
    lang = parse_language("regex", regex, alphabet)
    result = classify(lang.dfa, language=lang.describe())
    for cls, value in expected.items():
        assert result.holds(cls) is value, (name, cls)
    for cls, value in expected.items():
        if value is False:
            assert result.verdicts[cls].witness, (name, cls)


def test_ldp_sizes_match_the_table() -> None:
    """Two and three live states (plus the rejecting sink)."""
    assert parse_language("regex", "c*a.*", ABC).dfa.n_states == 3
    assert parse_language("regex", "c*a[ac]*b.*", ABC).dfa.n_states == 4


@pytest.mark.parametrize(
    ("regex", "p", "y"),
    [("a.*", True, False), (".*a", False, True)],
)
def test_separations(regex: str, p: bool, y: bool) -> None:
    result = classify(parse_language("regex", regex, AB).dfa)
    assert result.holds("LTL[P]") is p and result.holds("LTL[Y]") is y
    assert result.holds("LTL[P,Y]") is True


def test_lt2_over_two_symbols_is_already_ltl_p() -> None:
    assert classify(parse_language("regex", ".*ab.*", AB).dfa).holds("LTL[P]") is True


def test_architectures_and_json_shape() -> None:
    lang = parse_language("ltl", "P(b & Y a)", ABC)  # over {a, b} it is LTL[P] (see above)
    doc = classify(lang.dfa, language=lang.describe()).to_json()
    assert doc["language"] == 'ltl "P(b & Y a)"'
    assert doc["alphabet"] == ABC and doc["dfa_states"] == 3
    assert doc["classes"] == {"LTL[P]": F, "LTL[Y]": F, "LTL[P,Y]": T, "star-free": T, "DA": F}
    assert doc["architectures"] == {
        "soft-global-only": F, "soft-1-local-only": F, "soft-hybrid": T, "unique-hard": T,
    }
    assert set(doc["witnesses"]) == {"LTL[P]", "LTL[Y]", "DA"}


def test_witnesses_can_be_checked_by_hand() -> None:
    """Replay every witness on the language's own DFA."""
    lang = parse_language("regex", "(a(ab)*b)*", AB)
    dfa = lang.dfa
    res = classify(dfa)
    w = res.verdicts["LTL[P]"].witness
    assert w is not None
    p, q = w["states"]
    assert dfa.run(w["p_to_q"], p) == q and dfa.run(w["q_to_p"], q) == p and p != q
    w = res.verdicts["LTL[Y]"].witness
    assert w is not None
    x, y, u, z = w["reach"][0], w["reach"][1], w["cycle_word"], w["distinguish"]
    for k in range(4):
        assert dfa.accepts(x + u * k + z) != dfa.accepts(y + u * k + z)
    w = res.verdicts["LTL[P,Y]"].witness
    assert w is not None

    def act(word: list[str]) -> tuple[int, ...]:
        return tuple(dfa.run(word, q) for q in range(dfa.n_states))

    e = w["e"]
    assert act(e + e) == act(e) and e
    assert act(e + w["x"] + e) == act(w["x"]) and act(e + w["y"] + e) == act(w["y"])
    assert act(w["x"] + w["x_then_s_is_y"]) == act(w["y"])
    assert act(w["y"] + w["y_then_t_is_x"]) == act(w["x"]) and act(w["x"]) != act(w["y"])


def test_star_free_witness_for_parity() -> None:
    dfa = parse_language("regex", "(a*ba*b)*a*", AB).dfa
    w = classify(dfa).verdicts["star-free"].witness
    assert w is not None and w["x"] == ["b"] and w["period"] == 2
    om = w["omega"]
    assert dfa.run(w["x"] * om, w["state"]) != dfa.run(w["x"] * (om + 1), w["state"])


def test_semigroup_limit_gives_unknown_with_reason() -> None:
    lang = parse_language("regex", "(ab)*", AB)
    result = classify(lang.dfa, semigroup_limit=3)
    assert result.holds("star-free") is None and result.holds("DA") is None
    assert "more than 3 elements" in (result.verdicts["star-free"].reason or "")
    implied = classify(parse_language("regex", "a.*", AB).dfa, semigroup_limit=2)
    assert implied.holds("LTL[P,Y]") is True and "implied by LTL[P]" in (
        implied.verdicts["LTL[P,Y]"].reason or ""
    )
    assert "unknown" in classify(lang.dfa, semigroup_limit=3).render_text()


def test_one_symbol_and_empty_alphabets() -> None:
    result = classify(parse_language("regex", "(aa)*", ["a"]).dfa)
    assert result.holds("star-free") is False
    empty = classify(parse_language("ltl", "true", []).dfa)
    assert empty.dfa_states == 1 and all(empty.holds(c) for c in empty.verdicts)
