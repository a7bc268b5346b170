"""`verifier extract FILE`: the minimal DFA of the language a program recognizes."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, TextIO

from verifier.cli.argtypes import add_precision_argument
from verifier.cli.langs import render_dfa
from verifier.cli.limits import add_budget_argument, add_limit_arguments, deadline_of
from verifier.engines.streaming import NotFiniteState
from verifier.engines.unbounded import BudgetExceeded, extract
from verifier.errors import ExitStatus, UsageError
from verifier.langs.render import DOT_MISSING, dot_available, render_json, render_text
from verifier.pipeline import load_program


def _extract(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    _, program = load_program(Path(args.file), args.precision)
    if args.budget < 1:
        raise UsageError("--budget must be positive")
    if args.format == "svg" and not dot_available():
        raise UsageError(DOT_MISSING)
    try:
        result = extract(program, args.budget, deadline_of(args))
    except (NotFiniteState, BudgetExceeded) as reason:
        err.write(f"unknown: {reason}\n")
        return ExitStatus.UNKNOWN
    if args.format == "json":
        document: dict[str, Any] = json.loads(render_json(result.dfa))
        document["info"] = {"program": str(program.path), "dfa_states": result.dfa.n_states,
                            "machines": dict(result.machine_sizes),
                            "largest_machine": result.largest_machine,
                            "heads": result.heads, "profile": program.profile.describe()}
        json.dump(document, out, indent=2)
        out.write("\n")
    elif args.format in ("dot", "svg"):
        out.write(render_dfa(result.dfa, args.format))
    else:
        sizes = ", ".join(f"{name} {size}" for name, size in result.machine_sizes)
        out.write(f"{program.path}: {result.dfa.n_states}-state minimal DFA "
                  f"({result.heads} head{'' if result.heads == 1 else 's'}, "
                  f"{program.profile.describe()})\n"
                  f"s-op machines (minimal states): {sizes}\n"
                  f"largest machine before minimization: {result.largest_machine} states\n")
        out.write(render_text(result.dfa) + "\n")
    return ExitStatus.OK


def register(sub: Any) -> None:
    """Add `extract` to the CLI's subcommands."""
    parser = sub.add_parser("extract", help="the minimal DFA of the program's language")
    parser.add_argument("file", help="the .attn program")
    parser.add_argument("--format", choices=("text", "dot", "json", "svg"), default="text",
                        help="svg: drawn by Graphviz's `dot` (must be installed)")
    add_budget_argument(parser)
    add_precision_argument(parser)
    add_limit_arguments(parser)
    parser.set_defaults(handler=_extract)
