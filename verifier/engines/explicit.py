"""The explicit-state bounded engine: breadth-first search over merged prefix summaries.

Every prefix is summarized by the program's streaming machine (`engines.streaming`: what later
positions can still observe of it; with a depth bound, counts are exact up to it) paired with
the target's state (the language's minimal DFA, or the other program's machine).  Prefixes
with equal summaries have the same future, so each pair is explored once: the search costs
the number of distinct summaries up to the bound, not the number of words.  A program whose
heads keep few key types (hard heads, local windows, counters) has polynomially many, where
`enumerate` runs `|alphabet|^n` words.  See docs/bounded.md, "Explicit-state search".

Layers are explored in order of their representative words, each the alphabetically first
word reaching its pair, so the first disagreeing pair gives the shortest, then alphabetically
first, separating word: the word `enumerate` finds.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from verifier.engines.search import Deadline, SearchResult
from verifier.engines.streaming import NotFiniteState, StreamingMachine
from verifier.engines.target import Target
from verifier.ir.nodes import Program
from verifier.limits import LimitReached
from verifier.options import Options, Stage

METHOD = "explicit (merged prefixes)"
#: How many steps pass between two looks at the deadline.
CHECK_EVERY = 256
#: The shortest length at which `min_merge` is judged (short prefixes merge little anyway).
MERGE_FROM = 6


class _Side:
    """One side of the comparison as a deterministic machine with memoized steps."""

    def __init__(self, initial: Hashable, step: Callable[[Any, int], Any],
                 accepts: Callable[[Any], bool]) -> None:
        self.initial = initial
        self._step, self._accepts = step, accepts
        self._next: dict[tuple[Any, int], Any] = {}
        self._final: dict[Any, bool] = {}

    def step(self, state: Any, symbol: int) -> Any:
        """The state after SYMBOL (an alphabet index)."""
        key = (state, symbol)
        if key not in self._next:
            self._next[key] = self._step(state, symbol)
        return self._next[key]

    def accepts(self, state: Any) -> bool:
        """Whether the word read so far is accepted."""
        if state not in self._final:
            self._final[state] = self._accepts(state)
        return self._final[state]


def _program_side(program: Program, depth: int) -> _Side:
    machine = StreamingMachine(program, depth)
    return _Side(machine.initial(), machine.step, machine.accepts)


def _target_side(program: Program, target: Target, depth: int) -> _Side:
    if target.other is not None:
        return _program_side(target.other, depth)
    dfa = target.language.dfa  # type: ignore[union-attr]
    table = target.transitions(program.alphabet)
    accepting = frozenset(dfa.accepting)
    return _Side(int(dfa.start), lambda q, k: int(table[q, k]), lambda q: q in accepting)


def explicit_search(program: Program, target: Target, bound: int, deadline: Deadline,
                    options: Options, budget: int | None = None,
                    min_merge: int | None = None) -> SearchResult:
    """The shortest, then alphabetically first, word of length <= BOUND on which PROGRAM and
    TARGET differ; or how far no such word exists (`clean_up_to`), with the reason for
    stopping early.

    BUDGET (default OPTIONS.state_budget) bounds the distinct (program, target) summary
    pairs explored; beyond it, or when a head's summary does not fix its output (a float
    running sum whose order matters, a fixed-point running clamp of both signs), the search
    stops with the reason and the lengths it cleared. OPTIONS.progress, if any, is told each
    length as its layer begins.

    MIN_MERGE (for `auto`, which has `enumerate` to fall back on): from length MERGE_FROM on,
    stop once the new summaries of a length are more than 1/MIN_MERGE of its words: the
    prefixes barely merge, and a summary costs more than a word to `enumerate`."""
    budget = options.state_budget if budget is None else budget
    try:
        mine, theirs = _program_side(program, bound), _target_side(program, target, bound)
    except NotFiniteState as reason:
        return SearchResult(METHOD, reason=str(reason))
    symbols = range(len(program.alphabet))
    layer: dict[tuple[Any, Any], tuple[int, ...]] = {(mine.initial, theirs.initial): ()}
    seen = set(layer)
    clean: int | None = None
    steps = 0
    for length in range(bound + 1):
        if options.progress is not None:
            options.progress(Stage.LENGTH, length)
        working = length
        try:
            deadline.check()
            for (state, other), word in layer.items():
                if mine.accepts(state) != theirs.accepts(other):
                    return SearchResult(METHOD, tuple(program.alphabet[k] for k in word), clean)
            clean = length
            if length == bound:
                break
            working = length + 1
            following: dict[tuple[Any, Any], tuple[int, ...]] = {}
            for (state, other), word in layer.items():
                for k in symbols:
                    steps += 1
                    if steps % CHECK_EVERY == 0:
                        deadline.check()
                    pair = (mine.step(state, k), theirs.step(other, k))
                    if pair not in seen:
                        seen.add(pair)
                        following[pair] = (*word, k)
                if len(seen) > budget:
                    return SearchResult(METHOD, clean_up_to=clean, reason=(
                        f"more than {budget} distinct prefix summaries by length "
                        f"{length + 1}"))
        except NotFiniteState as reason:
            return SearchResult(METHOD, clean_up_to=clean, reason=(
                f"at length {working} a head's summary does not fix its output: {reason}"))
        except LimitReached as error:
            return SearchResult(METHOD, clean_up_to=clean,
                                reason=f"{error.reason} during length {working}")
        if not following:
            return SearchResult(METHOD, clean_up_to=bound)
        words = len(symbols) ** (length + 1)
        if min_merge is not None and length + 1 >= MERGE_FROM \
                and len(following) * min_merge > words:
            return SearchResult(METHOD, clean_up_to=clean, reason=(
                f"prefixes barely merge ({len(following)} new summaries for the {words} "
                f"words of length {length + 1})"))
        layer = following
    return SearchResult(METHOD, clean_up_to=clean)


__all__ = ["METHOD", "explicit_search"]
