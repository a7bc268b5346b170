"""Long counterexamples are trimmed in the text report, and the report says so."""

from __future__ import annotations

from verifier.interp import run_word
from verifier.pipeline import compile_text
from verifier.report.trace import EDGE_COLUMNS, EDGE_ROWS, render_trace, trimmed

CHAIN = 50


def _program() -> str:
    lines = ["alphabet a b", "precision fixed(4, 4)", "h = aggregate(select(global), a)",
             "x0 = h > 0.25"]
    lines += [f"x{t} = not x{t - 1}" for t in range(1, CHAIN)]
    return "\n".join([*lines, f"accept x{CHAIN - 1}", ""])


def test_a_long_word_and_a_long_program_are_cut_at_both_ends() -> None:
    word = tuple("ab" * 30)
    trace = run_word(compile_text(_program()), word)
    full = render_trace(trace).splitlines()
    cut = render_trace(trace, attention=True, trim=True).split("\n\n")
    table = cut[0].splitlines()
    assert len(full) == len(trace.rows) + 1 and "…" not in "\n".join(full)
    assert len(table) == 1 + 2 * EDGE_ROWS + 1
    header = table[0].split()
    assert header[1:EDGE_COLUMNS + 1] == [f"{i}:{s}" for i, s in enumerate(word[:8], 1)]
    assert header[EDGE_COLUMNS + 1] == "…" and header[-1] == f"{len(word) + 1}:eos"
    assert table[-1].split()[0] == "accept" and table[EDGE_ROWS + 1].split()[0] == "…"
    grid = cut[1].splitlines()
    assert len(grid) == 1 + 2 * EDGE_ROWS + 1 and grid[-1].split()[0] == f"{len(word) + 1}:eos"
    note = trimmed(trace)
    assert note is not None
    assert f"positions 9-{len(word) + 1 - EDGE_COLUMNS} of {len(word) + 1}" in note
    assert f"s-ops 21-{len(trace.rows) - EDGE_ROWS} of {len(trace.rows)}" in note


def test_short_traces_are_not_cut() -> None:
    trace = run_word(compile_text(_program()), tuple("ab" * 4))
    assert "…" not in render_trace(trace, trim=True).split("\n")[0]
    assert trimmed(trace) is not None  # 50 s-ops are cut even for a short word
    short = run_word(compile_text("alphabet a b\naccept a\n"), ("a", "b"))
    assert trimmed(short) is None and "…" not in render_trace(short, attention=True, trim=True)
