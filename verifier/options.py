"""The settings of one run: resource limits and solver settings, in one frozen value shared by
the pipeline, every engine and the command line (its own module, below the engines, so that
no engine imports the registry that imports it)."""

from __future__ import annotations

from dataclasses import dataclass

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
