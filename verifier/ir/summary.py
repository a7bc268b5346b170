"""What `verifier info` reports: profile figures, depth, heads per layer and the fragment."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from fractions import Fraction
from typing import Any, get_args

from verifier.ir.finite import fragment
from verifier.ir.nodes import ATTENTION, Program
from verifier.semantics.decimal import format_dyadic, format_fraction
from verifier.semantics.floats import stagnation_length
from verifier.semantics.profile import FloatProfile, Sums
from verifier.syntax.symbols import symbol_text


def summarize(program: Program) -> dict[str, Any]:
    """A JSON-ready summary of PROGRAM."""
    profile = program.profile
    depths = program.depths()
    heads = program.attention_nodes()
    per_layer = Counter(depths[i] for i in heads)
    windows = sorted({program.nodes[i].selector.window or 0 for i in heads  # type: ignore[union-attr]
                      if program.nodes[i].selector.scope == "local"})  # type: ignore[union-attr]
    return {
        "path": program.path,
        "alphabet": list(program.alphabet),
        "profile": profile.describe(),
        "ulp": format_fraction(profile.ulp),
        "max": format_fraction(profile.max_value),
        "min": format_fraction(profile.min_value),
        "attention_span": profile.attention_span(),
        "depth": depths[program.accept],
        "heads": len(heads),
        "heads_per_layer": {str(layer): per_layer[layer] for layer in sorted(per_layer)},
        "local_windows": windows,
        "fragment": fragment(program),
        "nodes": len(program.nodes),
        "s_ops": [name for name, _ in program.named],
        "float": _float_figures(profile) if isinstance(profile, FloatProfile) else None,
    }


def _float_figures(profile: FloatProfile) -> dict[str, Any]:
    """The figures of a float format (issue 12, item 3): largest finite value, smallest
    subnormal, ulp at 1, the attention span under each sum mode (None: weights never
    vanish) and the count from which a sequential uniform denominator stops growing."""
    spans = {mode: replace(profile, sums=mode).attention_span() for mode in get_args(Sums)}
    return {
        "largest_finite": format_fraction(profile.max_value, None),
        "smallest_subnormal": format_fraction(profile.min_subnormal, None),
        "ulp_at_1": format_fraction(profile.ulp),
        "infinities": profile.has_inf,
        "attention_span": spans,
        "stagnation_length": stagnation_length(profile),
    }


def render_summary(summary: dict[str, Any]) -> str:
    """The summary as aligned text."""
    span = summary["attention_span"]
    layers = ", ".join(f"layer {k}: {v}" for k, v in summary["heads_per_layer"].items())
    frag = summary["fragment"]
    lines = [
        ("file", summary["path"]),
        ("alphabet", " ".join(symbol_text(symbol) for symbol in summary["alphabet"])),
        ("profile", summary["profile"]),
        ("ulp", summary["ulp"]),
        ("range", f"[{summary['min']}, {summary['max']}]"),
        ("attention span", "unbounded (weights never vanish)" if span is None
         else f"{span} positions (uniform attention over more vanishes)"),
        ("attention depth", str(summary["depth"])),
        ("heads", f"{summary['heads']}" + (f" ({layers})" if layers else "")),
        ("fragment", f"{frag['scope']}, {frag['attention']}"
         + (f" (local windows {summary['local_windows']})" if summary["local_windows"] else "")),
        ("s-ops", ", ".join(summary["s_ops"]) or "none"),
    ]
    if summary["float"] is not None:
        lines[3:6] = _render_float(summary["float"])
    width = max(len(key) for key, _ in lines)
    return "\n".join(f"{key.ljust(width)}  {value}" for key, value in lines)


def _render_float(figures: dict[str, Any]) -> list[tuple[str, str]]:
    def span(count: int | None) -> str:
        if count is None:
            return "unbounded (weights never vanish)"
        rough = f" (≈ {count:.6g})" if count >= 10**9 else ""
        return f"{count}{rough} positions (uniform attention over more vanishes)"

    stagnation = figures["stagnation_length"]
    return [
        ("ulp at 1", figures["ulp_at_1"]),
        ("largest finite", format_dyadic(Fraction(figures["largest_finite"])) + (
            "" if figures["infinities"] else " (no infinities: overflow saturates)")),
        ("smallest subnormal", format_dyadic(Fraction(figures["smallest_subnormal"]))),
        ("span, sums exact", span(figures["attention_span"]["exact"])),
        ("span, sequential", span(figures["attention_span"]["sequential"])),
        ("stagnation", "the sequential denominator never stagnates (it overflows first)"
         if stagnation is None else f"a sequential uniform denominator stops growing at "
         f"{stagnation} keys ({stagnation} + 1 rounds back to {stagnation})"),
    ]


__all__ = ["ATTENTION", "fragment", "render_summary", "summarize"]
