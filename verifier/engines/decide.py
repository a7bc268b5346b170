"""Decides one claim: picks an engine, runs it, replays what it found, returns a Verdict."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from verifier.engines.portfolio import ENUMERATE_WORDS, bounded_auto, portfolio_search
from verifier.engines.registry import bounded_engines, second_method, unbounded_engine
from verifier.engines.search import Deadline, SearchResult
from verifier.engines.target import Target
from verifier.engines.verdict import Counterexample, Status, Verdict
from verifier.errors import InternalError, UsageError
from verifier.interp import run_word
from verifier.ir.nodes import Program
from verifier.limits import Limit, LimitReached
from verifier.options import Options

ENGINES = ("auto", "enumerate", "explicit", "bounded", "unbounded")
#: Without `up to`, a bounded engine searches this far for a counterexample.
DEFAULT_SEARCH_BOUND = 10
#: The method of a verdict reached before any engine ran (the language could not be built).
LANGUAGE_METHOD = "language construction"


@dataclass(frozen=True)
class Question:
    """A claim reduced to its core: compare PROGRAM with TARGET, or run one WORD.

    NEGATED for `not recognizes`; EXPECT_ACCEPT for `accepts` (True) / `rejects` (False).
    """

    program: Program
    target: Target | None = None
    bound: int | None = None
    negated: bool = False
    word: tuple[str, ...] | None = None
    expect_accept: bool | None = None


def decide(question: Question, engine: str = "auto", options: Options | None = None) -> Verdict:
    """The verdict on QUESTION with ENGINE under OPTIONS."""
    options = options or Options()
    start = time.monotonic()
    if question.word is not None:
        verdict = _decide_word(question)
    else:
        verdict = _decide_search(question, engine, options)
    return Verdict(verdict.status, verdict.method, verdict.bound, verdict.profile,
                   verdict.counterexample, verdict.reason, time.monotonic() - start)


def _decide_word(question: Question) -> Verdict:
    assert question.word is not None
    trace = run_word(question.program, question.word)
    holds = trace.accepted == question.expect_accept
    profile = question.program.profile.describe()
    example = None if holds else Counterexample(question.word, None, trace.accepted, trace)
    return Verdict(Status.PROVED if holds else Status.REFUTED, "interpreter", None, profile,
                   example)


def _decide_search(question: Question, engine: str, options: Options) -> Verdict:
    """Build the target's language, then search, both under the claim's one deadline and
    memory cap; a limit reached on the way is `unknown` with the reason."""
    assert question.target is not None
    deadline = Deadline(options.timeout, options.memory_mb)
    profile = question.program.profile.describe()
    try:
        question = replace(question, target=question.target.built(deadline))
    except (LimitReached, MemoryError) as error:
        stopped = _limit_reason(error, deadline).during("while building the language")
        return Verdict(Status.UNKNOWN, LANGUAGE_METHOD, question.bound, profile,
                       reason=stopped.reason)
    try:
        result = _search(question, engine, deadline, options)
    except (LimitReached, MemoryError) as error:
        result = SearchResult(engine, reason=_limit_reason(error, deadline).reason)
    example = _replay(question, result) if result.word is not None else None
    status, reason = _status(question, result)
    return Verdict(status, result.method, question.bound, profile, example, reason)


def _limit_reason(error: LimitReached | MemoryError, deadline: Deadline) -> LimitReached:
    """ERROR as a LimitReached (a MemoryError is the memory limit, whatever the cap)."""
    if isinstance(error, LimitReached):
        return error
    return LimitReached(Limit.MEMORY, deadline.memory_reason() if deadline.memory_mb
                        else "out of memory")


def _status(question: Question, result: SearchResult) -> tuple[Status, str | None]:
    """The verdict of a search result, for a claim or its negation."""
    if result.word is not None:
        return (Status.PROVED if question.negated else Status.REFUTED), None
    covered = result.all_lengths or (
        question.bound is not None and result.clean_up_to is not None
        and result.clean_up_to >= question.bound)
    if covered:
        reason = "no word is misclassified" if question.negated else None
        return (Status.REFUTED if question.negated else Status.PROVED), reason
    return Status.UNKNOWN, result.reason or "the engine stopped without a verdict"


def _search(question: Question, engine: str, deadline: Deadline, options: Options
            ) -> SearchResult:
    program, target = question.program, question.target
    assert target is not None
    if question.bound is None:
        return _search_all_lengths(question, engine, deadline, options)
    if engine == "auto":
        return bounded_auto(program, target, question.bound, deadline, options)
    name = _pick_bounded(engine, program, question.bound)
    result = bounded_engines()[name](program, target, question.bound, deadline, options)
    if result.word is None and result.reason is not None:
        cleared = "nothing cleared" if result.clean_up_to is None \
            else f"no counterexample up to length {result.clean_up_to}"
        result = replace(result, reason=f"{cleared}; {result.reason}")
    return result


def _search_all_lengths(question: Question, engine: str, deadline: Deadline,
                        options: Options) -> SearchResult:
    program, target = question.program, question.target
    assert target is not None
    if engine == "auto":
        finish = (lambda result: _cross_check(question, result, deadline, options)) \
            if options.cross_check else None
        return portfolio_search(program, target, deadline, options, finish)
    if engine == "unbounded":
        unbounded = unbounded_engine()
        result = unbounded(program, target, deadline, options)
        if options.cross_check:
            result = _cross_check(question, result, deadline, options)
        return result
    name = _pick_bounded(engine, program, DEFAULT_SEARCH_BOUND)
    found = bounded_engines()[name](program, target, DEFAULT_SEARCH_BOUND, deadline, options)
    if found.word is not None:
        return found
    clean = found.clean_up_to
    return SearchResult(found.method, clean_up_to=clean,
                        reason=found.reason or f"no counterexample up to length {clean}; "
                        f"the {name} engine cannot prove a claim for all lengths "
                        "(--engine auto or unbounded can)")


def _cross_check(question: Question, first: SearchResult, deadline: Deadline,
                 options: Options) -> SearchResult:
    """Run the second all-lengths method too; a contradiction between them is a bug."""
    from verifier.engines.spacer import SpacerResult

    second = second_method()
    assert question.target is not None
    other = second(question.program, question.target, deadline, options)
    first_proves, other_proves = first.all_lengths, other.all_lengths
    first_refutes = first.word is not None
    other_refutes = other.word is not None or (
        isinstance(other, SpacerResult) and other.refuted)
    if (first_proves and other_refutes) or (first_refutes and other_proves):
        raise InternalError(f"the all-lengths methods disagree: {first.method} says "
                            f"{'no' if first_proves else 'a'} separating word exists, "
                            f"{other.method} says the opposite")
    if other.word is not None and first.word is not None and len(other.word) < len(first.word):
        raise InternalError(f"{other.method} found a shorter separating word than the "
                            f"breadth-first search of {first.method}")
    if first_proves == other_proves and first_refutes == other_refutes:
        method = f"{first.method}; cross-checked by {other.method}: agrees"
    else:
        method = f"{first.method}; not cross-checked ({other.method} has no verdict: " \
                 f"{other.reason})"
    return SearchResult(method, first.word, first.clean_up_to, first.all_lengths, first.reason)


def _pick_bounded(engine: str, program: Program, bound: int) -> str:
    available = bounded_engines()
    if engine in available:
        return engine
    if engine not in ("auto", "unbounded"):
        raise UsageError(f"engine '{engine}' is not available (available: "
                         f"{', '.join(['auto', *available])})")
    size = len(program.alphabet)
    words = sum(size**n for n in range(bound + 1))
    if words <= ENUMERATE_WORDS or "bounded" not in available:
        return "enumerate"
    return "bounded"


def _replay(question: Question, result: SearchResult) -> Counterexample:
    """Re-run a separating word in the interpreter and the oracle; a disagreement is a bug."""
    assert result.word is not None and question.target is not None
    word: Sequence[str] = result.word
    trace = run_word(question.program, word)
    in_language = question.target.contains(word)
    if trace.accepted == in_language:
        raise InternalError(f"engine '{result.method}' reported the word {list(word)} as "
                            "separating, but the interpreter and the oracle agree on it")
    return Counterexample(tuple(word), in_language, trace.accepted, trace,
                          question.target.trace(word))
