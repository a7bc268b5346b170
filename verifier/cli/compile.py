"""The ``compile`` subcommand (registered into the main argparse parser by ``register``)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from verifier.cli.argtypes import alphabet
from verifier.cli.limits import add_limit_arguments, deadline_of, report_limit
from verifier.cli.output import same_file, write_output
from verifier.compile.build import compile_program
from verifier.compile.formulas import ARCHS
from verifier.errors import ExitStatus, UsageError
from verifier.files import os_reason
from verifier.langs import LanguageError
from verifier.limits import LimitReached, enforced

_LANG_HELP = "the language: 'ltl:…', 'regex:…' or 'dfa:FILE' (FILE relative to the cwd)"


def register(subparsers: Any) -> None:
    """Add ``compile`` to an argparse subparsers object."""
    p = subparsers.add_parser(
        "compile", help="compile a language into an .attn program for an architecture")
    p.add_argument("lang", help=_LANG_HELP)
    p.add_argument("--arch", choices=ARCHS, required=True,
                   help="global (LTL[P]), local (LTL[Y], LTL[Y<=k]) or hybrid (LTL[P,Y])")
    p.add_argument("--alphabet", default=None,
                   help="comma-separated symbols, e.g. a,b; default: the DFA file's alphabet "
                        "or the symbols the regex / formula writes")
    p.add_argument("--precision", default=None,
                   help='the number format, e.g. "fixed(4, 4)" (default: the smallest sound one)')
    p.add_argument("-o", "--output", default=None, help="write the program here (default: stdout)")
    p.add_argument("--force", action="store_true",
                   help="with -o: replace an existing file (never the input DFA file itself)")
    add_limit_arguments(p)
    p.set_defaults(handler=handle_compile)


def handle_compile(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``verifier compile LANG --arch A``: print or write the program; exit 2 on refusal."""
    output = Path(args.output) if args.output is not None else None
    deadline = deadline_of(args)
    try:
        with enforced(deadline):
            compiled = compile_program(args.lang, args.arch, alphabet(args.alphabet),
                                       args.precision,
                                       out_dir=output.parent if output is not None else None,
                                       deadline=deadline)
    except LanguageError as exc:
        raise UsageError(exc.with_caret(args.lang)) from None
    except LimitReached as error:
        return report_limit(error.during("while compiling the language"), err)
    if output is None:
        out.write(compiled.text)
        return ExitStatus.OK
    _write_new(output, compiled.text, args.lang, args.force)
    heads = compiled.size.heads
    err.write(f"wrote {output}: {heads} head{'' if heads == 1 else 's'}, attention depth "
              f"{compiled.size.depth}, precision {compiled.precision} ({compiled.route})\n")
    return ExitStatus.OK


def _write_new(output: Path, text: str, spec: str, force: bool) -> None:
    """Write TEXT to OUTPUT: refuse the input DFA file itself, and any existing file unless
    FORCE (the file is created exclusively, so a file appearing meanwhile is not replaced)."""
    if spec.startswith("dfa:") and same_file(output, Path(spec[4:])):
        raise UsageError(f"-o {output} is the input DFA file; choose another output file")
    try:
        special = output.exists() and not output.is_file()
    except (OSError, ValueError) as error:
        raise UsageError(f"cannot write {output}: {os_reason(error)}") from None
    if special:
        raise UsageError(f"-o {output} is not a regular file")
    write_output(output, text, force)
