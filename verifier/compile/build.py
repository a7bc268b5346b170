"""``compile_language``: a language and an architecture -> the text of an ``.attn`` program."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from verifier.engines.decide import Question, decide
from verifier.engines.target import Target
from verifier.engines.verdict import Status
from verifier.errors import InternalError, UsageError, UserError
from verifier.langs import DFA, Language, classify, parse_language_spec
from verifier.langs.dfa import equivalent
from verifier.langs.ltl import Formula
from verifier.langs.ltl_semantics import ltl_to_dfa
from verifier.limits import UNLIMITED, Deadline, Limit, LimitReached
from verifier.options import Options
from verifier.pipeline import compile_text
from verifier.syntax import ast
from verifier.syntax.parser import parse_text
from verifier.syntax.symbols import alphabet_line, symbol_problem

from .delay import locally_r_trivial_formula
from .emit import Emitter
from .formulas import (
    ARCHS,
    FRAGMENTS,
    Size,
    max_window,
    normalize,
    outside_operators,
    predicted_size,
    render_length,
    render_within,
)
from .from_dfa import Derived, definite_formula, partially_ordered_formula
from .precision import check_window, default_precision, parse_precision
from .refusal import NEEDED, refuse

THEOREMS = {
    "global": ("Theorem: LTL[P] is exactly what fixed-precision soft-attention transformers",
               "with global heads recognize (Li & Cotterell 2025, arXiv 2505.23623)."),
    "local": ("Theorem: LTL[Y] (and LTL[Y<=k]) is recognized by fixed-precision transformers",
              "with local heads (Li & Cotterell 2026, arXiv 2605.00768)."),
    "hybrid": ("Theorem: LTL[P, Y] (and LTL[P, Y<=k]) is recognized by fixed-precision",
               "transformers with global and local heads (Li & Cotterell 2025, 2026)."),
}
ARCH_TEXT = {"global": "soft attention, global heads only",
             "local": "soft attention, local heads only",
             "hybrid": "soft attention, global + local heads"}


@dataclass(frozen=True)
class Compiled:
    """A compiled program: its text, the formula it implements, the route and its size."""

    text: str
    formula: Formula
    route: str
    size: Size
    precision: str


def compile_language(spec: str, arch: str, alphabet: Sequence[str] | None,
                     precision: str | None = None, *, base_dir: Path | None = None,
                     out_dir: Path | None = None) -> str:
    """The ``.attn`` text recognizing SPEC (``ltl:…``, ``regex:…``, ``dfa:FILE``) with ARCH
    (``global``, ``local``, ``hybrid``). UsageError (exit 2) outside the architecture's class;
    LanguageError for an unreadable SPEC. See ``compile_program``."""
    return compile_program(spec, arch, alphabet, precision, base_dir=base_dir,
                           out_dir=out_dir).text


def compile_program(spec: str, arch: str, alphabet: Sequence[str] | None,
                    precision: str | None = None, *, base_dir: Path | None = None,
                    out_dir: Path | None = None, deadline: Deadline = UNLIMITED) -> Compiled:
    """Like ``compile_language`` with the construction's details. ``base_dir`` resolves a DFA
    file (default: the working directory); ``out_dir`` is where the program will live, so
    that its ``assert recognizes dfa`` path is relative to it (absolute when None).
    LimitReached when the language outgrows a state budget or ``deadline`` (time, memory)
    runs out while it is built or classified (the later stages: `limits.enforced`)."""
    if arch not in ARCHS:
        raise UsageError(f"unknown architecture {arch!r} (expected {', '.join(ARCHS)})")
    if alphabet is not None:
        _check_alphabet(alphabet)
    lang = parse_language_spec(spec, alphabet, base_dir, deadline)
    _check_alphabet(lang.alphabet)
    derived = _route(lang, arch, deadline)
    formula = normalize(derived.formula)
    window = max_window(formula)
    if precision is None:
        precision = default_precision(window)
    else:
        check_window(parse_precision(precision), window)
    emitter = Emitter(lang.alphabet, derived.hints)
    accept = emitter.emit(formula)
    size = predicted_size(formula)
    claim = _claim(lang, base_dir, out_dir)
    header = _header(lang, arch, derived, size, formula)
    body = [alphabet_line(lang.alphabet), f"precision {precision}", "",
            *emitter.lines, f"accept {accept}", "", f"assert recognizes {claim}"]
    text = "\n".join([*header, *body]) + "\n"
    _reads_back(text, claim)
    _prove(text, lang, deadline)
    return Compiled(text, formula, derived.route, size, precision)


def _prove(text: str, lang: Language, deadline: Deadline = UNLIMITED) -> None:
    """The program must recognize LANG for every length before it is returned: the
    all-lengths engine decides it (docs/unbounded.md). Refuted is an internal error (the
    construction is wrong), unknown a LimitReached: either way nothing is written."""
    program = compile_text(text.rsplit("assert recognizes", 1)[0], "<compiled>")
    remaining = deadline.remaining()
    options = Options(timeout=remaining if remaining is not None else Options().timeout,
                      memory_mb=deadline.memory_mb or Options().memory_mb)
    verdict = decide(Question(program, Target(language=lang)), "unbounded", options)
    if verdict.status is Status.REFUTED:
        word = verdict.counterexample.word if verdict.counterexample else None
        raise InternalError(f"the compiled program does not recognize {lang.describe()} "
                            f"(the all-lengths engine refutes it on {word!r})")
    if verdict.status is Status.UNKNOWN:
        raise LimitReached(Limit.TIME, "the compiled program could not be proved for all "
                           f"lengths: {verdict.reason}")


def _reads_back(text: str, claim: str) -> None:
    """The emitted program must parse, and its claim must read back as the language compiled
    (a name or path that `.attn` cannot write is a usage error, never a different claim)."""
    try:
        module = parse_text(text, "<compiled>")
    except UserError as error:
        raise UsageError("the compiled program would not read back: "
                         + error.diagnostics[0].message) from None
    last = module.statements[-1]
    lang = last.claim.lang if isinstance(last, ast.Assert) else None
    if not isinstance(lang, ast.LangLiteral) or f'{lang.kind} "{lang.raw}"' != claim:
        raise UsageError(f"the language {claim} cannot be written in an .attn claim")


def _check_alphabet(alphabet: Sequence[str]) -> None:
    for symbol in alphabet:
        problem = symbol_problem(symbol)
        if problem is not None:
            raise UsageError(f"the language's alphabet: {problem} in .attn")
    if not alphabet:
        raise UsageError("the alphabet is empty")


def _route(lang: Language, arch: str, deadline: Deadline = UNLIMITED) -> Derived:
    """The formula to compile: LANG's own formula when it is in the fragment, else one
    derived from the minimal DFA when the classifier places it in the class."""
    syntactic: list[str] = []
    if lang.formula is not None:
        syntactic = outside_operators(lang.formula, arch)
        if not syntactic:
            return Derived(lang.formula, {}, f"formula in {FRAGMENTS[arch][0]}")
    result = classify(lang.dfa, language=lang.describe(), deadline=deadline)
    usable = [c for c in ("LTL[P]", "LTL[Y]") if arch != ("local" if c == "LTL[P]" else "global")]
    if "LTL[P]" in usable and result.holds("LTL[P]"):
        derived = partially_ordered_formula(lang.dfa)
    elif "LTL[Y]" in usable and result.holds("LTL[Y]"):
        derived = definite_formula(lang.dfa)
    elif arch == "hybrid" and result.holds("LTL[P,Y]") is not False:
        # in LTL[P, Y] (or undecided: a separated window automaton proves membership)
        derived = locally_r_trivial_formula(lang.dfa, deadline=deadline)
    elif any(result.holds(c) is None for c in usable):
        reasons = "; ".join(f"{c}: {result.verdicts[c].reason}" for c in usable
                            if result.holds(c) is None)
        raise LimitReached(Limit.STATES, f"the classifier could not decide {reasons}")
    else:
        raise refuse(result, arch, NEEDED[arch], syntactic)
    _sanity(derived.formula, lang.dfa, deadline)
    return derived


def _sanity(formula: Formula, dfa: DFA, deadline: Deadline = UNLIMITED) -> None:
    """The derived formula must define the DFA's language (checked when affordable)."""
    try:
        other = ltl_to_dfa(formula, dfa.alphabet, deadline=deadline)
    except LimitReached as error:
        if error.limit is not Limit.STATES:
            raise
        return  # too large to build here; `verifier check` proves the program anyway
    if not equivalent(other, dfa):
        shown = render_within(formula, 200) or f"of {render_length(formula)} characters"
        raise InternalError(f"derived formula {shown} differs from the DFA")


def _claim(lang: Language, base_dir: Path | None, out_dir: Path | None) -> str:
    """The language as a claim: its own form; a DFA file path relative to OUT_DIR."""
    if lang.kind != "dfa":
        return lang.describe()
    path = Path(lang.text)
    if not path.is_absolute():
        path = (base_dir or Path.cwd()) / path
    path = path.resolve()
    shown = Path(os.path.relpath(path, out_dir.resolve())) if out_dir is not None else path
    return Language("dfa", shown.as_posix(), lang.alphabet, lang.dfa).describe()


def _header(lang: Language, arch: str, derived: Derived, size: Size,
            formula: Formula) -> list[str]:
    text = render_within(formula, 90)
    lines = [
        f"# Compiled by `verifier compile` from {lang.describe()}",
        f"# Architecture: {arch} ({ARCH_TEXT[arch]}); fixed precision, strict masking,",
        "# no positional encoding, acceptance read at the eos position.",
        f"# Route: {derived.route}.",
    ]
    if lang.formula != derived.formula:
        lines.append(f"# Formula: {text}" if text is not None else
                     f"# Formula: {render_length(formula)} characters (see the comments on the "
                     "s-ops)")
    lines += [
        "# Construction (the proofs of Li & Cotterell): one boolean s-op per subformula;",
        "# Y = one 1-local head, Y<=k = one k-local head, P = two global heads (uniform",
        "# attention over the argument's positions, plus the vanishing patch).",
        *(f"# {line}" for line in THEOREMS[arch]),
        f"# Size: {size.heads} head{'' if size.heads == 1 else 's'}, attention depth {size.depth}.",
        "",
    ]
    return lines
