"""Shared helpers of the compiler tests: compile, prove for all lengths, predict the size."""

from __future__ import annotations

import argparse
import io
from collections.abc import Sequence
from pathlib import Path

from verifier.cli.compile import register
from verifier.compile import Compiled, compile_program
from verifier.compile.formulas import normalize
from verifier.engines.decide import Question, decide
from verifier.engines.target import Target
from verifier.engines.verdict import Status
from verifier.errors import UsageError, UserError
from verifier.ir.summary import summarize
from verifier.langs import parse_language_spec
from verifier.langs.ltl import Binary, Formula, Not, Past, parse_ltl
from verifier.pipeline import compile_text

SCOPES = {"global": {"global-only", "no attention"}, "local": {"local-only", "no attention"},
          "hybrid": {"global-only", "local-only", "hybrid", "no attention"}}


def expected_size(formula: Formula) -> tuple[int, int]:
    """Heads and depth the construction promises, computed independently of the compiler:
    2 heads (+2 depth) per distinct P (H φ counts as P !φ), 1 head (+1) per Y / Y<=k."""
    heads: set[Past] = set()

    def depth(f: Formula) -> int:
        if isinstance(f, Not):
            return depth(f.arg)
        if isinstance(f, Binary):
            return max(depth(f.left), depth(f.right))
        if isinstance(f, Past):
            heads.add(f)
            return depth(f.arg) + (2 if f.op == "P" else 1)
        return 0

    d = depth(normalize(formula))
    return sum(2 if h.op == "P" else 1 for h in heads), d


def compile_and_prove(spec: str, arch: str, alphabet: Sequence[str],
                      precision: str | None = None, base_dir: Path | None = None) -> Compiled:
    """Compile SPEC, parse and check the text, prove it for all lengths; return it."""
    compiled = compile_program(spec, arch, list(alphabet), precision, base_dir=base_dir,
                               out_dir=base_dir)
    program = compile_text(compiled.text, "<compiled>", base_dir)
    language = parse_language_spec(spec, list(alphabet), base_dir)
    verdict = decide(Question(program, Target(language=language)), "unbounded")
    assert verdict.status is Status.PROVED, (spec, arch, verdict, compiled.text)
    summary = summarize(program)
    assert (summary["heads"], summary["depth"]) == (compiled.size.heads, compiled.size.depth)
    assert summary["fragment"]["scope"] in SCOPES[arch], (spec, arch, summary["fragment"])
    assert summary["fragment"]["attention"] in ("soft", "none")
    return compiled


def check_ltl(text: str, arch: str, alphabet: Sequence[str],
              precision: str | None = None) -> Compiled:
    """Compile and prove an LTL formula; the size must be the predicted one."""
    compiled = compile_and_prove(f"ltl:{text}", arch, alphabet, precision)
    assert (compiled.size.heads, compiled.size.depth) == expected_size(parse_ltl(text)), text
    return compiled


def run_cli(argv: Sequence[str]) -> tuple[int, str, str]:
    """Run ``compile`` through a local parser, like ``verifier.cli.dispatch`` would."""
    parser = argparse.ArgumentParser(prog="verifier")
    register(parser.add_subparsers(dest="command", required=True))
    out, err = io.StringIO(), io.StringIO()
    try:
        args = parser.parse_args(list(argv))
    except SystemExit as stop:
        return int(stop.code or 0), "", ""
    try:
        status = args.handler(args, out, err)
    except UsageError as error:
        err.write(f"error: {error}\n")
        status = 2
    except UserError as error:
        err.write(error.render() + "\n")
        status = 2
    return status, out.getvalue(), err.getvalue()
