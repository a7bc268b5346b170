"""Golden tests over tests/frontend/bad/*.attn (syntax, name, type and profile errors)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .golden import assert_golden, diagnostics_of, expected_of

BAD = Path(__file__).parent / "bad"
FILES = sorted(BAD.glob("*.attn"))


def test_there_are_enough_bad_files() -> None:
    assert len(FILES) >= 18
    assert all(path.with_suffix(".expected").is_file() for path in FILES)
    assert {p.stem for p in BAD.glob("*.expected")} == {p.stem for p in FILES}


@pytest.mark.parametrize("source", FILES, ids=lambda p: p.stem)
def test_first_diagnostics_match_the_golden_file(source: Path) -> None:
    assert_golden(source)


def test_three_independent_errors_are_reported_at_once() -> None:
    source = BAD / "three_errors.attn"
    diagnostics, _ = diagnostics_of(source)
    assert len(expected_of(source)) == 3
    assert [(d.span.line, d.span.column) for d in diagnostics] == [(2, 11), (3, 5), (4, 8)]


@pytest.mark.parametrize("name", ["unrepresentable_eight", "unrepresentable_fraction",
                                  "wrong_arity", "local_zero", "bad_precision_frac_bits",
                                  "unknown_symbol_in_word", "unterminated_string"])
def test_single_errors_are_reported_once(name: str) -> None:
    # unrepresentable_eight also holds `lo = -8`, which is fine in fixed(4, 4)
    diagnostics, _ = diagnostics_of(BAD / f"{name}.attn")
    assert len(diagnostics) == 1, [d.message for d in diagnostics]
