"""Checks `assert` claims: languages parse, words lie over the alphabet, bounds are sane."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from verifier.errors import Span
from verifier.files import os_reason
from verifier.syntax import ast
from verifier.syntax.build import raw_offset
from verifier.words import WordError, parse_word

Report = Callable[[Span, str], None]
MAX_BOUND = 64


@dataclass(frozen=True)
class CheckedClaim:
    """A claim ready to decide: its language read (SOURCE, a verifier.langs.LanguageSource:
    building it is the claim's first stage, under its deadline), its word or other program
    resolved."""

    statement: ast.Assert
    source: Any | None = None
    word: tuple[str, ...] | None = None
    other: Path | None = None

    @property
    def claim(self) -> ast.Claim:
        """The claim's syntax."""
        return self.statement.claim

    @property
    def language(self) -> Any | None:
        """The claim's language built without a deadline (for the API and tests; `check`
        builds it under the claim's limits). LimitReached past the state budget."""
        return None if self.source is None else self.source.build()


def check_claims(statements: tuple[ast.Statement, ...], alphabet: tuple[str, ...],
                 languages: dict[str, ast.LangRef], base: Path, report: Report
                 ) -> list[CheckedClaim]:
    """Every assert of STATEMENTS checked; errors go to REPORT."""
    claims: list[CheckedClaim] = []
    for statement in statements:
        if isinstance(statement, ast.Assert):
            checked = check_claim(statement, alphabet, languages, base, report)
            if checked is not None:
                claims.append(checked)
    return claims


def check_claim(statement: ast.Assert, alphabet: tuple[str, ...],
                languages: dict[str, ast.LangRef], base: Path, report: Report
                ) -> CheckedClaim | None:
    """One claim checked, or None after reporting its errors."""
    claim = statement.claim
    if claim.bound is not None and claim.bound > MAX_BOUND:
        report(claim.bound_span or claim.span, f"bound {claim.bound} is too large "
               f"(at most {MAX_BOUND}; claims without 'up to' cover every length)")
        return None
    if claim.kind in ("accepts", "rejects"):
        return _word_claim(statement, alphabet, report)
    if claim.kind == "equivalent":
        return _equivalent_claim(statement, base, report)
    assert claim.lang is not None
    source = resolve_language(claim.lang, alphabet, languages, base, report)
    return None if source is None else CheckedClaim(statement, source=source)


def _word_claim(statement: ast.Assert, alphabet: tuple[str, ...], report: Report
                ) -> CheckedClaim | None:
    claim = statement.claim
    assert claim.target is not None and claim.target_span is not None
    try:
        word = parse_word(claim.target, alphabet)
    except WordError as error:
        report(_offset(claim.target_span, raw_offset(claim.target_raw, error.offset)),
               error.message)
        return None
    return CheckedClaim(statement, word=word)


def _equivalent_claim(statement: ast.Assert, base: Path, report: Report) -> CheckedClaim | None:
    claim = statement.claim
    assert claim.target is not None and claim.target_span is not None
    other = base / claim.target
    if other.suffix != ".attn":
        report(claim.target_span, f"the other program must be an .attn file, not {other.name!r}")
        return None
    try:
        exists = other.exists()  # a special file is refused, with its kind, when it is read
    except (OSError, ValueError) as error:
        report(claim.target_span, f"cannot read {claim.target!r}: {os_reason(error)}")
        return None
    if not exists:
        report(claim.target_span, f"no such program file: {claim.target}")
        return None
    return CheckedClaim(statement, other=other)


def resolve_language(ref: ast.LangRef, alphabet: tuple[str, ...],
                     languages: dict[str, ast.LangRef], base: Path, report: Report) -> Any:
    """The LanguageSource a reference denotes (read and checked, not built), or None after
    reporting why it cannot be read."""
    from verifier.langs import LanguageError, read_language

    if isinstance(ref, ast.LangName):
        if ref.name not in languages:
            report(ref.span, f"undefined language '{ref.name}'")
            return None
        ref = languages[ref.name]
        assert isinstance(ref, ast.LangLiteral)
    try:
        return read_language(ref.kind, ref.text, alphabet, base)
    except LanguageError as error:
        offset = raw_offset(ref.raw, error.offset)
        span = ref.text_span if ref.kind == "dfa" else _offset(ref.text_span, offset)
        report(span, f"{ref.kind}: {error.message}")
        return None


def _offset(span: Span, offset: int) -> Span:
    """The one-character span OFFSET characters into SPAN (for errors inside strings)."""
    column = span.column + max(0, offset)
    return Span(span.line, column, span.line, column + 1)
