"""The all-lengths engine: program -> minimal DFA (extraction), then a shortest difference.

Sound, and complete for every profile under which StreamingMachine is finite-state (the default
profile included); otherwise `unknown` with the reason. Breadth-first search makes the
counterexample a shortest (then alphabetically first) word.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from verifier.engines.registry import Options
from verifier.engines.search import Deadline, SearchResult
from verifier.engines.streaming import NotFiniteState, State, StreamingMachine
from verifier.engines.target import Target
from verifier.ir.nodes import Program
from verifier.langs import DFA, minimal_dfa, shortest_difference

METHOD = "unbounded (program automaton)"


class BudgetExceeded(Exception):
    """The exploration outgrew the state budget or the time limit; carries the reason."""


@dataclass(frozen=True)
class Extraction:
    """The minimal DFA of a program's language and the size of the explored summary space."""

    dfa: DFA
    explored_states: int
    heads: int


_EXTRACTED: dict[Program, Extraction] = {}
_EXTRACTED_LIMIT = 64


def extract(program: Program, budget: int = 200_000, deadline: Deadline | None = None
            ) -> Extraction:
    """The minimal DFA accepting exactly the words PROGRAM accepts, at every length.

    Raises NotFiniteState (the profile can count) or BudgetExceeded (too many summaries).
    Results are remembered per program (IR nodes are frozen), so several claims on one
    program explore it once."""
    known = _EXTRACTED.get(program)
    if known is not None and known.explored_states <= budget:
        return known
    result = _explore(program, budget, deadline)
    if len(_EXTRACTED) >= _EXTRACTED_LIMIT:
        _EXTRACTED.pop(next(iter(_EXTRACTED)))
    _EXTRACTED[program] = result
    return result


def _explore(program: Program, budget: int, deadline: Deadline | None) -> Extraction:
    """Breadth-first exploration of the program's summaries, then minimization."""
    machine = StreamingMachine(program)
    start = machine.initial()
    index: dict[State, int] = {start: 0}
    rows: list[tuple[int, ...]] = []
    accepting: set[int] = set()
    queue = deque([start])
    while queue:
        state = queue.popleft()
        if machine.accepts(state):
            accepting.add(index[state])
        row = []
        for symbol in range(len(program.alphabet)):
            successor = machine.step(state, symbol)
            if successor not in index:
                if len(index) >= budget:
                    raise BudgetExceeded(f"more than {budget} program states reached "
                                         "(raise the state budget)")
                index[successor] = len(index)
                queue.append(successor)
            row.append(index[successor])
        rows.append(tuple(row))
        if deadline is not None and len(rows) % 256 == 0 and deadline.expired():
            raise BudgetExceeded(f"time limit reached after exploring {len(rows)} states")
    raw = DFA(program.alphabet, len(rows), 0, frozenset(accepting), tuple(rows))
    return Extraction(minimal_dfa(raw), len(rows), len(program.attention_nodes()))


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
    word = shortest_difference(mine, theirs)
    if word is None:
        return SearchResult(METHOD, all_lengths=True)
    return SearchResult(METHOD, tuple(word))
