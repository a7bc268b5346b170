"""The command line: argparse subcommands whose handlers are (args, out, err) -> exit status."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from verifier.argtypes import natural, positive_int
from verifier.engines.decide import ENGINES
from verifier.errors import InternalError, UsageError, UserError, caret_lines, elide
from verifier.limit_args import add_limit_arguments

Handler = Callable[[argparse.Namespace, TextIO, TextIO], int]

EXIT_USAGE = 2
EXIT_INTERNAL = 4


def _run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from verifier.interp import run_word
    from verifier.pipeline import load_program
    from verifier.report.trace import render_trace, trace_json
    from verifier.words import WordError, format_word, parse_word

    _, program = load_program(Path(args.file))
    try:
        word = parse_word(args.word, program.alphabet)
    except WordError as error:
        raise UsageError(f"{error.message}\n{caret_lines(args.word, error.offset)}") from None
    if len(word) > MAX_RUN_LENGTH:
        raise UsageError(f"word of length {len(word)} is longer than {MAX_RUN_LENGTH}")
    trace = run_word(program, word)
    if args.format == "json":
        document = trace_json(trace)
        if not args.attention:
            document.pop("attention")
        json.dump(document, out, indent=2)
        out.write("\n")
        return 0
    verdict = "accepted" if trace.accepted else "rejected"
    shown = format_word(word, program.alphabet) or "(empty word)"
    out.write(f"{shown}: {verdict}  [{program.profile.describe()}]\n\n")
    out.write(render_trace(trace, attention=args.attention) + "\n")
    return 0


MAX_RUN_LENGTH = 1024


def _info(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from verifier.ir.summary import render_summary, summarize
    from verifier.pipeline import load_program

    _, program = load_program(Path(args.file))
    summary = summarize(program)
    if args.format == "json":
        json.dump(summary, out, indent=2)
        out.write("\n")
    else:
        out.write(render_summary(summary) + "\n")
    return 0


def _check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from verifier.checking import AdHocClaim, check_file, collect_files, exit_status
    from verifier.engines.registry import Options
    from verifier.report.verdicts import render_results, results_json

    if args.up_to is not None and args.lang is None:
        raise UsageError("--up-to goes with --lang (a file's claims carry their own bounds)")
    if args.up_to is not None and not 0 <= args.up_to <= MAX_CLI_BOUND:
        raise UsageError(f"--up-to must be between 0 and {MAX_CLI_BOUND}")
    files = collect_files(args.paths)
    if not files:
        raise UsageError("no .attn files found in " + " ".join(args.paths))
    adhoc = AdHocClaim(args.lang, args.up_to) if args.lang is not None else None
    if adhoc is not None:
        _validate_lang_spec(adhoc.spec)
    options = Options(timeout=args.timeout, memory_mb=args.memory, rlimit=args.rlimit,
                      seed=args.seed, cross_check=args.cross_check)
    results = [check_file(path, args.engine, options, adhoc) for path in files]
    if args.format == "json":
        json.dump(results_json(results), out, indent=2)
        out.write("\n")
    else:
        out.write(render_results(results) + "\n")
    for result in results:
        if result.error is not None:
            err.write(result.error.render() + "\n")
    return exit_status(results)


MAX_CLI_BOUND = 64


def _validate_lang_spec(spec: str) -> None:
    kind, _, text = spec.partition(":")
    if kind not in ("regex", "ltl", "dfa") or not _:
        raise UsageError(f"--lang must be regex:…, ltl:… or dfa:FILE, not {spec!r}")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="verifier",
        description="Prove or refute claims about fixed-precision attention programs (.attn).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = sub.add_parser("run", help="run a program on a word and show the trace")
    run.add_argument("file", help="the .attn program")
    run.add_argument("word", help='the input word, e.g. "aab" or "b0 a b1"')
    run.add_argument("--attention", action="store_true", help="show every head's weight grid")
    run.add_argument("--format", choices=("text", "json"), default="text")
    run.set_defaults(handler=_run)
    info = sub.add_parser("info", help="alphabet, profile figures, depth, heads, fragment")
    info.add_argument("file", help="the .attn program")
    info.add_argument("--format", choices=("text", "json"), default="text")
    info.set_defaults(handler=_info)
    check = sub.add_parser("check", help="decide every assert of the files (or --lang)")
    check.add_argument("paths", nargs="+", metavar="PATH", help=".attn files or folders")
    check.add_argument("--lang", help="decide only 'recognizes LANG' (regex:…, ltl:…, dfa:FILE)")
    check.add_argument("--up-to", type=int, help="with --lang: only words up to this length")
    check.add_argument("--engine", choices=ENGINES, default="auto")
    add_limit_arguments(check, per="claim (building its language included)")
    check.add_argument("--rlimit", type=positive_int, default=None,
                       help="Z3 resource limit per query (deterministic, unlike --timeout)")
    check.add_argument("--seed", type=natural, default=0, help="solver random seed (default 0)")
    check.add_argument("--cross-check", action="store_true",
                       help="run both all-lengths methods and require them to agree")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.set_defaults(handler=_check)
    for register in _plugins():
        register(sub)
    return parser


def _plugins() -> list[Callable[[Any], None]]:
    """Subcommands defined next to their stage (languages, checking, extraction)."""
    from verifier.langs.commands import register as register_langs

    return [register_langs, *_engine_plugins()]


def _engine_plugins() -> list[Callable[[Any], None]]:
    from verifier.compile.commands import register as register_compile
    from verifier.engines.commands import register as register_extract
    from verifier.smt.commands import register as register_smt2

    return [register_extract, register_smt2, register_compile]


def dispatch(argv: Sequence[str], out: TextIO, err: TextIO) -> int:
    """Parse ARGV and run its handler; user errors become messages and exit status 2."""
    parser = build_parser()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            args = parser.parse_args(argv)
    except SystemExit as stop:
        return int(stop.code or 0)
    handler: Handler = args.handler
    try:
        return handler(args, out, err)
    except UserError as error:
        err.write(error.render() + "\n")
        return EXIT_USAGE
    except UsageError as error:
        err.write(f"error: {elide(str(error))}\n")
        return EXIT_USAGE
    except InternalError as error:
        err.write(f"internal error (a bug in the verifier, please report): {error}\n")
        return EXIT_INTERNAL
    except RecursionError:  # a net (pipeline.nesting_guard): every pass should be iterative
        if os.environ.get("VERIFIER_DEBUG"):
            raise
        from verifier.pipeline import too_deep

        err.write(too_deep(_input_name(args)).render() + "\n")
        return EXIT_USAGE
    except BrokenPipeError:
        raise
    except Exception as error:  # a bug: say so plainly; the traceback only on request
        if os.environ.get("VERIFIER_DEBUG"):
            raise
        err.write(f"internal error (a bug in the verifier, please report; set VERIFIER_DEBUG=1 "
                  f"for the traceback): {type(error).__name__}: {error}\n")
        return EXIT_INTERNAL


def _input_name(args: argparse.Namespace) -> str:
    """The file (or language) a command reads, to name it in an error."""
    for name in (getattr(args, "file", None), *getattr(args, "paths", ()),
                 getattr(args, "lang", None)):
        if isinstance(name, str):
            return name
    return "<input>"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `verifier` console script."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        return dispatch(arguments, sys.stdout, sys.stderr)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
