"""The front of the pipeline in a few typed calls: file -> AST -> checked -> IR."""

from __future__ import annotations

from pathlib import Path

from verifier.check.checker import CheckedProgram, check_module
from verifier.errors import Diagnostic, Span, UserError
from verifier.ir.lower import lower
from verifier.ir.nodes import Program
from verifier.syntax.parser import parse_text

MAX_SOURCE_BYTES = 1 << 20


def read_source(path: Path) -> str:
    """The text of PATH; UserError if it cannot be read or is absurdly large."""
    try:
        if path.stat().st_size > MAX_SOURCE_BYTES:
            raise _file_error(path, f"file is larger than {MAX_SOURCE_BYTES} bytes")
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise _file_error(path, f"cannot read file: {error}") from None


def _file_error(path: Path, message: str) -> UserError:
    return UserError([Diagnostic(str(path), Span.point(1, 1), message)])


def check_text(source: str, path: str = "<input>", base_dir: Path | None = None
               ) -> CheckedProgram:
    """Parse and check SOURCE; UserError with every diagnostic if it is not a valid program."""
    return check_module(parse_text(source, path), base_dir)


def load_checked(path: Path) -> CheckedProgram:
    """The checked program in the file PATH."""
    return check_text(read_source(path), str(path), path.parent)


def load_program(path: Path) -> tuple[CheckedProgram, Program]:
    """The checked program in PATH and its IR."""
    checked = load_checked(path)
    return checked, lower(checked)


def compile_text(source: str, path: str = "<input>", base_dir: Path | None = None) -> Program:
    """The IR of SOURCE (for tests and the API)."""
    return lower(check_text(source, path, base_dir))
