"""Is a program finite-state under its profile, and if not, why (docs/unbounded.md): the one
answer to "can this head count?" for the streaming machine, Spacer and `info`. Only a global
soft head can: under `denominator saturate` (weights never vanish), or under `sums sequential`
with weighted terms of both signs (checked per query by streaming, statically by Spacer).
Float profiles with a global soft head are refused for now (`FLOAT`)."""

from __future__ import annotations

from collections.abc import Iterable

from verifier.ir.nodes import Op, Program
from verifier.semantics.profile import FloatProfile

SATURATE = ("denominator saturate: a global soft head's weights never vanish, so its output "
            "can depend on unboundedly many positions (it can count); the state space is not "
            "finite in general")
SEQUENTIAL = ("sums sequential with weighted values of both signs in a global head: the "
              "running clamp makes the output depend on the order of the positions")

FLOAT = ("float formats are not yet supported by this engine for global soft heads: it "
         "summarises a global head's keys as multisets, and the float softmax (rounded "
         "running sums) is not yet written over multiplicities; check up to a length instead")


class NotFiniteState(Exception):
    """The program's profile lets a head count without bound; carries the reason."""


def counting_heads(program: Program) -> tuple[int, ...]:
    """The heads that could count: the global soft (`aggregate`) heads."""
    return tuple(h for h in program.attention_nodes() if program.nodes[h].op is Op.AGGREGATE
                 and program.nodes[h].selector.scope == "global")  # type: ignore[union-attr]


def require_finite(program: Program) -> None:
    """Raise NotFiniteState when PROGRAM can count whatever its values (it may still be
    refused per head by `check_one_signed`)."""
    if isinstance(program.profile, FloatProfile) and counting_heads(program):
        raise NotFiniteState(FLOAT)
    if program.profile.denominator == "saturate" and counting_heads(program):
        raise NotFiniteState(SATURATE)


def check_one_signed(program: Program, head: int, terms: Iterable[int] | None) -> None:
    """Raise NotFiniteState when HEAD is a global soft head under `sums sequential` whose
    weighted TERMS (or a superset of them; None: any value) have both signs."""
    if program.profile.sums != "sequential" or head not in counting_heads(program):
        return
    signs = {-1, 1} if terms is None else {(t > 0) - (t < 0) for t in terms}
    if {1, -1} <= signs:
        raise NotFiniteState(SEQUENTIAL)


def fragment(program: Program) -> dict[str, str]:
    """Scope fragment (global-only / local-only / hybrid / none) and kind (soft / hard / mixed)."""
    heads = [program.nodes[i] for i in program.attention_nodes()]
    scopes = {h.selector.scope for h in heads if h.selector is not None}
    scope = {frozenset(): "no attention", frozenset({"global"}): "global-only",
             frozenset({"local"}): "local-only"}.get(frozenset(scopes), "hybrid")
    kinds = {"soft" if h.op is Op.AGGREGATE else "hard" for h in heads}
    kind = "none" if not kinds else kinds.pop() if len(kinds) == 1 else "mixed"
    return {"scope": scope, "attention": kind}
