"""The language forms of spec section 6 behind one entry point, ``parse_language``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .dfa import DFA, minimal_dfa
from .dfa_json import file_alphabet, load_dfa_file
from .errors import STATE_BUDGET, LanguageError
from .ltl import Formula, ltl_symbols, parse_ltl
from .ltl_semantics import holds, ltl_to_dfa
from .regex import regex_symbols, regex_to_dfa

KINDS = ("regex", "ltl", "dfa")


@dataclass(frozen=True)
class Language:
    """A language over ``alphabet`` with its minimal complete DFA (and formula for LTL)."""

    kind: str
    text: str
    alphabet: tuple[str, ...]
    dfa: DFA
    formula: Formula | None = field(default=None, compare=False)

    def contains(self, word: Sequence[str]) -> bool:
        """Membership of ``word``: the LTL evaluator for ``ltl``, the DFA otherwise."""
        if self.formula is not None:
            self.dfa.indices(word)  # rejects symbols outside the alphabet
            return holds(self.formula, word)
        return self.dfa.accepts(word)

    def describe(self) -> str:
        """The source form as `.attn` writes it, e.g. ``ltl "P(b & Y a)"``: only ``\\`` and
        ``"`` are escaped (the reader's `unquote`); whitespace, which regex and LTL ignore, is
        written as spaces so that a tab or line break cannot change the language read back."""
        text = self.text
        if self.kind != "dfa":
            text = "".join(" " if c.isspace() else c for c in text)
        escaped = text.replace("\\", "\\\\").replace('"', '\\"')
        return f'{self.kind} "{escaped}"'


def check_alphabet(alphabet: Sequence[str]) -> tuple[str, ...]:
    """The alphabet as a tuple; LanguageError on an empty name or a duplicate."""
    seen: set[str] = set()
    for symbol in alphabet:
        if not symbol or any(c.isspace() for c in symbol):
            raise LanguageError(f"invalid symbol name {symbol!r} in the alphabet", 0)
        if symbol in seen:
            raise LanguageError(f"symbol {symbol!r} appears twice in the alphabet", 0)
        seen.add(symbol)
    return tuple(alphabet)


def _resolve(text: str, base_dir: Path | None) -> Path:
    path = Path(text)
    return path if path.is_absolute() or base_dir is None else base_dir / path


def parse_language(
    kind: str,
    text: str,
    alphabet: Sequence[str],
    base_dir: Path | None = None,
    budget: int = STATE_BUDGET,
) -> Language:
    """Parse a language form; for ``dfa`` the text is a file path relative to ``base_dir``
    (default: the working directory). LanguageError offsets index into ``text``."""
    sigma = check_alphabet(alphabet)
    formula: Formula | None = None
    if kind == "regex":
        raw = regex_to_dfa(text, sigma, budget)
    elif kind == "ltl":
        formula = parse_ltl(text)
        raw = ltl_to_dfa(formula, sigma, budget)
    elif kind == "dfa":
        raw = load_dfa_file(_resolve(text, base_dir), sigma)
    else:
        raise LanguageError(f"unknown language form {kind!r} (expected regex, ltl or dfa)", 0)
    return Language(kind, text, sigma, minimal_dfa(raw), formula)


def split_spec(spec: str) -> tuple[str, str]:
    """``'ltl:P a'`` -> ``('ltl', 'P a')``; LanguageError (offset into ``spec``) otherwise."""
    kind, colon, text = spec.partition(":")
    if not colon or kind not in KINDS:
        raise LanguageError("expected regex:…, ltl:… or dfa:FILE", 0)
    return kind, text


def inferred_alphabet(spec: str, base_dir: Path | None = None) -> list[str]:
    """The alphabet a CLI spec implies: the DFA file's alphabet, or the sorted symbols that
    a regex / formula writes (``.`` and ``[^…]`` then range over just those)."""
    kind, text = split_spec(spec)
    shift = len(kind) + 1
    try:
        if kind == "dfa":
            return file_alphabet(_resolve(text, base_dir))
        return regex_symbols(text) if kind == "regex" else ltl_symbols(text)
    except LanguageError as exc:
        raise exc.shifted(shift) from None


def parse_language_spec(
    spec: str, alphabet: Sequence[str] | None, base_dir: Path | None = None
) -> Language:
    """Parse the CLI form ``regex:…``, ``ltl:…`` or ``dfa:FILE``; ``alphabet`` None infers it
    (see ``inferred_alphabet``). LanguageError offsets index into ``spec``."""
    kind, text = split_spec(spec)
    sigma = inferred_alphabet(spec, base_dir) if alphabet is None else alphabet
    try:
        return parse_language(kind, text, sigma, base_dir)
    except LanguageError as exc:
        raise exc.shifted(len(kind) + 1) from None
