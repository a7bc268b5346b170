"""Renders traces: a text table (rows: s-ops, columns: positions) and a JSON document."""

from __future__ import annotations

from typing import Any

from verifier.check.types import Type
from verifier.interp.trace import HeadTrace, Row, Trace
from verifier.semantics.decimal import format_fraction
from verifier.semantics.profile import FloatProfile, Profile


def format_value(value: int | bool, kind: Type, profile: Profile) -> str:
    """A raw value in user units: `1`/`0` for bools, the exact decimal for nums."""
    if kind is Type.BOOL:
        return "1" if value else "0"
    return _number_text(int(value), profile)


def _special(raw: int, profile: Profile) -> str | None:
    """`inf`, `-inf` or `nan` for those float codes (None for finite values)."""
    return profile.special(raw) if isinstance(profile, FloatProfile) else None


def _number_text(raw: int, profile: Profile) -> str:
    """The exact decimal of a raw number, or `inf`/`-inf`/`nan` for float codes."""
    return _special(raw, profile) or format_fraction(profile.decode(raw))


def position_labels(trace: Trace) -> list[str]:
    """Column labels: `1:a`, `2:b`, …, `N+1:eos`."""
    labels = [f"{i}:{symbol}" for i, symbol in enumerate(trace.word, start=1)]
    return labels + [f"{len(trace.word) + 1}:eos"]


#: A trimmed table shows at most this many positions at each end of a long word ...
EDGE_COLUMNS = 8
#: ... and this many s-op rows at each end of a long program.
EDGE_ROWS = 20
_GAP = "…"


def kept_indices(count: int, edge: int | None) -> list[int | None]:
    """Indices 0..COUNT-1, or (EDGE given and COUNT > 2*EDGE + 1) the first and last EDGE with
    one None for the gap between them."""
    if edge is None or count <= 2 * edge + 1:
        return list(range(count))
    return [*range(edge), None, *range(count - edge, count)]


def _table(header: list[str], body: list[list[str]], trim: bool = False) -> str:
    """HEADER and BODY (first cell: the row's name) as aligned text; with TRIM, the first
    and last EDGE_COLUMNS columns and EDGE_ROWS rows only, with `…` where cut."""
    columns = kept_indices(len(header) - 1, EDGE_COLUMNS if trim else None)
    rows = kept_indices(len(body), EDGE_ROWS if trim else None)
    kept = [[row[0], *(_GAP if c is None else row[c + 1] for c in columns)]
            for row in [header, *(body[r] if r is not None else [_GAP] * len(header)
                                  for r in rows)]]
    widths = [max(len(row[c]) for row in kept) for c in range(len(kept[0]))]
    lines = []
    for row in kept:
        padded = [cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join([row[0].ljust(widths[0]), *padded]).rstrip())
    return "\n".join(lines)


def trimmed(trace: Trace) -> str | None:
    """What a trimmed rendering of TRACE leaves out, in words (None when nothing is cut)."""
    cut = []
    positions = len(trace.word) + 1
    if positions > 2 * EDGE_COLUMNS + 1:
        cut.append(f"positions {EDGE_COLUMNS + 1}-{positions - EDGE_COLUMNS} of {positions}")
    if len(trace.rows) > 2 * EDGE_ROWS + 1:
        cut.append(f"s-ops {EDGE_ROWS + 1}-{len(trace.rows) - EDGE_ROWS} of {len(trace.rows)}")
    if not cut:
        return None
    return f"({' and '.join(cut)} not shown; --format json has the whole trace)"


def render_trace(trace: Trace, attention: bool = False, trim: bool = False) -> str:
    """The trace table (rows: s-ops, columns: positions 1..N+1); with ATTENTION, each head's
    query x key weight grid below it; with TRIM, long words and programs cut to their
    first and last positions and s-ops (see `trimmed`)."""
    header = ["s-op", *position_labels(trace)]
    body = [[row.name] + [format_value(v, row.type, trace.profile) for v in row.values]
            for row in trace.rows]
    parts = [_table(header, body, trim)]
    if attention:
        parts.extend(render_head(head, trace, trim) for head in trace.heads)
    return "\n\n".join(parts)


def render_head(head: HeadTrace, trace: Trace, trim: bool = False) -> str:
    """One head's weights: rows are queries, columns keys; `.` where the key is not kept."""
    labels = position_labels(trace)
    header = [f"{head.name} ({head.kind}, {head.selector}) q\\k", *labels]
    body = []
    for query, weights in zip(labels, head.weights, strict=True):
        cells = ["." if w is None else _weight(w, head, trace.profile) for w in weights]
        body.append([query, *cells])
    return _table(header, body, trim)


def _weight(weight: int, head: HeadTrace, profile: Profile) -> str:
    if head.kind != "aggregate":
        return str(weight)
    return _number_text(weight, profile)


def json_value(value: int | bool, kind: Type, profile: Profile) -> bool | int | float | str:
    """A raw value in user units for JSON: a bool, or the number (exact: every value of a
    fixed(I, F) profile, I + F <= 24 bits, and of a float(E <= 8, M <= 23) format is a binary64
    number); float infinities and NaN are the strings `"inf"`, `"-inf"`, `"nan"`."""
    if kind is Type.BOOL:
        return bool(value)
    special = _special(int(value), profile)
    if special is not None:
        return special
    number = profile.decode(int(value))
    return number.numerator if number.denominator == 1 else float(number)


def _weight_json(weight: int, head: HeadTrace, profile: Profile) -> int | float | str:
    return weight if head.kind != "aggregate" else json_value(weight, Type.NUM, profile)


def _row_json(row: Row, profile: Profile) -> dict[str, Any]:
    return {"name": row.name, "type": row.type.value,
            "values": [json_value(v, row.type, profile) for v in row.values]}


def trace_json(trace: Trace) -> dict[str, Any]:
    """The trace as a JSON-ready dict (schema: docs/check.schema.json, `trace`): booleans
    and numbers in user units; a weight is null where the key is not kept."""
    return {
        "word": list(trace.word),
        "accepted": trace.accepted,
        "profile": trace.profile.describe(),
        "positions": position_labels(trace),
        "trace": [_row_json(row, trace.profile) for row in trace.rows],
        "attention": [
            {"name": h.name, "kind": h.kind, "selector": h.selector,
             "weights": [[None if w is None else _weight_json(w, h, trace.profile) for w in row]
                         for row in h.weights]}
            for h in trace.heads
        ],
    }
