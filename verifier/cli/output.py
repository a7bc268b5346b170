"""The `-o FILE` of a subcommand (`compile`, `import`): the file is created exclusively unless
`--force`, so a file appearing meanwhile is not replaced; every refusal is a usage error."""

from __future__ import annotations

from pathlib import Path

from verifier.errors import UsageError
from verifier.files import os_reason


def same_file(one: Path, other: Path) -> bool:
    """Whether ONE and OTHER both exist and are the same file (False when either cannot be
    examined)."""
    try:
        return one.exists() and other.exists() and one.samefile(other)
    except (OSError, ValueError):
        return False


def write_output(output: Path, text: str, force: bool) -> None:
    """Write TEXT to OUTPUT, created exclusively unless FORCE; UsageError when OUTPUT exists
    (without FORCE) or cannot be written."""
    try:
        with output.open("w" if force else "x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise UsageError(f"{output} exists; use --force to replace it") from None
    except (OSError, ValueError) as error:
        raise UsageError(f"cannot write {output}: {os_reason(error)}") from None
