"""The all-lengths engine: program -> minimal DFA (extraction), then a shortest difference.

Sound, and complete for every profile under which StreamingMachine is finite-state (the default
profile included); otherwise `unknown` with the reason. Breadth-first search makes the
counterexample a shortest (then alphabetically first) word.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from verifier.engines.compose import Composer
from verifier.engines.moore import MachineTooLarge
from verifier.engines.search import Deadline, SearchResult
from verifier.engines.streaming import NotFiniteState
from verifier.engines.target import Target
from verifier.ir.nodes import Program
from verifier.langs import DFA, shortest_difference
from verifier.limits import STATE_BUDGET, LimitReached
from verifier.options import REPORT_EVERY, EngineProgress, Options, Stage

METHOD = "unbounded (program automaton)"


class BudgetExceeded(Exception):
    """A machine outgrew the state budget, or time ran out; carries the reason."""


@dataclass(frozen=True)
class Extraction:
    """The minimal DFA of a program's language, with the sizes of the s-op machines built on
    the way (minimized, by s-op name) and the largest machine before minimization."""

    dfa: DFA
    machine_sizes: tuple[tuple[str, int], ...]
    largest_machine: int
    heads: int


class ExtractionCache:
    """Extractions remembered for one run (a `verifier check` of several claims, a test),
    by program (IR nodes are frozen and hashable): several claims on one program build it
    once. Owned by whoever creates it; nothing is remembered across runs."""

    def __init__(self, limit: int = 64) -> None:
        self.limit = limit
        self.known: dict[Program, Extraction] = {}

    def get(self, program: Program, budget: int) -> Extraction | None:
        """The extraction of PROGRAM if it was built within BUDGET states."""
        known = self.known.get(program)
        return known if known is not None and known.largest_machine <= budget else None

    def put(self, program: Program, extraction: Extraction) -> None:
        """Remember EXTRACTION, forgetting the oldest one past the limit."""
        if len(self.known) >= self.limit:
            self.known.pop(next(iter(self.known)))
        self.known[program] = extraction


def extract(program: Program, budget: int = STATE_BUDGET, deadline: Deadline | None = None,
            cache: ExtractionCache | None = None,
            explored: Callable[[int], None] | None = None) -> Extraction:
    """The minimal DFA accepting exactly the words PROGRAM accepts, at every length.

    Raises NotFiniteState (the profile can count) or BudgetExceeded (a machine outgrew the
    budget of states, a window its records, or time or memory ran out). With CACHE, a
    program already extracted there is not built again. EXPLORED, if given, is told the
    number of states explored so far, often (every 512 states and after each machine)."""
    known = None if cache is None else cache.get(program, budget)
    if known is not None:
        return known
    composer = Composer(program, budget, None if deadline is None else _limits(deadline),
                        explored)
    try:
        dfa = composer.dfa()
    except MachineTooLarge as error:
        raise BudgetExceeded(str(error)) from None
    except LimitReached as error:
        raise BudgetExceeded(error.during("while building the program automaton").reason
                             ) from None
    if deadline is not None and deadline.expired():
        raise BudgetExceeded("time limit reached while building the program automaton")
    names = {node_id: name for name, node_id in reversed(program.named)}
    names.setdefault(program.accept, "accept")
    sizes = tuple((names[n], m.size) for n, m in composer.machines.items() if n in names)
    result = Extraction(dfa, sizes, composer.largest, len(program.attention_nodes()))
    if cache is not None:
        cache.put(program, result)
    return result


def _limits(deadline: Deadline) -> Callable[[], bool]:
    """The exploration's periodic check: True once the time is spent; LimitReached (raised)
    once the process is over its memory cap."""
    def expired() -> bool:
        if deadline.expired():
            return True
        deadline.check()
        return False
    return expired


class StatesExplored:
    """Tells PROGRESS how many states the extractions of one search have explored together:
    at most every REPORT_EVERY seconds while they run, and once when they are over."""

    def __init__(self, progress: EngineProgress) -> None:
        self.progress = progress
        self.finished = 0  # the states of the extractions that are over
        self.current = 0  # ... and of the one running
        self.shown = float("-inf")  # the first report is shown at once

    def __call__(self, states: int) -> None:
        """The running extraction has explored STATES states so far."""
        self.current = states
        now = time.monotonic()
        if now - self.shown >= REPORT_EVERY:
            self.shown = now
            self.progress(Stage.STATES, self.finished + states)

    def next(self) -> None:
        """The running extraction is over (another may follow)."""
        self.finished += self.current
        self.current = 0

    def close(self) -> None:
        """Every extraction is over: the final count, if any state was explored."""
        self.next()
        if self.finished:
            self.progress(Stage.STATES, self.finished)


def unbounded_search(program: Program, target: Target, deadline: Deadline,
                     options: Options, cache: ExtractionCache | None = None) -> SearchResult:
    """A shortest word separating PROGRAM from TARGET at any length, or a proof of none.
    CACHE (else OPTIONS.extractions): the run's extractions (see ExtractionCache), if the
    caller keeps one.
    OPTIONS.progress, if any, is told the states explored (a program found in CACHE costs
    none)."""
    states = None if options.progress is None else StatesExplored(options.progress)
    cache = cache if cache is not None else options.extractions
    try:
        mine = extract(program, options.state_budget, deadline, cache, states).dfa
        if target.other is not None:
            if states is not None:
                states.next()
            try:
                theirs = extract(target.other, options.state_budget, deadline, cache,
                                 states).dfa
            except (NotFiniteState, BudgetExceeded) as reason:
                return SearchResult(METHOD, reason=f"the other program, {target.other.path}: "
                                                   f"{reason}")
        else:
            theirs = target.language.dfa  # type: ignore[union-attr]
    except (NotFiniteState, BudgetExceeded) as reason:
        return SearchResult(METHOD, reason=str(reason))
    finally:
        if states is not None:
            states.close()
    try:
        word = shortest_difference(mine, theirs, deadline)
    except LimitReached as error:
        return SearchResult(METHOD, reason=error.during("while comparing the automata").reason)
    if word is None:
        return SearchResult(METHOD, all_lengths=True)
    return SearchResult(METHOD, tuple(word))
