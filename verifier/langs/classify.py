"""Classification of a regular language by the logics/architectures of THEORY.md."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from verifier.limits import UNLIMITED, Deadline

from .class_tests import (
    PAIR_LIMIT,
    Verdict,
    check_da,
    check_ltl_p,
    check_ltl_py,
    check_ltl_y,
    check_star_free,
)
from .dfa import DFA, minimal_dfa
from .local_pattern import check_ltl_py_pattern
from .semigroup import SEMIGROUP_LIMIT, SemigroupTooLarge, TransitionMonoid, transition_monoid

CLASSES = ("LTL[P]", "LTL[Y]", "LTL[P,Y]", "star-free", "DA")

# architecture key -> (class, description); fixed precision, strict masking, no PE.
ARCHITECTURES: dict[str, tuple[str, str]] = {
    "soft-global-only": ("LTL[P]", "soft attention, global heads only"),
    "soft-1-local-only": ("LTL[Y]", "soft attention, 1-local heads only"),
    "soft-hybrid": ("LTL[P,Y]", "soft attention, global + 1-local heads"),
    "unique-hard": ("star-free", "unique hard attention, rightmost ties (B-RASP)"),
}

# Inclusions used only when a semigroup test could not run: class -> classes implying it.
_IMPLIED_BY = {"LTL[P,Y]": ("LTL[P]", "LTL[Y]"), "star-free": ("LTL[P]", "LTL[Y]"),
               "DA": ("LTL[P]",)}


@dataclass(frozen=True)
class Classification:
    """The verdict of every class test for one language (on its minimal DFA)."""

    language: str
    alphabet: tuple[str, ...]
    dfa_states: int
    verdicts: dict[str, Verdict] = field(hash=False)
    semigroup_size: int | None = None

    def holds(self, name: str) -> bool | None:
        """True / False / None (unknown) for class ``name`` (one of CLASSES)."""
        return self.verdicts[name].holds

    def architectures(self) -> dict[str, bool | None]:
        """Whether each architecture of THEORY.md's table recognizes the language."""
        return {key: self.holds(cls) for key, (cls, _) in ARCHITECTURES.items()}

    def to_json(self) -> dict[str, Any]:
        """The JSON document (see docs/languages.md)."""
        return {
            "language": self.language,
            "alphabet": list(self.alphabet),
            "dfa_states": self.dfa_states,
            "semigroup_size": self.semigroup_size,
            "classes": {name: self.holds(name) for name in CLASSES},
            "architectures": self.architectures(),
            "witnesses": {n: v.witness for n, v in self.verdicts.items() if v.witness},
            "reasons": {n: v.reason for n, v in self.verdicts.items() if v.reason},
        }

    def render_text(self) -> str:
        """A human-readable report: classes, architectures, witnesses and reasons."""
        size = "unknown" if self.semigroup_size is None else str(self.semigroup_size)
        lines = [
            f"language: {self.language}",
            f"alphabet: {' '.join(self.alphabet) or '(empty)'}",
            f"minimal DFA: {self.dfa_states} states; syntactic monoid: {size} elements",
            "classes:",
        ]
        lines += [f"  {n:<10} {_yes_no(self.holds(n))}" for n in CLASSES]
        lines.append("architectures (fixed precision, strict masking, no positional encoding):")
        for key, (cls, text) in ARCHITECTURES.items():
            lines.append(f"  {text:<48} {_yes_no(self.holds(cls)):<8} ({cls}, {key})")
        for name, verdict in self.verdicts.items():
            lines += self.witness_lines(name)
            if verdict.reason:
                lines.append(f"{name}: {verdict.reason}")
        return "\n".join(lines) + "\n"

    def witness_lines(self, name: str) -> list[str]:
        """The witness against class NAME, one ``key: value`` per line under its heading
        (no line when the verdict has no witness)."""
        witness = self.verdicts[name].witness
        if not witness:
            return []
        return [f"witness against {name}:",
                *(f"  {key}: {show_value(value)}" for key, value in witness.items())]


def _yes_no(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "unknown"}[value]


def show_value(value: Any) -> str:
    """Words (lists of symbols) shown quoted; single-character symbols run together."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        sep = "" if all(len(v) == 1 for v in value) else " "
        return f'"{sep.join(value)}"' if value else '"" (the empty word)'
    if isinstance(value, list) and value and all(isinstance(v, list) for v in value):
        return ", ".join(show_value(v) for v in value)
    return str(value)


def _semigroup_verdicts(mon: TransitionMonoid) -> dict[str, Verdict]:
    tests: dict[str, Callable[[TransitionMonoid], Verdict]] = {
        "LTL[P,Y]": check_ltl_py,
        "star-free": check_star_free,
        "DA": check_da,
    }
    return {name: test(mon) for name, test in tests.items()}


def _unknown_verdicts(base: dict[str, Verdict], reason: str) -> dict[str, Verdict]:
    """Verdicts for the semigroup classes when the monoid is too large: only inclusions."""
    out = {}
    for name, implying in _IMPLIED_BY.items():
        sources = [c for c in implying if base[c].holds]
        if sources:
            out[name] = Verdict(True, reason=f"implied by {sources[0]} ({reason})")
        else:
            out[name] = Verdict(None, reason=f"unknown: {reason}")
    return out


def _pattern_verdict(dfa: DFA, reason: str, deadline: Deadline) -> Verdict:
    """LTL[P,Y] by the monoid-free forbidden pattern (local_pattern.py) when the monoid is
    too large for the eSe test."""
    found = check_ltl_py_pattern(dfa, deadline=deadline)
    if found.holds is None:
        return Verdict(None, reason=f"unknown: {reason}; {found.reason}")
    return Verdict(found.holds, found.witness,
                   f"decided by the forbidden-pattern test on the DFA ({reason})")


def classify(
    dfa: DFA,
    semigroup_limit: int = SEMIGROUP_LIMIT,
    pair_limit: int = PAIR_LIMIT,
    language: str | None = None,
    deadline: Deadline = UNLIMITED,
) -> Classification:
    """Classify the language of ``dfa`` (minimized first). Tests beyond their limits give
    None with the reason, never a guess; LimitReached once ``deadline`` (time, memory) runs
    out."""
    dfa = minimal_dfa(dfa, deadline)
    verdicts = {"LTL[P]": check_ltl_p(dfa), "LTL[Y]": check_ltl_y(dfa, pair_limit, deadline)}
    size: int | None = None
    try:
        mon = transition_monoid(dfa, semigroup_limit, deadline)
        size = mon.size
        verdicts.update(_semigroup_verdicts(mon))
    except SemigroupTooLarge as exc:
        verdicts.update(_unknown_verdicts(verdicts, exc.reason))
        if verdicts["LTL[P,Y]"].holds is None:
            verdicts["LTL[P,Y]"] = _pattern_verdict(dfa, exc.reason, deadline)
    name = language if language is not None else f"DFA with {dfa.n_states} states"
    ordered = {c: verdicts[c] for c in CLASSES}
    return Classification(name, dfa.alphabet, dfa.n_states, ordered, size)

