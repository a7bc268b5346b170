"""Small graph algorithms on integer nodes: strongly connected components, shortest paths."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import TypeVar

T = TypeVar("T")
N = TypeVar("N", bound=Hashable)
L = TypeVar("L")


def scc_ids(n: int, succ: Callable[[int], Sequence[int]]) -> list[int]:
    """Tarjan's algorithm without recursion: the component number of every node ``0..n-1``.
    Nodes in one component share a number; numbers are otherwise arbitrary."""
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    comp = [-1] * n
    stack: list[int] = []
    counter = n_comps = 0
    for root in range(n):
        if index[root] >= 0:
            continue
        work = [(root, 0)]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            v, i = work[-1]
            nexts = succ(v)
            if i < len(nexts):
                work[-1] = (v, i + 1)
                w = nexts[i]
                if index[w] < 0:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = True
                    work.append((w, 0))
                elif on_stack[w]:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    comp[w] = n_comps
                    if w == v:
                        break
                n_comps += 1
    return comp


def shortest_path(
    src: int, dst: int, edges: Callable[[int], Sequence[int]], allowed: Callable[[int], bool]
) -> list[int] | None:
    """Labels (edge positions in ``edges(v)``) of a shortest path ``src -> dst`` through nodes
    satisfying ``allowed``; ``[]`` when ``src == dst``; None when there is none."""
    parent: dict[int, tuple[int, int] | None] = {src: None}
    queue = deque([src])
    while queue:
        v = queue.popleft()
        if v == dst:
            return trace_path(parent, v)[1]
        for label, w in enumerate(edges(v)):
            if w not in parent and allowed(w):
                parent[w] = (v, label)
                queue.append(w)
    return None


def trace_path(parent: Mapping[N, tuple[N, L] | None], node: N) -> tuple[N, list[L]]:
    """The root of a search tree and the labels of the path from it to NODE, root first.
    PARENT maps every node to ``(its parent, the label of the edge from it)``, a root to
    None (as a breadth-first search records them)."""
    labels: list[L] = []
    link = parent[node]
    while link is not None:
        node, label = link
        labels.append(label)
        link = parent[node]
    return node, labels[::-1]


def tree_height(root: T, children: Callable[[T], Sequence[T]]) -> int:
    """The height of the tree below ROOT (a leaf has height 1), computed without recursion."""
    best = 0
    stack = [(root, 1)]
    while stack:
        node, height = stack.pop()
        best = max(best, height)
        stack.extend((child, height + 1) for child in children(node))
    return best
