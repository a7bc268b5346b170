"""The bounded SMT engine: the program and the target over one symbolic word, length by length.

For each length n = 0, 1, ..., bound the solver is asked for a word of length n on which the
program's accept value differs from the target's (the language's minimal DFA run over the same
word, or the other program).  The first length with an answer gives a shortest separating word;
it is then minimized position by position, so it is also the alphabetically first one of that
length, the same word `enumerate` finds.  See docs/bounded.md.
"""

from __future__ import annotations

from typing import Any

import z3

from verifier.engines.search import Deadline, SearchResult
from verifier.engines.target import Target
from verifier.errors import UsageError
from verifier.ir.nodes import Program
from verifier.limits import LimitReached
from verifier.options import Options, Stage
from verifier.smt.encode import Unroller, differs
from verifier.smt.lang import DfaRunner
from verifier.smt.session import Limits, Session, SolverUnknown
from verifier.smt.word import SymbolicWord

METHOD = "bounded (z3)"


def method(solver: str) -> str:
    """The method name of a verdict of this engine with the `--solver` SOLVER."""
    return f"bounded ({solver})"


class _Query:
    """Both sides of the comparison over one symbolic word, shared by every length."""

    def __init__(self, program: Program, target: Target, bound: int, ctx: Any) -> None:
        self.word = SymbolicWord(ctx, program.alphabet)
        self.mine = Unroller(program, self.word, bound)
        self.theirs: Any
        if target.other is not None:
            self.theirs = Unroller(target.other, self.word, bound)
        else:
            self.theirs = DfaRunner(target.language.dfa, self.word)  # type: ignore[union-attr]

    def differs(self, length: int) -> Any:
        """Program and target disagree on the word of LENGTH (a Python bool if it folds)."""
        theirs = (self.theirs.accept(length) if isinstance(self.theirs, Unroller)
                  else self.theirs.accepts(length))
        return differs(self.word.ctx, self.mine.accept(length), theirs)


def bounded_search(program: Program, target: Target, bound: int, deadline: Deadline,
                   options: Options, start: int = 0) -> SearchResult:
    """The shortest, then alphabetically first, word of length <= BOUND on which PROGRAM and
    TARGET differ; or how far no such word exists (`clean_up_to`), with the reason for
    stopping early (time, `rlimit`, solver `unknown`).

    START > 0: the caller has already cleared every length below START (`auto` enumerates
    them first); the search begins there and counts them as clean. A word whose
    lexicographic minimization was cut short (a solver `unknown`) is still a shortest one,
    returned with a REASON saying it may not be the alphabetically first. OPTIONS.progress,
    if any, is told each length as its search begins."""
    if options.rlimit is not None and options.rlimit < 1:
        raise UsageError("--rlimit must be positive")
    limits = Limits(options.seed, options.rlimit, deadline.remaining, deadline.memory_mb)
    names = _solvers(options)
    session: Any
    if names == ("z3",):  # the direct Z3 path: no text round trip (docs/bounded.md)
        ctx: Any = z3.Context()
        session = Session(ctx, limits)
    else:
        from verifier.smt.multi import SolverSession
        from verifier.smt.pysmtops import PysmtTerms

        ctx = PysmtTerms()
        session = SolverSession(names, ctx, limits, confirm=options.cross_check)
    query = _Query(program, target, bound, ctx)
    name = method(options.solver)
    clean: int | None = start - 1 if start > 0 else None
    for length in range(max(0, start), bound + 1):
        if options.progress is not None:
            options.progress(Stage.LENGTH, length)
        try:
            deadline.check()
            found = _search_length(session, query, length)
        except LimitReached as error:
            return SearchResult(name, clean_up_to=clean,
                                reason=f"{error.reason} before length {length}")
        except SolverUnknown as reason:
            return SearchResult(name, clean_up_to=clean, reason=f"length {length}: {reason}")
        if found is not None:
            word, stopped = found
            return SearchResult(name, word, clean, reason=None if stopped is None else
                                f"{NOT_MINIMIZED}: {stopped}")
        clean = length
    return SearchResult(name, clean_up_to=clean)


def _solvers(options: Options) -> tuple[str, ...]:
    """The solvers to ask: the `--solver` choice (every installed one for `portfolio`);
    with `--cross-check`, a second installed solver confirms each unsat (if there is one).
    UsageError (exit 2) for a solver that is not installed."""
    from verifier.smt.solvers import installed_solvers, require

    names = require(options.solver)
    if options.cross_check and len(names) == 1:
        second = [n for n in installed_solvers() if n != names[0]][:1]
        names = (*names, *second)
    return names


#: The reason a found word carries when its minimization was cut short.
NOT_MINIMIZED = "a shortest separating word, perhaps not the alphabetically first"


def _search_length(session: Any, query: _Query, length: int
                   ) -> tuple[tuple[str, ...], str | None] | None:
    """The first separating word of LENGTH (with why its minimization stopped early, None if
    it did not), or None if there is none."""
    condition = query.differs(length)
    if condition is False:
        return None
    assertions = [*query.word.domain(length)]
    if condition is not True:
        assertions.append(condition)
    if not isinstance(session, Session):
        values = session.check(assertions, query.word, length)
        if values is None:
            return None
        found: tuple[tuple[str, ...], str | None] = session.first_word(
            assertions, values, query.word, length)
        return found
    solver = session.solver()
    solver.add(*assertions)
    if not session.check(solver):
        return None
    return session.first_word(assertions, solver.model(), query.word, length)
