"""`verifier run` (a program on one word, with its trace) and `verifier info` (the program's
figures: alphabet, profile, depth, heads, fragment)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, TextIO

from verifier.errors import UsageError, caret_lines

#: The longest word `run` takes (symbols).
MAX_RUN_LENGTH = 1024


def register(sub: Any) -> None:
    """Add `run` and `info` to the CLI's subcommands."""
    run = sub.add_parser("run", help="run a program on a word and show the trace")
    run.add_argument("file", help="the .attn program")
    run.add_argument("word", help='the input word, e.g. "aab" or "b0 a b1"')
    run.add_argument("--attention", action="store_true", help="show every head's weight grid")
    run.add_argument("--format", choices=("text", "json"), default="text")
    run.add_argument("--html", metavar="FILE",
                     help="also write a self-contained HTML report with every head's heatmap")
    run.set_defaults(handler=run_handler)
    info = sub.add_parser("info", help="alphabet, profile figures, depth, heads, fragment")
    info.add_argument("file", help="the .attn program")
    info.add_argument("--format", choices=("text", "json"), default="text")
    info.set_defaults(handler=info_handler)


def run_handler(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """`verifier run FILE WORD`: the verdict and the trace (text or JSON); exit status 0."""
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
    if args.html is not None:
        from verifier.report.html import render_run_html, write_html

        write_html(args.html, render_run_html(args.file, trace))
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


def info_handler(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """`verifier info FILE`: the program's figures (text or JSON); exit status 0."""
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
