"""The language forms of spec section 6 behind one entry point, ``parse_language``.

Reading a language (``read_language``: syntax, symbols, the DFA file) is separate from building
its minimal DFA (``LanguageSource.build``), which can be costly: a claim's language is read
when its file is checked (errors are input errors, exit 2) and built under the claim's
deadline and memory cap (running out is an ``unknown`` verdict for that claim only).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verifier.limits import UNLIMITED, Deadline, state_budget

from .dfa import DFA, minimal_dfa
from .dfa_json import file_alphabet, load_dfa_file
from .errors import STATE_BUDGET, LanguageError
from .ltl import Formula, check_symbols, ltl_symbols, parse_ltl
from .ltl_semantics import holds, ltl_to_dfa
from .ppltl import parse_ppltl, ppltl_alphabet, ppltl_to_ltl
from .regex import Regex, read_regex, regex_dfa, regex_symbols

KINDS = ("regex", "ltl", "dfa", "ppltl")


@dataclass(frozen=True)
class Language:
    """A language over ``alphabet`` with its minimal complete DFA (and formula for LTL)."""

    kind: str
    text: str
    alphabet: tuple[str, ...]
    dfa: DFA
    formula: Formula | None = field(default=None, compare=False)

    def contains(self, word: Sequence[str]) -> bool:
        """Membership of ``word``: the LTL evaluator for ``ltl`` (and for ``ppltl``, on its
        translation to past LTL), the DFA otherwise."""
        if self.formula is not None:
            self.dfa.indices(word)  # rejects symbols outside the alphabet
            return holds(self.formula, word)
        return self.dfa.accepts(word)

    def describe(self) -> str:
        """The source form as `.attn` writes it (see ``describe_language``)."""
        return describe_language(self.kind, self.text)


def describe_language(kind: str, text: str) -> str:
    """The source form as `.attn` writes it, e.g. ``ltl "P(b & Y a)"``: only ``\\`` and
    ``"`` are escaped (the reader's `unquote`); whitespace, which regex and LTL ignore, is
    written as spaces so that a tab or line break cannot change the language read back."""
    if kind != "dfa":
        text = "".join(" " if c.isspace() else c for c in text)
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'{kind} "{escaped}"'


@dataclass(frozen=True)
class LanguageSource:
    """A language read and checked, not yet built: SYNTAX is the parsed regex, the formula,
    or the DFA loaded from the file (see the module docstring)."""

    kind: str
    text: str
    alphabet: tuple[str, ...]
    syntax: Any = field(repr=False)
    _built: list[Language] = field(default_factory=list, repr=False, compare=False)

    def describe(self) -> str:
        """The source form as `.attn` writes it, e.g. ``ltl "P(b & Y a)"``."""
        return describe_language(self.kind, self.text)

    def build(self, deadline: Deadline = UNLIMITED, budget: int = STATE_BUDGET) -> Language:
        """The language with its minimal DFA (built once, then remembered). LimitReached when
        an automaton outgrows BUDGET states or DEADLINE (time, memory) runs out first."""
        if self._built:
            return self._built[0]
        formula: Formula | None = None
        if self.kind == "regex":
            raw = regex_dfa(self.syntax, self.alphabet, budget, deadline)
        elif self.kind in ("ltl", "ppltl"):
            formula = self.syntax
            raw = ltl_to_dfa(self.syntax, self.alphabet, budget, deadline)
        else:
            raw = self.syntax
            if raw.n_states > budget:
                raise state_budget("the DFA file's automaton", budget)
        language = Language(self.kind, self.text, self.alphabet, minimal_dfa(raw, deadline),
                            formula)
        self._built.append(language)
        return language


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


def read_language(kind: str, text: str, alphabet: Sequence[str],
                  base_dir: Path | None = None) -> LanguageSource:
    """Read a language form without building it; for ``dfa`` the text is a file path relative
    to ``base_dir`` (default: the working directory); for ``ppltl`` each symbol stands for
    a valuation of the formula's propositions (``langs/ppltl.py``) and the syntax kept is
    the formula's translation to past LTL. LanguageError (offsets index into ``text``) for
    every error of the text, its symbols or the DFA file."""
    sigma = check_alphabet(alphabet)
    syntax: Regex | Formula | DFA
    if kind == "regex":
        syntax = read_regex(text, sigma)
    elif kind == "ltl":
        syntax = parse_ltl(text)
        check_symbols(syntax, sigma)
    elif kind == "ppltl":
        syntax = ppltl_to_ltl(parse_ppltl(text), sigma)
    elif kind == "dfa":
        syntax = load_dfa_file(_resolve(text, base_dir), sigma)
    else:
        raise LanguageError(
            f"unknown language form {kind!r} (expected regex, ltl, ppltl or dfa)", 0)
    return LanguageSource(kind, text, sigma, syntax)


def parse_language(
    kind: str,
    text: str,
    alphabet: Sequence[str],
    base_dir: Path | None = None,
    budget: int = STATE_BUDGET,
    deadline: Deadline = UNLIMITED,
) -> Language:
    """Read and build a language form (``read_language``, then ``LanguageSource.build``):
    LanguageError for malformed input, LimitReached for a budget, time or memory limit."""
    return read_language(kind, text, alphabet, base_dir).build(deadline, budget)


def split_spec(spec: str) -> tuple[str, str]:
    """``'ltl:P a'`` -> ``('ltl', 'P a')``; LanguageError (offset into ``spec``) otherwise."""
    kind, colon, text = spec.partition(":")
    if not colon or kind not in KINDS:
        raise LanguageError("expected regex:…, ltl:…, ppltl:… or dfa:FILE", 0)
    return kind, text


def inferred_alphabet(spec: str, base_dir: Path | None = None) -> list[str]:
    """The alphabet a CLI spec implies: the DFA file's alphabet, the sorted symbols that
    a regex / formula writes (``.`` and ``[^…]`` then range over just those), or for PPLTL
    one symbol per valuation of its propositions (``ppltl_alphabet``)."""
    kind, text = split_spec(spec)
    shift = len(kind) + 1
    try:
        if kind == "dfa":
            return file_alphabet(_resolve(text, base_dir))
        if kind == "ppltl":
            return ppltl_alphabet(text)
        return regex_symbols(text) if kind == "regex" else ltl_symbols(text)
    except LanguageError as exc:
        raise exc.shifted(shift) from None


def read_language_spec(
    spec: str, alphabet: Sequence[str] | None, base_dir: Path | None = None
) -> LanguageSource:
    """Read the CLI form ``regex:…``, ``ltl:…``, ``ppltl:…`` or ``dfa:FILE`` without building it;
    ``alphabet`` None infers it (see ``inferred_alphabet``). LanguageError offsets index into
    ``spec``."""
    kind, text = split_spec(spec)
    sigma = inferred_alphabet(spec, base_dir) if alphabet is None else alphabet
    try:
        return read_language(kind, text, sigma, base_dir)
    except LanguageError as exc:
        raise exc.shifted(len(kind) + 1) from None


def parse_language_spec(
    spec: str, alphabet: Sequence[str] | None, base_dir: Path | None = None,
    deadline: Deadline = UNLIMITED,
) -> Language:
    """Read (``read_language_spec``) and build the CLI form of a language: LanguageError
    (offsets into ``spec``) for malformed input, LimitReached for a budget, time or memory."""
    return read_language_spec(spec, alphabet, base_dir).build(deadline)
