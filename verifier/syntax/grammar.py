"""Locates the one grammar, grammars/attn.lark, in a source checkout or an installed wheel."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

GRAMMAR_NAME = "attn.lark"


@cache
def grammar_text() -> str:
    """The text of grammars/attn.lark (checkout first, then the installed package data)."""
    checkout = Path(__file__).resolve().parents[2] / "grammars" / GRAMMAR_NAME
    if checkout.is_file():
        return checkout.read_text(encoding="utf-8")
    return (resources.files("verifier.grammars") / GRAMMAR_NAME).read_text(encoding="utf-8")
