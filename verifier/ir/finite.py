"""Is a program finite-state under its profile, and if not, why (docs/unbounded.md): the one
answer to "can this head count?" for the streaming machine, Spacer and `info`. Only a global
soft head can: under `denominator saturate` (weights never vanish), or under `sums sequential`
with weighted terms of both signs (checked per query by streaming, statically by Spacer).
In a float format a global soft head is finite-state under `sums sequential` (running sums of
equal terms stagnate; `semantics.float_counts` checks the rest per query, and where the order
of different terms matters the composer keeps the running sums: `engines/ordered.py`) and,
under `sums exact`, when it is uniform and its attention span is small (`float_count_cap`)."""

from __future__ import annotations

from collections.abc import Iterable

from verifier.ir.nodes import Op, Program
from verifier.semantics.float_counts import stagnation_bound
from verifier.semantics.profile import FloatProfile

SATURATE = ("denominator saturate: a global soft head's weights never vanish, so its output "
            "can depend on unboundedly many positions (it can count); the state space is not "
            "finite in general; check up to a length, or use denominator vanish")
SEQUENTIAL = ("sums sequential with weighted values of both signs in a global head: the "
              "running clamp makes the output depend on the order of the positions")

FLOAT_SCORED = ("sums exact in a float format with a scored global soft head: the smallest "
                "softmax numerator is small, so the denominator can keep growing for very "
                "many positions before it overflows (a counter); check up to a length")
FLOAT_NEVER = ("sums exact in {format}: uniform weights never vanish ({why}), so a global soft "
               "head can count without bound; check up to a length, or use sums sequential")
FLOAT_WIDE = ("sums exact in {format}: a global uniform head counts up to its attention span, "
              "{span} positions, beyond the {limit} count states this engine keeps per key "
              "type; check up to a length, or use sums sequential")

#: The largest count cap per key type kept for a float global head under `sums exact`: a
#: counter machine of that many states is still minimized in seconds (fp8e5m2's 61 440 is
#: not: its refinement takes one round per state).
FLOAT_CAP_LIMIT = 1 << 12


class NotFiniteState(Exception):
    """The program's profile lets a head count without bound; carries the reason."""


class SummaryInexact(NotFiniteState):
    """A global soft head's multiset of keys does not fix its output under `sums sequential`
    (the order of different float terms, or of fixed-point terms of both signs, matters);
    the all-lengths engine then keeps the running sums themselves (engines/ordered.py)."""


def at_head(program: Program, head: int, reason: str) -> str:
    """REASON, about the head HEAD of PROGRAM, with the head named (`Program.head_name`)."""
    return f"{reason} ({program.head_name(head)})"


def counting_heads(program: Program) -> tuple[int, ...]:
    """The heads that could count: the global soft (`aggregate`) heads."""
    return tuple(h for h in program.attention_nodes() if program.nodes[h].op is Op.AGGREGATE
                 and program.nodes[h].selector.scope == "global")  # type: ignore[union-attr]


def require_finite(program: Program) -> None:
    """Raise NotFiniteState when PROGRAM can count whatever its values (it may still be
    refused per head by `check_one_signed`, or in a float format per query by
    `float_counts`)."""
    heads = counting_heads(program)
    if isinstance(program.profile, FloatProfile):
        for head in heads:
            float_count_cap(program, head)
    elif program.profile.denominator == "saturate" and heads:
        raise NotFiniteState(at_head(program, heads[0], SATURATE))


def float_count_cap(program: Program, head: int) -> int:
    """How many keys of one type the all-lengths engine counts for the global soft HEAD of a
    float-format PROGRAM (a count at the cap stands for itself or more); NotFiniteState if
    no cap is exact.  `sums sequential`: `float_counts.stagnation_bound`, checked per query;
    `sums exact`: uniform heads only, the attention span plus one (beyond it the
    denominator is infinite and every weight vanishes)."""
    profile = program.profile
    assert isinstance(profile, FloatProfile)
    if profile.sums == "sequential":
        return stagnation_bound(profile)
    if program.nodes[head].selector.score is not None:  # type: ignore[union-attr]
        raise NotFiniteState(at_head(program, head, FLOAT_SCORED))
    span = profile.attention_span()
    if span is None:
        why = ("no infinities" if not profile.has_inf else "denominator saturate"
               if profile.denominator == "saturate" else f"rounding {profile.rounding}")
        raise NotFiniteState(at_head(program, head, FLOAT_NEVER.format(
            format=profile.format_name(), why=why)))
    if span + 1 > FLOAT_CAP_LIMIT:
        raise NotFiniteState(at_head(program, head, FLOAT_WIDE.format(
            format=profile.format_name(), span=span, limit=FLOAT_CAP_LIMIT)))
    return span + 1


def check_one_signed(program: Program, head: int, terms: Iterable[int] | None) -> None:
    """Raise NotFiniteState when HEAD is a global soft head under `sums sequential` whose
    weighted TERMS (or a superset of them; None: any value) have both signs."""
    if program.profile.sums != "sequential" or head not in counting_heads(program) \
            or isinstance(program.profile, FloatProfile):  # float_counts decides those
        return
    signs = {-1, 1} if terms is None else {(t > 0) - (t < 0) for t in terms}
    if {1, -1} <= signs:
        raise SummaryInexact(at_head(program, head, SEQUENTIAL))


def fragment(program: Program) -> dict[str, str]:
    """Scope fragment (global-only / local-only / hybrid / none) and kind (soft / hard / mixed)."""
    heads = [program.nodes[i] for i in program.attention_nodes()]
    scopes = {h.selector.scope for h in heads if h.selector is not None}
    scope = {frozenset(): "no attention", frozenset({"global"}): "global-only",
             frozenset({"local"}): "local-only"}.get(frozenset(scopes), "hybrid")
    kinds = {"soft" if h.op is Op.AGGREGATE else "hard" for h in heads}
    kind = "none" if not kinds else kinds.pop() if len(kinds) == 1 else "mixed"
    return {"scope": scope, "attention": kind}
