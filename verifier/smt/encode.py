"""The SMT encoding of a program over a symbolic word, built by the shared semantics.

A backend of the walker (`verifier.ir.evaluate`): every value is computed by `verifier.ir.apply`
and `verifier.semantics.attention` with the folding Z3 backend (`FoldOps`); this module only
decides *which* values to combine: position rows per handle, pair values per (query, key),
the key lists of each head.

Positions are handled as `(p, eos)`: `(p, False)` is position `p` holding a symbol, `(p, True)`
is the end position of a word of length `p - 1`.  Because every selector is causal (`j <= i`),
the value at a symbol position `p` is the same in every word length `>= p`, so one `Unroller`
serves all lengths: lengths share their prefix and only the end position is length-specific.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import z3

from verifier.ir.apply import OpsBackend, PairReader, apply_attention, eos_value, symbol_value
from verifier.ir.evaluate import Store, position_order, walk_pair, walk_positions
from verifier.ir.nodes import Node, Op, Program, Selector
from verifier.smt.fold import FoldOps, is_const
from verifier.smt.terms import as_terms
from verifier.smt.word import SymbolicWord

Handle = tuple[int, bool]
#: One kept-or-not key of a head at one query: (key position, kept flag, weight or selection).
KeyRecord = tuple[int, Any, Any]


@dataclass(frozen=True)
class Tuning:
    """Structure the encoder exploits (all sound; switchable to measure each one).

    FOLD: constant folding (`FoldOps`) instead of plain `Z3Ops`; PRUNE: drop keys whose
    `where:` folds to false; UNIFORM: treat equal constant scores as uniform attention.
    """

    fold: bool = True
    prune: bool = True
    uniform: bool = True


DEFAULT_TUNING = Tuning()


def key_count(selector: Selector, query: int) -> int:
    """How many positions SELECTOR lets QUERY see (before `where:`)."""
    return sum(1 for j in range(1, query + 1) if selector.sees(query, j))


def max_keys(program: Program, bound: int) -> int:
    """The longest key list of any head of PROGRAM on words of length <= BOUND (at least 1)."""
    counts = [key_count(program.nodes[h].selector, bound + 1)  # type: ignore[arg-type]
              for h in program.attention_nodes()]
    return max([1, *counts])


def _dependencies(program: Program) -> list[tuple[bool, bool]]:
    """For each node: whether its pair value reads the query, and whether it reads the key."""
    deps: list[tuple[bool, bool]] = []
    for node in program.nodes:
        if node.op is Op.QUERY:
            deps.append((True, False))
        elif node.op is Op.KEY:
            deps.append((False, True))
        else:
            deps.append((any(deps[a][0] for a in node.args), any(deps[a][1] for a in node.args)))
    return deps


class Unroller:
    """PROGRAM's values over WORD, computed on demand for words of length <= BOUND."""

    def __init__(self, program: Program, word: SymbolicWord, bound: int,
                 tuning: Tuning = DEFAULT_TUNING) -> None:
        """Prepare the backend (its width covers heads over words up to BOUND)."""
        self.program = program
        self.word = word
        self.bound = bound
        self.tuning = tuning
        symbolic = word.terms.numops(program.profile, max_keys(program, bound))
        self.ops: Any = FoldOps(symbolic, word.terms) if tuning.fold else symbolic
        self.rows: dict[Handle, dict[int, Any]] = {}
        self.pairs: dict[tuple[int, Handle | None, Handle | None], Any] = {}
        self.heads: dict[tuple[int, Handle], tuple[KeyRecord, ...]] = {}
        self.deps = _dependencies(program)
        self.order = position_order(program)

    def accept(self, length: int) -> Any:
        """The accept value on words of LENGTH (a Python bool if it folds)."""
        return self.value(self.program.accept, (length + 1, True))

    def value(self, node_id: int, handle: Handle) -> Any:
        """The value of the position node NODE_ID at HANDLE."""
        return self.row(handle)[node_id]

    def row(self, handle: Handle) -> dict[int, Any]:
        """Every position node's value at HANDLE, by node id."""
        if handle not in self.rows:
            if handle[0] > self.bound + 1:
                raise ValueError(f"position {handle[0]} is beyond the bound {self.bound}")
            self.rows[handle] = {}  # a nonstrict head at HANDLE reads this row as a key
            walk_positions(self.program, _At(self, handle), self.rows[handle], self.order)
        return self.rows[handle]

    def pair(self, root: int, query: Handle, key: Handle) -> Any:
        """The value of the pair expression ROOT at (QUERY, KEY), shared where a node reads
        only one of them."""
        reader = PairReader(self.ops, self.program.profile, lambda n: self.value(n, query),
                            lambda n: self.value(n, key))
        return walk_pair(self.program, root, reader, _PairStore(self, query, key))

    def keys(self, selector: Selector, query: Handle) -> list[Handle]:
        """The key handles SELECTOR lets QUERY see, ascending (the query itself if nonstrict)."""
        i, eos = query
        return [(j, eos and j == i) for j in range(1, i + 1) if selector.sees(i, j)]

    def attend(self, node_id: int, node: Node, query: Handle, values: Store[Any]) -> Any:
        """The head NODE_ID at QUERY, whose row so far is VALUES; its keys are recorded."""
        selector = node.selector
        assert selector is not None
        keys = self.keys(selector, query)
        kept = [self.ops.bconst(True) if selector.where is None
                else self.pair(selector.where, query, k) for k in keys]
        if self.tuning.prune:
            keys = [k for k, flag in zip(keys, kept, strict=True) if flag is not False]
            kept = [flag for flag in kept if flag is not False]
        scores = self._scores(selector, query, keys)
        keyed = [self.value(node.args[0], k) for k in keys]
        output, weights = apply_attention(self.ops, self.program.profile, node, kept, scores,
                                          keyed, values[node.args[1]])
        self.heads[(node_id, query)] = tuple(
            (k[0], flag, w) for k, flag, w in zip(keys, kept, weights, strict=True))
        return output

    def _scores(self, selector: Selector, query: Handle, keys: list[Handle]) -> list[Any] | None:
        """The scores of KEYS, or None for uniform attention (no score, or one constant:
        equal scores give `e_j = 1` for every kept key, exactly the uniform path)."""
        if selector.score is None:
            return None
        scores = [self.pair(selector.score, query, k) for k in keys]
        if self.tuning.uniform and all(is_const(s) for s in scores) and len(set(scores)) <= 1:
            return None
        return scores


class _At(OpsBackend):
    """The walker's backend at HANDLE of UNROLLER."""

    def __init__(self, unroller: Unroller, handle: Handle) -> None:
        super().__init__(unroller.ops, unroller.program.profile)
        self.unroller, self.handle = unroller, handle

    def symbol(self, node_id: int, node: Node, values: Store[Any]) -> Any:
        position, eos = self.handle
        word = self.unroller.word
        return symbol_value(self.ops, node, eos, lambda k: word.is_symbol(position, k))

    def eos(self, node_id: int, node: Node, values: Store[Any]) -> Any:
        return eos_value(self.ops, self.handle[1])

    def attend(self, node_id: int, node: Node, values: Store[Any]) -> Any:
        return self.unroller.attend(node_id, node, self.handle, values)


class _PairStore:
    """The pair values of UNROLLER at (QUERY, KEY), by node id: a view of its cache, where a
    node that reads only the query (or only the key) is shared by every key (or query)."""

    def __init__(self, unroller: Unroller, query: Handle, key: Handle) -> None:
        self.unroller, self.query, self.key = unroller, query, key

    def _cache(self, node_id: int) -> tuple[int, Handle | None, Handle | None]:
        reads_query, reads_key = self.unroller.deps[node_id]
        return (node_id, self.query if reads_query else None, self.key if reads_key else None)

    def __contains__(self, node_id: object) -> bool:
        return isinstance(node_id, int) and self._cache(node_id) in self.unroller.pairs

    def __getitem__(self, node_id: int) -> Any:
        return self.unroller.pairs[self._cache(node_id)]

    def __setitem__(self, node_id: int, value: Any) -> None:
        self.unroller.pairs[self._cache(node_id)] = value


@dataclass(frozen=True)
class Encoding:
    """A program over a symbolic word of one LENGTH: the values come from UNROLLER."""

    program: Program
    length: int
    word: SymbolicWord
    unroller: Unroller

    @property
    def accept(self) -> Any:
        """The accept value as a Z3 Bool."""
        return as_term(self.word.ctx, self.unroller.accept(self.length))

    def handles(self) -> list[Handle]:
        """The positions 1..length+1 of the word (the last one is eos)."""
        return [(p, p == self.length + 1) for p in range(1, self.length + 2)]

    def values(self, node_id: int) -> list[Any]:
        """The value of position node NODE_ID at every position (folded or Z3 terms)."""
        return [self.unroller.value(node_id, h) for h in self.handles()]

    def domain(self) -> list[Any]:
        """The constraints keeping the word inside the alphabet."""
        return self.word.domain(self.length)


def encode(program: Program, length: int, word: SymbolicWord | None = None,
           tuning: Tuning = DEFAULT_TUNING) -> Encoding:
    """PROGRAM on a symbolic word of LENGTH (WORD, or a fresh one in a fresh context)."""
    if length < 0:
        raise ValueError("the word length must be >= 0")
    if word is None:
        word = SymbolicWord(z3.Context(), program.alphabet)
    unroller = Unroller(program, word, length, tuning)
    for handle in [(p, p == length + 1) for p in range(1, length + 2)]:
        unroller.row(handle)
    return Encoding(program, length, word, unroller)


def as_term(ctx: Any, value: Any) -> Any:
    """VALUE as a term of CTX, a `z3.Context` or a term factory (Python bools become Bool
    literals)."""
    if isinstance(value, bool):
        return as_terms(ctx).bool_val(value)
    return value


def differs(ctx: Any, left: Any, right: Any) -> Any:
    """`left != right` for two booleans, folded when both are Python constants."""
    if isinstance(left, bool) and isinstance(right, bool):
        return left != right
    return as_terms(ctx).xor(as_term(ctx, left), as_term(ctx, right))
