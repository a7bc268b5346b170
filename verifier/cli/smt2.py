"""`verifier smt2 FILE --length N [--lang SPEC]`: the SMT-LIB2 query of a claim."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from verifier.check.claims import MAX_BOUND
from verifier.errors import ExitStatus, UsageError
from verifier.limits import LimitReached
from verifier.pipeline import load_program
from verifier.smt.solvers import SOLVER_METAVAR, solver_argument


def _language(args: argparse.Namespace, program: Any, checked: Any) -> tuple[Any, Any]:
    """The --lang language, else the file's first recognizes claim's language or equivalent
    claim's program, else neither: (language, other program)."""
    from verifier.checking import question_for
    from verifier.langs import LanguageError, parse_language_spec

    if args.lang is not None:
        try:
            return parse_language_spec(args.lang, program.alphabet, Path.cwd()), None
        except LanguageError as error:
            raise UsageError(f"--lang: {error.with_caret(args.lang)}") from None
    for claim in checked.claims:
        if claim.claim.kind in ("recognizes", "not_recognizes"):
            return claim.language, None
        if claim.claim.kind == "equivalent":
            target = question_for(claim, program, checked).target
            return None, None if target is None else target.other
    return None, None


def _smt2(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from verifier.smt.smt2 import smt2_query

    if not 0 <= args.length <= MAX_BOUND:
        raise UsageError(f"--length must be between 0 and {MAX_BOUND}")
    checked, program = load_program(Path(args.file))
    try:
        language, other = _language(args, program, checked)
    except LimitReached as error:
        err.write(f"unknown: {error.reason} while building the language\n")
        return ExitStatus.UNKNOWN
    out.write(smt2_query(program, args.length, language, other))
    if args.solver is not None:
        from verifier.smt.smt2 import solve_query

        err.write(solve_query(args.solver, program, args.length, language, other) + "\n")
    return ExitStatus.OK


def register(sub: Any) -> None:
    """Add `smt2` to the CLI's subcommands."""
    parser = sub.add_parser("smt2", help="write the SMT-LIB2 query of a claim at one length")
    parser.add_argument("file", help="the .attn program")
    parser.add_argument("--length", type=int, required=True, help="the word length")
    parser.add_argument("--lang", default=None,
                        help="the language (regex:…, ltl:…, dfa:FILE); default: the file's "
                             "first recognizes or equivalent claim, else just the accept "
                             "value")
    parser.add_argument("--solver", type=solver_argument, default=None, metavar=SOLVER_METAVAR,
                        help="also run the query through this solver (portfolio: every "
                             "installed one) and write its answer to standard error")
    parser.set_defaults(handler=_smt2)
