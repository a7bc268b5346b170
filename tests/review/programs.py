"""Structured random programs for the review's differential tests.

Unlike `tests/smt/programs.py` (whose random element-wise expressions mostly collapse to
constants), these programs chain attention heads over the symbols and earlier heads, in tiny
formats where count caps are reached within a few positions (`fixed(2, 1)`: cap 2), with every
selector option (`global` / `local K`, `nonstrict`, query-free and query-dependent `where:`,
`score:` reading `x[j]`, `x[i]`, both, or a constant), `default:` read at the query, every
rounding mode and `sums sequential` / `denominator saturate`, and an `accept` that compares the
last s-op with a threshold the format can represent.
"""

from __future__ import annotations

import random
from fractions import Fraction

ROUNDINGS = ["nearest_even", "toward_zero", "down"]
FORMATS = [(2, 1), (2, 1), (3, 1), (2, 2), (3, 2), (4, 1), (4, 2), (3, 3), (5, 2)]


def _literal(rng: random.Random, int_bits: int, frac_bits: int) -> str:
    ulp = Fraction(1, 2**frac_bits)
    top = Fraction(2 ** (int_bits - 1))
    candidates = [Fraction(0), Fraction(1), Fraction(1, 2), Fraction(1, 4), ulp, 2 * ulp,
                  3 * ulp, -ulp, top - ulp, -top, Fraction(-1), Fraction(2)]
    value = rng.choice([c for c in candidates
                        if -top <= c <= top - ulp and (c / ulp).denominator == 1])
    return str(int(value)) if value.denominator == 1 else str(float(value))


def structured_program(rng: random.Random) -> str:
    """The text of a random, type-correct program built from attention heads."""
    int_bits, frac_bits = rng.choice(FORMATS)
    alphabet = rng.choice([["a", "b"], ["a", "b"], ["a", "b", "c"], ["a"]])
    options = []
    if rng.random() < 0.6:
        options.append(f"rounding {rng.choice(ROUNDINGS)}")
    if rng.random() < 0.1:
        options.append("denominator saturate")
    if rng.random() < 0.35:
        options.append("sums sequential")
    lines = [f"alphabet {' '.join(alphabet)}",
             f"precision fixed({int_bits}, {frac_bits}) {' '.join(options)}"]
    bools = [*alphabet, "eos"]
    nums: list[str] = []

    def lit() -> str:
        return _literal(rng, int_bits, frac_bits)

    def bool_term(index: str) -> str:
        if rng.random() < 0.5 or not nums:
            return f"{rng.choice(bools)}{index}"
        return f"{rng.choice(nums)}{index} {rng.choice(['>', '>=', '<', '==', '!='])} {lit()}"

    def num_term(index: str) -> str:
        roll = rng.random()
        if roll < 0.4 or not nums:
            return f"{rng.choice(bools)}{index}"
        return f"{rng.choice(nums)}{index}" if roll < 0.8 else lit()

    for k in range(rng.randint(1, 4)):
        name = f"h{k}"
        parts = ["global" if rng.random() < 0.7 else f"local {rng.randint(1, 5)}"]
        if rng.random() < 0.35:
            parts.append("nonstrict")
        roll = rng.random()
        if roll < 0.35:
            parts.append(f"where: {bool_term('[j]')}")
        elif roll < 0.55:
            parts.append(f"where: {bool_term('[j]')} {rng.choice(['and', 'or'])} "
                         f"{bool_term('[i]')}")
        elif roll < 0.65:
            parts.append(f"where: {num_term('[j]')} {rng.choice(['==', '<', '>', '<='])} "
                         f"{num_term('[i]')}")
        roll = rng.random()
        if roll < 0.2:
            parts.append(f"score: {num_term('[j]')}")
        elif roll < 0.3:
            parts.append(f"score: {num_term('[j]')} * {num_term('[i]')}")
        elif roll < 0.4:
            parts.append(f"score: -({num_term('[j]')})")
        elif roll < 0.45:
            parts.append(f"score: {lit()}")
        elif roll < 0.5:
            parts.append(f"score: {num_term('[j]')} - {num_term('[i]')}")
        selector = f"select({', '.join(parts)})"
        kind = rng.choice(["aggregate", "aggregate", "leftmost", "rightmost"])
        if kind == "aggregate":
            roll = rng.random()
            if roll < 0.5 or not nums:
                value = rng.choice(bools)
            elif roll < 0.7:
                value = rng.choice(nums)
            elif roll < 0.85:
                value = f"(if {rng.choice(bools)} then {lit()} else {lit()})"
            else:
                value = f"({rng.choice(bools)} - {rng.choice(bools)})"
            default = ""
            if rng.random() < 0.4:
                fallback = rng.choice([lit(), rng.choice(nums) if nums else lit(),
                                       rng.choice(bools)])
                default = f", default: {fallback}"
            lines.append(f"{name} = aggregate({selector}, {value}{default})")
            nums.append(name)
        elif rng.random() < 0.5:
            value = rng.choice(bools)
            default = f", default: {rng.choice([*bools, 'true'])}" if rng.random() < 0.4 else ""
            lines.append(f"{name} = {kind}({selector}, {value}{default})")
            bools.append(name)
        else:
            value = rng.choice(nums) if nums and rng.random() < 0.6 else (
                f"(if {rng.choice(bools)} then {lit()} else {lit()})")
            default = f", default: {lit()}" if rng.random() < 0.4 else ""
            lines.append(f"{name} = {kind}({selector}, {value}{default})")
            nums.append(name)
        if rng.random() < 0.3 and nums:
            source = rng.choice(nums)
            lines.append(f"e{k} = " + rng.choice([
                f"{source} + {num_term('')}", f"{source} * {lit()}", f"exp(-({source}))",
                f"relu({source} - {lit()})"]))
            nums.append(f"e{k}")
    last = lines[-1].split(" = ")[0]
    accept = last if last in bools else (
        f"{last} {rng.choice(['>', '>=', '<', '==', '!='])} {lit()}")
    if rng.random() < 0.3:
        accept = f"({accept}) {rng.choice(['and', 'or'])} {rng.choice(bools)}"
    lines.append(f"accept {accept}")
    return "\n".join(lines) + "\n"
