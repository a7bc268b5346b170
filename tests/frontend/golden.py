"""Golden diagnostics: `NAME.expected` beside `NAME.attn` holds its first diagnostic line(s).

Each expected line is `FILE:LINE:COL: error: FRAGMENT`; a diagnostic matches when its file has
that name, its line and column are equal, and FRAGMENT occurs in its message (the stable part;
hints and lists of expected tokens may change).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from verifier.errors import Diagnostic, UserError
from verifier.pipeline import load_program

LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<column>\d+): error: (?P<fragment>.+)$")


@dataclass(frozen=True)
class Expected:
    """One expected diagnostic."""

    file: str
    line: int
    column: int
    fragment: str


def expected_of(source: Path) -> list[Expected]:
    """The expected diagnostics of SOURCE, read from its `.expected` sibling."""
    lines = source.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    result = []
    for text in lines:
        match = LINE.match(text)
        assert match, f"malformed golden line: {text!r}"
        result.append(Expected(match["file"], int(match["line"]), int(match["column"]),
                               match["fragment"]))
    assert result, f"{source.name}: empty golden file"
    return result


def diagnostics_of(source: Path) -> tuple[list[Diagnostic], str]:
    """Every diagnostic of the file SOURCE, and their rendering; fails if the file is valid."""
    with pytest.raises(UserError) as caught:
        load_program(source)
    return caught.value.diagnostics, caught.value.render()


def assert_golden(source: Path) -> None:
    """The first diagnostics of SOURCE are the golden ones, and each renders with a caret."""
    expected = expected_of(source)
    diagnostics, rendered = diagnostics_of(source)
    assert len(diagnostics) >= len(expected), [d.message for d in diagnostics]
    for want, got in zip(expected, diagnostics, strict=False):
        assert Path(got.path).name == want.file
        assert (got.span.line, got.span.column) == (want.line, want.column), got.message
        assert want.fragment in got.message
        head = f"{got.path}:{want.line}:{want.column}: error: "
        assert head + got.message in rendered
    assert "Traceback" not in rendered
    first = diagnostics[0]
    source_line = source.read_text(encoding="utf-8").splitlines()[first.span.line - 1]
    block = rendered.splitlines()
    assert block[1] == "    " + source_line.expandtabs(1)
    caret = block[2]
    assert caret.startswith("    " + " " * (first.span.column - 1) + "^")
    assert set(caret.strip()) == {"^"}
