"""Hypothesis strategies for random programs, languages and claims, shared by every
differential test and the fuzz suite (`python -m tests.strategies --share` reports how many
random programs are nontrivial)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from .draw import Draw, HypothesisDraw, RandomDraw
from .languages import (
    Regex,
    agree_on_empty,
    as_language,
    claims,
    dfas,
    languages,
    ltl_formulas,
    perturbed,
    quoted,
    regexes,
    words,
)
from .nontrivial import NONTRIVIAL_LENGTH, longest, nontrivial, profile
from .programs import (
    FORMATS,
    SMALL_FORMATS,
    Generated,
    ProgramWriter,
    program_texts,
    programs,
    random_program_text,
)

__all__ = [
    "FORMATS", "NONTRIVIAL_LENGTH", "SMALL_FORMATS", "Draw", "Generated", "HypothesisDraw",
    "ProgramWriter", "RandomDraw", "Regex", "agree_on_empty", "as_language", "budgets",
    "claims", "dfas", "languages", "longest", "ltl_formulas", "nontrivial", "perturbed",
    "profile", "program_texts", "programs", "quick", "quoted", "random_program_text",
    "regexes", "words",
]


def budgets(default: int, slow: int) -> list[Any]:
    """Parameters of a property test: DEFAULT examples in the default run, SLOW under
    `-m slow` (the test builds its `@given` function with `quick(budget)`)."""
    return [pytest.param(default, id="default"),
            pytest.param(slow, id="slow", marks=pytest.mark.slow)]


def quick(max_examples: int) -> settings:
    """The settings of every property test: derandomized (the same examples on every run),
    no deadline (solver times vary), filters and slow draws allowed."""
    return settings(derandomize=True, max_examples=max_examples, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                           HealthCheck.data_too_large])
