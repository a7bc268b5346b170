"""Renderings of a DFA: an aligned text table, Graphviz dot (and SVG through Graphviz's `dot`,
where it is installed) and the DFA-file JSON."""

from __future__ import annotations

import json
import shutil
import subprocess

from .dfa import DFA
from .dfa_json import dfa_document


def render_text(dfa: DFA) -> str:
    """A transition table: ``->`` marks the start state, ``*`` the accepting states."""
    width = max([len(str(dfa.n_states))] + [len(s) for s in dfa.alphabet])
    head = " " * (4 + width) + " ".join(f"{s:>{width}}" for s in dfa.alphabet)
    lines = [f"minimal DFA: {dfa.n_states} states over {' '.join(dfa.alphabet) or '(empty)'}",
             head.rstrip()]
    for q, row in enumerate(dfa.delta):
        mark = ("->" if q == dfa.start else "  ") + ("*" if q in dfa.accepting else " ")
        cells = " ".join(f"{t:>{width}}" for t in row)
        lines.append(f"{mark}{q:>{width}} {cells}".rstrip())
    return "\n".join(lines) + "\n"


def render_dot(dfa: DFA) -> str:
    """Graphviz source; parallel edges are merged into one edge with a label list."""
    lines = ["digraph dfa {", "  rankdir=LR;", '  start [shape=point, label=""];']
    for q in range(dfa.n_states):
        shape = "doublecircle" if q in dfa.accepting else "circle"
        lines.append(f'  q{q} [shape={shape}, label="{q}"];')
    lines.append(f"  start -> q{dfa.start};")
    for q, row in enumerate(dfa.delta):
        labels: dict[int, list[str]] = {}
        for symbol, t in zip(dfa.alphabet, row, strict=True):
            labels.setdefault(t, []).append(symbol)
        for t in sorted(labels):
            lines.append(f'  q{q} -> q{t} [label="{",".join(labels[t])}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_json(dfa: DFA) -> str:
    """The DFA-file document (loadable with ``dfa "FILE.json"``), pretty-printed."""
    return json.dumps(dfa_document(dfa), indent=2) + "\n"


#: Seconds `dot` may take to lay out one DFA.
DOT_TIMEOUT = 20.0


#: The error of a drawing without Graphviz.
DOT_MISSING = "Graphviz's `dot` is not installed (needed by --format svg; try --format dot)"


class GraphvizMissing(Exception):
    """Graphviz's `dot` is not installed (not on PATH), or it failed on a graph."""


def dot_available() -> bool:
    """Whether Graphviz's `dot` is on PATH."""
    return shutil.which("dot") is not None


def render_svg(dfa: DFA) -> str:
    """The DFA drawn by Graphviz (`dot -Tsvg`), as an SVG document; GraphvizMissing when
    `dot` is not installed or fails."""
    dot = shutil.which("dot")
    if dot is None:
        raise GraphvizMissing(DOT_MISSING)
    try:
        done = subprocess.run([dot, "-Tsvg"], input=render_dot(dfa), capture_output=True,
                              text=True, timeout=DOT_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise GraphvizMissing(f"Graphviz's `dot` failed: {error}") from None
    if done.returncode != 0:
        raise GraphvizMissing(f"Graphviz's `dot` failed: {done.stderr.strip()}")
    return done.stdout
