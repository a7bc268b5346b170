"""The batch interpreter: every word of a length at once, vectorized with numpy.

A thin backend of the walker (`verifier.ir.evaluate`): one position walk covers every
position. Position values are arrays of shape (words, positions); pair values (words,
queries, keys), kept as broadcastable views until an attention head gathers one key slot at a
time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from verifier.ir.apply import OpsBackend, apply_attention, eos_value, symbol_value
from verifier.ir.evaluate import Store, walk_pair, walk_positions
from verifier.ir.nodes import Node, Program, Selector
from verifier.semantics.floats import float_bits
from verifier.semantics.npops import NumpyOps
from verifier.semantics.profile import MAX_KEYS, FloatProfile, Profile

_OPS = NumpyOps()
#: Python-int object arrays, for float formats whose exact intermediates exceed int64.
_WIDE_OPS = NumpyOps(wide=True)
#: Largest number of words evaluated together (bounds memory for pair arrays).
CHUNK_WORDS = 1 << 14
#: Largest number of (word, query, key) cells of a float program evaluated together: a float
#: head costs about ten times a fixed-point one per cell, and the deadline is polled per head
#: and chunk (measured: 0.3-0.5 s per bf16 head, where a full chunk took 3 s).
FLOAT_CHUNK_CELLS = 1 << 18

Array = npt.NDArray[Any]


def all_words(alphabet_size: int, length: int) -> npt.NDArray[np.int64]:
    """Every word of LENGTH over symbols 0..alphabet_size-1, shape (size**length, length),
    in lexicographic order (the first symbol varies slowest)."""
    count = alphabet_size**length
    index = np.arange(count, dtype=np.int64)
    powers = alphabet_size ** np.arange(length - 1, -1, -1, dtype=np.int64)
    return (index[:, None] // powers[None, :]) % alphabet_size


@dataclass(frozen=True)
class _Slot:
    """One key slot of a head: for each query q (0-based) the key index and whether it exists."""

    keys: npt.NDArray[np.int64]
    valid: npt.NDArray[np.bool_]


def _slots(selector: Selector, positions: int) -> list[_Slot]:
    """The key slots of SELECTOR in ascending key order for every query: absolute keys for a
    global scope, offsets behind the query for a local one. Which keys exist is decided by
    `Selector.sees`, the one definition of scopes."""
    queries = range(positions)
    if selector.scope == "global":
        wanted = [[j] * positions for j in range(positions)]
    else:
        extra = 1 if selector.nonstrict else 0
        window = min(selector.window or 0, positions)  # keys further back never exist
        wanted = [[q - d for q in queries] for d in range(window, -extra, -1)]
    return [_Slot(np.maximum(np.array(keys), 0),
                  np.array([k >= 0 and selector.sees(q + 1, k + 1) for q, k in
                            zip(queries, keys, strict=True)]))
            for keys in wanted]


def ops_for(profile: Profile) -> NumpyOps:
    """The numpy backend for PROFILE: int64, or object arrays of Python ints when a float
    format's exact sums need more bits (`floats.float_bits`)."""
    if isinstance(profile, FloatProfile) and float_bits(profile, MAX_KEYS) > 62:
        return _WIDE_OPS
    return _OPS


class _BatchRun(OpsBackend):
    """The walker's backend for every word of WORDS at every position at once (one walk)."""

    def __init__(self, program: Program, words: npt.NDArray[np.int64],
                 poll: Callable[[], None] | None = None) -> None:
        super().__init__(ops_for(program.profile), program.profile)
        self.program = program
        self.poll = poll
        self.count, self.length = words.shape[0], words.shape[1] + 1
        self.tokens = np.concatenate([words, np.full((self.count, 1), -1, np.int64)], axis=1)
        self.at_eos = (np.arange(self.length) == self.length - 1)[None, :]
        self.values: dict[int, Array] = {}
        walk_positions(program, self, self.values)

    def full(self, node_id: int) -> Array:
        """A position node's value broadcast to (words, positions)."""
        return np.broadcast_to(self.values[node_id], (self.count, self.length))

    def symbol(self, node_id: int, node: Node, values: Store[Any]) -> Any:
        return symbol_value(self.ops, node, self.at_eos, lambda k: self.tokens == k)

    def eos(self, node_id: int, node: Node, values: Store[Any]) -> Any:
        return eos_value(self.ops, self.at_eos)

    def query(self, node_id: int, node: Node, values: Store[Any]) -> Array:
        return self.full(node.args[0])[:, :, None]

    def key(self, node_id: int, node: Node, values: Store[Any]) -> Array:
        return self.full(node.args[0])[:, None, :]

    def gather(self, root: int | None, slot: _Slot) -> Array | None:
        """A pair expression's value at (query q, key slot.keys[q]) for every query:
        (words, queries)."""
        if root is None:
            return None
        shape = (self.count, self.length, self.length)
        pair = np.broadcast_to(walk_pair(self.program, root, self, self.values), shape)
        return pair[:, np.arange(self.length), slot.keys]

    def attend(self, node_id: int, node: Node, values: Store[Array]) -> Array:
        if self.poll is not None:
            self.poll()
        selector = node.selector
        assert selector is not None
        value = self.full(node.args[0])
        kept: list[Array] = []
        scores: list[Array] = []
        keyed: list[Array] = []
        for slot in _slots(selector, self.length):
            where = self.gather(selector.where, slot)
            kept.append(slot.valid[None, :] if where is None else where & slot.valid[None, :])
            score = self.gather(selector.score, slot)
            if score is not None:
                scores.append(score)
            keyed.append(value[:, slot.keys])
        output, _ = apply_attention(self.ops, self.profile, node, kept,
                                    None if selector.score is None else scores, keyed,
                                    self.full(node.args[1]))
        return np.broadcast_to(output, (self.count, self.length))


def run_batch(program: Program, words: npt.NDArray[np.int64]) -> dict[int, Array]:
    """The value of every position node on every word of WORDS (shape (W, n), one length),
    each of shape (W, n+1); pair nodes are left out."""
    run = _BatchRun(program, words)
    return {i: run.full(i) for i, n in enumerate(program.nodes) if not n.pair}


def accepts_all(program: Program, length: int, poll: Callable[[], None] | None = None
                ) -> npt.NDArray[np.bool_]:
    """Whether PROGRAM accepts each word of LENGTH, in the order of `all_words`. POLL, if
    given, is called before every attention head (a deadline's `check`: whatever it raises
    ends the run)."""
    words = all_words(len(program.alphabet), length)
    size = CHUNK_WORDS
    if isinstance(program.profile, FloatProfile):
        size = min(size, max(64, FLOAT_CHUNK_CELLS // (length + 1) ** 2))
    results = []
    for start in range(0, max(1, words.shape[0]), size):
        chunk = words[start : start + size]
        run = _BatchRun(program, chunk, poll)
        results.append(np.asarray(run.full(program.accept)[:, -1]).astype(bool))
    return np.concatenate(results)
