"""The command line: one module per group of subcommands, each with a `register(sub)` that
adds its parsers; handlers are (args, out, err) -> exit status. `dispatch` is the one place
where errors become messages and exit statuses (spec section 8)."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from verifier.errors import ExitStatus, InternalError, UsageError, UserError, elide

Handler = Callable[[argparse.Namespace, TextIO, TextIO], int]



def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    from verifier.cli import check, compile, extract, interop, langs, program, smt2
    from verifier.version import __version__

    parser = argparse.ArgumentParser(
        prog="verifier", allow_abbrev=False,
        description="Prove or refute claims about fixed-precision attention programs (.attn).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                parser_class=_Parser)
    for module in (program, check, langs, extract, smt2, compile, interop):
        module.register(sub)
    for command in sub.choices.values():
        command.set_defaults(parser=command)
    return parser


class _Parser(argparse.ArgumentParser):
    """A subcommand's parser: no abbreviated options (`--eng` is not `--engine`)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(**kwargs)


def dispatch(argv: Sequence[str], out: TextIO, err: TextIO) -> int:
    """Parse ARGV and run its handler; user errors become messages and exit status 2."""
    parser = build_parser()
    complaint = io.StringIO()  # argparse quotes a bad argument whole: cut it like our errors
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(complaint):
            args, unknown = parser.parse_known_args(argv)
            if unknown:  # with the subcommand's usage, not the top level's
                args.parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    except SystemExit as stop:
        err.write(elide(complaint.getvalue()))
        return int(stop.code or 0)
    handler: Handler = args.handler
    try:
        return handler(args, out, err)
    except UserError as error:
        err.write(error.render() + "\n")
        return ExitStatus.USAGE
    except UsageError as error:
        err.write(f"error: {elide(str(error))}\n")
        return ExitStatus.USAGE
    except InternalError as error:
        err.write(f"internal error (a bug in the verifier, please report): {error}\n")
        return ExitStatus.INTERNAL
    except RecursionError:  # a net (pipeline.nesting_guard): every pass should be iterative
        if os.environ.get("VERIFIER_DEBUG"):
            raise
        from verifier.pipeline import too_deep

        err.write(too_deep(_input_name(args)).render() + "\n")
        return ExitStatus.USAGE
    except BrokenPipeError:
        raise
    except Exception as error:  # a bug: say so plainly; the traceback only on request
        if os.environ.get("VERIFIER_DEBUG"):
            raise
        err.write(f"internal error (a bug in the verifier, please report; set VERIFIER_DEBUG=1 "
                  f"for the traceback): {type(error).__name__}: {error}\n")
        return ExitStatus.INTERNAL


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
        return ExitStatus.INTERRUPTED
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return ExitStatus.OK


if __name__ == "__main__":
    raise SystemExit(main())
