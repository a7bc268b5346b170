"""The .attn abstract syntax tree: frozen dataclasses, every node with a source span."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from verifier.errors import Span

# Operator nodes (Unary … Attend) compare and hash by identity (`eq=False`): each is one
# occurrence in the source, and a structural hash would walk the whole subtree, recursively,
# every time the checker records a type (quadratic, and too deep for a 1 000-term sum).


@dataclass(frozen=True)
class Number:
    """A numeric literal (a `-` directly before it is part of it)."""

    text: str
    value: Fraction
    span: Span


@dataclass(frozen=True)
class BoolLit:
    """`true` or `false`."""

    value: bool
    span: Span


@dataclass(frozen=True)
class Name:
    """A bare reference to an s-op, a symbol or `eos`; SYMBOL when written `<…>` or quoted
    (`<0>`, `">"`), which names an alphabet symbol only."""

    name: str
    span: Span
    symbol: bool = False


@dataclass(frozen=True)
class Indexed:
    """`x[i]` or `x[j]` inside a selector's `where:` or `score:`; SYMBOL as for `Name`
    (`<0>[j]`)."""

    name: str
    index: str
    span: Span
    symbol: bool = False


@dataclass(frozen=True, eq=False)
class Unary:
    """`-x` (op `neg`) or `not x` (op `not`)."""

    op: Literal["neg", "not"]
    operand: Expr
    span: Span


@dataclass(frozen=True, eq=False)
class Binary:
    """`+ - * and or` between two operands."""

    op: Literal["+", "-", "*", "and", "or"]
    left: Expr
    right: Expr
    span: Span


@dataclass(frozen=True, eq=False)
class Compare:
    """`< <= > >= == !=` (non-associative)."""

    op: str
    left: Expr
    right: Expr
    span: Span


@dataclass(frozen=True, eq=False)
class Call:
    """`min max abs relu exp` applied to arguments."""

    func: str
    args: tuple[Expr, ...]
    span: Span


@dataclass(frozen=True, eq=False)
class Ite:
    """`if C then X else Y`."""

    cond: Expr
    then: Expr
    orelse: Expr
    span: Span


@dataclass(frozen=True, eq=False)
class Select:
    """`select(global | local K [, nonstrict] [, where: P] [, score: S])`."""

    scope: Literal["global", "local"]
    window: int | None
    nonstrict: bool
    where: Expr | None
    score: Expr | None
    span: Span
    repeated: tuple[tuple[str, Span], ...] = ()


@dataclass(frozen=True, eq=False)
class Attend:
    """`aggregate | leftmost | rightmost (SEL, V [, default: D])`."""

    kind: Literal["aggregate", "leftmost", "rightmost"]
    selector: Expr
    value: Expr
    default: Expr | None
    span: Span


Expr = Number | BoolLit | Name | Indexed | Unary | Binary | Compare | Call | Ite | Select | Attend


@dataclass(frozen=True)
class LangLiteral:
    """`regex "…"`, `ltl "…"`, `ppltl "…"` or `dfa "FILE.json"`; TEXT_SPAN covers the text
    inside the quotes."""

    kind: Literal["regex", "ltl", "dfa", "ppltl"]
    text: str
    span: Span
    text_span: Span
    raw: str = ""


@dataclass(frozen=True)
class LangName:
    """A language named by a `language NAME = …` statement."""

    name: str
    span: Span


LangRef = LangLiteral | LangName

ClaimKind = Literal["recognizes", "not_recognizes", "equivalent", "accepts", "rejects"]


@dataclass(frozen=True)
class Claim:
    """One claim. LANG for (not) recognizes; TARGET is the file or word of the other kinds."""

    kind: ClaimKind
    lang: LangRef | None
    target: str | None
    bound: int | None
    span: Span
    target_span: Span | None = None
    bound_span: Span | None = None
    target_raw: str = ""


@dataclass(frozen=True)
class Alphabet:
    """`alphabet a b c` (`alphabet 0 1`, `alphabet <(0> ">"`); BARE lists the symbols written
    bare (letters, digits, `_`), which may not be reserved words."""

    symbols: tuple[tuple[str, Span], ...]
    span: Span
    bare: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Precision:
    """`precision fixed(I, F) [KEY VALUE …]`, `precision float(E, M) …` or `precision bf16 …`.

    KIND is `fixed`, or the name written after `precision` (`float` or a preset, checked
    later); for a preset the two numbers are 0 and their spans are KIND_SPAN.
    """

    int_bits: int
    frac_bits: int
    options: tuple[tuple[str, str, Span], ...]
    span: Span
    int_span: Span
    frac_span: Span
    kind: str = "fixed"
    kind_span: Span | None = None


@dataclass(frozen=True)
class Define:
    """`NAME = EXPR`."""

    name: str
    expr: Expr
    span: Span
    name_span: Span


@dataclass(frozen=True)
class LanguageDef:
    """`language NAME = LANG`."""

    name: str
    lang: LangRef
    span: Span
    name_span: Span


@dataclass(frozen=True)
class Accept:
    """`accept EXPR`."""

    expr: Expr
    span: Span


@dataclass(frozen=True)
class Assert:
    """`assert CLAIM`; TEXT is the claim as written."""

    claim: Claim
    text: str
    span: Span


Statement = Alphabet | Precision | Define | LanguageDef | Accept | Assert


@dataclass(frozen=True)
class Module:
    """A parsed .attn file."""

    path: str
    source: str
    statements: tuple[Statement, ...]
