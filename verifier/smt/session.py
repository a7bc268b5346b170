"""Solver sessions: deterministic settings, resource limits, and lexicographic minimization.

A session owns one Z3 context.  Every solver it makes has the fixed seed, the `rlimit` and a
timeout equal to what is left of the deadline; `unknown` (timeout, resource limit, a solver
exception) is reported as such with Z3's reason, never turned into an answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import z3

from verifier.smt.memory import is_memory_reason, memory_reason, set_max_memory, watch
from verifier.smt.word import SymbolicWord


class SolverUnknown(Exception):
    """Z3 answered `unknown` (or failed); the message says why."""


@dataclass(frozen=True)
class Limits:
    """SEED for the solver-local `random_seed` (no process-global parameter is set), RLIMIT
    per query (None: none), TIMEOUT: a function giving the seconds left (None: no limit),
    MEMORY_MB: the process's memory cap (None: none; see verifier.smt.memory)."""

    seed: int = 0
    rlimit: int | None = None
    seconds_left: Any = None
    memory_mb: int | None = None


class Session:
    """Makes configured solvers in CTX and runs checks that either answer or raise."""

    def __init__(self, ctx: z3.Context, limits: Limits) -> None:
        """A session over CTX with LIMITS."""
        self.ctx = ctx
        self.limits = limits

    def solver(self) -> z3.Solver:
        """A new solver with the seed and the resource limit."""
        solver = z3.Solver(ctx=self.ctx)
        solver.set("random_seed", self.limits.seed)
        if self.limits.rlimit is not None:
            solver.set("rlimit", self.limits.rlimit)
        return solver

    def check(self, solver: z3.Solver, *assumptions: Any) -> bool:
        """True for sat, False for unsat; SolverUnknown otherwise (with the reason)."""
        left = self.limits.seconds_left() if self.limits.seconds_left else None
        if left is not None:
            if left <= 0:
                raise SolverUnknown("time limit reached")
            solver.set("timeout", max(1, int(left * 1000)))
        set_max_memory(solver, self.limits.memory_mb)
        with watch(self.ctx, self.limits.memory_mb) as watching:
            try:
                result = solver.check(*assumptions)
            except z3.Z3Exception as error:
                if watching.tripped or is_memory_reason(str(error)):
                    raise SolverUnknown(memory_reason(self.limits.memory_mb)) from None
                raise SolverUnknown(f"solver error: {error}") from None
        if result == z3.unknown and (watching.tripped
                                     or is_memory_reason(solver.reason_unknown())):
            raise SolverUnknown(memory_reason(self.limits.memory_mb))
        if result == z3.unknown:
            raise SolverUnknown(_reason(check_interrupt(solver.reason_unknown())))
        return bool(result == z3.sat)

    def first_word(self, assertions: list[Any], model: z3.ModelRef, word: SymbolicWord,
                   length: int) -> tuple[tuple[str, ...], str | None]:
        """The alphabetically first word of LENGTH satisfying ASSERTIONS, given a MODEL of
        them, and None; positions are fixed left to right, each to the smallest symbol below
        the model's that keeps the assertions satisfiable, each try in a fresh solver (Z3's
        incremental mode is much slower on these bit-vector problems).

        If a check comes back unknown: the current model's word (still a satisfying word of
        LENGTH, perhaps not the first) and the solver's reason."""
        fixed = list(assertions)
        for variable in word.variables(length):
            current = model.eval(variable, model_completion=True).as_long()
            for candidate in range(current):
                solver = self.solver()
                solver.add(*fixed, variable == candidate)
                try:
                    sat = self.check(solver)
                except SolverUnknown as reason:
                    return word.decode(model, length), str(reason)
                if sat:
                    current, model = candidate, solver.model()
                    break
            fixed.append(variable == current)
        return word.decode(model, length), None


def check_interrupt(reason: str) -> str:
    """REASON, unless it says Z3 caught Ctrl-C (Z3 handles SIGINT itself during a check and
    answers unknown): then KeyboardInterrupt, so that Ctrl-C ends the run, not the claim."""
    if "interrupted from keyboard" in reason:
        raise KeyboardInterrupt
    return reason


def _reason(text: str) -> str:
    """Z3's reason for unknown in the words of a verdict."""
    lowered = text.lower()
    if "timeout" in lowered or "canceled" in lowered:
        return "time limit reached in the solver"
    if "resource" in lowered or "rlimit" in lowered:
        return "solver resource limit (--rlimit) exhausted"
    return f"the solver answered unknown ({text})"

