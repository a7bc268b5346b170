"""`verifier check`: every claim of every file, decided and collected for the renderers."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from verifier.check.checker import CheckedProgram
from verifier.check.claims import CheckedClaim
from verifier.engines.decide import Question, decide
from verifier.engines.target import Target
from verifier.engines.verdict import Status, Verdict
from verifier.errors import Diagnostic, ExitStatus, Span, UsageError, UserError
from verifier.ir.lower import lower
from verifier.ir.nodes import Program
from verifier.options import Options
from verifier.pipeline import load_checked, nesting_guard
from verifier.semantics.profile import Profile


@dataclass(frozen=True)
class ClaimResult:
    """One decided claim: where it is written, its text and its verdict."""

    line: int
    claim: str
    verdict: Verdict


@dataclass(frozen=True)
class FileResult:
    """Every claim of one file (or the error that kept the file from being read)."""

    path: str
    claims: tuple[ClaimResult, ...] = ()
    error: UserError | None = None


@dataclass(frozen=True)
class AdHocClaim:
    """The command line's `--lang SPEC [--up-to N]`: replaces the files' asserts."""

    spec: str
    bound: int | None


def collect_files(paths: Sequence[str]) -> list[Path]:
    """The .attn files named by PATHS (folders: every *.attn inside, sorted)."""
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        try:
            folder = path.is_dir()
        except (OSError, ValueError):
            folder = False  # reading it as a file reports why
        if folder:
            files.extend(sorted(path.rglob("*.attn")))
        else:
            files.append(path)
    return files


def question_for(claim: CheckedClaim, program: Program, checked: CheckedProgram,
                 profile: Profile | None = None) -> Question:
    """The engine question a checked claim asks (an `equivalent` claim's other program read
    in PROFILE, if given: `--precision`)."""
    syntax = claim.claim
    if syntax.kind in ("accepts", "rejects"):
        return Question(program, word=claim.word, expect_accept=syntax.kind == "accepts")
    if syntax.kind == "equivalent":
        assert claim.other is not None
        other = _load_other(claim.other, program, checked, syntax.span, profile)
        return Question(program, Target(other=other), syntax.bound)
    return Question(program, Target(source=claim.source), syntax.bound,
                    negated=syntax.kind == "not_recognizes")


def _load_other(path: Path, program: Program, checked: CheckedProgram, span: Span,
                profile: Profile | None) -> Program:
    """The program of an `equivalent` claim, lowered over this program's alphabet order (an
    alphabet is a set: `alphabet b a` and `alphabet a b` are the same input symbols)."""
    other = load_checked(path, profile)
    if set(other.alphabet) != set(program.alphabet):
        raise UserError([Diagnostic(checked.path, span,
                                    f"{path} has alphabet {' '.join(other.alphabet)}, but this "
                                    f"program has {' '.join(program.alphabet)}")],
                        checked.module.source)
    return lower(replace(other, alphabet=program.alphabet))


def check_file(path: Path, engine: str = "auto", options: Options | None = None,
               adhoc: AdHocClaim | None = None, only: int | None = None) -> FileResult:
    """Decide every claim of the file PATH (or only ADHOC; or, ONLY given, only the claim of
    that 0-based index); input errors are kept, not raised."""
    precision = None if options is None else options.precision
    return check_source(lambda: load_checked(path, precision), str(path), engine, options,
                        adhoc, only)


def count_claims(path: Path, adhoc: AdHocClaim | None = None,
                 precision: Profile | None = None) -> int | FileResult:
    """How many claims `check_file(PATH, adhoc=ADHOC)` decides, or the FileResult of the input
    error that keeps it from deciding any (every claim's question is built, nothing decided)."""
    result = check_source(lambda: load_checked(path, precision), str(path), adhoc=adhoc,
                          only=-1, options=Options(precision=precision))
    return result if result.error is not None else len(result.claims)


def check_source(read: Callable[[], CheckedProgram], path: str, engine: str = "auto",
                 options: Options | None = None, adhoc: AdHocClaim | None = None,
                 only: int | None = None) -> FileResult:
    """Decide every claim of the program READ returns (or only ADHOC; or only claim ONLY),
    PATH naming it; an input error (raised by READ or by a claim's other file) is kept in
    the result. ONLY = -1: decide none, but return one placeholder per claim (counting).
    The claims of the file share one ExtractionCache: a program is built once."""
    from verifier.engines.unbounded import ExtractionCache

    options = replace(options or Options(), extractions=ExtractionCache())
    try:
        with nesting_guard(path):
            checked = read()
            program = lower(checked)
            claims = tuple(_decide_all(checked, program, engine, options, adhoc, only))
        return FileResult(path, claims)
    except UserError as error:
        return FileResult(path, error=error)


def _decide_all(checked: CheckedProgram, program: Program, engine: str,
                options: Options | None, adhoc: AdHocClaim | None, only: int | None
                ) -> Iterator[ClaimResult]:
    if adhoc is not None:
        language = _adhoc_language(adhoc.spec, program.alphabet, Path.cwd())
        questions = [(0, f"recognizes {language.describe()}" + (
            f" up to {adhoc.bound}" if adhoc.bound is not None else ""),
            Question(program, Target(source=language), adhoc.bound))]
    else:
        questions = [(c.statement.span.line, c.statement.text,
                      question_for(c, program, checked, None if options is None
                                   else options.precision)) for c in checked.claims]
    for index, (line, text, question) in enumerate(questions):
        if only is None or only == index:
            yield ClaimResult(line, text, decide(question, engine, options))
        elif only == -1:
            yield ClaimResult(line, text, _UNDECIDED)


#: The placeholder verdict of a counted, not yet decided claim (`count_claims`).
_UNDECIDED = Verdict(Status.UNKNOWN, "not decided", None, "", reason="counted only")


def _adhoc_language(spec: str, alphabet: tuple[str, ...], base: Path) -> Any:
    """The language of `--lang SPEC`, read (built by `decide`, under the claim's limits); a
    malformed SPEC is a usage error shown with a caret."""
    from verifier.langs import LanguageError, read_language_spec

    try:
        return read_language_spec(spec, alphabet, base)
    except LanguageError as error:
        raise UsageError(f"--lang: {error.with_caret(spec)}") from None


def exit_status(results: Sequence[FileResult]) -> ExitStatus:
    """USAGE when some input is unreadable, else REFUTED when some claim is refuted, else
    UNKNOWN when some claim is unknown, else OK (LANGUAGE.md, "CLI")."""
    if any(r.error is not None for r in results):
        return ExitStatus.USAGE
    statuses = {c.verdict.status for r in results for c in r.claims}
    if Status.REFUTED in statuses:
        return ExitStatus.REFUTED
    if Status.UNKNOWN in statuses:
        return ExitStatus.UNKNOWN
    return ExitStatus.OK
