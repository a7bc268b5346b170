"""attention-verifier: prove or refute claims about fixed-precision attention programs.

The pipeline as three calls (`verifier.api`): `check_text(source)`, `check_file(path)` and
`check_claim(program, claim)`; imported on first use, so that `import verifier` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from verifier.version import __version__

if TYPE_CHECKING:
    from verifier.api import (
        ClaimResult,
        FileResult,
        Options,
        Trace,
        Verdict,
        WordError,
        check_claim,
        check_file,
        check_text,
        read_program,
        run,
    )

__all__ = ["ClaimResult", "FileResult", "Options", "Trace", "Verdict", "WordError",
           "__version__", "check_claim", "check_file", "check_text", "read_program", "run"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from verifier import api

        return getattr(api, name)
    raise AttributeError(f"module 'verifier' has no attribute {name!r}")
