"""The corpus itself: it compiles, covers every construct, and each program recognizes its oracle.

The oracle tests run the batch interpreter (`accepts_all`) on every word up to the entry's
`max_length`; the word claims written in the files are checked with the one-word interpreter.
"""

from __future__ import annotations

import re

import pytest
from corpus import CORPUS, PROGRAMS, CorpusProgram

from verifier.interp import accepts_all, all_words, run_word
from verifier.ir.nodes import ATTENTION, Op, Program

ORACLE_ENTRIES = [entry for entry in CORPUS if entry.oracle is not None]


def _ids(entry: CorpusProgram) -> str:
    return entry.name


def _scope(program: Program) -> str:
    scopes = {node.selector.scope for node in program.nodes if node.selector is not None}
    if not scopes:
        return "none"
    return scopes.pop() if len(scopes) == 1 else "hybrid"


def _heads(program: Program) -> str:
    ops = {node.op for node in program.nodes} & ATTENTION
    if not ops:
        return "none"
    return "soft" if ops == {Op.AGGREGATE} else "hard"


def test_corpus_is_large_and_consistent() -> None:
    names = [entry.name for entry in CORPUS]
    assert len(CORPUS) >= 24
    assert len(set(names)) == len(names)
    on_disk = {path.stem for path in PROGRAMS.glob("*.attn")}
    assert on_disk == set(names), "every program file is listed once in CORPUS"
    assert len(ORACLE_ENTRIES) >= 24


@pytest.mark.parametrize("entry", CORPUS, ids=_ids)
def test_fragment_matches_the_ir(entry: CorpusProgram) -> None:
    program = entry.compile()
    assert program.depth(program.accept) == entry.depth
    assert _scope(program) == entry.scope
    assert _heads(program) == entry.heads


def test_every_op_is_exercised() -> None:
    used = {node.op for entry in CORPUS for node in entry.compile().nodes}
    assert used == set(Op)


def test_every_profile_option_and_format_is_exercised() -> None:
    text = "\n".join(entry.source for entry in CORPUS)
    for option in ("rounding nearest_even", "rounding toward_zero", "rounding down",
                   "denominator vanish", "denominator saturate", "sums sequential"):
        assert option in text, option
    formats = {(e.compile().profile.int_bits, e.compile().profile.frac_bits) for e in CORPUS}
    assert {(2, 1), (3, 1), (3, 2), (4, 4), (6, 3), (8, 8)} <= formats
    assert any("precision" not in entry.source for entry in CORPUS), "the default profile"


def test_every_selector_shape_is_exercised() -> None:
    selectors = {node.selector for entry in CORPUS for node in entry.compile().nodes
                 if node.selector is not None}
    assert {s.window for s in selectors if s.scope == "local"} >= {1, 2, 3}
    assert any(s.nonstrict and s.scope == "global" for s in selectors)
    assert any(s.nonstrict and s.scope == "local" for s in selectors)
    assert any(s.where is not None for s in selectors)
    assert any(s.score is not None for s in selectors)


def test_every_surface_construct_is_exercised() -> None:
    text = "\n".join(entry.source for entry in CORPUS)
    for pattern in (r"\bdefault:", r"\[i\]", r"\[j\]", r"\bif\b.*\bthen\b.*\belse\b",
                    r"(?<![\w)\]])-\d", r"\bmin\(", r"\bmax\(", r"\babs\(", r"\brelu\(",
                    r"\bexp\(", r"<=", r">=", r"==", r"!=", r"[^<>=!]<[^=]", r"[^<>=-]>[^=]",
                    r"\bnot\b", r"\band\b", r"\bor\b", r"\btrue\b", r"\bfalse\b", r"\beos\b",
                    r"^prev\s*=\s*select\("):
        assert re.search(pattern, text, re.MULTILINE), pattern
    alphabets = [entry.compile().alphabet for entry in CORPUS]
    assert any(len(a) == 3 for a in alphabets)
    assert any(any(len(symbol) > 1 for symbol in a) for a in alphabets)


@pytest.mark.parametrize("entry", ORACLE_ENTRIES, ids=_ids)
def test_program_recognizes_its_oracle(entry: CorpusProgram) -> None:
    assert entry.oracle is not None
    program = entry.compile()
    for length in range(entry.max_length + 1):
        words = all_words(len(program.alphabet), length)
        accepted = accepts_all(program, length)
        assert accepted.shape == (words.shape[0],)
        for row, got in zip(words, accepted, strict=True):
            word = tuple(program.alphabet[k] for k in row)
            assert bool(got) == entry.oracle(word), (entry.name, word)


@pytest.mark.parametrize("entry", CORPUS, ids=_ids)
def test_word_claims_in_the_file_hold(entry: CorpusProgram) -> None:
    checked = entry.checked()
    program = entry.compile()
    for claim in checked.claims:
        kind = claim.claim.kind
        assert kind in ("accepts", "rejects"), "corpus files make no language claims"
        assert claim.word is not None
        trace = run_word(program, claim.word)
        assert trace.accepted == (kind == "accepts"), (entry.name, claim.statement.text)
        if entry.oracle is not None:
            assert entry.oracle(claim.word) == trace.accepted

