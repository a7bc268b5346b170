"""Solver sessions over pysmt formulas: one SMT-LIB2 script per check, answered by one
solver or a race of several (`verifier.smt.solvers`), and lexicographic minimization.

The counterpart of `verifier.smt.session.Session` (the in-process Z3 path) for `--solver
cvc5|yices|bitwuzla|portfolio` and for `--cross-check`: a `sat` answer gives the values of
the word's variables only (the word is replayed by the interpreter before it is reported);
an `unsat` is confirmed by a second solver when asked; `unknown` carries every solver's
reason.
"""

from __future__ import annotations

from typing import Any

from verifier.smt.pysmtops import PysmtTerms, smtlib_script
from verifier.smt.session import Limits, SolverUnknown
from verifier.smt.solvers import Query, Race, race
from verifier.smt.word import SymbolicWord


def other_reasons(result: Race) -> str:
    """The answers of RESULT besides its winner, as ``solver: reason; …`` ('' when none)."""
    return "; ".join(f"{a.solver}: {a.reason}" for a in result.others)


class SolverSession:
    """Checks conjunctions of pysmt formulas of TERMS with the solvers NAMES under LIMITS;
    CONFIRM: an unsat must be confirmed by a second solver (NAMES has two or more)."""

    def __init__(self, names: tuple[str, ...], terms: PysmtTerms, limits: Limits,
                 confirm: bool = False) -> None:
        """A session racing NAMES over formulas of TERMS."""
        self.names = names
        self.terms = terms
        self.limits = limits
        self.confirm = confirm and len(names) > 1

    def check(self, assertions: list[Any], word: SymbolicWord, length: int
              ) -> dict[str, int] | None:
        """The values of `w_1..w_LENGTH` in a model of ASSERTIONS, None if unsat;
        SolverUnknown (with every solver's reason) otherwise."""
        left = self.limits.seconds_left() if self.limits.seconds_left else None
        if left is not None and left <= 0:
            raise SolverUnknown("time limit reached")
        variables = word.variables(length)
        script = smtlib_script(self.terms.env, assertions, variables)
        names = tuple(str(v.symbol_name()) for v in variables)
        result = race(self.names, Query(script, names), left, self.limits.seed,
                      self.limits.memory_mb, self.confirm)
        winner = result.winner
        if winner is None:
            raise SolverUnknown(other_reasons(result) or "no solver answered")
        if winner.status == "sat":
            return winner.values
        if self.confirm and not any(a.definite for a in result.others):
            raise SolverUnknown(f"{winner.solver} says unsat, not confirmed by a second "
                                f"solver ({other_reasons(result)})")
        return None

    def first_word(self, assertions: list[Any], values: dict[str, int], word: SymbolicWord,
                   length: int) -> tuple[tuple[str, ...], str | None]:
        """The alphabetically first word of LENGTH satisfying ASSERTIONS, given VALUES, a
        model of them (as `Session.first_word`): positions fixed left to right, each to the
        smallest symbol below the model's that keeps the assertions satisfiable.  If a check
        comes back unknown: the current model's word and the reason."""
        fixed = list(assertions)
        terms = word.terms
        for position, variable in enumerate(word.variables(length), start=1):
            name = f"{word.prefix}_{position}"
            current = values.get(name, 0)
            for candidate in range(current):
                pin = terms.eq(variable, terms.bv_val(candidate, word.bits))
                try:
                    found = self.check([*fixed, pin], word, length)
                except SolverUnknown as reason:
                    return word.decode_values(values, length), str(reason)
                if found is not None:
                    current, values = candidate, found
                    break
            fixed.append(terms.eq(variable, terms.bv_val(current, word.bits)))
        return word.decode_values(values, length), None
