"""The common shape of every engine's answer: a separating word, or how far none exists."""

from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass(frozen=True)
class SearchResult:
    """WORD: a shortest word where program and target differ (None if none was found).

    CLEAN_UP_TO: every word of length <= this was shown to agree (None: nothing shown);
    ALL_LENGTHS: no separating word exists at any length; REASON: why the search stopped early.
    """

    method: str
    word: tuple[str, ...] | None = None
    clean_up_to: int | None = None
    all_lengths: bool = False
    reason: str | None = None


class Deadline:
    """A wall-clock budget shared by the stages of one claim."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.end = None if seconds is None else time.monotonic() + seconds

    def remaining(self) -> float | None:
        """Seconds left (None without a limit)."""
        return None if self.end is None else max(0.0, self.end - time.monotonic())

    def expired(self) -> bool:
        """Whether the budget is spent."""
        return self.end is not None and time.monotonic() >= self.end
