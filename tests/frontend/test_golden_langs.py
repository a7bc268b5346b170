"""Golden tests for bad languages inside claims (tests/frontend/bad_langs/); need verifier.langs.

Also checks that the spec's section-1 program, with its regex and LTL claims, reads cleanly and
that both languages agree with the program on every word up to length 12.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus import SPEC_CONTAINS_AB

from verifier.interp import accepts_all, all_words
from verifier.pipeline import load_program

from .golden import assert_golden

try:
    from verifier.langs import parse_language  # noqa: F401
except ImportError:  # pragma: no cover - only while verifier.langs is being written
    pytest.skip("verifier.langs.parse_language is not importable yet", allow_module_level=True)

BAD_LANGS = Path(__file__).parent / "bad_langs"
FILES = sorted(BAD_LANGS.glob("*.attn"))


def test_there_are_bad_language_files() -> None:
    assert len(FILES) >= 6
    assert {p.stem for p in BAD_LANGS.glob("*.expected")} == {p.stem for p in FILES}


@pytest.mark.parametrize("source", FILES, ids=lambda p: p.stem)
def test_language_errors_point_inside_the_string(source: Path) -> None:
    assert_golden(source)


def test_spec_program_claims_read_and_agree_up_to_12() -> None:
    checked, program = load_program(SPEC_CONTAINS_AB)
    kinds = [claim.claim.kind for claim in checked.claims]
    assert kinds == ["recognizes", "recognizes", "accepts", "rejects"]
    ltl, regex = checked.claims[0].language, checked.claims[1].language
    assert checked.claims[1].claim.bound == 12
    for length in range(13):
        accepted = accepts_all(program, length)
        for row, got in zip(all_words(2, length), accepted, strict=True):
            word = tuple(program.alphabet[k] for k in row)
            assert ltl.contains(word) == regex.contains(word) == bool(got), word
