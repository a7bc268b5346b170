"""`--html FILE`: one self-contained HTML page (inline CSS and SVG, nothing fetched when it is
opened) for `verifier check` and `verifier run`.

The page shows per claim its verdict, method, scope, profile, time and reason; per
counterexample (or witness, or `run`'s trace) the s-op table and one heatmap per attention
head (query x key weights, exact values in each cell's tooltip); for proved or refuted
`recognizes` claims the specification's and the program's minimal DFAs, drawn by Graphviz's
`dot` where it is installed, else as transition tables. The program's DFA is extracted under
a small budget and a short deadline; when that fails the page says why. See docs/reports.md.

The page is rendered by the Jinja2 template templates/report.html.j2 with autoescaping on:
every user text (paths, claims, s-op names, symbols, reasons) is escaped there; the only
markup passed through unescaped is the SVG that `dot` writes, cleaned of its prolog.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import jinja2
import markupsafe

from verifier.check.types import Type
from verifier.checking import AdHocClaim, ClaimResult, FileResult
from verifier.engines.streaming import NotFiniteState
from verifier.engines.unbounded import BudgetExceeded, ExtractionCache, extract
from verifier.engines.verdict import Counterexample, Status, Verdict
from verifier.errors import UsageError, UserError
from verifier.files import UnreadableFile, os_reason, read_text
from verifier.interp.trace import HeadTrace, Trace
from verifier.ir.nodes import Program
from verifier.langs import DFA
from verifier.langs.errors import LanguageError
from verifier.langs.language import read_language_spec
from verifier.langs.render import GraphvizMissing, dot_available, render_svg
from verifier.limits import Deadline, LimitReached
from verifier.pipeline import load_program
from verifier.report.trace import format_value, kept_indices, position_labels
from verifier.report.verdicts import leading_comment, summary_line
from verifier.semantics.profile import FloatProfile, Profile
from verifier.version import __version__
from verifier.words import format_word

#: Heatmaps and the s-op table show every position of words up to 2 * EDGE_POSITIONS + 1
#: positions; longer words show the first and last EDGE_POSITIONS only (the page says so).
EDGE_POSITIONS = 24
#: ... and the s-op table the first and last EDGE_SOPS rows of longer programs.
EDGE_SOPS = 40
#: A heatmap is at most about this many pixels wide: cells shrink for long words ...
HEATMAP_PIXELS = 560
#: ... but stay between these sizes (pixels).
CELL_MIN, CELL_MAX = 8, 26
#: The program's DFA: most states explored, seconds and memory (MB) for the extraction.
DFA_BUDGET = 20_000
DFA_SECONDS = 5.0
DFA_MEMORY_MB = 2048
#: DFAs with more states than this are not drawn (a transition table up to TABLE_STATES).
DRAW_STATES = 60
TABLE_STATES = 200

#: The colour scale of the heatmaps (weight 0 to 1): ColorBrewer's sequential "Blues".
_SCALE = ((0xf7, 0xfb, 0xff), (0xde, 0xeb, 0xf7), (0xc6, 0xdb, 0xef), (0x9e, 0xca, 0xe1),
          (0x6b, 0xae, 0xd6), (0x42, 0x92, 0xc6), (0x21, 0x71, 0xb5), (0x08, 0x51, 0x9c),
          (0x08, 0x30, 0x6b))
_LEGEND_STEPS = 11


def colour(t: float) -> str:
    """The heatmap colour of T in [0, 1] (clamped), as `#rrggbb`."""
    t = min(1.0, max(0.0, t)) * (len(_SCALE) - 1)
    low = min(int(t), len(_SCALE) - 2)
    frac = t - low
    rgb = (round(a + (b - a) * frac) for a, b in zip(_SCALE[low], _SCALE[low + 1], strict=True))
    return "#" + "".join(f"{c:02x}" for c in rgb)


@dataclass
class _Ids:
    """Unique ids for the SVG patterns of one page."""

    count: int = 0

    def next(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"


def _exact(value: Fraction) -> str:
    from verifier.semantics.decimal import format_fraction

    decimal = format_fraction(value)
    if value.denominator == 1:
        return decimal
    return f"{decimal} = {value.numerator}/{value.denominator}"


def _heatmap(head: HeadTrace, trace: Trace, ids: _Ids) -> dict[str, Any]:
    """The view of one head's weight grid: cells, labels and sizes for the template."""
    labels = position_labels(trace)
    shown = kept_indices(len(labels), EDGE_POSITIONS)
    cell = max(CELL_MIN, min(CELL_MAX, HEATMAP_PIXELS // len(shown)))
    soft = head.kind == "aggregate"
    special = {w: trace.profile.special(w) for row in head.weights for w in row if w is not None
               and soft and isinstance(trace.profile, FloatProfile)
               and trace.profile.special(w) is not None}
    values = [[None if w is None or w in special else
               (trace.profile.decode(w) if soft else Fraction(w)) for w in row]
              for row in head.weights]
    top = max([v for row in values for v in row if v is not None], default=Fraction(1))
    scale = max(Fraction(1), top)
    margin_left = 8 + 7 * max(len(label) for label in labels)
    margin_top = margin_left
    cells = []
    for y, q in enumerate(shown):
        for x, k in enumerate(shown):
            if q is None or k is None:
                continue
            value = values[q][k]
            where = f"query {labels[q]}, key {labels[k]}"
            raw = head.weights[q][k]
            if raw is not None and raw in special:  # a float weight that is inf or NaN
                cells.append({"x": x * cell, "y": y * cell, "absent": True,
                              "title": f"{where}: weight {special[raw]}"})
            elif value is None:
                cells.append({"x": x * cell, "y": y * cell, "absent": True,
                              "title": f"{where}: not kept (not selected or not seen)"})
            else:
                cells.append({"x": x * cell, "y": y * cell, "absent": False,
                              "fill": colour(float(value / scale)),
                              "title": f"{where}: weight {_exact(value)}"})
    axis = [{"at": i * cell + cell / 2, "text": "…" if p is None else labels[p]}
            for i, p in enumerate(shown)]
    step = 1 if cell >= 11 else 2
    return {"name": head.name, "kind": head.kind, "selector": head.selector, "cell": cell,
            "size": cell * len(shown), "cells": cells, "axis": axis[::step] if step > 1 else axis,
            "left": margin_left, "top": margin_top, "font": min(11, cell - 1),
            "pattern": ids.next("absent"), "scale": _exact(scale),
            "gaps": [i * cell for i, p in enumerate(shown) if p is None]}


def _legend() -> list[dict[str, Any]]:
    return [{"fill": colour(i / (_LEGEND_STEPS - 1)), "t": i / (_LEGEND_STEPS - 1)}
            for i in range(_LEGEND_STEPS)]


def _trace_view(trace: Trace, ids: _Ids, title: str) -> dict[str, Any]:
    """The view of a trace: its s-op table (trimmed for long words) and one heatmap per head."""
    labels = position_labels(trace)
    columns = kept_indices(len(labels), EDGE_POSITIONS)
    rows = kept_indices(len(trace.rows), EDGE_SOPS)
    table: list[dict[str, Any]] = []
    for r in rows:
        if r is None:
            table.append({"name": "…", "type": "", "cells": ["…"] * len(columns)})
            continue
        row = trace.rows[r]
        cells = ["…" if c is None else format_value(row.values[c], row.type, trace.profile)
                 for c in columns]
        table.append({"name": row.name, "type": row.type.value, "cells": cells,
                      "bool": row.type is Type.BOOL})
    cut = []
    if len(columns) < len(labels):
        cut.append(f"positions {EDGE_POSITIONS + 1}-{len(labels) - EDGE_POSITIONS} of "
                   f"{len(labels)}")
    if len(rows) < len(trace.rows):
        cut.append(f"s-ops {EDGE_SOPS + 1}-{len(trace.rows) - EDGE_SOPS} of {len(trace.rows)}")
    return {"title": title, "word": format_word(trace.word, trace.alphabet) or "(empty word)",
            "length": len(trace.word), "accepted": trace.accepted,
            "profile": trace.profile.describe(),
            "header": ["…" if c is None else labels[c] for c in columns], "table": table,
            "trimmed": " and ".join(cut) if cut else None,
            "heads": [_heatmap(head, trace, ids) for head in trace.heads]}


@dataclass
class _DfaMaker:
    """Builds the DFA pictures of one page (each program extracted at most once)."""

    cache: ExtractionCache = field(default_factory=ExtractionCache)
    dot: bool = field(default_factory=lambda: dot_available())
    drawn: int = 0

    def view(self, title: str, build: Any) -> dict[str, Any]:
        """The view of the DFA that BUILD returns (a DFA, or a reason string it could not)."""
        try:
            dfa = build()
        except (NotFiniteState, BudgetExceeded) as reason:
            return {"title": title, "note": f"not available: {reason}"}
        except LimitReached as error:
            return {"title": title, "note": f"not available: {error.reason}"}
        if isinstance(dfa, str):
            return {"title": title, "note": dfa}
        return self.picture(title, dfa)

    def picture(self, title: str, dfa: DFA) -> dict[str, Any]:
        """DFA as SVG (Graphviz) or, failing that, a transition table, with a note saying
        which and why."""
        view: dict[str, Any] = {"title": title, "states": dfa.n_states,
                                "alphabet": list(dfa.alphabet)}
        if dfa.n_states > TABLE_STATES:
            view["note"] = f"{dfa.n_states} states: too large to show"
            return view
        if dfa.n_states <= DRAW_STATES and self.dot:
            try:
                self.drawn += 1
                view["svg"] = clean_svg(render_svg(dfa), f"dfa{self.drawn}-")
                return view
            except GraphvizMissing as error:
                view["note"] = f"{error}; shown as a transition table"
        elif dfa.n_states > DRAW_STATES:
            view["note"] = f"{dfa.n_states} states: too many to draw; shown as a table"
        else:
            view["note"] = "Graphviz not installed: shown as a transition table"
        view["rows"] = [{"state": q, "start": q == dfa.start, "accepting": q in dfa.accepting,
                         "targets": list(row)} for q, row in enumerate(dfa.delta)]
        return view

    def program(self, program: Program) -> Any:
        """The program's minimal DFA under the page's small budget and short deadline."""
        deadline = Deadline(DFA_SECONDS, DFA_MEMORY_MB)
        return extract(program, DFA_BUDGET, deadline, self.cache).dfa


def clean_svg(svg: str, prefix: str = "") -> str:
    """Graphviz's SVG document made fit to inline in HTML: no XML prolog, doctype, comments
    or namespace declarations (they name w3.org addresses; inline SVG needs none), and its
    element ids (`graph0`, `node1`, ...) prefixed by PREFIX, unique per drawing on a page."""
    start = svg.find("<svg")
    svg = svg[start:] if start >= 0 else svg
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    svg = re.sub(r' id="([^"]*)"', rf' id="{prefix}\1"', svg)
    return re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", svg).strip()


def _scope(verdict: Verdict) -> str:
    if verdict.method == "interpreter":
        return "one word"
    return "all lengths" if verdict.bound is None else f"up to length {verdict.bound}"


def _says(example: Counterexample) -> str:
    program = f"this program {'accepts' if example.accepted else 'rejects'} it"
    if example.in_language is None:
        return program
    if example.other_trace is not None:
        other = "accepts" if example.in_language else "rejects"
        return f"the other program {other} it; {program}"
    language = "contains it" if example.in_language else "does not contain it"
    return f"the language {language}; {program}"


def _claims_by_line(path: str, adhoc: AdHocClaim | None, precision: Profile | None
                    ) -> tuple[Program | None, dict[int, Any], str | None]:
    """The file's program and its `recognizes` claims' language sources by line (line 0: the
    `--lang` claim), or a note why they could not be read again."""
    try:
        checked, program = load_program(Path(path), precision)
    except (UserError, OSError) as error:
        return None, {}, f"DFAs not shown: the file could not be read again ({error})"
    sources: dict[int, Any] = {}
    if adhoc is not None:
        with contextlib.suppress(LanguageError):
            sources[0] = read_language_spec(adhoc.spec, program.alphabet, Path(path).parent)
    for claim in checked.claims:
        if claim.source is not None and claim.claim.kind in ("recognizes", "not_recognizes"):
            sources.setdefault(claim.statement.span.line, claim.source)
    return program, sources, None


def _claim_view(claim: ClaimResult, ids: _Ids) -> dict[str, Any]:
    verdict = claim.verdict
    view: dict[str, Any] = {
        "id": ids.next("claim-"), "line": claim.line or None, "claim": claim.claim,
        "status": verdict.status.value, "method": verdict.method, "scope": _scope(verdict),
        "bound": verdict.bound, "profile": verdict.profile,
        "seconds": f"{verdict.seconds:.2f}", "reason": verdict.reason, "examples": [],
        "dfas": []}
    example = verdict.counterexample
    if example is not None:
        kind = "witness" if verdict.status is Status.PROVED else "counterexample"
        view["example"] = {"kind": kind, "says": _says(example),
                           "word": format_word(example.word, example.trace.alphabet)
                           or "(empty word)", "length": len(example.word)}
        view["examples"].append(_trace_view(example.trace, ids, "this program"))
        if example.other_trace is not None:
            view["examples"].append(_trace_view(example.other_trace, ids, "the other program"))
    return view


def _file_view(result: FileResult, ids: _Ids, dfas: _DfaMaker, adhoc: AdHocClaim | None,
               precision: Profile | None) -> dict[str, Any]:
    view: dict[str, Any] = {"path": result.path, "claims": [], "note": None,
                            "error": None if result.error is None else result.error.render(),
                            "about": _about(result.path)}
    decided = [c for c in result.claims if c.verdict.status is not Status.UNKNOWN]
    program: Program | None = None
    sources: dict[int, Any] = {}
    note: str | None = None
    if decided:
        program, sources, note = _claims_by_line(result.path, adhoc, precision)
    view["note"] = note
    for claim in result.claims:
        claim_view = _claim_view(claim, ids)
        source = sources.get(claim.line)
        if claim.verdict.status is not Status.UNKNOWN and program is not None \
                and source is not None:
            spec = source
            claim_view["dfas"] = [
                dfas.view(f"the specification's minimal DFA ({source.describe()})",
                          lambda spec=spec: spec.build(Deadline(DFA_SECONDS, DFA_MEMORY_MB))
                          .dfa),
                dfas.view("the program's minimal DFA", lambda: dfas.program(program))]
        view["claims"].append(claim_view)
    return view


def _about(path: str) -> str:
    """The opening comment block of the program file PATH ("" if unreadable)."""
    try:
        return "\n".join(leading_comment(read_text(Path(path))))
    except UnreadableFile:
        return ""


def code_spans(text: str) -> markupsafe.Markup:
    """TEXT escaped, with its `backquoted` spans (s-op names in reasons) set as code."""
    escaped = str(markupsafe.escape(text))
    return markupsafe.Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped))


def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(loader=jinja2.PackageLoader("verifier.report", "templates"),
                                     autoescape=True, undefined=jinja2.StrictUndefined,
                                     trim_blocks=True, lstrip_blocks=True)
    environment.filters["code_spans"] = code_spans
    return environment


def _page(**context: Any) -> str:
    context.update(version=__version__, legend=_legend(), edge=EDGE_POSITIONS,
                   graphviz=dot_available())
    return _environment().get_template("report.html.j2").render(**context)


def render_check_html(results: Sequence[FileResult], adhoc: AdHocClaim | None = None,
                      title: str = "verifier check", precision: Profile | None = None,
                      times: bool = True) -> str:
    """The HTML report of `verifier check` on RESULTS (ADHOC: the `--lang` claim, if any;
    PRECISION: the `--precision` profile the programs were checked in, if any; TIMES False:
    no wall-clock figure, as `--no-times`)."""
    ids, dfas = _Ids(), _DfaMaker()
    files = [_file_view(result, ids, dfas, adhoc, precision) for result in results]
    return _page(kind="check", title=title, summary=summary_line(results, times),
                 files=files, times=times)


def render_run_html(path: str, traces: Sequence[Trace]) -> str:
    """The HTML report of `verifier run PATH WORD…`: per word the verdict, the trace and
    every head's heatmap."""
    ids = _Ids()
    views = [_trace_view(trace, ids, "trace") for trace in traces]
    accepted = sum(trace.accepted for trace in traces)
    profile = traces[0].profile.describe() if traces else ""
    summary = (f"{views[0]['word']}: {'accepted' if accepted else 'rejected'} [{profile}]"
               if len(views) == 1 else
               f"{len(views)} words: {accepted} accepted, {len(views) - accepted} rejected "
               f"[{profile}]")
    return _page(kind="run", times=True, title=f"verifier run {path}", path=path, runs=views,
                 summary=summary)


def write_html(path: str, text: str, inputs: Sequence[str | Path] = ()) -> None:
    """Write the page TEXT to PATH (UTF-8). An existing file is replaced only if it is a
    regular `.html`/`.htm` file that is not one of the INPUTS; UsageError otherwise, or when
    PATH cannot be written."""
    target = Path(path)
    try:
        if target.exists():
            if not target.is_file():
                raise UsageError(f"--html {path}: not replacing a special file or folder")
            if target.suffix.lower() not in (".html", ".htm") or any(
                    Path(name).exists() and target.samefile(name) for name in inputs):
                raise UsageError(f"--html {path}: not replacing a file that is not an HTML "
                                 "report")
        target.write_text(text, encoding="utf-8")
    except (OSError, ValueError) as error:
        raise UsageError(f"--html {path}: cannot write it: {os_reason(error)}") from None
