"""The exit-2 messages of ``verifier compile``: the class an architecture needs, the witness."""

from __future__ import annotations

from verifier.errors import UsageError
from verifier.langs.classify import ARCHITECTURES, Classification

#: Architecture -> the class of THEORY.md's table that the DFA route needs.
NEEDED = {"global": "LTL[P]", "local": "LTL[Y]", "hybrid": "LTL[P,Y]"}
_ARCH_TEXT = {cls: text for cls, text in ARCHITECTURES.values()}


class OutsideClass(UsageError):
    """The language is not in the class the architecture recognizes (exit status 2)."""



def witness_text(result: Classification, cls: str) -> str:
    """The classifier's witness (or reason) against CLS, one ``key: value`` per line."""
    lines = result.witness_lines(cls)
    if lines:
        return "\n".join(lines)
    return f"{cls}: {result.verdicts[cls].reason or 'no witness'}"


def refuse(result: Classification, arch: str, cls: str, syntactic: list[str]) -> OutsideClass:
    """The error for a language outside CLS, which ``--arch ARCH`` requires."""
    head = (f"--arch {arch} ({_ARCH_TEXT[NEEDED[arch]]}) recognizes exactly {NEEDED[arch]}; "
            f"{result.language} is not in {cls}")
    if syntactic:
        head += (f" (the formula uses {', '.join(syntactic)}, outside the fragment, and its "
                 "minimal DFA is not in the class either)")
    return OutsideClass(f"{head}\n{witness_text(result, cls)}")

