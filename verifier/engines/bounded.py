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
from verifier.options import Options
from verifier.smt.encode import Unroller, differs
from verifier.smt.lang import DfaRunner
from verifier.smt.session import Limits, Session, SolverUnknown
from verifier.smt.word import SymbolicWord

METHOD = "bounded (z3)"


class _Query:
    """Both sides of the comparison over one symbolic word, shared by every length."""

    def __init__(self, program: Program, target: Target, bound: int, ctx: z3.Context) -> None:
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
                   options: Options) -> SearchResult:
    """The shortest, then alphabetically first, word of length <= BOUND on which PROGRAM and
    TARGET differ; or how far no such word exists (`clean_up_to`), with the reason for
    stopping early (time, `rlimit`, solver `unknown`)."""
    if options.rlimit is not None and options.rlimit < 1:
        raise UsageError("--rlimit must be positive")
    ctx = z3.Context()
    session = Session(ctx, Limits(options.seed, options.rlimit, deadline.remaining,
                                  deadline.memory_mb))
    query = _Query(program, target, bound, ctx)
    clean: int | None = None
    for length in range(bound + 1):
        try:
            deadline.check()
            word = _search_length(session, query, length)
        except LimitReached as error:
            return SearchResult(METHOD, clean_up_to=clean,
                                reason=f"{error.reason} before length {length}")
        except SolverUnknown as reason:
            return SearchResult(METHOD, clean_up_to=clean, reason=f"length {length}: {reason}")
        if word is not None:
            return SearchResult(METHOD, word, clean)
        clean = length
    return SearchResult(METHOD, clean_up_to=clean)


def _search_length(session: Session, query: _Query, length: int) -> tuple[str, ...] | None:
    """The first separating word of LENGTH, or None if there is none."""
    condition = query.differs(length)
    if condition is False:
        return None
    assertions = [*query.word.domain(length)]
    if condition is not True:
        assertions.append(condition)
    solver = session.solver()
    solver.add(*assertions)
    if not session.check(solver):
        return None
    return session.first_word(assertions, solver.model(), query.word, length)
