"""Typed verdicts: proved / refuted (with a counterexample) / unknown (with the reason)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from verifier.interp.trace import Trace


class Status(Enum):
    """The three verdicts of spec section 7."""

    PROVED = "proved"
    REFUTED = "refuted"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Counterexample:
    """A word that separates the program from its claim, replayed by the interpreter.

    IN_LANGUAGE is what the language (or, for `equivalent`, the other program) says;
    ACCEPTED what this program says; TRACE its replayed run.
    """

    word: tuple[str, ...]
    in_language: bool | None
    accepted: bool
    trace: Trace
    other_trace: Trace | None = None


@dataclass(frozen=True)
class Verdict:
    """The verdict on one claim, with its method, bound and profile."""

    status: Status
    method: str
    bound: int | None
    profile: str
    counterexample: Counterexample | None = None
    reason: str | None = None
    seconds: float = 0.0
