"""The one walker (verifier/ir/evaluate.py): every Op reaches every backend (ARCHITECTURE
rule 9), and the backends agree.

For each Op a small program uses it; the walker's inner loop is wrapped so that each backend
it is handed records which of its methods ran on which operations. The one-word interpreter,
the batch interpreter, the SMT encoding (folded and plain), the streaming machine, its
symbolic (Horn clause) form, Spacer's plan (value sets, key types) and the compositional
extraction must each
reach the Op through the method `METHOD` names (or refuse it, for a reason stated in
`REFUSED`), and give the same values (or the same language) on every word up to a small length.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np
import pytest
import z3

from verifier.engines.compose import Composer
from verifier.engines.spacer import machine_spec
from verifier.engines.streaming import StreamingMachine
from verifier.interp import all_words, run_batch, run_word
from verifier.interp.trace import Trace
from verifier.ir import evaluate
from verifier.ir.apply import ELEMENTWISE_OPS, eos_value, pair_value, symbol_value
from verifier.ir.evaluate import (
    DISPATCHED,
    METHOD,
    PairBackend,
    PositionBackend,
    position_order,
    walk_positions,
)
from verifier.ir.nodes import Node, Op, Program
from verifier.pipeline import compile_text
from verifier.semantics.npops import NumpyOps
from verifier.semantics.pyops import PyOps
from verifier.smt.chc import SymbolicMachine
from verifier.smt.decode import decode_trace
from verifier.smt.encode import Tuning, encode
from verifier.smt.z3ops import new_context

MAX_LENGTH = 3

_HEAD = "n = aggregate(select(global, nonstrict), a)\n"
#: For each Op, the statements of a program over {a, b} that uses it.
USES: dict[Op, str] = {
    Op.SYMBOL: "accept a",
    Op.EOS: "accept eos",
    Op.CONST: "accept true",
    Op.TO_NUM: "x = a + n\naccept x > 0.5",
    Op.NEG: "x = -n\naccept x < -0.5",
    Op.ADD: "x = n + n\naccept x > 0.5",
    Op.SUB: "x = n - n\naccept x == 0",
    Op.MUL: "x = n * n\naccept x > 0.25",
    Op.MIN: "x = min(n, 0.5)\naccept x > 0.25",
    Op.MAX: "x = max(n, 0.5)\naccept x > 0.5",
    Op.ABS: "x = abs(-n)\naccept x > 0.5",
    Op.RELU: "x = relu(-n)\naccept x > 0.5",
    Op.EXP: "x = exp(-n)\naccept x < 0.5",
    Op.LT: "accept n < 0.5",
    Op.LE: "accept n <= 0.5",
    Op.GT: "accept n > 0.5",
    Op.GE: "accept n >= 0.5",
    Op.EQ: "accept n == 0.5",
    Op.NE: "accept n != 0.5",
    Op.AND: "accept eos and n > 0.25",
    Op.OR: "accept a or n > 0.25",
    Op.NOT: "accept not a",
    Op.ITE: "x = if a then n else 0.25\naccept x > 0.375",
    Op.QUERY: "x = aggregate(select(global, nonstrict, where: a[i]), b)\naccept x > 0",
    Op.KEY: "x = aggregate(select(global, where: a[j], score: n[j]), b)\naccept x > 0",
    Op.AGGREGATE: "x = aggregate(select(local 2, nonstrict, score: n[j]), a)\naccept x > 0.375",
    Op.LEFTMOST: "x = leftmost(select(global, where: b[j]), n, default: 0.5)\n"
                 "accept x > 0.375",
    Op.RIGHTMOST: "x = rightmost(select(local 1, where: n[i] > n[j]), b)\naccept x",
}


#: Programs for backends with limits: Spacer enumerates key types (at most 64 per head), and
#: the machine of a head keyed by a counter is large.
FEW_KEY_TYPES: dict[Op, str] = {
    Op.KEY: "x = aggregate(select(global, where: a[j], score: a[j] + 0.5), b)\naccept x > 0",
    Op.AGGREGATE: "x = aggregate(select(local 2, nonstrict, score: a[j] + 0.5), a)\n"
                  "accept x > 0.375",
    Op.LEFTMOST: "x = leftmost(select(global, where: b[j]), a + 0.5, default: 0.25)\n"
                 "accept x > 0.375",
    Op.RIGHTMOST: "x = rightmost(select(local 1, where: n[i] > a[j] + 0.5), b)\naccept x",
}


def _program(op: Op, uses: dict[Op, str] = USES) -> Program:
    source = f"alphabet a b\nprecision fixed(4, 4)\n{_HEAD}{uses.get(op, USES[op])}\n"
    program = compile_text(source, f"<{op.value}>")
    assert any(node.op is op for node in program.nodes), f"{op} is not used"
    return program


class _Recorder:
    """BACKEND, with every call of a walker method recorded as (method, op) in SEEN."""

    def __init__(self, backend: Any, seen: set[tuple[str, Op]]) -> None:
        self._backend, self._seen = backend, seen

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._backend, name)

        def record(node_id: int, node: Node, values: Any) -> Any:
            self._seen.add((name, node.op))
            return method(node_id, node, values)

        return record if name in METHOD.values() else method


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> Iterator[set[tuple[str, Op]]]:
    """The (method, op) calls of every walk while the test runs."""
    calls: set[tuple[str, Op]] = set()
    inner = evaluate._walk

    def walk(program: Program, order: Iterable[int], backend: Any, values: Any) -> None:
        inner(program, order, _Recorder(backend, calls), values)

    monkeypatch.setattr(evaluate, "_walk", walk)
    yield calls


def _words(program: Program) -> list[tuple[str, ...]]:
    return [w for n in range(MAX_LENGTH + 1)
            for w in itertools.product(program.alphabet, repeat=n)]


def _single(program: Program) -> list[Trace]:
    return [run_word(program, word) for word in _words(program)]


def _batch(program: Program) -> list[dict[int, Any]]:
    size = len(program.alphabet)
    return [run_batch(program, all_words(size, n)) for n in range(MAX_LENGTH + 1)]


def _smt(program: Program, tuning: Tuning) -> list[Trace]:
    traces = []
    for length in range(MAX_LENGTH + 1):
        encoding = encode(program, length, tuning=tuning)
        for word in itertools.product(range(len(program.alphabet)), repeat=length):
            solver = z3.Solver(ctx=encoding.word.ctx)
            solver.add(*encoding.domain(), *encoding.word.pin(word))
            assert solver.check() == z3.sat
            traces.append(decode_trace(encoding, solver.model()))
    return traces


def _streaming(program: Program) -> list[bool]:
    machine = StreamingMachine(program)
    accepted = []
    for word in _words(program):
        state = machine.initial()
        for symbol in word:
            state = machine.step(state, program.alphabet.index(symbol))
        accepted.append(machine.accepts(state))
    return accepted


def _chc(program: Program) -> None:
    program = _program(_op_of(program), FEW_KEY_TYPES)
    ctx = new_context()
    machine = SymbolicMachine(ctx, machine_spec(program), range(len(program.alphabet)))
    state = [z3.Const(f"s{i}", sort) for i, sort in enumerate(machine.sorts())]
    machine.step(state, z3.BitVec("symbol", 2, ctx))
    machine.accepts(state)


def _op_of(program: Program) -> Op:
    return next(op for op, source in USES.items() if program.path == f"<{op.value}>")


def _spacer_plan(program: Program) -> None:
    machine_spec(_program(_op_of(program), FEW_KEY_TYPES))  # value sets, key types


def _compose(program: Program) -> list[bool]:
    program = _program(_op_of(program), FEW_KEY_TYPES)
    dfa = Composer(program, 10_000).dfa()
    return [dfa.accepts(word) for word in _words(program)]


BACKENDS: dict[str, Callable[[Program], Any]] = {
    "single": _single,
    "batch": _batch,
    "smt": lambda p: _smt(p, Tuning()),
    "smt-plain": lambda p: _smt(p, Tuning(fold=False, prune=False, uniform=False)),
    "streaming": _streaming,
    "chc": _chc,
    "spacer-plan": _spacer_plan,
    "compose": _compose,
}

#: (backend, Op) pairs a backend does not reach, with the reason.
REFUSED: dict[tuple[str, Op], str] = {
    ("spacer-plan", Op.QUERY): "value sets are per position; a `where:` that reads the query "
                               "is evaluated per key by the Horn clauses (`chc`)",
}


def test_the_walker_dispatches_every_op() -> None:
    assert set(Op) == DISPATCHED
    assert {op for op, m in METHOD.items() if m == "elementwise"} == ELEMENTWISE_OPS
    methods = {*dir(PositionBackend), *dir(PairBackend)}
    assert set(METHOD.values()) <= methods


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("op", list(Op), ids=lambda op: op.value)
def test_every_backend_reaches_every_op(op: Op, backend: str,
                                        seen: set[tuple[str, Op]]) -> None:
    BACKENDS[backend](_program(op))
    assert ((METHOD[op], op) in seen) is ((backend, op) not in REFUSED)


@pytest.mark.parametrize("op", list(Op), ids=lambda op: op.value)
def test_backends_agree(op: Op) -> None:
    program = _program(op)
    traces = _single(program)
    assert _smt(program, Tuning()) == traces
    assert _smt(program, Tuning(fold=False, prune=False, uniform=False)) == traces
    batches = iter(traces)
    for values in _batch(program):
        for index in range(values[program.accept].shape[0]):
            trace = next(batches)
            for name, node_id in program.named:
                assert tuple(values[node_id][index].tolist()) == trace.row(name).values
            assert bool(values[program.accept][index, -1]) == trace.accepted
    accepted = [t.accepted for t in traces]
    assert _streaming(program) == accepted
    few = _program(op, FEW_KEY_TYPES)
    assert _compose(program) == [run_word(few, word).accepted for word in _words(few)]


def test_no_symbol_holds_at_eos() -> None:
    node = Node(Op.SYMBOL, _program(Op.SYMBOL).nodes[0].type, const=1)
    ops = PyOps()
    assert symbol_value(ops, node, True, lambda k: True) is False
    assert symbol_value(ops, node, False, lambda k: k == 1) is True
    at_eos = np.array([[False, True]])
    held = symbol_value(NumpyOps(), node, at_eos, lambda k: np.array([[True, True]]))
    assert held.tolist() == [[True, False]]
    assert eos_value(ops, True) is True


def test_pair_walks_read_the_query_and_the_key() -> None:
    program = _program(Op.RIGHTMOST)
    node = next(n for n in program.nodes if n.op is Op.RIGHTMOST)
    assert node.selector is not None and node.selector.where is not None
    where = node.selector.where
    n = next(i for i, m in enumerate(program.nodes) if m.op is Op.AGGREGATE)
    assert pair_value(PyOps(), program, where, {n: 16}, {n: 8}) is True
    assert pair_value(PyOps(), program, where, {n: 8}, {n: 16}) is False


def test_a_walk_of_a_cone_reads_only_the_cone() -> None:
    program = _program(Op.KEY)
    head = next(i for i, m in enumerate(program.nodes) if m.op is Op.AGGREGATE
                and m.selector is not None and m.selector.score is not None)
    order = position_order(program, [head])
    assert order[-1] == head and program.accept not in order
    reads = {program.nodes[i].op for i in order}
    assert Op.SYMBOL in reads and Op.EOS not in reads


class _Chain:
    """A position backend for a chain of negations over `a`, at a position holding `a`."""

    def constant(self, node_id: int, node: Node, values: Any) -> Any:
        raise AssertionError("no literal in the chain")

    def elementwise(self, node_id: int, node: Node, values: Any) -> Any:
        return not values[node.args[0]]

    def symbol(self, node_id: int, node: Node, values: Any) -> Any:
        return symbol_value(PyOps(), node, False, lambda k: k == 0)

    def eos(self, node_id: int, node: Node, values: Any) -> Any:
        return eos_value(PyOps(), False)

    def attend(self, node_id: int, node: Node, values: Any) -> Any:
        raise AssertionError("no head in the chain")


def test_a_long_chain_is_walked_without_recursion() -> None:
    lines = ["alphabet a b", "x0 = a"] + [f"x{k} = not x{k - 1}" for k in range(1, 10_001)]
    program = compile_text("\n".join([*lines, "accept x10000"]) + "\n")
    values = walk_positions(program, _Chain(), {}, position_order(program, [program.accept]))
    assert values[program.accept] is True
    assert run_word(program, ["a"]).row("accept").values == (True, False)
