"""Checks the `precision fixed(I, F) | float(E, M) | PRESET [KEY VALUE …]` statement and builds
the Profile (a `FloatProfile` for float formats)."""

from __future__ import annotations

from collections.abc import Callable
from typing import get_args

from verifier.errors import Span
from verifier.semantics.profile import (
    FLOAT_EXP_BITS,
    FLOAT_MAN_BITS,
    FLOAT_PRESETS,
    MAX_FRAC_BITS,
    MAX_TOTAL_BITS,
    Denominator,
    Profile,
    Rounding,
    Sums,
    float_profile,
)
from verifier.syntax import ast

Report = Callable[[Span, str], None]

OPTION_VALUES = {
    "rounding": get_args(Rounding),
    "denominator": get_args(Denominator),
    "sums": get_args(Sums),
}
MAX_INT_BITS = 16


def check_profile(statements: tuple[ast.Statement, ...], report: Report) -> Profile:
    """The profile of the (at most one) precision statement; the default fixed(8, 8) if none."""
    found = [s for s in statements if isinstance(s, ast.Precision)]
    for extra in found[1:]:
        report(extra.span, "'precision' given more than once")
    if not found:
        return Profile()
    statement = found[0]
    options = _check_options(statement, report)
    if statement.kind != "fixed":
        return _check_float(statement, options, report)
    int_bits, frac_bits = _check_bits(statement, report)
    return Profile(int_bits, frac_bits, **options)  # type: ignore[arg-type]


def _check_options(statement: ast.Precision, report: Report) -> dict[str, str]:
    options: dict[str, str] = {}
    for key, value, span in statement.options:
        if key not in OPTION_VALUES:
            report(span, f"unknown profile option '{key}' (options: {', '.join(OPTION_VALUES)})")
        elif value not in OPTION_VALUES[key]:
            report(span, f"'{key}' must be one of {', '.join(OPTION_VALUES[key])}, not '{value}'")
        elif key in options:
            report(span, f"profile option '{key}' given twice")
        else:
            options[key] = value
    return options


def _check_float(statement: ast.Precision, options: dict[str, str], report: Report) -> Profile:
    """The `FloatProfile` of `float(E, M)` or of a preset (bf16 when the line is wrong)."""
    span = statement.kind_span or statement.span
    presets = ", ".join(FLOAT_PRESETS)
    if statement.kind in FLOAT_PRESETS:
        if statement.int_span != span:
            report(span, f"'{statement.kind}' takes no parameters: write 'precision "
                   f"{statement.kind}' (or 'precision float(E, M)')")
        return float_profile(0, 0, statement.kind, **options)
    if statement.kind != "float" or statement.int_span == span:
        report(span, f"unknown number format '{statement.kind}' (formats: fixed(I, F), "
               f"float(E, M), {presets})")
        return float_profile(0, 0, "bf16", **options)
    exp_bits, man_bits = statement.int_bits, statement.frac_bits
    low, high = FLOAT_EXP_BITS
    if not low <= exp_bits <= high:
        report(statement.int_span, f"exponent bits E must be between {low} and {high} (E = 1 "
               f"has no normal number, so no 1.0; E = 8 is the range of fp32 and bf16), got "
               f"{exp_bits}")
        exp_bits = 8
    low, high = FLOAT_MAN_BITS
    if not low <= man_bits <= high:
        report(statement.frac_span, f"fraction bits M must be between {low} and {high} (M = 0 "
               f"leaves no NaN besides infinity; M = 23 is fp32's precision), got {man_bits}")
        man_bits = 7
    return float_profile(exp_bits, man_bits, **options)


def _check_bits(statement: ast.Precision, report: Report) -> tuple[int, int]:
    int_bits, frac_bits = statement.int_bits, statement.frac_bits
    if not 2 <= int_bits <= MAX_INT_BITS:
        report(statement.int_span, f"integer bits I must be between 2 and {MAX_INT_BITS} "
               f"(sign included, so that 0 and 1 are representable), got {int_bits}")
        int_bits = 8
    if not 1 <= frac_bits <= MAX_FRAC_BITS:
        report(statement.frac_span, f"fraction bits F must be between 1 and {MAX_FRAC_BITS}, "
               f"got {frac_bits}")
        frac_bits = 8
    if int_bits + frac_bits > MAX_TOTAL_BITS:
        report(statement.span, f"fixed({int_bits}, {frac_bits}) is too wide: I + F must be at "
               f"most {MAX_TOTAL_BITS}")
        int_bits, frac_bits = 8, 8
    return int_bits, frac_bits


def parse_profile(text: str) -> Profile:
    """The profile written TEXT, as after `precision` in a program (`bf16`, `fixed(8, 8)`,
    `fp16 sums exact`, …): the value of `--precision` (LANGUAGE.md, "Profiles"). UsageError
    with a caret under the offending part if TEXT is not one precision statement."""
    from verifier.errors import UsageError, UserError, caret_lines
    from verifier.syntax.parser import parse_text

    prefix = "precision "
    if "\n" in text or "#" in text or not text.strip():
        raise UsageError("--precision takes one profile, e.g. bf16, 'fixed(8, 8)' or "
                         "'fp16 sums exact'")
    problems: list[tuple[Span, str]] = []
    try:
        statements = parse_text(prefix + text, "--precision").statements
    except UserError as error:
        problems = [(d.span, d.message) for d in error.diagnostics]
        statements = ()
    found = [s for s in statements if isinstance(s, ast.Precision)]
    if not problems and (len(statements) != 1 or not found):
        problems = [(Span.point(1, 1), "expected one profile")]
    profile = Profile()
    if found:
        profile = check_profile((found[0],), lambda span, message: problems.append((span, message)))
    if problems:
        span, message = problems[0]
        offset = max(0, span.column - 1 - len(prefix))
        raise UsageError(f"--precision: {message}\n{caret_lines(text, offset)}")
    return profile
