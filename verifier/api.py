"""The pipeline in a handful of typed calls: source -> checked program -> IR -> claims ->
verdicts (in the manner of tracr's `compile_rasp_to_model`). Re-exported by `verifier`.

    >>> import verifier
    >>> result = verifier.check_text('''
    ... alphabet a b
    ... precision fixed(4, 4)
    ... last_a = rightmost(select(local 1), a)
    ... accept last_a
    ... assert recognizes ltl "Y a"
    ... ''')
    >>> [c.verdict.status.value for c in result.claims]
    ['proved']

Input errors are not raised by `check_text` / `check_file`: they are kept in
`FileResult.error` (a `UserError` whose `render()` gives `FILE:LINE:COL: error: …` with a
caret), as `verifier check` reports them. `check_claim` raises `UserError` for a claim that
does not read.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from verifier.check.checker import CheckedProgram
from verifier.checking import ClaimResult, FileResult, check_source, question_for
from verifier.checking import check_file as _check_file
from verifier.engines.decide import decide
from verifier.engines.verdict import Verdict
from verifier.interp import run_word
from verifier.interp.trace import Trace
from verifier.ir.lower import lower
from verifier.options import Options
from verifier.pipeline import check_text as _checked
from verifier.syntax.symbols import alphabet_line
from verifier.words import WordError, check_symbols, parse_word


def read_program(source: str, path: str = "<input>", base_dir: Path | None = None
                 ) -> CheckedProgram:
    """The checked program of SOURCE (PATH names it in diagnostics; BASE_DIR resolves the
    files its claims name, default the working directory), for `check_claim` and `run`.
    UserError (positioned diagnostics) when it does not read or does not type-check."""
    return _checked(source, path, base_dir or Path.cwd())


def check_text(source: str, *, engine: str = "auto", options: Options | None = None,
               path: str = "<input>", base_dir: Path | None = None) -> FileResult:
    """Every claim of the program SOURCE, decided by ENGINE (auto, enumerate, bounded,
    unbounded) under OPTIONS (limits per claim). PATH names the source in diagnostics;
    BASE_DIR resolves the files its claims name (default: the working directory)."""
    return check_source(lambda: _checked(source, path, base_dir or Path.cwd()), path, engine,
                        options)


def check_file(path: str | Path, *, engine: str = "auto", options: Options | None = None
               ) -> FileResult:
    """Every claim of the .attn file PATH (see `check_text`); the file is read as
    `verifier check` reads it (a regular UTF-8 file of at most 1 MiB)."""
    return _check_file(Path(path), engine, options)


def check_claim(program: CheckedProgram, claim: str, *, engine: str = "auto",
                options: Options | None = None) -> Verdict:
    """The verdict on CLAIM, written as after `assert` in a file (e.g.
    `recognizes ltl "P(b & Y a)" up to 8`, `accepts "ab"`), about the checked PROGRAM (from
    `verifier.pipeline.check_text` or `load_checked`). UserError if CLAIM does not read."""
    header = f"{alphabet_line(program.alphabet)}\naccept true\nassert "
    base = Path(program.path).parent if program.path != "<input>" else Path.cwd()
    probe = _checked(header + claim + "\n", "<claim>", base)
    question = question_for(probe.claims[0], lower(program), program)
    return decide(question, engine, options)


__all__ = ["ClaimResult", "FileResult", "Options", "Trace", "Verdict", "WordError", "check_claim",
           "check_file", "check_text", "read_program", "run"]


def run(program: CheckedProgram, word: str | Sequence[str]) -> Trace:
    """The run of PROGRAM on WORD (text as in a claim, e.g. `"aab"` or `"b0 a b1"`, or a
    sequence of symbols): its verdict (`trace.accepted`) and every s-op's value at every
    position (`trace.values()`, in user units). WordError (with the 0-based `offset` of the
    first unknown symbol; for a sequence, its index) on a symbol outside the alphabet."""
    if isinstance(word, str):
        symbols = parse_word(word, program.alphabet)
    else:
        symbols = tuple(word)
        check_symbols(enumerate(symbols), program.alphabet)
    return run_word(lower(program), symbols)
