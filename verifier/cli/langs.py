"""The ``classify`` and ``dfa`` subcommands (registered into the main argparse parser)."""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from verifier.cli.argtypes import alphabet
from verifier.cli.limits import add_limit_arguments, deadline_of, report_limit
from verifier.errors import ExitStatus, UsageError
from verifier.langs.classify import classify
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
from verifier.limits import LimitReached, enforced

_LANG_HELP = "the language: 'regex:…', 'ltl:…' or 'dfa:FILE' (FILE relative to the cwd)"
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


def handle_classify(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``verifier classify LANG``: print the classification as text or JSON; exit status 3
    when a budget, ``--timeout`` or ``--memory`` runs out first, or some class is undecided
    (`unknown`, with its reason) within the classifier's limits."""
    source = read_language(args.lang, args.alphabet)
    deadline = deadline_of(args)
    stage = "while building the language"
    try:
        with enforced(deadline):
            lang = source.build(deadline)
            stage = "while classifying the language"
            result = classify(lang.dfa, language=lang.describe(), deadline=deadline)
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
    source = read_language(args.lang, args.alphabet)
    if args.format == "svg" and not dot_available():
        raise UsageError(DOT_MISSING)
    deadline = deadline_of(args)
    try:
        with enforced(deadline):
            lang = source.build(deadline)
    except LimitReached as error:
        return report_limit(error.during("while building the language"), err)
    render = {"text": render_text, "dot": render_dot, "json": render_json,
              "svg": render_svg}[args.format]
    try:
        out.write(render(lang.dfa))
    except GraphvizMissing as error:
        raise UsageError(str(error)) from None
    return ExitStatus.OK
