"""The proofs folder: every claim proved, and proofs/README.md generated from it.

`verifier check proofs/` (all claims) takes a few seconds, so it is run once per session
(the `checked` fixture) and shared by the two tests that need verdicts. The other tests only
read files.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from verifier.checking import FileResult, check_file, collect_files
from verifier.report.catalog import FOLDER_ORDER, render

ROOT = Path(__file__).resolve().parent.parent
PROOFS = ROOT / "proofs"
README = PROOFS / "README.md"

# THEORY.md's table (CNT is not regular: only bounded claims, in precision/).
LANGUAGES = ["FIRST", "LT-1", "PT-2", "LDP-1", "LDP-2", "LAST", "Σ*ab", "RDP-1", "DYCK-(1,1)",
             "LT-2", "DYCK-(1,2)", "PARITY", "CNT"]
SOURCES = ("2505.23623", "2605.00768", "2310.13897")


@pytest.fixture(scope="module")
def checked() -> list[FileResult]:
    return [check_file(path) for path in collect_files([str(PROOFS)])]


def test_every_claim_is_proved(checked: list[FileResult]) -> None:
    assert checked
    for result in checked:
        assert result.error is None, (result.path, result.error)
        assert result.claims, f"{result.path} has no claims"
        for claim in result.claims:
            assert claim.verdict.status.value == "proved", (
                result.path, claim.line, claim.claim, claim.verdict.status.value,
                claim.verdict.reason)


def test_readme_is_current(checked: list[FileResult]) -> None:
    expected = render(PROOFS, checked)
    assert README.read_text(encoding="utf-8") == expected, (
        "proofs/README.md is stale: python -m verifier.report.catalog proofs/ > proofs/README.md")


def _readme_claim_rows() -> list[str]:
    rows = README.read_text(encoding="utf-8").splitlines()
    return [r for r in rows if re.match(r"^\| .* \| \d+ \| `", r)]


def test_catalog_covers_at_least_40_claims_and_every_folder() -> None:
    for folder in FOLDER_ORDER:
        assert (PROOFS / folder).is_dir(), folder
        assert list((PROOFS / folder).glob("*.attn")), folder
    rows = _readme_claim_rows()
    assert len(rows) >= 40
    assert all("| proved |" in row for row in rows)
    files = collect_files([str(PROOFS)])
    asserts = sum(
        1 for path in files for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("assert "))
    assert asserts == len(rows)
    for folder in FOLDER_ORDER:
        assert f"## `{folder}/`" in README.read_text(encoding="utf-8")


def test_every_file_has_a_header_naming_its_result() -> None:
    for path in collect_files([str(PROOFS)]):
        text = path.read_text(encoding="utf-8")
        assert text.startswith(f"# {path.name}:"), path
        if path.name != "contains_ab.attn":      # the spec's example keeps its first line
            header = text.split("\nalphabet")[0]
            assert any(s in header for s in SOURCES) or "THEORY" in header, path


def test_every_language_of_the_table_is_covered() -> None:
    headers = " ".join(
        path.read_text(encoding="utf-8").split("\nalphabet")[0]
        for path in collect_files([str(PROOFS)]))
    for name in LANGUAGES:
        assert name in headers, name


def test_separations_are_written_as_proved_negative_claims() -> None:
    """Every failed attempt states its failure as `assert not recognizes` (exit 0)."""
    attempts = sorted((PROOFS / "separations").glob("*attempt*.attn"))
    assert len(attempts) >= 8
    for path in attempts:
        assert "assert not recognizes" in path.read_text(encoding="utf-8"), path
