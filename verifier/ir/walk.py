"""Iterative walks over the IR DAG (no recursion: a program of any depth is walked).

`topological` is the one post-order helper, in the style of pysmt's DAG walkers: a pass that
needs every input of a node before the node itself asks it for the order, then runs a plain
loop (`Program.pair_cone` is the walk most evaluators need).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

T = TypeVar("T", bound=Hashable)


def topological(roots: Iterable[T], children: Callable[[T], Iterable[T]]) -> list[T]:
    """Every node reachable from ROOTS through CHILDREN, once each, every node after all of
    its children: the order a recursive depth-first post-order walk visits them in
    (children left to right), computed with an explicit stack."""
    order: list[T] = []
    seen: set[T] = set()
    for root in roots:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(children(root)))]
        while stack:
            node, pending = stack[-1]
            for child in pending:
                if child not in seen:
                    seen.add(child)
                    stack.append((child, iter(children(child))))
                    break
            else:
                stack.pop()
                order.append(node)
    return order
