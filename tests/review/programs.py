"""Seeded structured programs: a thin wrapper over the one program writer of tests/strategies
(the tests use its hypothesis strategies, which shrink)."""

from __future__ import annotations

import random

from strategies import SMALL_FORMATS, random_program_text


def structured_program(rng: random.Random) -> str:
    """The text of a random, well-typed program in a small format (count caps reached
    within a few positions)."""
    return random_program_text(rng, formats=SMALL_FORMATS)
