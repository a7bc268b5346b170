"""The brute-force engine: the batch interpreter against the oracle, length by length."""

from __future__ import annotations

import numpy as np

from verifier.engines.search import Deadline, SearchResult
from verifier.engines.target import Target
from verifier.interp import accepts_all, all_words
from verifier.ir.nodes import Program
from verifier.limits import LimitReached

METHOD = "enumerate"
#: Most words one length may have before enumeration is refused as hopeless.
MAX_WORDS_PER_LENGTH = 1 << 24
#: Bytes held per symbol of the words of one length (the word table, its temporaries and
#: the oracle's copy; measured 17-18): checked against the memory cap before each length.
BYTES_PER_SYMBOL = 18


def enumerate_search(program: Program, target: Target, bound: int,
                     deadline: Deadline, start: int = 0) -> SearchResult:
    """The shortest (then lexicographically first) word of length <= BOUND on which PROGRAM
    and TARGET differ, by running every word. START > 0: every length below START was
    already cleared by the caller; the search begins there and counts them as clean."""
    size = len(program.alphabet)
    clean: int | None = start - 1 if start > 0 else None
    for length in range(max(0, start), bound + 1):
        if size**length > MAX_WORDS_PER_LENGTH:
            return SearchResult(METHOD, clean_up_to=clean,
                                reason=f"{size}^{length} words of length {length} is too many "
                                       "to enumerate (use --engine bounded)")
        if deadline.expired():
            return SearchResult(METHOD, clean_up_to=clean,
                                reason=f"time limit reached before length {length}")
        need = size**length * max(1, length) * BYTES_PER_SYMBOL >> 20
        left = deadline.memory_left_mb()
        if left is not None and need > left:
            return SearchResult(METHOD, clean_up_to=clean,
                                reason=f"{deadline.memory_reason()} before length {length} "
                                       f"(its {size}^{length} words need about {need} MB)")
        try:
            accepted = accepts_all(program, length, deadline.check)
        except LimitReached as error:
            return SearchResult(METHOD, clean_up_to=clean,
                                reason=f"{error.reason} during length {length}")
        differs = accepted != target.labels(program.alphabet, length)
        if differs.any():
            index = int(np.argmax(differs))
            row = all_words(size, length)[index]
            return SearchResult(METHOD, tuple(program.alphabet[s] for s in row), clean)
        clean = length
    return SearchResult(METHOD, clean_up_to=clean)
