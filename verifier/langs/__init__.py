"""Languages of spec section 6 (regex, past LTL, DFA files) as minimal DFAs; membership
oracles; classification by the logics and architectures of THEORY.md."""

from .class_tests import Verdict
from .classify import CLASSES, Classification, classify
from .dfa import DFA, equivalent, from_partial, minimal_dfa, shortest_difference
from .errors import LanguageError
from .language import (
    Language,
    LanguageSource,
    inferred_alphabet,
    parse_language,
    parse_language_spec,
    read_language,
    read_language_spec,
)
from .ltl import Formula, parse_ltl
from .ltl_semantics import evaluate, holds, ltl_to_dfa
from .regex import parse_regex, regex_to_dfa
from .semigroup import SEMIGROUP_LIMIT

__all__ = [
    "CLASSES",
    "DFA",
    "SEMIGROUP_LIMIT",
    "Classification",
    "Formula",
    "Language",
    "LanguageError",
    "LanguageSource",
    "Verdict",
    "classify",
    "equivalent",
    "evaluate",
    "from_partial",
    "holds",
    "inferred_alphabet",
    "ltl_to_dfa",
    "minimal_dfa",
    "parse_language",
    "parse_language_spec",
    "parse_ltl",
    "parse_regex",
    "read_language",
    "read_language_spec",
    "regex_to_dfa",
    "shortest_difference",
]
