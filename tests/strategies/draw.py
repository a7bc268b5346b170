"""Where the generators' choices come from: hypothesis (shrinking) or `random.Random`.

The program and language writers only ask a `Draw` for choices, so one writer serves both the
hypothesis strategies the tests use (a failure shrinks to a small program) and the seeded
wrappers kept for scripts (`bench/`, `python -m tests.strategies --share`). Under hypothesis,
`chance` shrinks toward False and `choice` toward the first option, so every writer lists the
simplest option first and asks `chance` for the optional, more complex feature.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

from hypothesis import strategies as st

T = TypeVar("T")


class Draw(Protocol):
    """A source of choices."""

    def choice(self, options: Sequence[T]) -> T:
        """One of OPTIONS (non-empty)."""
        ...

    def integer(self, low: int, high: int) -> int:
        """An integer in [LOW, HIGH]."""
        ...

    def chance(self, probability: float) -> bool:
        """True with about PROBABILITY."""
        ...


class HypothesisDraw:
    """Choices drawn inside a `st.composite` strategy (they shrink)."""

    def __init__(self, draw: Callable[[st.SearchStrategy[Any]], Any]) -> None:
        self.draw = draw

    def choice(self, options: Sequence[T]) -> T:
        return options[self.draw(st.integers(0, len(options) - 1))]

    def integer(self, low: int, high: int) -> int:
        return int(self.draw(st.integers(low, high)))

    def chance(self, probability: float) -> bool:
        # 0 (the shrink target) is False; about PROBABILITY of 0..99 are True
        return bool(self.draw(st.integers(0, 99)) >= 100 - round(100 * probability))


class RandomDraw:
    """Choices from a seeded `random.Random` (reproducible, but no shrinking)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def choice(self, options: Sequence[T]) -> T:
        return options[self.rng.randrange(len(options))]

    def integer(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability
