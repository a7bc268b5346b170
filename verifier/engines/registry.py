"""Engines by name. Bounded engines search words up to a length; unbounded ones every length."""

from __future__ import annotations

from collections.abc import Callable

from verifier.engines.enumerate import enumerate_search
from verifier.engines.search import Deadline, SearchResult
from verifier.engines.target import Target
from verifier.ir.nodes import Program
from verifier.options import Options

__all__ = ["Options", "bounded_engines", "second_method", "unbounded_engine"]


BoundedSearch = Callable[[Program, Target, int, Deadline, Options], SearchResult]
UnboundedSearch = Callable[[Program, Target, Deadline, Options], SearchResult]


def _enumerate(program: Program, target: Target, bound: int, deadline: Deadline,
               options: Options) -> SearchResult:
    return enumerate_search(program, target, bound, deadline)


def bounded_engines() -> dict[str, BoundedSearch]:
    """Every engine that decides claims up to a length."""
    from verifier.engines.bounded import bounded_search
    from verifier.engines.explicit import explicit_search

    return {"enumerate": _enumerate, "explicit": explicit_search, "bounded": bounded_search}


def second_method() -> UnboundedSearch:
    """The independent all-lengths method (constrained Horn clauses) for --cross-check."""
    from verifier.engines.spacer import spacer_search

    return spacer_search


def unbounded_engine() -> UnboundedSearch:
    """The all-lengths engine (the program automaton)."""
    from verifier.engines.unbounded import unbounded_search

    return unbounded_search
