"""The ``classify`` and ``dfa`` subcommands (registered into the main argparse parser)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, TextIO

from verifier.cli.argtypes import alphabet
from verifier.cli.limits import add_limit_arguments, deadline_of, report_limit
from verifier.errors import ExitStatus, UsageError
from verifier.langs.classify import classify
from verifier.langs.dfa import DFA
from verifier.langs.errors import LanguageError
from verifier.langs.language import LanguageSource, read_language_spec
from verifier.langs.render import (
    DOT_MISSING,
    GraphvizMissing,
    dot_available,
    render_dot,
    render_json,
    render_svg,
    render_text,
)
from verifier.limits import Deadline, Limit, LimitReached, enforced

_LANG_HELP = ("the language: 'regex:…', 'ltl:…', 'ppltl:…', 'dfa:FILE' (FILE relative to the "
              "cwd), or a program FILE.attn (its own language, for all lengths)")
_ALPHABET_HELP = (
    "comma-separated symbols, e.g. a,b,b0; default: the DFA file's alphabet, or the symbols "
    "written in the regex / formula"
)


def register(subparsers: Any) -> None:
    """Add ``classify`` and ``dfa`` to an argparse subparsers object."""
    p = subparsers.add_parser("classify", help="classify a language (LTL[P], LTL[Y], ...)")
    p.add_argument("lang", help=_LANG_HELP)
    p.add_argument("--alphabet", default=None, help=_ALPHABET_HELP)
    p.add_argument("--format", choices=("text", "json"), default="text")
    add_limit_arguments(p)
    p.set_defaults(handler=handle_classify)
    p = subparsers.add_parser("dfa", help="print the minimal DFA of a language")
    p.add_argument("lang", help=_LANG_HELP)
    p.add_argument("--alphabet", default=None, help=_ALPHABET_HELP)
    p.add_argument("--format", choices=("text", "dot", "json", "svg"), default="text",
                   help="svg: drawn by Graphviz's `dot` (must be installed)")
    add_limit_arguments(p)
    p.set_defaults(handler=handle_dfa)


def read_language(spec: str, alphabet_option: str | None) -> LanguageSource:
    """The language SPEC over the `--alphabet` option, read (not built); UsageError with a
    caret under the offending character when it is malformed."""
    try:
        return read_language_spec(spec, alphabet(alphabet_option))
    except LanguageError as exc:
        raise UsageError(exc.with_caret(spec)) from None


def _minimal_dfa(args: argparse.Namespace, deadline: Deadline) -> tuple[DFA, str]:
    """The minimal DFA of `args.lang` and its description: a `regex:`/`ltl:`/`dfa:` language,
    or a `.attn` program's own language (extracted for all lengths, docs/unbounded.md).
    LimitReached when a limit or budget runs out; UsageError on bad input."""
    if not args.lang.endswith(".attn") or args.lang.startswith(("regex:", "ltl:", "dfa:")):
        source = read_language(args.lang, args.alphabet)
        with enforced(deadline):
            lang = source.build(deadline)
        return lang.dfa, lang.describe()
    if args.alphabet is not None:
        raise UsageError("--alphabet does not go with a program: its alphabet is its own")
    from verifier.engines.streaming import NotFiniteState
    from verifier.engines.unbounded import BudgetExceeded, extract
    from verifier.pipeline import load_program

    _, program = load_program(Path(args.lang))
    try:
        return extract(program, deadline=deadline).dfa, f"the language of {args.lang}"
    except (NotFiniteState, BudgetExceeded) as reason:
        raise LimitReached(Limit.STATES, str(reason)) from None


def handle_classify(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``verifier classify LANG``: print the classification as text or JSON; exit status 3
    when a budget, ``--timeout`` or ``--memory`` runs out first, or some class is undecided
    (`unknown`, with its reason) within the classifier's limits. LANG may be a `.attn`
    program: its own language is classified."""
    deadline = deadline_of(args)
    stage = "while building the language"
    try:
        dfa, described = _minimal_dfa(args, deadline)
        stage = "while classifying the language"
        with enforced(deadline):
            result = classify(dfa, language=described, deadline=deadline)
    except LimitReached as error:
        return report_limit(error.during(stage), err)
    if args.format == "json":
        out.write(json.dumps(result.to_json(), indent=2, ensure_ascii=False) + "\n")
    else:
        out.write(result.render_text())
    undecided = any(verdict.holds is None for verdict in result.verdicts.values())
    return ExitStatus.UNKNOWN if undecided else ExitStatus.OK


def handle_dfa(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``verifier dfa LANG``: print the minimal DFA as a table, dot or DFA-file JSON; exit
    status 3 when a budget, ``--timeout`` or ``--memory`` runs out first."""
    if args.format == "svg" and not dot_available():
        raise UsageError(DOT_MISSING)
    deadline = deadline_of(args)
    try:
        dfa, _ = _minimal_dfa(args, deadline)
    except LimitReached as error:
        return report_limit(error.during("while building the language"), err)
    out.write(render_dfa(dfa, args.format))
    return ExitStatus.OK


def render_dfa(dfa: DFA, fmt: str) -> str:
    """DFA as FMT: a table (text), dot, DFA-file JSON or svg (drawn by Graphviz's `dot`;
    UsageError when it is missing)."""
    render = {"text": render_text, "dot": render_dot, "json": render_json,
              "svg": render_svg}[fmt]
    try:
        return render(dfa)
    except GraphvizMissing as error:
        raise UsageError(str(error)) from None
