"""Checks a parsed module: statement rules, names, types, profile, claims; all errors at once."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Any

from verifier.check.claims import check_claims
from verifier.check.expressions import ExprChecker
from verifier.check.profile import check_profile
from verifier.check.types import INDEX_NAMES, RESERVED, Type
from verifier.errors import Diagnostic, Span, UserError
from verifier.semantics.floats import exp_unsupported
from verifier.semantics.profile import FloatProfile, Profile
from verifier.syntax import ast
from verifier.syntax.symbols import symbol_problem


@dataclass(frozen=True)
class CheckedProgram:
    """A module that passed every check, with the type of every expression."""

    module: ast.Module
    alphabet: tuple[str, ...]
    profile: Profile
    definitions: tuple[ast.Define, ...]
    accept: ast.Accept
    types: MappingProxyType[Any, Type]
    languages: MappingProxyType[str, ast.LangRef]
    claims: tuple[Any, ...]

    @property
    def path(self) -> str:
        """The file the program came from."""
        return self.module.path


class _Diagnostics:
    def __init__(self, path: str) -> None:
        self.path = path
        self.items: list[Diagnostic] = []

    def __call__(self, span: Span, message: str) -> None:
        self.items.append(Diagnostic(self.path, span, message))


def check_module(module: ast.Module, base_dir: Path | None = None,
                 profile: Profile | None = None) -> CheckedProgram:
    """Check MODULE; return the checked program or raise UserError with every diagnostic.
    PROFILE (`--precision`) replaces the module's own profile; its precision statement is
    still checked, and every literal must be representable in PROFILE."""
    report = _Diagnostics(module.path)
    statements = module.statements
    alphabet = _check_alphabet(statements, report)
    own, override = check_profile(statements, report), profile
    profile = own if override is None else override
    env: dict[str, Type] = {symbol: Type.BOOL for symbol in alphabet}
    env["eos"] = Type.BOOL
    origin = "" if override is None else " (the --precision profile)"
    checker = ExprChecker(env, report, _representable(profile, report, origin), alphabet,
                          exp_problem(profile, origin))
    definitions, languages, accept = _check_definitions(statements, checker, report)
    base = base_dir if base_dir is not None else Path(module.path).parent
    claims = check_claims(statements, alphabet, languages, base, report)
    if report.items or accept is None:
        raise UserError(report.items, module.source)
    return CheckedProgram(
        module, alphabet, profile, tuple(definitions), accept,
        MappingProxyType(checker.types), MappingProxyType(languages), tuple(claims),
    )


def _check_alphabet(statements: tuple[ast.Statement, ...], report: _Diagnostics) -> tuple[str, ...]:
    found = [s for s in statements if isinstance(s, ast.Alphabet)]
    if not found:
        report(Span.point(1, 1), "missing 'alphabet' statement (it must come first)")
        return ()
    first = found[0]
    if statements[0] is not first:
        report(first.span, "'alphabet' must be the first statement")
    for extra in found[1:]:
        report(extra.span, "'alphabet' given more than once")
    seen: set[str] = set()
    for k, (symbol, span) in enumerate(first.symbols):
        problem = symbol_problem(symbol)
        if problem is not None:
            report(span, problem)
        elif symbol in RESERVED and k in first.bare:
            report(span, f"'{symbol}' is a reserved word: write the symbol as <{symbol}>")
        elif symbol in seen:
            report(span, f"symbol '{symbol}' listed twice")
        seen.add(symbol)
    return tuple(dict.fromkeys(s for s, _ in first.symbols))


def exp_problem(profile: Profile, origin: str = "") -> str | None:
    """Why PROFILE cannot compute `exp` exactly (None when it can): a float format whose
    correctly rounded `exp` table is too large (`floats.exp_unsupported`), e.g. fp32."""
    if not isinstance(profile, FloatProfile):
        return None
    problem = exp_unsupported(profile)
    if problem is None:
        return None
    return (f"{profile.format_name()}{origin} is too wide for the exact exp the softmax needs "
            f"({problem}): use bf16, fp16 or a narrower format, or uniform attention "
            "(no score:)")


def _neighbours(profile: Profile, value: Any) -> str:
    """Where VALUE falls in PROFILE: its ulp and range, or for a float format inside its
    range the two nearest values (the spacing grows with the magnitude: one ulp misleads)."""
    span = f"range [{_decimal(profile.min_value)}, {_decimal(profile.max_value)}]"
    if not isinstance(profile, FloatProfile):
        return f"ulp {profile.ulp}, {span}"
    if not profile.min_value <= value <= profile.max_value:
        return span
    code = profile.round_raw(Fraction(value))
    low, high = (code, code + 1) if profile.decode(code) < value else (code - 1, code)
    return f"nearest values {_decimal(profile.decode(low))} and {_decimal(profile.decode(high))}"


def _representable(profile: Profile, report: _Diagnostics, origin: str = "") -> Any:
    def check(number: ast.Number) -> bool:
        try:
            profile.encode(number.value)
        except ValueError:
            report(number.span, f"literal {number.text} is not exactly representable in "
                   f"{profile.describe()}{origin} ({_neighbours(profile, number.value)})")
            return False
        return True
    return check


def _decimal(value: Any) -> str:
    from verifier.semantics.decimal import format_fraction

    return format_fraction(value)


def _check_definitions(
    statements: tuple[ast.Statement, ...], checker: ExprChecker, report: _Diagnostics
) -> tuple[list[ast.Define], dict[str, ast.LangRef], ast.Accept | None]:
    """Check definitions, named languages and `accept` in source order (define before use)."""
    definitions: list[ast.Define] = []
    languages: dict[str, ast.LangRef] = {}
    accept: ast.Accept | None = None
    for statement in statements:
        if isinstance(statement, ast.Define):
            if _fresh_name(statement.name, statement.name_span, checker.env, languages, report):
                kind = checker.check(statement.expr)
                checker.env[statement.name] = kind if kind is not None else Type.ERROR
                definitions.append(statement)
        elif isinstance(statement, ast.LanguageDef):
            if _fresh_name(statement.name, statement.name_span, checker.env, languages, report):
                languages[statement.name] = statement.lang
        elif isinstance(statement, ast.Accept):
            if accept is None:
                accept = statement
                _check_accept_expr(statement, checker, report)
            else:
                report(statement.span, "'accept' given more than once")
    if accept is None:
        last = statements[-1].span.end_line if statements else 1
        report(Span.point(last, 1), "missing 'accept' statement")
    return definitions, languages, accept


def _fresh_name(name: str, span: Span, env: dict[str, Type], languages: dict[str, Any],
                report: _Diagnostics) -> bool:
    if name in RESERVED or name in INDEX_NAMES:
        report(span, f"'{name}' is a reserved word")
    elif name in env or name in languages:
        report(span, f"'{name}' is already defined")
    else:
        return True
    return False


def _check_accept_expr(accept: ast.Accept, checker: ExprChecker, report: _Diagnostics) -> None:
    kind = checker.check(accept.expr)
    if kind is not None and kind is not Type.BOOL:
        hint = " (compare it, e.g. x > 0.5)" if kind is Type.NUM else ""
        hint = checker.symbol_hint(accept.expr) or hint
        report(accept.expr.span, f"accept needs a bool, got a {kind}{hint}")
