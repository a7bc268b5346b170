"""The arithmetic and attention of spec section 5, written once over the `NumOps` protocol.

Backends: `PyOps` (Python ints), `NumpyOps` (int64 arrays) and `verifier.smt.z3ops.Z3Ops`.
Element-wise operations live in `arith`, soft and hard attention in `attention`.
"""

from verifier.semantics.attention import aggregate, pick
from verifier.semantics.npops import NumpyOps
from verifier.semantics.numops import NumOps
from verifier.semantics.profile import MAX_FRAC_BITS, MAX_KEYS, MAX_TOTAL_BITS, Profile
from verifier.semantics.pyops import PyOps

__all__ = [
    "MAX_FRAC_BITS",
    "MAX_KEYS",
    "MAX_TOTAL_BITS",
    "NumOps",
    "NumpyOps",
    "Profile",
    "PyOps",
    "aggregate",
    "pick",
]
