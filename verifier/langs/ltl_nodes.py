"""The nodes of a past-LTL formula, cheap to hash and compare as DAGs.

A formula built by the compiler shares subformulas (``in_q`` of the Lemma C.1 construction is
read by every later state), so a tree walk over it is exponential. Every walk here is over
distinct objects, and a node's hash is computed once, without recursion, from its children's
cached hashes; equality compares hashes first and then the two DAGs pairwise, each pair once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any


class _Node:
    """Hash and equality of the formula nodes: structural, linear in the DAG."""

    def _scalars(self) -> tuple[Any, ...]:
        raise NotImplementedError

    def __hash__(self) -> int:
        cached = self.__dict__.get("_hash")
        return cached if cached is not None else _hash_dag(self)  # type: ignore[arg-type]

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return _same_dag(self, other)  # type: ignore[arg-type]

    def __getstate__(self) -> dict[str, Any]:
        """The fields without the cached hash (string hashes differ between processes)."""
        return {k: v for k, v in self.__dict__.items() if k != "_hash"}


@dataclass(frozen=True, eq=False)
class Sym(_Node):
    """True where the current position holds ``name`` (never at the eos position)."""

    name: str
    offset: int = field(default=0, compare=False)

    def _scalars(self) -> tuple[Any, ...]:
        return (self.name,)


@dataclass(frozen=True, eq=False)
class Const(_Node):
    """``true`` or ``false`` at every position."""

    value: bool

    def _scalars(self) -> tuple[Any, ...]:
        return (self.value,)


@dataclass(frozen=True, eq=False)
class Not(_Node):
    """Negation."""

    arg: Formula

    def _scalars(self) -> tuple[Any, ...]:
        return ()


@dataclass(frozen=True, eq=False)
class Binary(_Node):
    """``op`` is one of ``& | -> <-> S``."""

    op: str
    left: Formula
    right: Formula

    def _scalars(self) -> tuple[Any, ...]:
        return (self.op,)


@dataclass(frozen=True, eq=False)
class Past(_Node):
    """A unary past operator: ``op`` in ``P Y H W``; ``W`` is ``Y<=k`` with window ``k``."""

    op: str
    arg: Formula
    k: int = 1

    def _scalars(self) -> tuple[Any, ...]:
        return (self.op, self.k)


Formula = Sym | Const | Not | Binary | Past


def children(node: Formula) -> tuple[Formula, ...]:
    """The direct subformulas of NODE, left to right."""
    if isinstance(node, Not | Past):
        return (node.arg,)
    if isinstance(node, Binary):
        return (node.left, node.right)
    return ()


def subformulas(formula: Formula, stop: Callable[[Formula], bool] | None = None
                ) -> Iterator[Formula]:
    """Every distinct node object of ``formula`` once, children before parents, in the order
    of a left-to-right post-order walk (for a tree: every node; for a DAG: linear time).
    STOP, asked whenever the walk reaches a node (so it may depend on the nodes yielded
    before), skips that node and everything reached only through it."""
    done: set[int] = set()
    stack: list[tuple[Formula, bool]] = [(formula, False)]
    while stack:
        node, expanded = stack.pop()
        if id(node) in done or (stop is not None and stop(node)):
            continue
        if expanded:
            done.add(id(node))
            yield node
            continue
        stack.append((node, True))
        stack.extend((c, False) for c in reversed(children(node)) if id(c) not in done)


def _hash_dag(root: Formula) -> int:
    """The hash of ROOT, caching it on every node below that has none yet."""
    for node in subformulas(root, stop=lambda node: "_hash" in node.__dict__):
        kids = tuple(c.__dict__["_hash"] for c in children(node))
        value = hash((type(node).__name__, *node._scalars(), *kids))
        object.__setattr__(node, "_hash", value)
    return int(root.__dict__["_hash"])


def _same_dag(a: Formula, b: Formula) -> bool:
    """Structural equality of two nodes of the same type, each pair of nodes compared once."""
    seen: set[tuple[int, int]] = set()
    stack = [(a, b)]
    while stack:
        x, y = stack.pop()
        if x is y or (id(x), id(y)) in seen:
            continue
        seen.add((id(x), id(y)))
        if type(x) is not type(y) or hash(x) != hash(y) or x._scalars() != y._scalars():
            return False
        stack.extend(zip(children(x), children(y), strict=True))
    return True
