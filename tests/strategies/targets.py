"""A nontrivial program with a claim target that agrees with it on the empty word.

The target is the program's own minimal automaton with one change, or with the words of a
random language of length >= m toggled (so a separating word, if any, is not short and often
not unique at its length), or a random regex / LTL language; in every case ε's membership is
the program's answer on ε, so no comparison is decided by the empty word.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import strategies as st

from verifier.engines.streaming import NotFiniteState
from verifier.engines.target import Target
from verifier.engines.unbounded import BudgetExceeded, extract
from verifier.interp import run_word
from verifier.ir.nodes import Program
from verifier.langs import DFA, parse_language

from .draw import HypothesisDraw
from .languages import (
    agree_on_empty,
    as_language,
    differing_from,
    ltl_formulas,
    perturbed,
    regexes,
)
from .programs import Generated, programs

EXTRACT_BUDGET = 20_000


@dataclass(frozen=True)
class Case:
    """A program, a target and how the target was made (shown when a test fails)."""

    generated: Generated
    target: Target = field(repr=False)
    made: str

    def __repr__(self) -> str:
        return f"Case(target={self.made!r}, program=\n{self.generated.text})"


def _own(program: Program) -> DFA | None:
    try:
        return extract(program, EXTRACT_BUDGET).dfa
    except (NotFiniteState, BudgetExceeded):
        return None


@st.composite
def cases(draw: st.DrawFn, **program_options: object) -> Case:
    """Strategy: a nontrivial program (`programs(**PROGRAM_OPTIONS)`) and a target: its own
    automaton perturbed (`perturbed`), or with the words of length >= m of a random language
    toggled (`differing_from`), or a random regex / LTL language (ε as the program says)."""
    generated = draw(programs(**program_options))
    program, alphabet = generated.program, generated.program.alphabet
    kind = draw(st.sampled_from(["deep", "perturbed", "regex", "deep", "ltl"]))
    own = _own(program) if kind in ("deep", "perturbed") else None
    if own is not None and kind == "perturbed":
        dfa = perturbed(HypothesisDraw(draw), own)
        return Case(generated, Target(language=as_language(dfa, "perturbed")),
                    f"its own automaton ({own.n_states} states), perturbed")
    language_kind = "ltl" if kind == "ltl" else "regex"
    text = draw(ltl_formulas(alphabet)) if kind == "ltl" else draw(regexes(alphabet)).text
    language = parse_language(language_kind, text, alphabet)
    if own is not None:
        length = draw(st.integers(2, 5))
        dfa = differing_from(own, language.dfa, length)
        made = f'its own automaton, toggled on the words of {language_kind} "{text}" ' \
               f"of length >= {length}"
        return Case(generated, Target(language=as_language(dfa, made)), made)
    empty = run_word(program, ()).accepted
    dfa = agree_on_empty(language.dfa, empty)
    made = f'{language_kind} "{text}" with ε {"in" if empty else "out"}'
    return Case(generated, Target(language=as_language(dfa, made)), made)
