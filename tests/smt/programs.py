"""Seeded random programs: a thin wrapper over the one program writer of tests/strategies.

The tests use the hypothesis strategies (`strategies.programs()`), whose failures shrink;
this wrapper serves scripts that want a program per seed. It replaces a generator whose
`num` expressions could be a bare bool name, recorded as a `num` s-op: a `leftmost` over it
with a numeric `default:` was then ill-typed (about 1 seed in 400; tests/strategies writes
types it tracks, and tests/strategies/test_strategies.py checks them).
"""

from __future__ import annotations

import random

from strategies import random_program_text


def random_program(rng: random.Random) -> str:
    """The text of a random, well-typed program."""
    return random_program_text(rng)
