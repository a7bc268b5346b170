"""`auto` for all-lengths claims: the all-lengths engine and a short counterexample search,
sharing the claim's time in sequential slices (docs/unbounded.md, "`auto` as a portfolio").

1. The all-lengths engine with a small state budget and a short slice: what it decides there
   (every program of `proofs/`) is answered by it, exactly as before.
2. The short search: the explicit-state engine (prefixes merged by their summaries) while
   prefixes merge, then `enumerate` over the lengths whose words are cheap to list, then
   the bounded engine up to SEARCH_BOUND, within a share of the remaining time. Both go by
   increasing length, so a word found here is a shortest one (and the alphabetically first,
   the word the all-lengths engine's breadth-first search would report).
3. The all-lengths engine again, with the full budget and all the time that is left.
4. Whatever time is still left goes back to the search, from where it stopped.

`proved` for all lengths comes only from the all-lengths engine; `unknown` only when every
method has stopped, with each one's reason. Everything is sequential and in one process.
`auto` on an `up to N` claim is the short search alone, up to N (`bounded_auto`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from verifier.engines.enumerate import METHOD as ENUMERATE
from verifier.engines.enumerate import enumerate_search
from verifier.engines.registry import unbounded_engine
from verifier.engines.search import Deadline, SearchResult
from verifier.engines.target import Target
from verifier.errors import InternalError
from verifier.ir.finite import SATURATE
from verifier.ir.nodes import Program
from verifier.limits import LimitReached
from verifier.options import Options
from verifier.semantics.profile import FloatProfile

#: The search looks for counterexamples up to this length.
SEARCH_BOUND = 12
#: ... enumerating while the words up to a length are at most this many (then Z3).
ENUMERATE_WORDS = 1 << 17
#: The explicit-state engine stops where the new summaries of a length exceed 1/EXPLICIT_MERGE
#: of its words, or its summaries 1/EXPLICIT_WORDS of the words up to the bound (a summary
#: costs 10-50 times a word to `enumerate`: bench/bounded.py), or after its share of the
#: remaining time, at most what enumerating would take (roughly words x IR nodes x
#: EXPLICIT_NODE_SECONDS, at least EXPLICIT_SECONDS).
EXPLICIT_MERGE = 4
EXPLICIT_WORDS = 16
EXPLICIT_SHARE = 0.5
EXPLICIT_SECONDS = 0.5
EXPLICIT_NODE_SECONDS = 1e-7
FLOAT_SLOWER = 10
#: The first, quick all-lengths attempt: this many states per machine at most ...
QUICK_STATES = 2_000
#: ... and at most this many seconds (and QUICK_SHARE of the claim's time).
QUICK_SECONDS = 0.5
QUICK_SHARE = 0.25
#: On an `up to N` claim, the quick attempt may take 1/QUICK_LISTING of the estimated time of
#: listing the words up to N, if that is longer.
QUICK_LISTING = 4
#: The share of the remaining time the search gets before the full all-lengths attempt.
SEARCH_SHARE = 0.25
#: On an `up to N` claim, the share of the remaining time the full all-lengths attempt gets.
FULL_SHARE = 0.5

Finish = Callable[[SearchResult], SearchResult]


def _slice(deadline: Deadline, share: float, cap: float | None = None) -> Deadline:
    """A sub-deadline: SHARE of what is left of DEADLINE (at most CAP seconds; without a
    time limit, CAP or none), with the same memory cap."""
    left = deadline.remaining()
    seconds = cap if left is None else left * share if cap is None else min(cap, left * share)
    return Deadline(seconds, deadline.memory_mb)


def _guarded(run: Callable[[], SearchResult], method: str) -> SearchResult:
    """RUN's result; a limit reached on the way is a result with the reason."""
    try:
        return run()
    except LimitReached as error:
        return SearchResult(method, reason=error.reason)
    except MemoryError:
        return SearchResult(method, reason="out of memory")


def _enumerable_up_to(size: int, bound: int) -> int:
    """The longest length <= BOUND whose words, with all shorter ones, number at most
    ENUMERATE_WORDS (-1 if not even the empty word)."""
    total, length = 0, -1
    while length < bound:
        total += size ** (length + 1)
        if total > ENUMERATE_WORDS:
            break
        length += 1
    return length


@dataclass
class ShortSearch:
    """The counterexample search over lengths 0..BOUND, resumable: CLEAN is the longest length
    cleared so far (None: none), FOUND the result that holds a separating word (its method
    says who found it), NOTES where and why each method stopped."""

    program: Program
    target: Target
    options: Options
    bound: int = SEARCH_BOUND
    clean: int | None = None
    found: SearchResult | None = None
    notes: dict[str, str] = field(default_factory=dict)
    cleared_by: list[str] = field(default_factory=list)
    explored: bool = False

    @property
    def done(self) -> bool:
        """Whether a word was found or every length up to the bound was cleared."""
        return self.found is not None or (self.clean is not None and self.clean >= self.bound)

    def run(self, deadline: Deadline) -> None:
        """Search on from the first uncleared length under DEADLINE: the explicit-state engine
        (first run only) while prefixes merge, `enumerate` while the words are cheap to
        list, then the bounded engine."""
        if not self.explored:
            self.explicit(deadline)
        start = 0 if self.clean is None else self.clean + 1
        cheap = _enumerable_up_to(len(self.program.alphabet), self.bound)
        if not self.done and start <= cheap:
            self._take(_guarded(lambda: enumerate_search(self.program, self.target, cheap,
                                                         deadline, start), ENUMERATE), start)
        start = 0 if self.clean is None else self.clean + 1
        if not self.done and not deadline.expired():
            from verifier.engines.bounded import METHOD, bounded_search

            self._take(_guarded(lambda: bounded_search(self.program, self.target, self.bound,
                                                       deadline, self.options, start), METHOD),
                       start)

    def explicit(self, deadline: Deadline) -> None:
        """The explicit-state engine from length 0, while prefixes merge (`run` starts with
        it unless it ran before)."""
        from verifier.engines.explicit import METHOD as EXPLICIT
        from verifier.engines.explicit import explicit_search

        if self.done or self.explored:
            return
        self.explored = True
        words = _words(self.program, self.bound)
        budget = min(self.options.state_budget, max(1000, words // EXPLICIT_WORDS))
        share = _slice(deadline, EXPLICIT_SHARE,
                       max(EXPLICIT_SECONDS, _listing(self.program, self.bound)))
        self._take(_guarded(lambda: explicit_search(
            self.program, self.target, self.bound, share, self.options, budget,
            EXPLICIT_MERGE), EXPLICIT), 0)

    def _take(self, result: SearchResult, start: int) -> None:
        """Record RESULT of a search that began at length START."""
        if result.clean_up_to is not None and result.clean_up_to >= start:
            self.clean = result.clean_up_to
            self.cleared_by.append(result.method)
        if result.word is not None:
            self.found = result
            return
        cleared = ("nothing searched" if self.clean is None
                   else f"no counterexample up to length {self.clean}")
        why = result.reason or ("the search stops there" if self.done else None)
        self.notes[result.method] = cleared + (f" ({why})" if why else "")

    def result(self) -> SearchResult:
        """The search so far as one result: the word found (by the methods that cleared lengths,
        then the one that found it), or how far it cleared (the
        methods that cleared lengths, in order) and, short of the bound, each one's reason."""
        if self.found is not None:
            methods = list(dict.fromkeys([*self.cleared_by, self.found.method]))
            return replace(self.found, method=", then ".join(methods))
        method = ", then ".join(self.cleared_by) or "short search"
        return SearchResult(method, clean_up_to=self.clean,
                            reason=None if self.done else self.reason())

    def reason(self) -> str:
        """Each method's reason for stopping."""
        if not self.notes:
            return "no counterexample search ran (no time was left)"
        return "; ".join(f"{method}: {note}" for method, note in self.notes.items())


def portfolio_search(program: Program, target: Target, deadline: Deadline, options: Options,
                     finish: Finish | None = None) -> SearchResult:
    """`auto` on an all-lengths claim: a shortest separating word, a proof for all lengths
    (from the all-lengths engine only), or the reason of every method that stopped.

    FINISH (e.g. the cross-check by the second all-lengths method) is applied to a decided
    result before it is returned."""
    from verifier.engines.unbounded import METHOD as ALL_LENGTHS

    done = finish or (lambda result: result)
    unbounded = unbounded_engine()
    quick, limited = _quick(program, target, deadline, options)
    if quick.word is not None or quick.all_lengths:
        return done(quick)

    search = ShortSearch(program, target, options)
    search.run(_slice(deadline, SEARCH_SHARE))
    if search.found is not None and search.found.reason is None:
        return done(search.found)

    full = quick
    if limited and _worth_more(quick) and not deadline.expired():
        full = _guarded(lambda: unbounded(program, target, deadline, options), ALL_LENGTHS)
    _consistent(full, search)
    if full.word is not None or full.all_lengths:
        return done(full)
    if search.found is not None:  # a shortest word, perhaps not the alphabetically first
        return done(search.found)

    if not search.done and not deadline.expired():
        search.run(deadline)
        if search.found is not None:
            return done(search.found)
    return SearchResult(full.method, clean_up_to=search.clean,
                        reason=f"{full.method}: {full.reason}; {search.reason()}")


def bounded_auto(program: Program, target: Target, bound: int, deadline: Deadline,
                 options: Options) -> SearchResult:
    """`auto` on an `up to BOUND` claim: the explicit-state engine while prefixes merge;
    then a quick all-lengths attempt (its proof, or its shortest separating word, settles
    every bound: a word longer than BOUND means none up to BOUND); then `enumerate` and the
    bounded engine from the first uncleared length. Where the quick attempt was cut short by
    its budget or time, the search first gets SEARCH_SHARE of the time, then a full
    all-lengths attempt half of what is left, then the search the rest. A separating word is
    a shortest one."""
    search = ShortSearch(program, target, options, bound)
    search.explicit(deadline)
    if search.done:
        return search.result()
    quick, limited = _quick(program, target, deadline, options, bound)
    settled = _settles(quick, search, bound)
    if settled is not None:
        return settled
    if limited and _worth_more(quick):
        search.run(_slice(deadline, SEARCH_SHARE))
        if search.done or deadline.expired():
            return search.result()
        full = _guarded(lambda: unbounded_engine()(program, target,
                                                   _slice(deadline, FULL_SHARE), options),
                        quick.method)
        settled = _settles(full, search, bound)
        if settled is not None:
            return settled
    search.run(deadline)
    return search.result()


def _worth_more(attempt: SearchResult) -> bool:
    """Whether a full all-lengths attempt could decide where the quick ATTEMPT did not (not
    when the profile lets a head count: that holds at any budget)."""
    return not (attempt.reason or "").startswith(SATURATE)


def _settles(attempt: SearchResult, search: ShortSearch, bound: int) -> SearchResult | None:
    """The answer to `up to BOUND` that the all-lengths ATTEMPT gives (its proof, or its
    shortest separating word: longer than BOUND means none up to BOUND), None if it has
    none; InternalError if its word is one the SEARCH cleared."""
    if attempt.word is not None and search.clean is not None \
            and len(attempt.word) <= search.clean:
        raise InternalError(f"{attempt.method} found a separating word of length "
                            f"{len(attempt.word)}, but the search cleared every length up to "
                            f"{search.clean}")
    if attempt.all_lengths or (attempt.word is not None and len(attempt.word) > bound):
        return SearchResult(attempt.method, clean_up_to=bound)
    if attempt.word is not None:
        return SearchResult(attempt.method, attempt.word, len(attempt.word) - 1)
    return None


def _words(program: Program, bound: int) -> int:
    """How many words of length <= BOUND there are over PROGRAM's alphabet."""
    return sum(len(program.alphabet) ** n for n in range(bound + 1))


def _listing(program: Program, bound: int) -> float:
    """Roughly the seconds `enumerate` needs up to BOUND: words x IR nodes x
    EXPLICIT_NODE_SECONDS (FLOAT_SLOWER times that in a float format, whose soft-float the
    batch interpreter runs)."""
    slower = FLOAT_SLOWER if isinstance(program.profile, FloatProfile) else 1
    return _words(program, bound) * len(program.nodes) * EXPLICIT_NODE_SECONDS * slower


def _quick(program: Program, target: Target, deadline: Deadline, options: Options,
           bound: int | None = None) -> tuple[SearchResult, bool]:
    """The all-lengths engine with QUICK_STATES states and QUICK_SECONDS at most (for an
    `up to BOUND` claim, more where listing the words would take longer), and whether it
    was limited by them (a full attempt could go further)."""
    from verifier.engines.unbounded import METHOD as ALL_LENGTHS

    states, seconds = QUICK_STATES, QUICK_SECONDS
    if bound is not None:
        states = max(states, _words(program, bound) // EXPLICIT_WORDS)
        seconds = max(seconds, _listing(program, bound) / QUICK_LISTING)
    quick_options = replace(options, state_budget=min(options.state_budget, states))
    quick_deadline = _slice(deadline, QUICK_SHARE, seconds)
    result = _guarded(lambda: unbounded_engine()(program, target, quick_deadline,
                                                 quick_options), ALL_LENGTHS)
    return result, (quick_options.state_budget < options.state_budget
                    or quick_deadline.expired())


def _consistent(full: SearchResult, search: ShortSearch) -> None:
    """The all-lengths engine and the search must not contradict each other."""
    if full.all_lengths and search.found is not None:
        raise InternalError(f"{full.method} proves the claim for all lengths, but "
                            f"{search.found.method} found the separating word "
                            f"{list(search.found.word or ())}")
    if full.word is None:
        return
    if search.clean is not None and len(full.word) <= search.clean:
        raise InternalError(f"{full.method} found a separating word of length "
                            f"{len(full.word)}, but the search cleared every length up to "
                            f"{search.clean}")
    if search.found is not None and len(full.word) != len(search.found.word or ()):
        raise InternalError(f"{full.method} and {search.found.method} found shortest "
                            "separating words of different lengths")
