"""The settings of one run: resource limits and solver settings, in one frozen value shared by
the pipeline, every engine and the command line (its own module, below the engines, so that
no engine imports the registry that imports it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from verifier.limits import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT, STATE_BUDGET
from verifier.semantics.profile import Profile


class Stage(Enum):
    """What an engine's progress report counts."""

    #: the bounded engine begins the words of this length
    LENGTH = "length"
    #: the all-lengths engine has explored this many states of the program's machines
    STATES = "states"


#: An engine's progress report (STAGE, how far), e.g. (Stage.LENGTH, 14). Called in the
#: engine's own process and thread, at most once per length or every REPORT_EVERY seconds;
#: it must be cheap and must not raise. Only for display: no result depends on it.
EngineProgress = Callable[[Stage, int], None]
#: The all-lengths engine reports the states explored at most this often (seconds).
REPORT_EVERY = 0.2


@dataclass(frozen=True)
class Options:
    """Resource limits and solver settings shared by every engine: TIMEOUT seconds per claim
    (building its language included), MEMORY_MB the process's resident memory cap (None:
    none); the defaults are in verifier.limits. PRECISION (`--precision`), if given, replaces
    the profile of every program checked, the other program of an `equivalent` claim
    included. PROGRESS (None: nobody listens) is told how
    far the engines have come; it is not part of the settings (not compared, not shown) and
    is never sent to another process."""

    timeout: float | None = DEFAULT_TIMEOUT
    memory_mb: int | None = DEFAULT_MEMORY_MB
    rlimit: int | None = None
    seed: int = 0
    state_budget: int = STATE_BUDGET
    cross_check: bool = False
    solver: str = "z3"
    precision: Profile | None = None
    progress: EngineProgress | None = field(default=None, compare=False, repr=False)
    #: The run's `engines.unbounded.ExtractionCache` (None: none): claims on one program
    #: build its automaton once. Like PROGRESS, not a setting and never sent elsewhere.
    extractions: Any = field(default=None, compare=False, repr=False)
