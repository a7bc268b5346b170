"""Random small .attn programs covering every construct and profile option (for hypothesis).

`random_program(rng)` writes a type-correct program: element-wise operators of every kind,
`aggregate` / `leftmost` / `rightmost` over global and local selectors, strict and
`nonstrict`, with `where:` and `score:` reading `x[i]` and `x[j]`, defaults, and a random
`precision` line with every rounding, denominator and sums option.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from fractions import Fraction

Leaf = Callable[[list[str]], str]

PROFILES = [(2, 1), (3, 1), (3, 2), (4, 2), (4, 4), (5, 3), (6, 3), (8, 8)]
ROUNDINGS = ["nearest_even", "toward_zero", "down"]


class _Writer:
    """Builds one program; NUMS and BOOLS are the names defined so far, by type."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.alphabet = rng.choice([["a", "b"], ["a", "b", "c"]])
        self.int_bits, self.frac_bits = rng.choice(PROFILES)
        self.nums: list[str] = []
        self.bools: list[str] = [*self.alphabet, "eos"]
        self.lines: list[str] = []

    def literal(self) -> str:
        """A number the format represents exactly."""
        top = 2 ** (self.int_bits - 1)
        ulp = Fraction(1, 2**self.frac_bits)
        choices = [Fraction(v) for v in (0, 1, -1, Fraction(1, 2), -Fraction(1, 2), top - 1,
                                           -top)] + [ulp, -ulp, 3 * ulp]
        value = self.rng.choice([c for c in choices if -top <= c <= top - ulp])
        return str(float(value)) if value.denominator != 1 else str(int(value))

    def num(self, depth: int, leaf: Leaf) -> str:
        """A num expression; LEAF() gives a name reference (bare, or x[i] / x[j])."""
        rng = self.rng
        if depth == 0 or rng.random() < 0.3:
            pick = rng.choice(["literal", "num", "bool"])
            if pick == "literal" or (pick == "num" and not self.nums):
                return self.literal()
            return leaf(self.nums if pick == "num" else self.bools)
        kind = rng.choice(["+", "-", "*", "neg", "min", "max", "abs", "relu", "exp", "ite"])
        left, right = self.num(depth - 1, leaf), self.num(depth - 1, leaf)
        if kind in "+-*":
            return f"({left} {kind} {right})"
        if kind == "neg":
            return f"-({left})"
        if kind in ("min", "max"):
            return f"{kind}({left}, {right})"
        if kind == "ite":
            return f"(if {self.boolean(depth - 1, leaf)} then {left} else {right})"
        return f"{kind}({left})"

    def boolean(self, depth: int, leaf: Leaf) -> str:
        """A bool expression."""
        rng = self.rng
        if depth == 0 or rng.random() < 0.3:
            return rng.choice(["true", "false", leaf(self.bools)])
        kind = rng.choice(["cmp", "cmp", "and", "or", "not"])
        if kind == "cmp":
            op = rng.choice(["<", "<=", ">", ">=", "==", "!="])
            return f"({self.num(depth - 1, leaf)} {op} {self.num(depth - 1, leaf)})"
        if kind == "not":
            return f"(not {self.boolean(depth - 1, leaf)})"
        return f"({self.boolean(depth - 1, leaf)} {kind} {self.boolean(depth - 1, leaf)})"

    def bare(self, names: list[str]) -> str:
        return self.rng.choice(names)

    def indexed(self, names: list[str]) -> str:
        return f"{self.rng.choice(names)}[{self.rng.choice('ij')}]"

    def selector(self) -> str:
        rng = self.rng
        parts = ["global" if rng.random() < 0.5 else f"local {rng.randint(1, 3)}"]
        if rng.random() < 0.3:
            parts.append("nonstrict")
        if rng.random() < 0.5:
            parts.append(f"where: {self.boolean(2, self.indexed)}")
        if rng.random() < 0.4:
            parts.append(f"score: {self.num(2, self.indexed)}")
        return f"select({', '.join(parts)})"

    def attention(self) -> tuple[str, bool]:
        """An attention expression and whether it is boolean."""
        rng = self.rng
        kind = rng.choice(["aggregate", "leftmost", "rightmost"])
        boolean = kind != "aggregate" and rng.random() < 0.5
        value = self.boolean(1, self.bare) if boolean else self.num(1, self.bare)
        if not boolean and (value in self.bools or value.startswith("(if")):
            value = f"({value} + 0)"  # a bool name (or an ite of them) would be a bool
        default = ""
        if rng.random() < 0.4:
            fallback = self.boolean(1, self.bare) if boolean else self.num(1, self.bare)
            default = f", default: {fallback}"
        return f"{kind}({self.selector()}, {value}{default})", boolean

    def program(self) -> str:
        rng = self.rng
        options = [f"rounding {rng.choice(ROUNDINGS)}"] if rng.random() < 0.5 else []
        if rng.random() < 0.3:
            options.append("denominator saturate")
        if rng.random() < 0.3:
            options.append("sums sequential")
        self.lines = [f"alphabet {' '.join(self.alphabet)}",
                      f"precision fixed({self.int_bits}, {self.frac_bits}) {' '.join(options)}"]
        for index in range(rng.randint(1, 5)):
            name = f"s{index}"
            choice = rng.random()
            if choice < 0.5:
                expr, boolean = self.attention()
            elif choice < 0.75:
                expr, boolean = self.num(2, self.bare), False
            else:
                expr, boolean = self.boolean(2, self.bare), True
            self.lines.append(f"{name} = {expr}")
            (self.bools if boolean else self.nums).append(name)
        self.lines.append(f"accept {self.boolean(2, self.bare)}")
        return "\n".join(self.lines) + "\n"


def random_program(rng: random.Random) -> str:
    """The text of a random, type-correct program."""
    return _Writer(rng).program()
