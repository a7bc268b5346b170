"""The ``classify`` and ``dfa`` subcommands (registered into the main argparse parser)."""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from verifier.cli.limits import EXIT_UNKNOWN, add_limit_arguments, deadline_of, report_limit
from verifier.errors import caret_lines, elide
from verifier.langs.classify import classify
from verifier.langs.errors import LanguageError
from verifier.langs.language import LanguageSource, check_alphabet, read_language_spec
from verifier.langs.render import render_dot, render_json, render_text
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
    p.add_argument("--format", choices=("text", "dot", "json"), default="text")
    add_limit_arguments(p)
    p.set_defaults(handler=handle_dfa)


def _alphabet(option: str | None) -> list[str] | None:
    """The ``--alphabet`` option as a list; LanguageError on empty or repeated names."""
    if option is None:
        return None
    symbols = [s.strip() for s in option.split(",")]
    if any(not s for s in symbols):
        raise LanguageError(f"empty symbol name in {option!r}", -1)
    return list(check_alphabet(symbols))


def report_error(spec: str, exc: LanguageError, err: TextIO) -> int:
    """Print ``error: …``; for a regex / LTL spec echo it with a caret; return 2."""
    err.write(f"error: {elide(exc.message)}\n")
    if exc.offset >= 0 and not spec.startswith("dfa:"):
        err.write(caret_lines(spec, min(exc.offset, len(spec))) + "\n")
    return 2


def _read(args: argparse.Namespace, err: TextIO) -> LanguageSource | int:
    """The language named by ``args.lang``, read (not built), or the exit status 2 after
    reporting why it is malformed."""
    try:
        alphabet = _alphabet(args.alphabet)
    except LanguageError as exc:
        err.write(f"error: --alphabet: {exc.message}\n")
        return 2
    try:
        return read_language_spec(args.lang, alphabet)
    except LanguageError as exc:
        return report_error(args.lang, exc, err)


def handle_classify(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``verifier classify LANG``: print the classification as text or JSON; exit status 3
    when a budget, ``--timeout`` or ``--memory`` runs out first, or some class is undecided
    (`unknown`, with its reason) within the classifier's limits."""
    source = _read(args, err)
    if isinstance(source, int):
        return source
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
    return EXIT_UNKNOWN if undecided else 0


def handle_dfa(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``verifier dfa LANG``: print the minimal DFA as a table, dot or DFA-file JSON; exit
    status 3 when a budget, ``--timeout`` or ``--memory`` runs out first."""
    source = _read(args, err)
    if isinstance(source, int):
        return source
    deadline = deadline_of(args)
    try:
        with enforced(deadline):
            lang = source.build(deadline)
    except LimitReached as error:
        return report_limit(error.during("while building the language"), err)
    render = {"text": render_text, "dot": render_dot, "json": render_json}[args.format]
    out.write(render(lang.dfa))
    return 0
