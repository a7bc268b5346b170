"""SMT-LIB2 export: one claim at one word length, for trying other solvers."""

from __future__ import annotations

from typing import Any

import z3

from verifier.ir.nodes import Program
from verifier.smt.encode import Unroller, as_term, differs
from verifier.smt.lang import DfaRunner
from verifier.smt.word import SymbolicWord


def smt2_query(program: Program, length: int, language: Any | None = None) -> str:
    """The SMT-LIB2 text (`QF_BV`) asking for a word of LENGTH that PROGRAM misclassifies
    with respect to LANGUAGE (a verifier.langs.Language), or, without a language, a word
    of LENGTH that PROGRAM accepts.  `sat` means such a word exists; the word is `w_1 ...
    w_LENGTH`, each the index of its symbol in the alphabet."""
    ctx = z3.Context()
    word = SymbolicWord(ctx, program.alphabet)
    accept = Unroller(program, word, length).accept(length)
    if language is None:
        goal, question = accept, "the program accepts some word of this length"
    else:
        goal = differs(ctx, accept, DfaRunner(language.dfa, word).accepts(length))
        question = f"some word of this length is misclassified w.r.t. {language.describe()}"
    solver = z3.Solver(ctx=ctx)
    solver.add(*word.domain(length), as_term(ctx, goal))
    for variable in word.variables(length):
        solver.add(z3.ULE(variable, variable))  # declares every position, even if unused
    symbols = " ".join(f"{k}={s}" for k, s in enumerate(program.alphabet))
    header = [f"; verifier smt2: {program.path}, word length {length}, "
              f"{program.profile.describe()}",
              f"; sat iff {question}",
              f"; w_p is the symbol at position p: {symbols}",
              "(set-logic QF_BV)"]
    body = [line for line in solver.to_smt2().splitlines() if not line.startswith(";")]
    return "\n".join(header + body) + "\n"
