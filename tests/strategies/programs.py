"""Random well-typed `.attn` programs: one writer, driven by hypothesis or by `random.Random`.

A program chains 1-3 attention heads (soft `aggregate`, hard `leftmost` / `rightmost`) over
the symbols and earlier s-ops, with global and `local K` selectors (`nonstrict`, `where:` and
`score:` reading `x[i]` and `x[j]`, named selectors shared by heads, and now and then a
`where:` that holds nowhere, so that a head never keeps a key), `default:` read at the query,
element-wise s-ops of every operator between and after the heads, a `precision` line with
small formats and every profile option, and an `accept` that reads the last s-op.

Types are tracked, not hoped for: `number()` always writes a `num` expression (a bare bool name
only appears as an operand of arithmetic or of a comparison, where it is read as 0/1), and
`boolean()` always a `bool` one, so a hard head's value and its `default:` agree.
`tests/strategies/test_strategies.py` runs the checker over many of them.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

from hypothesis import strategies as st

from verifier.interp import all_words, run_batch
from verifier.ir.nodes import Program
from verifier.pipeline import compile_text

from .draw import Draw, HypothesisDraw, RandomDraw
from .nontrivial import longest, nontrivial

#: Number formats, simplest first (hypothesis shrinks toward the first).
FORMATS: tuple[tuple[int, int], ...] = ((2, 1), (3, 1), (2, 2), (3, 2), (4, 2), (4, 4), (5, 3),
                                        (8, 8))
#: Formats the second all-lengths method (Spacer) decides in a second or two.
SMALL_FORMATS = FORMATS[:5]
ALPHABETS: tuple[tuple[str, ...], ...] = (("a", "b"), ("a", "b"), ("a",), ("a", "b", "c"))
ROUNDINGS = ("nearest_even", "toward_zero", "down")
COMPARISONS = (">", "<", ">=", "<=", "==", "!=")

Leaf = Callable[[list[str]], str]


def literals(int_bits: int, frac_bits: int) -> list[str]:
    """Numbers the format represents exactly, the usual thresholds first."""
    ulp = Fraction(1, 2**frac_bits)
    top = Fraction(2 ** (int_bits - 1))
    candidates = [Fraction(1, 2), Fraction(0), Fraction(1), ulp, Fraction(-1, 2), Fraction(-1),
                  2 * ulp, 3 * ulp, -ulp, Fraction(1, 4), Fraction(2), top - ulp, -top]
    seen: list[str] = []
    for value in candidates:
        if -top <= value <= top - ulp and (value / ulp).denominator == 1:
            text = str(value.numerator) if value.denominator == 1 else str(float(value))
            if text not in seen:
                seen.append(text)
    return seen


@dataclass
class ProgramWriter:
    """Writes one program from the choices of DRAW (see the module docstring)."""

    draw: Draw
    max_heads: int = 3
    formats: tuple[tuple[int, int], ...] = FORMATS
    profile_options: bool = True
    empty_head: bool | str = False
    alphabet: tuple[str, ...] = ()
    nums: list[str] = field(default_factory=list)
    bools: list[str] = field(default_factory=list)
    selectors: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    frac_bits: int = 1

    # --- leaves ----------------------------------------------------------------------------

    def literal(self) -> str:
        return self.draw.choice(self.numbers)

    def bare(self, names: list[str]) -> str:
        return self.draw.choice(names)

    def keyed(self, names: list[str]) -> str:
        """A name read at the key (mostly) or at the query, inside `where:` / `score:` (a
        symbol read at the query is false at eos, where `accept` is read, so rarely that)."""
        name = self.draw.choice(names)
        query = self.draw.chance(0.1 if name in self.alphabet else 0.35)
        return f"{name}[{'i' if query else 'j'}]"

    # --- element-wise expressions ------------------------------------------------------------

    def number(self, depth: int, leaf: Leaf) -> str:
        """A `num` expression (never a bare bool)."""
        d = self.draw
        if depth <= 0 or not d.chance(0.6):
            if self.nums and d.chance(0.6):
                return leaf(self.nums)
            return self.literal()
        kind = d.choice(["+", "-", "*", "min", "max", "ite", "neg", "abs", "relu", "exp"])
        if kind in ("+", "-", "*"):
            return f"({self.operand(depth - 1, leaf)} {kind} {self.operand(depth - 1, leaf)})"
        if kind in ("min", "max"):
            return f"{kind}({self.operand(depth - 1, leaf)}, {self.operand(depth - 1, leaf)})"
        if kind == "ite":
            return (f"(if {self.boolean(depth - 1, leaf)} then {self.number(depth - 1, leaf)} "
                    f"else {self.number(depth - 1, leaf)})")
        if kind == "neg":
            return f"-({self.operand(depth - 1, leaf)})"
        return f"{kind}({self.operand(depth - 1, leaf)})"

    def operand(self, depth: int, leaf: Leaf) -> str:
        """An operand of arithmetic or of a comparison: a number, or a bool read as 0/1."""
        return leaf(self.bools) if self.draw.chance(0.4) else self.number(depth, leaf)

    def boolean(self, depth: int, leaf: Leaf) -> str:
        """A `bool` expression."""
        d = self.draw
        if depth <= 0 or not d.chance(0.6):
            return leaf(self.bools) if not d.chance(0.08) else d.choice(["true", "false"])
        kind = d.choice(["cmp", "and", "or", "not", "cmp", "ite"])
        if kind == "cmp":
            return (f"({self.operand(depth - 1, leaf)} {d.choice(COMPARISONS)} "
                    f"{self.operand(depth - 1, leaf)})")
        if kind == "not":
            return f"(not {self.boolean(depth - 1, leaf)})"
        if kind == "ite":
            return (f"(if {self.boolean(depth - 1, leaf)} then {self.boolean(depth - 1, leaf)} "
                    f"else {self.boolean(depth - 1, leaf)})")
        return f"({self.boolean(depth - 1, leaf)} {kind} {self.boolean(depth - 1, leaf)})"

    # --- selectors ---------------------------------------------------------------------------

    def where(self) -> str:
        d, keyed = self.draw, self.keyed
        roll = d.integer(0, 5)
        if roll == 0:
            return keyed(self.bools)
        if roll == 1:
            return f"{keyed(self.bools)} {d.choice(['and', 'or'])} {keyed(self.bools)}"
        if roll == 2:
            return f"not {keyed(self.bools)}"
        if roll == 3 and self.nums:
            name = d.choice(self.nums)
            right = f"{name}[i]" if d.chance(0.5) else self.literal()
            return f"{name}[j] {d.choice(COMPARISONS)} {right}"
        return self.boolean(2, keyed)

    def never(self) -> str:
        """A `where:` predicate that holds at no key (the head keeps nothing, ever)."""
        d = self.draw
        name, symbol = d.choice(self.bools), d.choice(self.alphabet)
        options = [f"{name}[j] and not {name}[j]", "false", f"{symbol}[j] and eos[j]"]
        if len(self.alphabet) > 1:
            options.insert(0, f"{self.alphabet[0]}[j] and {d.choice(self.alphabet[1:])}[j]")
        return d.choice(options)

    def score(self) -> str:
        d, keyed = self.draw, self.keyed
        roll = d.integer(0, 4)
        names = self.nums or self.bools
        if roll == 0:
            return keyed(names)
        if roll == 1:
            return f"{d.choice(names)}[j] {d.choice(['*', '-', '+'])} {d.choice(names)}[i]"
        if roll == 2:
            return f"-({d.choice(names)}[j])"
        if roll == 3:
            return self.literal()
        return self.number(1, keyed)

    def selector(self, empty: bool) -> str:
        d = self.draw
        parts = [d.choice(["global", "global", "local"] if not empty else
                          ["global", "global", "global", "local"])]
        if parts[0] == "local":
            parts[0] = f"local {d.integer(1, 3)}"
        if d.chance(0.3):
            parts.append("nonstrict")
        if empty:
            parts.append(f"where: {self.never()}")
        elif d.chance(0.5):
            parts.append(f"where: {self.where()}")
        if d.chance(0.35):
            parts.append(f"score: {self.score()}")
        return f"select({', '.join(parts)})"

    # --- statements --------------------------------------------------------------------------

    def carried(self) -> list[str]:
        """Bool names worth reading at keys (`eos` is false at every key but the query)."""
        return [b for b in self.bools if b != "eos"]

    def head(self, name: str, empty: bool) -> None:
        d = self.draw
        if self.selectors and not empty and d.chance(0.2):
            selector = d.choice(self.selectors)
        else:
            selector = self.selector(empty)
            if d.chance(0.15):
                named = f"sel{len(self.selectors)}"
                self.lines.append(f"{named} = {selector}")
                self.selectors.append(named)
                selector = named
        kind = d.choice(["aggregate", "rightmost", "leftmost", "aggregate"])
        if empty and isinstance(self.empty_head, str):
            kind = self.empty_head
        if kind == "aggregate":
            roll = d.integer(0, 3)
            value = (d.choice(self.carried()) if roll == 0 or (roll == 1 and not self.nums) else
                     d.choice(self.nums) if roll == 1 else
                     f"(if {d.choice(self.carried())} then {self.literal()} else "
                     f"{self.literal()})" if roll == 2 else self.number(1, self.bare))
            default = self.number(1, self.bare) if d.chance(0.3) else None
            boolean = False
        else:
            boolean = d.chance(0.5)
            if boolean:
                value = d.choice(self.carried()) if d.chance(0.7) else self.boolean(1, self.bare)
                default = self.boolean(1, self.bare) if d.chance(0.3) else None
            else:
                value = (d.choice(self.nums) if self.nums and d.chance(0.6)
                         else f"(if {d.choice(self.carried())} then {self.literal()} else "
                              f"{self.literal()})")
                default = self.number(1, self.bare) if d.chance(0.3) else None
        tail = "" if default is None else f", default: {default}"
        self.lines.append(f"{name} = {kind}({selector}, {value}{tail})")
        (self.bools if boolean else self.nums).append(name)

    def elementwise(self, name: str) -> None:
        if self.draw.chance(0.5):
            self.lines.append(f"{name} = {self.boolean(2, self.bare)}")
            self.bools.append(name)
        else:
            self.lines.append(f"{name} = {self.number(2, self.bare)}")
            self.nums.append(name)

    def after(self, name: str, source: str) -> None:
        """An element-wise s-op reading SOURCE (the head just defined)."""
        d, lit = self.draw, self.literal
        if source in self.bools:
            other = d.choice(self.bools)
            text, boolean = d.choice([(f"{source} and {other}", True),
                                      (f"{source} or not {other}", True),
                                      (f"not {source}", True), (f"{source} + {other}", False)])
        else:
            other = self.operand(0, self.bare)
            text, boolean = d.choice([
                (f"{source} + {other}", False), (f"{source} * {lit()}", False),
                (f"exp(-({source}))", False), (f"relu({source} - {lit()})", False),
                (f"{source} > {lit()}", True), (f"min({source}, {other})", False),
                (f"abs({source} - {other})", False),
                (f"if {source} > {lit()} then {lit()} else {lit()}", False)])
        self.lines.append(f"{name} = {text}")
        (self.bools if boolean else self.nums).append(name)

    def accept(self, names: list[str]) -> str:
        """Mostly a split of one s-op's values at eos on the short words (a threshold
        between two values it takes; the last s-op that takes two, mostly), else a random
        condition on the last one; now and then joined with another condition."""
        d = self.draw
        text = None
        if d.chance(0.85):
            seen = eos_values(self.lines, names)
            varied = [n for n in names if len(seen[n]) > 1]
            if varied:
                name = varied[-1] if d.chance(0.7) else d.choice(varied)
                text = self.split(name, sorted(seen[name]))  # type: ignore[type-var]
        if text is None and names[-1] in self.bools:
            text = d.choice([names[-1], f"not {names[-1]}"])
        elif text is None:
            text = f"{names[-1]} {d.choice(COMPARISONS)} {self.literal()}"
        if d.chance(0.15):
            text = f"({text}) {d.choice(['and', 'or'])} {self.boolean(1, self.bare)}"
        return text

    def split(self, name: str, values: list[int]) -> str:
        """A condition on NAME true for some of VALUES (>= 2, sorted) and false for others."""
        d = self.draw
        if name in self.bools:
            return d.choice([name, f"not {name}"])
        k = d.integer(1, len(values) - 1)
        op, threshold = d.choice([(">=", values[k]), ("<", values[k]), (">", values[k - 1]),
                                  ("<=", values[k - 1]), ("==", values[k]),
                                  ("!=", values[k - 1])])
        return f"{name} {op} {self.render(threshold)}"

    def render(self, raw: int) -> str:
        value = Fraction(raw, 2**self.frac_bits)
        return str(value.numerator) if value.denominator == 1 else str(float(value))

    def profile_line(self) -> str:
        d = self.draw
        int_bits, frac_bits = d.choice(self.formats)
        self.frac_bits = frac_bits
        self.numbers = literals(int_bits, frac_bits)
        options = []
        if self.profile_options:
            if d.chance(0.4):
                options.append(f"rounding {d.choice(ROUNDINGS)}")
            if d.chance(0.12):
                options.append("denominator saturate")
            if d.chance(0.2):
                options.append("sums sequential")
        return " ".join([f"precision fixed({int_bits}, {frac_bits})", *options])

    def write(self, alphabets: tuple[tuple[str, ...], ...] = ALPHABETS) -> str:
        d = self.draw
        self.alphabet = d.choice(alphabets)
        self.bools = [*self.alphabet, "eos"]
        self.lines = [f"alphabet {' '.join(self.alphabet)}", self.profile_line()]
        heads = d.integer(1, self.max_heads)
        empty = d.integer(0, heads - 1) if self.empty_head else -1
        names: list[str] = []
        for k in range(heads):
            if d.chance(0.3):
                self.elementwise(f"e{k}")
                names.append(f"e{k}")
            self.head(f"h{k}", k == empty)
            names.append(f"h{k}")
            if d.chance(0.3):
                self.after(f"p{k}", f"h{k}")
                names.append(f"p{k}")
        self.lines.append(f"accept {self.accept(names)}")
        return "\n".join(self.lines) + "\n"


def eos_values(lines: list[str], names: list[str]) -> dict[str, set[object]]:
    """The values (raw) of each s-op of NAMES at eos on every word of lengths 1..n
    (`nontrivial.longest`) of the program LINES (no accept yet)."""
    program = compile_text("\n".join([*lines, "accept true"]) + "\n")
    ids = dict(program.named)
    seen: dict[str, set[object]] = {name: set() for name in names}
    for length in range(1, longest(program) + 1):
        batch = run_batch(program, all_words(len(program.alphabet), length))
        for name in names:
            seen[name].update(v.item() for v in batch[ids[name]][:, -1])
    return seen


@dataclass(frozen=True)
class Generated:
    """A generated program: its text and its IR (hypothesis shows the text on failure)."""

    text: str
    program: Program = field(repr=False, compare=False)

    def __repr__(self) -> str:
        return f"Generated(text=\n{self.text})"


def write_program(draw: Draw, **options: object) -> str:
    """The text of one program (options: `ProgramWriter` fields and `alphabets=`)."""
    alphabets = options.pop("alphabets", ALPHABETS)
    writer = ProgramWriter(draw, **options)  # type: ignore[arg-type]
    return writer.write(alphabets)  # type: ignore[arg-type]


@st.composite
def program_texts(draw: st.DrawFn, **options: object) -> str:
    """Strategy: the text of a well-typed program (see `ProgramWriter` for OPTIONS)."""
    return write_program(HypothesisDraw(draw), **options)


def programs(*, nontrivial_only: bool = True, **options: object) -> st.SearchStrategy[Generated]:
    """Strategy: compiled programs; by default only those `nontrivial` accepts."""
    built = program_texts(**options).map(lambda text: Generated(text, compile_text(text)))
    if nontrivial_only:
        return built.filter(lambda g: nontrivial(g.program))
    return built


def random_program_text(rng: random.Random, **options: object) -> str:
    """Seeded wrapper (no shrinking): the text of one program."""
    return write_program(RandomDraw(rng), **options)
