"""The second all-lengths method: constrained Horn clauses solved by Z3's Spacer.

Independent of the first method (explicit exploration, `unbounded.py`) except for the shared
semantics and the summary plan (`streaming.plan_head`): the program's streaming machine is
written symbolically (`verifier.smt.chc`), in product with the language's minimal DFA or the
other program's machine, and Spacer searches for an inductive invariant that excludes every
state where the two disagree at eos. Unsat (no such state is reachable) is a proof for all
lengths; a reachable query yields a word decoded from Spacer's derivation, returned only after
the interpreter and the oracle confirm that it separates.

Key types must be enumerated: a small value-set analysis over the IR (this module) gives a
sound finite superset of the tuples each head's keys can expose; the Horn query also fires if
a position ever exposes a tuple outside it, so a proof never depends on the analysis.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

from verifier.check.types import Type
from verifier.engines.search import Deadline, SearchResult
from verifier.engines.streaming import plan_head
from verifier.engines.target import Target
from verifier.interp import run_word
from verifier.ir.apply import PositionReader, apply_elementwise, constant, pair_value
from verifier.ir.evaluate import Store, walk_positions
from verifier.ir.finite import NotFiniteState, check_one_signed, counting_heads, require_finite
from verifier.ir.nodes import ATTENTION, Node, Op, Program
from verifier.options import Options
from verifier.semantics.profile import FloatProfile
from verifier.semantics.pyops import PyOps
from verifier.smt.chc import Answer, HeadSpec, Limits, MachineSpec, solve

METHOD = "spacer (constrained Horn clauses)"
#: The most key types one head may have (each becomes a counter or an index value).
MAX_KEY_TYPES = 64
#: The largest set (or cartesian product of sets) the value-set analysis enumerates.
MAX_ENUMERATION = 1 << 16

_OPS = PyOps()
_BOOLS: frozenset[Any] = frozenset({False, True})

#: A node's possible values at positions: a finite set, or None for "any value of the format".
ValueSet = frozenset[Any] | None


@dataclass(frozen=True)
class SpacerResult(SearchResult):
    """A search result that says, as a value, whether Spacer refuted the claim: REFUTED when
    a state where the two disagree is reachable, whether or not its word was decoded."""

    refuted: bool = False


class Unsupported(Exception):
    """The program is outside the fragment this method encodes; carries the reason."""


# --- value sets ------------------------------------------------------------------------------


def value_sets(program: Program) -> list[ValueSet]:
    """A sound superset of each position node's values at every position of every word
    (pair nodes get the empty set; they are evaluated per key)."""
    sets = walk_positions(program, _ValueSets(program), {})
    return [frozenset() if node.pair else sets[i] for i, node in enumerate(program.nodes)]


def _size(sets: Sequence[ValueSet]) -> float:
    """The size of the cartesian product of SETS (infinite if one is unbounded)."""
    size = 1.0
    for part in sets:
        if part is None:
            return math.inf
        size *= len(part)
    return size


def _union(*parts: ValueSet) -> ValueSet:
    if any(p is None for p in parts):
        return None
    return frozenset().union(*parts)  # type: ignore[arg-type]


class _ValueSets:
    """The walker backend of value sets: a node's set from its inputs' sets."""

    def __init__(self, program: Program) -> None:
        self.program = program

    def symbol(self, node_id: int, node: Node, sets: Store[ValueSet]) -> ValueSet:
        return _BOOLS

    eos = symbol

    def constant(self, node_id: int, node: Node, sets: Store[ValueSet]) -> ValueSet:
        return frozenset({constant(_OPS, node)})

    def attend(self, node_id: int, node: Node, sets: Store[ValueSet]) -> ValueSet:
        if node.op is Op.AGGREGATE:
            return _aggregate_set(self.program, node, sets)
        return _union(sets[node.args[0]], sets[node.args[1]])  # a key's value or the default

    def elementwise(self, node_id: int, node: Node, sets: Store[ValueSet]) -> ValueSet:
        if node.op is Op.ITE:
            return _union(sets[node.args[1]], sets[node.args[2]])
        arguments = [sets[a] for a in node.args]
        if _size(arguments) > MAX_ENUMERATION:
            return _BOOLS if node.type is Type.BOOL else None
        return frozenset(apply_elementwise(_OPS, self.program.profile, node, list(combo))
                         for combo in itertools.product(*arguments))  # type: ignore[arg-type]


def weight_sum_bound(program: Program, node: Node) -> Fraction | None:
    """An upper bound on `sum_j alpha_j` (raw) of a soft head (None: unbounded).

    `alpha_j = round(one * e_j / Z')` with `Z' = clamp(Z, 1, max)`. Rounding down (or toward
    zero, the same on non-negative numbers) gives `alpha_j <= x_j = one * e_j / Z'`; to
    nearest, `alpha_j >= 1` needs `x_j >= 1/2`, so `alpha_j <= x_j + 1/2 <= 2 x_j`. And
    `sum x_j = one * Z / Z'`: `one` unless `Z` saturates (under `vanish` an overflowed `Z`
    zeroes every weight), where `Z <= keys * one` with keys bounded for local heads only.
    """
    profile = program.profile
    selector = node.selector
    assert selector is not None
    factor = 2 if profile.rounding == "nearest_even" else 1
    ratio = Fraction(1)
    if profile.denominator == "saturate":
        if selector.scope == "global":
            return None
        keys = (selector.window or 0) + 1
        ratio = max(ratio, Fraction(keys * profile.one_raw, profile.max_raw))
    return factor * profile.one_raw * ratio


def _aggregate_set(program: Program, node: Node, sets: Store[ValueSet]) -> ValueSet:
    """Output = clamp(round(sum alpha_j V(j) / one)) with alpha_j >= 0, so it lies between
    A * min(V, 0) and A * max(V, 0) (A: `weight_sum_bound`); `sums sequential` rounds each
    term separately (error < 1 per term with alpha_j >= 1, at most A such terms) and clamps
    the running sum, which keeps it between the sums of the negative and positive terms.
    Plus the default (nothing kept) and 0 (vanished)."""
    profile = program.profile
    values, default = sets[node.args[0]], sets[node.args[1]]
    bound = weight_sum_bound(program, node)
    if values is None or default is None or bound is None:
        return None
    low = math.floor(bound * min(min(values), 0) / profile.one_raw)
    high = math.ceil(bound * max(max(values), 0) / profile.one_raw)
    if profile.sums == "sequential":
        low, high = low - math.ceil(bound), high + math.ceil(bound)
    low, high = max(low, profile.min_raw), min(high, profile.max_raw)
    if high - low + 1 > MAX_ENUMERATION:
        return None
    return frozenset(range(low, high + 1)) | default | {0}


# --- key types -------------------------------------------------------------------------------


def _cone(program: Program, roots: Iterable[int]) -> list[int]:
    """The position nodes the ROOTS depend on without crossing an attention node, in
    topological order (attention nodes are included as leaves)."""
    found: set[int] = set()
    stack = list(roots)
    while stack:
        node_id = stack.pop()
        if node_id in found:
            continue
        found.add(node_id)
        if program.nodes[node_id].op not in ATTENTION:
            stack.extend(program.nodes[node_id].args)
    return sorted(found)


def key_types(program: Program, key_nodes: Sequence[int], sets: list[ValueSet]
              ) -> list[tuple[Any, ...]]:
    """Every tuple of KEY_NODES values a non-eos position can expose (a superset): jointly
    enumerated over the symbol and the attention outputs they depend on when that is small,
    else the product of the nodes' own value sets. Raises Unsupported beyond the limits."""
    cone = _cone(program, key_nodes)
    leaves = [n for n in cone if program.nodes[n].op in ATTENTION]
    leaf_sets = [sets[n] for n in leaves]
    if len(program.alphabet) * _size(leaf_sets) <= MAX_ENUMERATION:
        found = set()
        for symbol in range(len(program.alphabet)):
            for combo in itertools.product(*leaf_sets):  # type: ignore[arg-type]
                values = _evaluate(program, cone, symbol, dict(zip(leaves, combo, strict=True)))
                found.add(tuple(values[n] for n in key_nodes))
        return sorted(found, key=repr)
    own = [sets[n] for n in key_nodes]
    if _size(own) > MAX_KEY_TYPES:
        raise Unsupported("not finitely enumerable within the limit")
    return sorted(itertools.product(*own), key=repr)  # type: ignore[arg-type]


def _evaluate(program: Program, cone: list[int], symbol: int,
              outputs: dict[int, Any]) -> Store[Any]:
    """The CONE's values at a position holding SYMBOL, its heads' OUTPUTS given."""
    backend = PositionReader(_OPS, program.profile, False, symbol.__eq__)  # heads are given
    return walk_positions(program, backend, dict(outputs), cone)


# --- the plan --------------------------------------------------------------------------------


def machine_spec(program: Program) -> MachineSpec:
    """The symbolic plan of every head of PROGRAM; Unsupported outside the fragment."""
    sets = value_sets(program)
    heads = []
    for head_id in program.attention_nodes():
        node = program.nodes[head_id]
        selector = node.selector
        assert selector is not None
        _check_profile(program, head_id, sets)
        plan = plan_head(program, head_id)
        try:
            types = key_types(program, plan.key_nodes, sets)
        except Unsupported as reason:
            raise Unsupported(f"spacer: key values of head {_name(program, head_id)} "
                              f"{reason}") from None
        if len(types) > MAX_KEY_TYPES:
            raise Unsupported(f"spacer: key values of head {_name(program, head_id)} not "
                              f"finitely enumerable within the limit ({len(types)} key types "
                              f"> {MAX_KEY_TYPES})")
        kind: Literal["local", "soft", "hard"] = "local" if selector.scope == "local" else (
            "soft" if node.op is Op.AGGREGATE else "hard")
        recorded = tuple(kind == "local" or _recordable(program, plan.query_free_where,
                                                        selector.where, plan.key_nodes, t)
                         for t in types)
        heads.append(HeadSpec(head_id, kind, plan.key_nodes, tuple(types), recorded,
                              plan.cap, selector.window or 0))
    return MachineSpec(program, tuple(heads))


def _recordable(program: Program, query_free: bool, where: int | None,
                key_nodes: Sequence[int], kind: tuple[Any, ...]) -> bool:
    """Whether some query may keep a key of type KIND (as method 1, drop the others)."""
    if where is None or not query_free:
        return True
    return bool(pair_value(_OPS, program, where, [], dict(zip(key_nodes, kind, strict=True))))


def _check_profile(program: Program, head_id: int, sets: list[ValueSet]) -> None:
    """The finiteness rules (`verifier.ir.finite`), made static: a global soft head's weighted
    terms have the signs of its values (weights are >= 0)."""
    if head_id not in counting_heads(program):
        return
    if isinstance(program.profile, FloatProfile):
        raise Unsupported("spacer: a global soft head in a float format (the streaming "
                          "engine decides those)")
    values = sets[program.nodes[head_id].args[0]]
    try:
        require_finite(program)
        check_one_signed(program, head_id, None if values is None else (min(values),
                                                                        max(values)))
    except NotFiniteState as reason:
        raise Unsupported(f"spacer: {reason}") from None


def _name(program: Program, node_id: int) -> str:
    for name, named in program.named:
        if named == node_id:
            return f"'{name}'"
    return f"#{program.attention_nodes().index(node_id) + 1}"


# --- the search ------------------------------------------------------------------------------


def spacer_search(program: Program, target: Target, deadline: Deadline,
                  options: Options) -> SearchResult:
    """Prove that no word separates PROGRAM from TARGET at any length, or find one."""
    try:
        spec = machine_spec(program)
        other = None if target.other is None else machine_spec(target.other)
    except Unsupported as reason:
        return SpacerResult(METHOD, reason=str(reason))
    dfa = None if target.language is None else target.language.dfa
    remaining = deadline.remaining()
    if remaining is not None and remaining <= 0:
        return SpacerResult(METHOD, reason="spacer: time limit reached before solving")
    outcome = solve(spec, other, dfa, Limits(remaining, options.seed, options.rlimit,
                                             deadline.memory_mb))
    if outcome.answer is Answer.PROVED:
        return SpacerResult(METHOD, all_lengths=True)
    if outcome.answer is Answer.UNKNOWN:
        return SpacerResult(METHOD, reason=outcome.reason)
    word = _confirmed(program, target, outcome.symbols)
    if word is None:
        return SpacerResult(METHOD, reason="spacer: reachable (counterexample not decoded)",
                            refuted=True)
    return SpacerResult(METHOD, word, refuted=True)


def _confirmed(program: Program, target: Target, symbols: Sequence[int] | None
               ) -> tuple[str, ...] | None:
    """The decoded word, if the interpreter and the oracle confirm that it separates."""
    if symbols is None or any(not 0 <= s < len(program.alphabet) for s in symbols):
        return None
    word = tuple(program.alphabet[s] for s in symbols)
    if run_word(program, word).accepted == target.contains(word):
        return None
    return word
