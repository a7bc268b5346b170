"""The all-lengths engine: program -> minimal DFA (extraction), then a shortest difference.

Sound, and complete for every profile under which StreamingMachine is finite-state (the default
profile included); otherwise `unknown` with the reason. Breadth-first search makes the
counterexample a shortest (then alphabetically first) word.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from verifier.engines.compose import Composer
from verifier.engines.moore import MachineTooLarge
from verifier.engines.search import Deadline, SearchResult
from verifier.engines.streaming import NotFiniteState
from verifier.engines.target import Target
from verifier.ir.nodes import Program
from verifier.langs import DFA, shortest_difference
from verifier.limits import LimitReached
from verifier.options import Options

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

    @property
    def explored_states(self) -> int:
        """The largest number of states any intermediate machine had before minimization."""
        return self.largest_machine


_EXTRACTED: dict[Program, Extraction] = {}
_EXTRACTED_LIMIT = 64


def extract(program: Program, budget: int = 200_000, deadline: Deadline | None = None
            ) -> Extraction:
    """The minimal DFA accepting exactly the words PROGRAM accepts, at every length.

    Raises NotFiniteState (the profile can count) or BudgetExceeded (a machine outgrew the
    budget). Results are remembered per program (IR nodes are frozen), so several claims on
    one program build it once."""
    known = _EXTRACTED.get(program)
    if known is not None and known.largest_machine <= budget:
        return known
    composer = Composer(program, budget, None if deadline is None else _limits(deadline))
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
    if len(_EXTRACTED) >= _EXTRACTED_LIMIT:
        _EXTRACTED.pop(next(iter(_EXTRACTED)))
    _EXTRACTED[program] = result
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


def unbounded_search(program: Program, target: Target, deadline: Deadline,
                     options: Options) -> SearchResult:
    """A shortest word separating PROGRAM from TARGET at any length, or a proof of none."""
    try:
        mine = extract(program, options.state_budget, deadline).dfa
        if target.other is not None:
            theirs = extract(target.other, options.state_budget, deadline).dfa
        else:
            theirs = target.language.dfa  # type: ignore[union-attr]
    except (NotFiniteState, BudgetExceeded) as reason:
        return SearchResult(METHOD, reason=str(reason))
    try:
        word = shortest_difference(mine, theirs, deadline)
    except LimitReached as error:
        return SearchResult(METHOD, reason=error.during("while comparing the automata").reason)
    if word is None:
        return SearchResult(METHOD, all_lengths=True)
    return SearchResult(METHOD, tuple(word))
