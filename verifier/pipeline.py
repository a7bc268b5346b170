"""The front of the pipeline in a few typed calls: file -> AST -> checked -> IR."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from verifier.check.checker import CheckedProgram, check_module
from verifier.errors import Diagnostic, Span, UserError
from verifier.files import UnreadableFile, read_text
from verifier.ir.lower import lower
from verifier.ir.nodes import Program
from verifier.semantics.profile import Profile
from verifier.syntax.parser import parse_text


def read_source(path: Path) -> str:
    """The text of the regular file PATH; UserError (at 1:1 of PATH) if it cannot be read,
    is a special file, or is larger than `files.MAX_INPUT_BYTES`."""
    try:
        return read_text(path)
    except UnreadableFile as error:
        raise _file_error(path, f"cannot read file: {error.reason}") from None


def _file_error(path: Path, message: str) -> UserError:
    return UserError([Diagnostic(str(path), Span.point(1, 1), message)])


def check_text(source: str, path: str = "<input>", base_dir: Path | None = None,
               profile: Profile | None = None) -> CheckedProgram:
    """Parse and check SOURCE; UserError with every diagnostic if it is not a valid program.
    PROFILE, if given, replaces the program's own (`--precision`)."""
    return check_module(parse_text(source, path), base_dir, profile)


def load_checked(path: Path, profile: Profile | None = None) -> CheckedProgram:
    """The checked program in the file PATH (in PROFILE if given, see `check_text`)."""
    source = read_source(path)
    with nesting_guard(path):
        return check_text(source, str(path), path.parent, profile)


def load_program(path: Path, profile: Profile | None = None) -> tuple[CheckedProgram, Program]:
    """The checked program in PATH (in PROFILE if given) and its IR."""
    checked = load_checked(path, profile)
    with nesting_guard(path):
        return checked, lower(checked)


@contextmanager
def nesting_guard(path: Path | str) -> Iterator[None]:
    """A RecursionError inside becomes the error of the file PATH (at 1:1), so that `check`
    goes on with the other files. A net only: every pass over programs is iterative and
    brackets nest at most `syntax.parser.MAX_NESTING` deep, so reaching it is a bug."""
    try:
        yield
    except RecursionError:
        raise too_deep(path) from None


def too_deep(path: Path | str) -> UserError:
    """The error of a file that a pass of the verifier could not walk (see nesting_guard)."""
    return _file_error(Path(path), "nested too deeply for this verifier (a pass is not "
                       "iterative: please report it)")


def compile_text(source: str, path: str = "<input>", base_dir: Path | None = None) -> Program:
    """The IR of SOURCE (for tests and the API)."""
    return lower(check_text(source, path, base_dir))
