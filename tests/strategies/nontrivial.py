"""Which random programs are worth a differential test.

Definition. Let n = `NONTRIVIAL_LENGTH[|alphabet|]` (6 over one symbol, 5 over two, 4 over
three). A program is *nontrivial* iff the accept values on the words of lengths 1..n are not
all equal: some non-empty word of length <= n is accepted and another is rejected. Then its
language up to n is

* not constant (neither empty nor every word), and
* not decided by the empty word: it is neither {ε} nor "every word but ε" (nor their
  complements), since those are constant on the non-empty words.

`profile()` sorts a program into the classes the share report prints: `constant` (every word
up to n gets one answer), `empty-word` (the non-empty words get one answer, ε the other),
`length-only` (each length gets one answer, but not all lengths the same: nontrivial, yet the
symbols never matter) and `symbols` (some length has both answers).
"""

from __future__ import annotations

import numpy as np

from verifier.interp import accepts_all
from verifier.ir.nodes import Program

NONTRIVIAL_LENGTH = {1: 6, 2: 5, 3: 4}


def longest(program: Program) -> int:
    """The length n up to which `nontrivial` looks."""
    return NONTRIVIAL_LENGTH.get(len(program.alphabet), 3)


def profile(program: Program, up_to: int | None = None) -> str:
    """`constant`, `empty-word`, `length-only` or `symbols` (see the module docstring)."""
    n = longest(program) if up_to is None else up_to
    per_length = [np.asarray(accepts_all(program, length), dtype=bool) for length in range(n + 1)]
    rest = np.concatenate(per_length[1:]) if n >= 1 else np.zeros(0, dtype=bool)
    if rest.size == 0 or rest.all() or not rest.any():
        return "constant" if rest.size == 0 or bool(rest[0]) == bool(per_length[0][0]) \
            else "empty-word"
    if any(bits.any() and not bits.all() for bits in per_length[1:]):
        return "symbols"
    return "length-only"


def nontrivial(program: Program, up_to: int | None = None) -> bool:
    """Whether the accept values on the words of lengths 1..n are not all equal."""
    return profile(program, up_to) in ("length-only", "symbols")
