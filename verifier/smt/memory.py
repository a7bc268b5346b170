"""Z3 under the memory cap: the per-solver `max_memory` parameter, and a watchdog.

Z3 offers two memory limits. `memory_max_size` is a process-global parameter (`z3.set_param`)
enforced by Z3's allocator: past it, an allocation throws `out_of_memory_error`, which Z3's own
issue tracker shows can leave a context unusable or abort the process on the way out (Z3
issues #1948, #10250). `max_memory` is a per-solver parameter that the SMT and SAT cores poll
at safe points: past it the check answers `unknown` ("max. memory exceeded") and the context
stays usable. We use `max_memory`, set on each solver to what is
left of the cap when the solver is made; it measures Z3's allocations of the whole process
(there is no per-context accounting: Z3 issue #6181), which is what a process cap wants.

`max_memory` is only polled at some points, and Spacer (`z3.Fixedpoint`) does not take it, so
every query also runs under a `MemoryWatch` that interrupts the context when the resident set
size passes the cap. Either way the answer is `unknown` with the reason "memory limit (N MB)".
"""

from __future__ import annotations

import z3
import z3.z3core

from verifier.limits import MemoryWatch, resident_mb

#: MB always granted to Z3, however little of the cap is left (below this a query is moot).
MIN_Z3_MB = 16


def z3_memory_mb(memory_mb: int) -> int:
    """The `max_memory` (MB) for a new solver: the cap minus what the process holds outside
    Z3's own allocations."""
    z3_now = z3.z3core.Z3_get_estimated_alloc_size() / (1 << 20)
    return max(MIN_Z3_MB, int(memory_mb - max(0.0, resident_mb() - z3_now)))


def set_max_memory(target: z3.Solver, memory_mb: int | None) -> None:
    """Give TARGET the `max_memory` parameter of the cap MEMORY_MB (None: no cap)."""
    if memory_mb is not None:
        target.set("max_memory", z3_memory_mb(memory_mb))


def watch(ctx: z3.Context, memory_mb: int | None) -> MemoryWatch:
    """A `MemoryWatch` that interrupts CTX past MEMORY_MB (None: a watch that does nothing)."""
    return MemoryWatch(memory_mb, ctx.interrupt)


def memory_reason(memory_mb: int | None) -> str:
    """The reason of an `unknown` for running out of memory in the solver."""
    return f"memory limit ({memory_mb} MB) reached in the solver"


def is_memory_reason(text: str) -> bool:
    """Whether Z3's reason for `unknown` (or its exception text) is its memory limit."""
    lowered = text.lower()
    return "memory" in lowered or "memout" in lowered
