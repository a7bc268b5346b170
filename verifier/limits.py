"""Resource limits shared by every stage: a claim's wall-clock deadline and memory cap.

One `Deadline` per claim (or per `dfa` / `classify` / `compile` / `extract` run) is passed down
to everything that can run long: the language builders (regex -> NFA -> DFA, LTL -> DFA,
minimization, the syntactic monoid), the program automaton, and the solvers. Loops call
`poll()` (cheap: a counter; every `POLL_EVERY` calls it looks at the clock and, at most every
`MEMORY_EVERY` seconds, at the resident set size). A limit that runs out raises
`LimitReached`, which the callers turn into an `unknown` verdict (exit status 3), never into
an answer and never into an input error.

Code that cannot poll gets a watchdog: `MemoryWatch` (a thread that interrupts a Z3 query
past the memory cap) and `enforced` (a SIGALRM handler that checks the deadline while a
one-shot command runs pure-Python work without polls).

The defaults of the time and memory limits are here, in one place (the state budgets of the
language constructions are in verifier.langs.errors, the program automaton's in
verifier.engines.registry.Options).
"""

from __future__ import annotations

import os
import resource
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from types import FrameType, TracebackType

#: Seconds per claim (`check`) or per run (`dfa`, `classify`, `compile`, `extract`).
DEFAULT_TIMEOUT = 120.0
#: Most states of one machine of the all-lengths engine, and of the explicit-state search's
#: summary pairs (`--budget`).
STATE_BUDGET = 200_000
#: Resident memory cap of the process, in MB (`--memory`).
DEFAULT_MEMORY_MB = 4096
#: `poll()` looks at the clock once every this many calls.
POLL_EVERY = 256
#: ... and at the resident set size at most once every this many seconds.
MEMORY_EVERY = 0.02
#: A `MemoryWatch` samples the resident set size this often (seconds).
WATCH_EVERY = 0.02


class Limit(Enum):
    """Which resource ran out."""

    TIME = "time"
    MEMORY = "memory"
    STATES = "states"


class LimitReached(Exception):
    """A resource limit ran out before a result: LIMIT says which, REASON in a user's words
    (e.g. "memory limit (1000 MB) reached"). Never a verdict and never an input error."""

    def __init__(self, limit: Limit, reason: str) -> None:
        super().__init__(reason)
        self.limit = limit
        self.reason = reason

    def during(self, stage: str) -> LimitReached:
        """The same limit, its reason saying in which STAGE it ran out."""
        return LimitReached(self.limit, f"{self.reason} {stage}")


def state_budget(what: str, budget: int) -> LimitReached:
    """The error for an automaton (WHAT, e.g. "the formula's automaton") outgrowing BUDGET."""
    return LimitReached(Limit.STATES, f"{what} exceeds the state budget of {budget} states")


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def resident_mb() -> float:
    """The resident set size of this process in MB (Linux: now, from /proc; elsewhere: the
    peak so far, which can only overstate it)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE / (1 << 20)
    except (OSError, IndexError, ValueError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / (1 << 20) if sys.platform == "darwin" else peak / 1024


class Deadline:
    """A wall-clock budget of SECONDS (None: none) and a resident memory cap of MEMORY_MB
    (None: none), shared by the stages of one claim."""

    def __init__(self, seconds: float | None, memory_mb: int | None = None) -> None:
        self.seconds = seconds
        self.end = None if seconds is None else time.monotonic() + seconds
        self.memory_mb = memory_mb
        self._calls = 0
        self._memory_at = 0.0

    def remaining(self) -> float | None:
        """Seconds left (None without a limit)."""
        return None if self.end is None else max(0.0, self.end - time.monotonic())

    def expired(self) -> bool:
        """Whether the time is spent."""
        return self.end is not None and time.monotonic() >= self.end

    def over_memory(self) -> bool:
        """Whether the process holds more than the memory cap now."""
        return self.memory_mb is not None and resident_mb() > self.memory_mb

    def memory_left_mb(self) -> int | None:
        """MB the process may still grow by (None without a cap)."""
        if self.memory_mb is None:
            return None
        return max(0, int(self.memory_mb - resident_mb()))

    def memory_reason(self) -> str:
        """The reason of an `unknown` for running out of memory."""
        return f"memory limit ({self.memory_mb} MB) reached"

    def check(self) -> None:
        """LimitReached if the time is spent or the process is over its memory cap."""
        if self.expired():
            raise LimitReached(Limit.TIME, "time limit reached")
        if self.memory_mb is not None:
            now = time.monotonic()
            if now - self._memory_at >= MEMORY_EVERY:
                self._memory_at = now
                if self.over_memory():
                    raise LimitReached(Limit.MEMORY, self.memory_reason())

    def poll(self) -> None:
        """`check()` once every POLL_EVERY calls: cheap enough for the inner loops."""
        self._calls += 1
        if self._calls >= POLL_EVERY:
            self._calls = 0
            self.check()


#: No limit at all: the default of the builders when called without a deadline.
UNLIMITED = Deadline(None)


class MemoryWatch:
    """For native code Python cannot poll (a Z3 query): while the `with` block runs, a daemon
    thread samples the resident set size every WATCH_EVERY seconds and calls INTERRUPT (once)
    when it exceeds MEMORY_MB; `tripped` then says so. No thread without a cap."""

    def __init__(self, memory_mb: int | None, interrupt: Callable[[], None]) -> None:
        self.memory_mb = memory_mb
        self.interrupt = interrupt
        self.tripped = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _watch(self) -> None:
        assert self.memory_mb is not None
        while not self._stop.wait(WATCH_EVERY):
            if resident_mb() > self.memory_mb:
                self.tripped = True
                self.interrupt()
                return

    def __enter__(self) -> MemoryWatch:
        if self.memory_mb is not None:
            self._thread = threading.Thread(target=self._watch, name="memory-watch",
                                            daemon=True)
            self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()


@contextmanager
def enforced(deadline: Deadline, every: float = WATCH_EVERY) -> Iterator[None]:
    """While the block runs, `deadline.check()` every EVERY seconds from a SIGALRM handler, so
    that pure-Python work that has no `poll()` (e.g. hashing a formula whose subformulas are
    shared many times over) still stops: LimitReached is raised wherever the main thread
    is. For one-shot commands (`dfa`, `classify`, `compile`), whose state is dropped on a
    limit. Nothing is armed off the main thread, without SIGALRM, or without any limit."""
    armed = (hasattr(signal, "setitimer")
             and threading.current_thread() is threading.main_thread()
             and (deadline.seconds is not None or deadline.memory_mb is not None))
    if not armed:
        yield
        return
    active = [True]

    def handler(signum: int, frame: FrameType | None) -> None:
        if active[0]:
            try:
                deadline.check()
            except LimitReached:
                active[0] = False  # once: a second alarm would land in the unwinding
                raise

    previous = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, every, every)
    try:
        yield
    finally:
        active[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
