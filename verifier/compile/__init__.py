"""``verifier compile``: a language in an architecture's logic -> an ``.attn`` program, by the
constructions of Li & Cotterell (2025, 2026); see docs/compile.md."""

from .build import Compiled, compile_language, compile_program
from .formulas import ARCHS, Size, predicted_size
from .refusal import OutsideClass

__all__ = ["ARCHS", "Compiled", "OutsideClass", "Size", "compile_language", "compile_program",
           "predicted_size"]
