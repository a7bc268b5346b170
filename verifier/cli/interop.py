"""The ``import`` subcommand: another tool's program translated into `.attn`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from verifier.check.profile import parse_profile
from verifier.cli.argtypes import add_precision_argument
from verifier.cli.output import same_file, write_output
from verifier.errors import Diagnostic, ExitStatus, Span, UsageError, UserError
from verifier.interop.brasp import BraspProgram, import_brasp
from verifier.interop.model import import_model
from verifier.pipeline import check_text, read_source

FORMATS = ("brasp", "model")
#: The profile of an imported model when --precision is not given.
MODEL_PRECISION = "bf16"


def register(subparsers: Any) -> None:
    """Add ``import`` to an argparse subparsers object."""
    p = subparsers.add_parser(
        "import", help="translate another tool's program (B-RASP .brasp) or a trained "
        "model's weights into .attn")
    p.add_argument("format", choices=FORMATS, help="the input's format: brasp (B-RASP text) "
                   "or model (weights of a causal NoPE transformer, with --config)")
    p.add_argument("file", help="the program to translate (FILE.brasp) or the weights "
                   "(.safetensors, .npz, or a PyTorch state_dict .pt)")
    p.add_argument("-o", "--output", default=None, help="write the program here (default: stdout)")
    p.add_argument("--force", action="store_true", help="with -o: replace an existing file")
    p.add_argument("--config", default=None, metavar="CONFIG",
                   help="model: the JSON config (docs/models.md)")
    add_precision_argument(p)
    p.add_argument("--assert", dest="claims", action="append", default=[], metavar="CLAIM",
                   help="model: add 'assert CLAIM' to the program (repeatable), e.g. "
                        "--assert 'recognizes regex \"(ab)*\" up to 12'")
    p.set_defaults(handler=handle_import)


def handle_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``verifier import brasp FILE [-o OUT]`` and ``verifier import model WEIGHTS --config
    CONFIG [--precision P] [-o OUT]``: the translated program, checked (its syntax, types and
    claims' languages) before it is printed or written; exit 2 on malformed input."""
    path = Path(args.file)
    output = Path(args.output) if args.output is not None else None
    base = (output if output is not None else path).parent
    if args.format == "model":
        if args.config is None:
            raise UsageError("import model needs --config CONFIG (the model's JSON config, "
                             "docs/models.md)")
        profile = args.precision or parse_profile(MODEL_PRECISION)
        model = import_model(path, Path(args.config), profile, args.claims)
        _check_claims(model.text, args.claims, base)
        text = model.text
        summary = (f"{model.sops} s-ops, {len(model.config.layers)} layer(s); "
                   f"{model.rounding.describe(profile)}")
    else:
        if args.config is not None or args.precision is not None or args.claims:
            raise UsageError("--config, --precision and --assert apply to import model only")
        source = read_source(path)
        text, program = import_brasp(source, str(path))
        _check(text, program, source, str(path), base)
        summary = (f"{len(program.definitions)} B-RASP definitions, "
                   f"{len(program.claims)} claim(s)")
    inputs = [path] + ([Path(args.config)] if args.config is not None else [])
    _write(text, inputs, output, args.force, out)
    if output is not None:
        err.write(f"wrote {output}: {summary}\n")
    return ExitStatus.OK


def _write(text: str, inputs: list[Path], output: Path | None, force: bool, out: TextIO
           ) -> None:
    """TEXT to OUTPUT (refusing to overwrite an input, or an existing file unless FORCE),
    or to OUT when OUTPUT is None."""
    if output is None:
        out.write(text)
        return
    for path in inputs:
        if same_file(output, path):
            raise UsageError(f"-o {output} is an input file ({path}); choose another output "
                             "file")
    write_output(output, text, force)


def _check_claims(text: str, claims: list[str], base: Path) -> None:
    """Check the imported TEXT; an error on a line of an --assert CLAIM is reported as that
    option's error (any other is a bug of the importer and propagates)."""
    try:
        check_text(text, "<imported>", base)
    except UserError as error:
        lines = text.split("\n")
        for diagnostic in error.diagnostics:
            line = lines[diagnostic.span.line - 1] if diagnostic.span.line <= len(lines) else ""
            claim = line.removeprefix("assert ")
            if line.startswith("assert ") and claim in claims:
                raise UsageError(f"--assert {claim!r}: {diagnostic.message}") from None
        raise


def _check(text: str, program: BraspProgram, source: str, path: str, base: Path) -> None:
    """Check the translated TEXT; an error in a claim copied from a ``# assert`` comment is
    reported at that comment of the `.brasp` file, any other is a bug of the translation."""
    try:
        check_text(text, "<imported>", base)
    except UserError as error:
        lines = text.split("\n")
        mapped: list[Diagnostic] = []
        for diagnostic in error.diagnostics:
            claim_text = lines[diagnostic.span.line - 1] if diagnostic.span.line <= len(
                lines) else ""
            origin = next(((ln, col) for ln, col, claim in program.claims
                           if claim == claim_text), None)
            if origin is None:
                raise
            line, column = origin
            shift = diagnostic.span.column - 1
            mapped.append(Diagnostic(path, Span.point(line, column + shift),
                                     f"in the claim: {diagnostic.message}"))
        raise UserError(mapped, source) from None
