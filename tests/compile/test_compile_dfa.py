"""The DFA route (partially ordered -> LTL[P], definite -> LTL[Y]) and the refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from compile_support import compile_and_prove
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verifier.compile import OutsideClass, compile_program
from verifier.langs import classify, parse_language_spec

AB, ABC = ("a", "b"), ("a", "b", "c")

PARTIALLY_ORDERED = [  # (regex, alphabet): THEORY.md's LTL[P] rows and a few more
    ("b(a|b)*", AB), (".*a.*", AB), (".*a.*b.*", ABC), ("c*a(a|c)*", ABC),
    ("c*a(a|c)*b.*", ABC), ("a*", AB), ("()", AB), ("(a|b)*", AB), ("a.*|b", AB),
]
DEFINITE = [  # (regex, alphabet): LTL[Y] rows and a few more
    (".*b", AB), (".*ab", AB), (".*a..", AB), (".*(ab|ba)", AB), ("a|.*c", ABC),
    (".*a.|b", AB),
]


@pytest.mark.parametrize(("regex", "alphabet"), PARTIALLY_ORDERED)
@pytest.mark.parametrize("arch", ["global", "hybrid"])
def test_partially_ordered_dfa_compiles_to_ltl_p(regex: str, alphabet: tuple[str, ...],
                                                 arch: str) -> None:
    compiled = compile_and_prove(f"regex:{regex}", arch, alphabet)
    assert compiled.route.startswith("partially ordered DFA")
    assert f'assert recognizes regex "{regex}"' in compiled.text


@pytest.mark.parametrize(("regex", "alphabet"), DEFINITE)
@pytest.mark.parametrize("arch", ["local", "hybrid"])
def test_definite_dfa_compiles_to_ltl_y(regex: str, alphabet: tuple[str, ...],
                                        arch: str) -> None:
    compiled = compile_and_prove(f"regex:{regex}", arch, alphabet)
    assert compiled.route.startswith("definite DFA" if arch == "local" else ("definite",
                                                                            "partially"))


def test_ends_with_ab_is_two_one_local_heads() -> None:
    compiled = compile_and_prove("regex:(a|b)*ab", "local", AB)
    assert (compiled.size.heads, compiled.size.depth) == (2, 2)


@pytest.mark.parametrize(("text", "arch"), [("a S b", "global"), ("a S b", "hybrid"),
                                            ("P(a & H a)", "local"), ("Y P b", "local")])
def test_formula_outside_the_fragment_goes_through_its_dfa(text: str, arch: str) -> None:
    """Syntactically outside the fragment (S; P for local): compiled through the minimal DFA
    when the classifier places it in the class, refused otherwise."""
    spec = f"ltl:{text}"
    result = classify(parse_language_spec(spec, list(AB)).dfa)
    needed = {"global": "LTL[P]", "local": "LTL[Y]", "hybrid": "LTL[P,Y]"}[arch]
    if result.holds(needed):
        compiled = compile_and_prove(spec, arch, AB)
        assert "DFA" in compiled.route
        assert f'assert recognizes ltl "{text}"' in compiled.text
    else:
        with pytest.raises(OutsideClass):
            compile_program(spec, arch, list(AB))


def test_dfa_file_route_and_relative_claim(tmp_path: Path) -> None:
    """A partially ordered DFA file (`a` seen, then no `b`): the claim names the file
    relative to the program's folder."""
    (tmp_path / "langs").mkdir()
    dfa = {"alphabet": ["a", "b"], "states": ["s", "t", "u"], "start": "s", "accept": ["t"],
           "delta": {"s": {"a": "t", "b": "s"}, "t": {"a": "t", "b": "u"},
                     "u": {"a": "u", "b": "u"}}}
    (tmp_path / "langs" / "seen_a.json").write_text(json.dumps(dfa))
    compiled = compile_and_prove("dfa:langs/seen_a.json", "global", AB, base_dir=tmp_path)
    assert 'assert recognizes dfa "langs/seen_a.json"' in compiled.text


REFUSALS = [  # (spec, arch, alphabet, class required, a witness key)
    ("ltl:Y a", "global", AB, "LTL[P]", "p_to_q"),
    ("ltl:P(a & !P true)", "local", AB, "LTL[Y]", "cycle_word"),
    ("regex:(ab)*", "global", AB, "LTL[P]", "q_to_p"),
    ("regex:(ab)*", "local", AB, "LTL[Y]", "cycle_word"),
    ("regex:(a(ab)*b)*", "hybrid", AB, "LTL[P,Y]", "x_then_s_is_y"),
    ("regex:(aa)*", "hybrid", ("a",), "LTL[P,Y]", "explanation"),
    ("ltl:a S b", "local", AB, "LTL[Y]", "cycle_word"),
]


@pytest.mark.parametrize(("spec", "arch", "alphabet", "cls", "key"), REFUSALS)
def test_outside_the_class_is_refused_with_the_witness(
        spec: str, arch: str, alphabet: tuple[str, ...], cls: str, key: str) -> None:
    with pytest.raises(OutsideClass) as info:
        compile_program(spec, arch, list(alphabet))
    message = str(info.value)
    assert f"recognizes exactly {cls}" in message and f"witness against {cls}:" in message
    assert f"  {key}: " in message


def test_hybrid_language_neither_ordered_nor_definite_is_compiled() -> None:
    """(ab)* is in LTL[P,Y] but neither partially ordered nor definite: the delay route."""
    compiled = compile_and_prove("regex:(ab)*", "hybrid", AB)
    assert compiled.route.startswith("locally R-trivial DFA -> LTL[P, Y]")


REGEXES = st.recursive(
    st.sampled_from(["a", "b", "c", ".", "()"]),
    lambda sub: st.one_of(
        st.builds(lambda x, y: f"{x}{y}", sub, sub),
        st.builds(lambda x, y: f"({x}|{y})", sub, sub),
        st.builds(lambda x: f"({x})*", sub)),
    max_leaves=5)


@settings(derandomize=True, deadline=None, max_examples=60,
          suppress_health_check=[HealthCheck.too_slow])
@given(REGEXES, st.sampled_from(["global", "local", "hybrid"]))
def test_random_regex_is_compiled_iff_the_classifier_allows(regex: str, arch: str) -> None:
    spec = f"regex:{regex}"
    result = classify(parse_language_spec(spec, list(ABC)).dfa)
    routes = {"global": ("LTL[P]",), "local": ("LTL[Y]",), "hybrid": ("LTL[P,Y]",)}
    if any(result.holds(cls) for cls in routes[arch]):
        compile_and_prove(spec, arch, ABC)
    else:
        with pytest.raises(OutsideClass):
            compile_program(spec, arch, list(ABC))
