"""The common shape of every engine's answer: a separating word, or how far none exists."""

from __future__ import annotations

from dataclasses import dataclass

from verifier.limits import Deadline

__all__ = ["Deadline", "SearchResult"]


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
