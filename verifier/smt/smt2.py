"""SMT-LIB2 export: one claim at one word length, a script any SMT-LIB2 solver runs as is.

The query is built once, as pysmt formulas, by the same encoder as the bounded engine
(`Unroller` over `PysmtTerms`, the one semantics), and written with `smtlib_script`; the
script ends with `(check-sat)` and `(get-model)`.
"""

from __future__ import annotations

from typing import Any

from verifier.ir.nodes import Program
from verifier.smt.encode import Unroller, as_term, differs
from verifier.smt.lang import DfaRunner
from verifier.smt.pysmtops import PysmtTerms, smtlib_script
from verifier.smt.word import SymbolicWord


def smt2_query(program: Program, length: int, language: Any | None = None,
               other: Program | None = None) -> str:
    """The SMT-LIB2 script (`QF_BV`) asking for a word of LENGTH that PROGRAM misclassifies
    with respect to LANGUAGE (a verifier.langs.Language), or on which PROGRAM and OTHER (an
    `equivalent` claim's program, over the same alphabet order) disagree, or, with neither,
    a word of LENGTH that PROGRAM accepts.  `sat` means such a word exists; the word is
    `w_1 ... w_LENGTH`, each the index of its symbol in the alphabet."""
    script, _ = smt2_parts(program, length, language, other)
    return script + "(check-sat)\n(get-model)\n"


def smt2_parts(program: Program, length: int, language: Any | None = None,
               other: Program | None = None) -> tuple[str, tuple[str, ...]]:
    """The script of `smt2_query` without its final commands, and the word's variables."""
    terms = PysmtTerms()
    word = SymbolicWord(terms, program.alphabet)
    accept = Unroller(program, word, length).accept(length)
    if other is not None:
        goal = differs(terms, accept, Unroller(other, word, length).accept(length))
        question = f"the program and {other.path} differ on some word of this length"
    elif language is not None:
        goal = differs(terms, accept, DfaRunner(language.dfa, word).accepts(length))
        question = f"some word of this length is misclassified w.r.t. {language.describe()}"
    else:
        goal, question = accept, "the program accepts some word of this length"
    variables = word.variables(length)
    symbols = " ".join(f"{k}={s}" for k, s in enumerate(program.alphabet))
    header = (f"; verifier smt2: {program.path}, word length {length}, "
              f"{program.profile.describe()}\n"
              f"; sat iff {question}\n"
              f"; w_p is the symbol at position p: {symbols}\n")
    body = smtlib_script(terms.env, [*word.domain(length), as_term(terms, goal)], variables)
    return header + body, tuple(str(v.symbol_name()) for v in variables)


def solve_query(choice: str, program: Program, length: int, language: Any | None = None,
                other: Program | None = None) -> str:
    """The answer of the `--solver` CHOICE to the script of `smt2_query` (`sat` with the word,
    `unsat`, or `unknown` with the reasons), one line naming the solver."""
    from verifier.smt.multi import other_reasons
    from verifier.smt.solvers import Query, race, require

    script, variables = smt2_parts(program, length, language, other)
    result = race(require(choice), Query(script, variables), None, 0, None)
    if result.winner is None:
        return f"; unknown ({other_reasons(result)})"
    if result.winner.status == "unsat":
        return f"; {result.winner.solver}: unsat"
    word = " ".join(program.alphabet[result.winner.values.get(v, 0)] for v in variables)
    return f"; {result.winner.solver}: sat, word: {word or '(empty)'}"
