"""The `--timeout` and `--memory` options, the same for every subcommand that runs long
(`check`, `dfa`, `classify`, `compile`, `extract`), and how running out is reported there."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from verifier.cli.argtypes import positive_int, seconds
from verifier.errors import ExitStatus
from verifier.limits import (
    DEFAULT_MEMORY_MB,
    DEFAULT_TIMEOUT,
    STATE_BUDGET,
    Deadline,
    LimitReached,
)


def add_limit_arguments(parser: Any, per: str = "run", timeout: bool = True) -> None:
    """Add `--timeout SECONDS` (unless TIMEOUT is False) and `--memory MB` to PARSER; PER
    says what the time is for ("claim", "run")."""
    if timeout:
        parser.add_argument("--timeout", type=seconds, default=DEFAULT_TIMEOUT,
                            metavar="SECONDS",
                            help=f"seconds per {per} (default {DEFAULT_TIMEOUT:g}); running "
                                 "out gives unknown (exit status 3)")
    parser.add_argument("--memory", type=positive_int, default=DEFAULT_MEMORY_MB, metavar="MB",
                        help=f"memory cap in MB (default {DEFAULT_MEMORY_MB}), solvers and "
                             "automata included; running out gives unknown (exit status 3)")


def add_budget_argument(parser: Any) -> None:
    """Add `--budget N`, the all-lengths engine's most states per machine, to PARSER."""
    parser.add_argument("--budget", type=positive_int, default=STATE_BUDGET, metavar="N",
                        help=f"most states of one machine of the all-lengths engine (default "
                             f"{STATE_BUDGET}); outgrowing it gives unknown (exit status 3)")


def deadline_of(args: argparse.Namespace) -> Deadline:
    """The deadline and memory cap that `--timeout` and `--memory` ask for."""
    return Deadline(args.timeout, args.memory)


def report_limit(error: LimitReached, err: TextIO) -> int:
    """Write `unknown: REASON` to ERR; return the exit status of an unknown result."""
    err.write(f"unknown: {error.reason}\n")
    return ExitStatus.UNKNOWN
