"""Engines by name. Bounded engines search words up to a length; unbounded ones every length."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from verifier.engines.enumerate import enumerate_search
from verifier.engines.search import Deadline, SearchResult
from verifier.engines.target import Target
from verifier.ir.nodes import Program
from verifier.limits import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT


@dataclass(frozen=True)
class Options:
    """Resource limits and solver settings shared by every engine: TIMEOUT seconds per claim
    (building its language included), MEMORY_MB the process's resident memory cap (None:
    none); the defaults are in verifier.limits."""

    timeout: float | None = DEFAULT_TIMEOUT
    memory_mb: int | None = DEFAULT_MEMORY_MB
    rlimit: int | None = None
    seed: int = 0
    state_budget: int = 200_000
    cross_check: bool = False
    solver: str = "z3"


BoundedSearch = Callable[[Program, Target, int, Deadline, Options], SearchResult]
UnboundedSearch = Callable[[Program, Target, Deadline, Options], SearchResult]


def _enumerate(program: Program, target: Target, bound: int, deadline: Deadline,
               options: Options) -> SearchResult:
    return enumerate_search(program, target, bound, deadline)


def bounded_engines() -> dict[str, BoundedSearch]:
    """Every engine that decides claims up to a length."""
    from verifier.engines.bounded import bounded_search

    return {"enumerate": _enumerate, "bounded": bounded_search}


def second_method() -> UnboundedSearch:
    """The independent all-lengths method (constrained Horn clauses) for --cross-check."""
    from verifier.engines.spacer import spacer_search

    return spacer_search


def unbounded_engine() -> UnboundedSearch:
    """The all-lengths engine (the program automaton)."""
    from verifier.engines.unbounded import unbounded_search

    return unbounded_search
