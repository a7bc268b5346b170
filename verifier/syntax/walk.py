"""Recursive passes over the syntax tree, run without recursion.

A pass over expressions (type checking, lowering) reads most clearly as recursion: check the
operands, then the operator. Written as generators, it keeps that shape and none of Python's
stack: where the recursive version would call itself on a child, the generator yields the
child and receives the child's result. `trampoline` drives the generators with an explicit
stack, so an expression of any depth (a 10 000-term sum) is walked in constant Python stack,
in exactly the order, and with exactly the side effects, of the recursive version.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any, TypeVar

C = TypeVar("C")
R = TypeVar("R")

#: A step of a pass: yields children (C), receives their results, returns its own result.
Step = Generator[C, Any, R]


def trampoline(start: Step[C, R], visit: Callable[[C], Step[C, Any]]) -> R:
    """The result of the step START, where every child a step yields is visited by VISIT in
    turn (its result is sent back to the step that yielded it). An exception raised by a step
    is thrown into the step that yielded it, as it would propagate through recursive calls."""
    stack: list[Step[C, Any]] = [start]
    result: Any = None
    error: BaseException | None = None
    while True:
        try:
            if error is not None:
                pending, error = error, None
                child = stack[-1].throw(pending)
            else:
                child = stack[-1].send(result)
        except StopIteration as stop:
            stack.pop()
            result = stop.value
            if not stack:
                return result  # type: ignore[no-any-return]
            continue
        except BaseException as raised:
            stack.pop()
            if not stack:
                raise
            error = raised
            continue
        stack.append(visit(child))
        result = None
