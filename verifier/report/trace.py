"""Renders traces: a text table (rows: s-ops, columns: positions) and a JSON document."""

from __future__ import annotations

from typing import Any

from verifier.check.types import Type
from verifier.interp.trace import HeadTrace, Row, Trace
from verifier.semantics.decimal import format_fraction
from verifier.semantics.profile import Profile


def format_value(value: int | bool, kind: Type, profile: Profile) -> str:
    """A raw value in user units: `1`/`0` for bools, the exact decimal for nums."""
    if kind is Type.BOOL:
        return "1" if value else "0"
    return format_fraction(profile.decode(int(value)))


def position_labels(trace: Trace) -> list[str]:
    """Column labels: `1:a`, `2:b`, …, `N+1:eos`."""
    labels = [f"{i}:{symbol}" for i, symbol in enumerate(trace.word, start=1)]
    return labels + [f"{len(trace.word) + 1}:eos"]


def _table(header: list[str], body: list[list[str]]) -> str:
    widths = [max(len(row[c]) for row in [header, *body]) for c in range(len(header))]
    lines = []
    for row in [header, *body]:
        padded = [cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True)]
        cells = [row[0].ljust(widths[0]), *padded]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def render_trace(trace: Trace, attention: bool = False) -> str:
    """The trace table; with ATTENTION, each head's query x key weight grid below it."""
    header = ["s-op", *position_labels(trace)]
    body = [[row.name] + [format_value(v, row.type, trace.profile) for v in row.values]
            for row in trace.rows]
    parts = [_table(header, body)]
    if attention:
        parts.extend(render_head(head, trace) for head in trace.heads)
    return "\n\n".join(parts)


def render_head(head: HeadTrace, trace: Trace) -> str:
    """One head's weights: rows are queries, columns keys; `.` where the key is not kept."""
    labels = position_labels(trace)
    header = [f"{head.name} ({head.kind}, {head.selector}) q\\k", *labels]
    body = []
    for query, weights in zip(labels, head.weights, strict=True):
        cells = ["." if w is None else _weight(w, head, trace.profile) for w in weights]
        body.append([query, *cells])
    return _table(header, body)


def _weight(weight: int, head: HeadTrace, profile: Profile) -> str:
    if head.kind != "aggregate":
        return str(weight)
    return format_fraction(profile.decode(weight))


def _row_json(row: Row, profile: Profile) -> dict[str, Any]:
    return {"name": row.name, "type": row.type.value,
            "values": [format_value(v, row.type, profile) for v in row.values]}


def trace_json(trace: Trace) -> dict[str, Any]:
    """The trace as a JSON-ready dict: values as exact decimal strings ("1"/"0" for bools)."""
    return {
        "word": list(trace.word),
        "accepted": trace.accepted,
        "profile": trace.profile.describe(),
        "positions": position_labels(trace),
        "trace": [_row_json(row, trace.profile) for row in trace.rows],
        "attention": [
            {"name": h.name, "kind": h.kind, "selector": h.selector,
             "weights": [[None if w is None else _weight(w, h, trace.profile) for w in row]
                         for row in h.weights]}
            for h in trace.heads
        ],
    }
