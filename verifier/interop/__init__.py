"""Reading the neighbours' formats: programs of other tools translated into `.attn`."""

from .brasp import BraspProgram, import_brasp, parse_brasp, translate_brasp

__all__ = ["BraspProgram", "import_brasp", "parse_brasp", "translate_brasp"]
