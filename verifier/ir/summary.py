"""What `verifier info` reports: profile figures, depth, heads per layer and the fragment."""

from __future__ import annotations

from collections import Counter
from typing import Any

from verifier.ir.finite import fragment
from verifier.ir.nodes import ATTENTION, Program
from verifier.semantics.decimal import format_fraction


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
    }


def render_summary(summary: dict[str, Any]) -> str:
    """The summary as aligned text."""
    span = summary["attention_span"]
    layers = ", ".join(f"layer {k}: {v}" for k, v in summary["heads_per_layer"].items())
    frag = summary["fragment"]
    lines = [
        ("file", summary["path"]),
        ("alphabet", " ".join(summary["alphabet"])),
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
    width = max(len(key) for key, _ in lines)
    return "\n".join(f"{key.ljust(width)}  {value}" for key, value in lines)


__all__ = ["ATTENTION", "fragment", "render_summary", "summarize"]
