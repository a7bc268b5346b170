"""`verifier run` (a program on one word, with its trace) and `verifier info` (the program's
figures: alphabet, profile, depth, heads, fragment)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from verifier.cli.argtypes import add_precision_argument
from verifier.errors import ExitStatus, UsageError, caret_lines

#: The longest word `run` takes (symbols) ...
MAX_RUN_LENGTH = 1024
#: ... the most words in one run ...
MAX_RUN_WORDS = 1000
#: ... and the most characters it reads from standard input.
MAX_STDIN_CHARS = 1 << 20


def register(sub: Any) -> None:
    """Add `run` and `info` to the CLI's subcommands."""
    run = sub.add_parser("run", help="run a program on words and show the traces")
    run.add_argument("file", help="the .attn program")
    run.add_argument("words", nargs="+", metavar="WORD",
                     help='input words, e.g. "aab" or "b0 a b1"; - reads one word per line '
                          "from standard input")
    run.add_argument("--attention", action="store_true", help="show every head's weight grid")
    run.add_argument("--format", choices=("text", "json"), default="text")
    run.add_argument("--html", metavar="FILE",
                     help="also write a self-contained HTML report with every head's heatmap")
    add_precision_argument(run)
    run.set_defaults(handler=run_handler)
    info = sub.add_parser("info", help="alphabet, profile figures, depth, heads, fragment")
    info.add_argument("file", help="the .attn program")
    info.add_argument("--format", choices=("text", "json"), default="text")
    add_precision_argument(info)
    info.set_defaults(handler=info_handler)


def run_handler(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """`verifier run FILE WORD…`: each word's verdict and trace (text; JSON: the trace
    object for one word, an array of them for several); exit status 0."""
    from verifier.interp import run_word
    from verifier.pipeline import load_program
    from verifier.report.trace import render_trace, trace_json
    from verifier.words import show_word

    _, program = load_program(Path(args.file), args.precision)
    texts = _words(args.words)
    traces = [run_word(program, _parse(text, program.alphabet)) for text in texts]
    if args.html is not None:
        from verifier.report.html import render_run_html, write_html

        write_html(args.html, render_run_html(args.file, traces), [args.file])
    if args.format == "json":
        documents = [trace_json(trace) for trace in traces]
        for document in documents if not args.attention else ():
            document.pop("attention")
        json.dump(documents[0] if len(documents) == 1 else documents, out, indent=2)
        out.write("\n")
        return ExitStatus.OK
    for index, trace in enumerate(traces):
        verdict = "accepted" if trace.accepted else "rejected"
        shown = show_word(trace.word, program.alphabet)
        out.write(("\n" if index else "") + f"{shown}: {verdict}  "
                  f"[{program.profile.describe()}]\n\n")
        out.write(render_trace(trace, attention=args.attention) + "\n")
    return ExitStatus.OK


def _words(arguments: list[str]) -> list[str]:
    """The words of the command line, `-` standing for the lines of standard input (at most
    MAX_RUN_WORDS words in all)."""
    words: list[str] = []
    for argument in arguments:
        if argument == "-":
            try:
                text = sys.stdin.read(MAX_STDIN_CHARS + 1)
            except (OSError, ValueError) as error:  # closed, not readable, not UTF-8
                raise UsageError(f"cannot read words from standard input: {error}") from None
            if len(text) > MAX_STDIN_CHARS:
                raise UsageError(f"standard input holds more than {MAX_STDIN_CHARS} characters")
            words.extend(text.splitlines())
        else:
            words.append(argument)
        if len(words) > MAX_RUN_WORDS:
            raise UsageError(f"more than {MAX_RUN_WORDS} words")
    return words


def _parse(text: str, alphabet: tuple[str, ...]) -> tuple[str, ...]:
    from verifier.words import WordError, parse_word

    try:
        word = parse_word(text, alphabet)
    except WordError as error:
        raise UsageError(f"{error.message}\n{caret_lines(text, error.offset)}") from None
    if len(word) > MAX_RUN_LENGTH:
        raise UsageError(f"word of length {len(word)} is longer than {MAX_RUN_LENGTH}")
    return word


def info_handler(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """`verifier info FILE`: the program's figures (text or JSON); exit status 0."""
    from verifier.ir.summary import render_summary, summarize
    from verifier.pipeline import load_program

    _, program = load_program(Path(args.file), args.precision)
    summary = summarize(program)
    if args.format == "json":
        json.dump(summary, out, indent=2)
        out.write("\n")
    else:
        out.write(render_summary(summary) + "\n")
    return ExitStatus.OK
