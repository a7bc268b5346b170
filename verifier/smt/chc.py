"""Constrained Horn clauses: a program's streaming machine as symbolic state, for Spacer.

The state is the summary of docs/unbounded.md written with Z3 terms: per head, the key types
of the last k positions (local), a capped count per key type (global soft) or the distinct key
types in order of first / last occurrence (global hard). Key types are indices into a finite
list enumerated by the caller (`HeadSpec.types`); the values a position computes from a
state come from the shared semantics over `Z3Ops`, exactly as the interpreter computes them.
The product with a DFA (or a second program) is one relation `Inv`; the query `Bad` says
that at some reachable state the two disagree at `eos`, or that a position exposed a key
tuple missing from the enumeration (so the proof never trusts the enumeration).
docs/unbounded.md ("The second method") states the encoding and why it is exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

import z3

from verifier.ir.apply import PositionReader, apply_attention, pair_value
from verifier.ir.evaluate import Store, position_order, walk_positions
from verifier.ir.nodes import Node, Op, Program
from verifier.langs import DFA
from verifier.smt.memory import is_memory_reason, memory_reason, watch
from verifier.smt.z3ops import Z3Ops, new_context

KeyType = tuple[Any, ...]


@dataclass(frozen=True)
class HeadSpec:
    """How one attention node is kept symbolically.

    TYPES: every key tuple (values of KEY_NODES) a non-eos position can expose; RECORDED[t]:
    whether a global head remembers type t (method 1 drops types no query can keep).
    """

    node_id: int
    kind: Literal["local", "soft", "hard"]
    key_nodes: tuple[int, ...]
    types: tuple[KeyType, ...]
    recorded: tuple[bool, ...]
    cap: int
    window: int


@dataclass(frozen=True)
class MachineSpec:
    """A program with the symbolic plan of each of its heads (in `attention_nodes` order)."""

    program: Program
    heads: tuple[HeadSpec, ...]

    def max_keys(self) -> int:
        """The longest key list (with multiplicities) any head attends over, plus one."""
        sizes = [1]
        for head in self.heads:
            if head.kind == "local":
                sizes.append(head.window + 1)
            elif head.kind == "hard":
                sizes.append(len(head.types) + 1)
            else:
                sizes.append(head.cap * sum(head.recorded) + 1)
        return max(sizes)


class Answer(Enum):
    """What Spacer says about the query: unreachable (a proof), reachable (a refutation),
    or neither."""

    PROVED = "proved"
    REACHABLE = "reachable"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Outcome:
    """Spacer's ANSWER; for REACHABLE, SYMBOLS is the word decoded from the derivation (as
    indices into the first program's alphabet, if any); for UNKNOWN, REASON says why."""

    answer: Answer
    symbols: tuple[int, ...] | None = None
    reason: str | None = None


# --- the symbolic streaming machine -----------------------------------------------------------


def _or(ctx: z3.Context, terms: Sequence[Any]) -> Any:
    """The disjunction of TERMS (False when empty)."""
    return z3.Or(z3.BoolVal(False, ctx), *terms)


def _bits(n: int) -> int:
    """Bits of an unsigned field holding 0..n."""
    return max(1, n.bit_length())


class SymbolicMachine:
    """A program's streaming machine over Z3 state variables (a flat list per machine).

    Layout per head: local and hard heads hold slots `(present, type index)` (local: oldest
    first; hard: in order of first / last occurrence); soft heads one saturating counter per
    recorded type. SYMBOL_MAP[g] is this program's symbol index of the shared symbol g.
    """

    def __init__(self, ctx: z3.Context, spec: MachineSpec, symbol_map: Sequence[int]) -> None:
        self.ctx = ctx
        self.spec = spec
        self.program = spec.program
        self.max_keys = spec.max_keys()
        self.ops = Z3Ops(ctx, self.program.profile, self.max_keys)
        self.symbol_map = tuple(symbol_map)
        self.heads = {h.node_id: h for h in spec.heads}

    # layout

    def _slots(self, head: HeadSpec) -> int:
        return head.window if head.kind == "local" else sum(head.recorded)

    def sorts(self) -> list[z3.SortRef]:
        """The sorts of the state variables."""
        sorts: list[z3.SortRef] = []
        for head in self.spec.heads:
            if head.kind == "soft":
                sorts += [z3.BitVecSort(_bits(head.cap), self.ctx)] * sum(head.recorded)
            else:
                index = z3.BitVecSort(_bits(len(head.types) - 1), self.ctx)
                sorts += [z3.BoolSort(self.ctx), index] * self._slots(head)
        return sorts

    def initial(self) -> list[Any]:
        """The state of the empty prefix: no slot present, every count 0."""
        return [z3.BoolVal(False, self.ctx) if s == z3.BoolSort(self.ctx)
                else z3.BitVecVal(0, s) for s in self.sorts()]

    def _split(self, state: Sequence[Any]) -> dict[int, list[Any]]:
        parts, at = {}, 0
        for head in self.spec.heads:
            size = sum(head.recorded) if head.kind == "soft" else 2 * self._slots(head)
            parts[head.node_id] = list(state[at:at + size])
            at += size
        return parts

    # values

    def _type_values(self, head: HeadSpec, index: Any) -> dict[int, Any]:
        """The key-node values of the type with (symbolic) INDEX."""
        exposed = {}
        for column, node_id in enumerate(head.key_nodes):
            options = [self._const(t[column]) for t in head.types]
            value = options[-1]
            for i in range(len(options) - 2, -1, -1):
                value = z3.If(index == i, options[i], value, self.ctx)
            exposed[node_id] = value
        return exposed

    def _const(self, value: Any) -> Any:
        return self.ops.bconst(value) if isinstance(value, bool) else self.ops.const(value)

    def values(self, state: Sequence[Any], symbol: Any, eos: bool) -> Store[Any]:
        """Every position node's value at a position holding SYMBOL (EOS: the end position)."""
        parts = self._split(state)
        backend = PositionReader(self.ops, self.program.profile, eos, lambda k: _or(self.ctx, [
            symbol == g for g, mine in enumerate(self.symbol_map) if mine == k]),
            lambda h, node, values: self.attend(self.heads[h], node, parts[h], values))
        return walk_positions(self.program, backend, {}, position_order(self.program))

    def _keys(self, head: HeadSpec, part: list[Any], values: Store[Any]
              ) -> tuple[list[Any], list[dict[int, Any]], list[Any]]:
        """(present, exposed key values, multiplicity) of every key the query sees."""
        node = self.program.nodes[head.node_id]
        assert node.selector is not None
        present: list[Any] = []
        exposed: list[dict[int, Any]] = []
        counts: list[Any] = []
        if head.kind == "soft":
            recorded = [t for t, r in zip(head.types, head.recorded, strict=True) if r]
            for kind, count in zip(recorded, part, strict=True):
                wide = z3.ZeroExt(self.ops.width - count.size(), count)
                present.append(wide != 0)
                exposed.append({n: self._const(v) for n, v in zip(head.key_nodes, kind,
                                                                  strict=True)})
                counts.append(wide)
        else:
            for slot in range(0, len(part), 2):
                present.append(part[slot])
                exposed.append(self._type_values(head, part[slot + 1]))
                counts.append(self.ops.const(1))
        if node.selector.nonstrict:  # the query itself, last (see docs: order-free here)
            present.append(self.ops.bconst(True))
            exposed.append({n: values[n] for n in head.key_nodes})
            counts.append(self.ops.const(1))
        return present, exposed, counts

    def attend(self, head: HeadSpec, node: Node, part: list[Any], values: Store[Any]) -> Any:
        """HEAD's output at a position with VALUES, given its state PART."""
        selector = node.selector
        assert selector is not None
        present, exposed, counts = self._keys(head, part, values)
        kept = present if selector.where is None else [
            z3.And(p, pair_value(self.ops, self.program, selector.where, values, k))
            for p, k in zip(present, exposed, strict=True)]
        scores = None if selector.score is None else [
            pair_value(self.ops, self.program, selector.score, values, k) for k in exposed]
        keyed = [k[node.args[0]] for k in exposed]
        default = values[node.args[1]]
        soft = head.kind == "soft"  # a multiset with symbolic multiplicities
        output, _ = apply_attention(self.ops, self.program.profile, node, kept, scores, keyed,
                                    default, counts if soft else None,
                                    self.max_keys if soft else None)
        return output

    # transition

    def accepts(self, state: Sequence[Any]) -> Any:
        """Whether the program accepts when eos follows the prefix summarized by STATE."""
        return self.values(state, None, eos=True)[self.program.accept]

    def step(self, state: Sequence[Any], symbol: Any) -> tuple[list[Any], Any]:
        """(the state after one more position holding SYMBOL, whether that position exposed
        a key tuple outside some head's enumeration)."""
        values = self.values(state, symbol, eos=False)
        parts = self._split(state)
        successor: list[Any] = []
        escapes: list[Any] = []
        for head in self.spec.heads:
            matches = [z3.And(*[self._equal(values[n], v) for n, v in
                                zip(head.key_nodes, kind, strict=True)])
                       for kind in head.types]
            escapes.append(z3.Not(_or(self.ctx, matches)))
            successor += self._update(head, parts[head.node_id], matches)
        return successor, _or(self.ctx, escapes)

    def _equal(self, term: Any, value: Any) -> Any:
        return term == self._const(value)

    def _index(self, head: HeadSpec, matches: list[Any]) -> Any:
        sort = z3.BitVecSort(_bits(len(head.types) - 1), self.ctx)
        index = z3.BitVecVal(len(head.types) - 1, sort)
        for i in range(len(matches) - 2, -1, -1):
            index = z3.If(matches[i], z3.BitVecVal(i, sort), index)
        return index

    def _update(self, head: HeadSpec, part: list[Any], matches: list[Any]) -> list[Any]:
        if head.kind == "soft":
            recorded = [m for m, r in zip(matches, head.recorded, strict=True) if r]
            return [z3.If(z3.And(m, z3.ULT(c, head.cap)), c + 1, c)
                    for m, c in zip(recorded, part, strict=True)]
        index = self._index(head, matches)
        true = z3.BoolVal(True, self.ctx)
        if head.kind == "local":
            return [*part[2:], true, index]
        new = _or(self.ctx, [m for m, r in zip(matches, head.recorded, strict=True) if r])
        slots = [(part[s], part[s + 1]) for s in range(0, len(part), 2)]
        held = [z3.And(p, i == index) for p, i in slots]
        node = self.program.nodes[head.node_id]
        if node.op is Op.LEFTMOST:
            new = z3.And(new, z3.Not(_or(self.ctx, held)))
        else:  # rightmost: drop the earlier occurrence, then append
            slots = self._drop(slots, held)
        return self._append(slots, new, index)

    def _drop(self, slots: list[tuple[Any, Any]], held: list[Any]) -> list[tuple[Any, Any]]:
        """SLOTS without the (at most one) slot flagged in HELD, shifted left (no slots: a
        head that records no key type, e.g. one whose `where:` holds for none, keeps none)."""
        if not slots:
            return slots
        false = z3.BoolVal(False, self.ctx)
        padded = [*slots, (false, slots[-1][1])]
        result, passed = [], false
        for s in range(len(slots)):
            passed = z3.Or(passed, held[s])
            result.append((z3.If(passed, padded[s + 1][0], slots[s][0]),
                           z3.If(passed, padded[s + 1][1], slots[s][1])))
        return result

    def _append(self, slots: list[tuple[Any, Any]], new: Any, index: Any) -> list[Any]:
        """SLOTS (present ones form a prefix) with INDEX put in the first free slot if NEW."""
        true = z3.BoolVal(True, self.ctx)
        flat: list[Any] = []
        for s, (present, kind) in enumerate(slots):
            first_free = z3.And(new, z3.Not(present), true if s == 0 else slots[s - 1][0])
            flat += [z3.Or(present, first_free), z3.If(first_free, index, kind)]
        return flat


# --- the Horn problem ------------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """Solver settings: TIMEOUT seconds (None: none), SEED, RLIMIT (None: none), MEMORY_MB
    the process's memory cap (None: none; Spacer takes no `max_memory`, so a watchdog
    interrupts the query past it: verifier.smt.memory)."""

    timeout: float | None
    seed: int
    rlimit: int | None
    memory_mb: int | None = None


def _dfa_step(dfa: DFA, columns: Sequence[int], state: Any, symbol: Any, sort: Any) -> Any:
    """The DFA successor of STATE on the shared SYMBOL as an if-chain."""
    result = state
    for q in range(dfa.n_states):
        for g, column in enumerate(columns):
            hit = z3.And(state == q, symbol == g)
            result = z3.If(hit, z3.BitVecVal(dfa.delta[q][column], sort), result)
    return result


def solve(spec: MachineSpec, other: MachineSpec | None, dfa: DFA | None,
          limits: Limits) -> Outcome:
    """Is a state where SPEC and the target (OTHER or DFA) disagree at eos reachable?"""
    ctx = new_context()
    alphabet = spec.program.alphabet
    mine = SymbolicMachine(ctx, spec, range(len(alphabet)))
    theirs = None if other is None else SymbolicMachine(
        ctx, other, [other.program.alphabet.index(s) for s in alphabet])
    symbol_sort = z3.BitVecSort(_bits(len(alphabet) - 1), ctx)
    dfa_sort = z3.BitVecSort(_bits(dfa.n_states - 1), ctx) if dfa is not None else None
    sorts = mine.sorts() + (theirs.sorts() if theirs is not None else [dfa_sort])
    sorts += [z3.BoolSort(ctx), symbol_sort]  # escaped, last symbol (for decoding)
    inv = z3.Function("Inv", *sorts, z3.BoolSort(ctx))
    bad = z3.Function("Bad", z3.BoolSort(ctx))
    state = [z3.Const(f"s{i}", s) for i, s in enumerate(sorts)]
    symbol = z3.Const("sym", symbol_sort)
    split = len(mine.sorts())
    own, target, escaped = state[:split], state[split:-2], state[-2]

    fp = z3.Fixedpoint(ctx=ctx)
    _configure(fp, limits)
    fp.register_relation(inv, bad)
    fp.declare_var(*state, symbol)
    columns = [] if dfa is None else [dfa.alphabet.index(s) for s in alphabet]
    if theirs is not None:
        start_target = theirs.initial()
    else:
        assert dfa is not None and dfa_sort is not None
        start_target = [z3.BitVecVal(dfa.start, dfa_sort)]
    fp.fact(inv(*mine.initial(), *start_target, z3.BoolVal(False, ctx),
                z3.BitVecVal(0, symbol_sort)))
    own_next, own_escape = mine.step(own, symbol)
    if theirs is not None:
        target_next, their_escape = theirs.step(target, symbol)
        target_accepts = theirs.accepts(target)
    else:
        assert dfa is not None
        target_next = [_dfa_step(dfa, columns, target[0], symbol, dfa_sort)]
        their_escape = z3.BoolVal(False, ctx)
        target_accepts = z3.Or(z3.BoolVal(False, ctx), *[target[0] == q for q in dfa.accepting])
    in_alphabet = z3.ULE(symbol, len(alphabet) - 1)
    own_next = [z3.simplify(t) for t in own_next]
    target_next = [z3.simplify(t) for t in target_next]
    disagree = z3.simplify(mine.accepts(own) != target_accepts)
    fp.rule(inv(*own_next, *target_next, z3.Or(escaped, own_escape, their_escape), symbol),
            [inv(*state), in_alphabet, z3.Not(escaped)])
    fp.rule(bad(), [inv(*state), z3.Or(escaped, disagree)])
    return _query(fp, bad, inv, limits.memory_mb)


def _configure(fp: z3.Fixedpoint, limits: Limits) -> None:
    fp.set(engine="spacer")
    fp.set("spacer.random_seed", limits.seed)
    # keep the rules as written so that a derivation names every Inv fact, last symbol included
    fp.set("xform.slice", False)
    fp.set("xform.inline_linear", False)
    fp.set("xform.inline_eager", False)
    if limits.timeout is not None:
        fp.set("timeout", max(1, int(limits.timeout * 1000)))
    if limits.rlimit is not None:
        fp.set("rlimit", limits.rlimit)


def _query(fp: z3.Fixedpoint, bad: Any, inv: Any, memory_mb: int | None = None) -> Outcome:
    with watch(fp.ctx, memory_mb) as watching:
        try:
            answer = fp.query(bad())
        except z3.Z3Exception as error:  # raised when a limit cancels the query
            detail = error.value.decode() if isinstance(error.value, bytes) else str(error.value)
            if watching.tripped or is_memory_reason(detail):
                return Outcome(Answer.UNKNOWN, reason=f"spacer: {memory_reason(memory_mb)}")
            return Outcome(Answer.UNKNOWN, reason=f"spacer: unknown ({detail}: time or resource "
                                             "limit reached)")
    if answer != z3.sat and answer != z3.unsat and watching.tripped:
        return Outcome(Answer.UNKNOWN, reason=f"spacer: {memory_reason(memory_mb)}")
    if answer == z3.unsat:
        return Outcome(Answer.PROVED)
    if answer == z3.sat:
        return Outcome(Answer.REACHABLE, decode_symbols(fp.get_answer(), inv))
    return Outcome(Answer.UNKNOWN, reason=f"spacer: unknown ({fp.reason_unknown()})")


def decode_symbols(proof: Any, inv: Any) -> tuple[int, ...] | None:
    """The symbols read along the derivation PROOF: the last argument of each Inv fact
    concluded by a hyper-resolution step, innermost (the initial state) first. None when the
    derivation is not a ground chain of Inv facts."""
    facts: list[Any] = []
    stack: list[tuple[Any, bool]] = [(proof, False)]
    while stack:
        node, expanded = stack.pop()
        if not z3.is_app(node) or node.decl().name() != "hyper-res":
            if node.num_args() and node.decl().name() not in ("asserted",):
                stack.extend((child, False) for child in reversed(node.children()))
            continue
        if expanded:
            conclusion = node.children()[-1]
            if z3.is_app(conclusion) and conclusion.decl() == inv:
                facts.append(conclusion)
            continue
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node.children()[1:-1]))
    ground = all(z3.is_bv_value(a) or z3.is_true(a) or z3.is_false(a)
                 for fact in facts for a in fact.children())
    if not facts or not ground:
        return None
    return tuple(fact.children()[-1].as_long() for fact in facts[1:])
