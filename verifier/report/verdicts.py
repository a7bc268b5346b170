"""Renders `verifier check` results: a readable text report and the JSON of spec section 8."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from verifier.checking import ClaimResult, FileResult
from verifier.engines.verdict import Counterexample, Status, Verdict
from verifier.report.trace import render_trace
from verifier.words import format_word

_MARK = {Status.PROVED: "proved", Status.REFUTED: "REFUTED", Status.UNKNOWN: "unknown"}


def _scope(verdict: Verdict) -> str:
    if verdict.method == "interpreter":
        return "one word"
    if verdict.bound is None:
        return "all lengths"
    return f"up to length {verdict.bound}"


def render_claim(result: ClaimResult) -> str:
    """One claim's verdict line, and its counterexample or reason below it."""
    verdict = result.verdict
    where = f"line {result.line}" if result.line else "--lang"
    head = (f"  {where}: {result.claim}\n    {_MARK[verdict.status]}  "
            f"[{verdict.method}, {_scope(verdict)}, {verdict.profile}, "
            f"{verdict.seconds:.2f} s]")
    lines = [head]
    if verdict.reason and verdict.status is not Status.PROVED:
        lines.append(f"    reason: {verdict.reason}")
    if verdict.counterexample is not None:
        lines.append(_render_example(verdict.counterexample, verdict.status))
    return "\n".join(lines)


def _render_example(example: Counterexample, status: Status) -> str:
    alphabet = example.trace.alphabet
    shown = format_word(example.word, alphabet) or "(empty word)"
    title = "witness" if status is Status.PROVED else "counterexample"
    lines = [f"    {title}: {shown}  (length {len(example.word)})"]
    if example.in_language is not None:
        side = "other program" if example.other_trace is not None else "language"
        verb = ("accepts" if example.in_language else "rejects") if example.other_trace \
            else ("contains it" if example.in_language else "does not contain it")
        lines.append(f"    {side}: {verb}; program: "
                     f"{'accepts' if example.accepted else 'rejects'} it")
    else:
        lines.append(f"    program: {'accepts' if example.accepted else 'rejects'} it")
    table = render_trace(example.trace, attention=True)
    lines.append("\n".join("      " + line for line in table.splitlines()))
    return "\n".join(lines)


def render_results(results: Sequence[FileResult]) -> str:
    """The whole report, file by file, with a closing count (a file's input errors are not in
    it: the caller writes them to stderr)."""
    blocks = []
    for result in results:
        if result.error is not None:
            blocks.append(f"{result.path}\n  not read: the error is on stderr")
            continue
        body = "\n".join(render_claim(c) for c in result.claims) or "  (no claims)"
        blocks.append(f"{result.path}\n{body}")
    counts = {s: sum(c.verdict.status is s for r in results for c in r.claims) for s in Status}
    errors = sum(r.error is not None for r in results)
    summary = (f"{counts[Status.PROVED]} proved, {counts[Status.REFUTED]} refuted, "
               f"{counts[Status.UNKNOWN]} unknown" + (f", {errors} unreadable" if errors else ""))
    return "\n\n".join(blocks + [summary])


def _example_json(example: Counterexample | None) -> dict[str, Any] | None:
    if example is None:
        return None
    from verifier.report.trace import trace_json

    return {"word": list(example.word), "in_language": example.in_language,
            "accepted": example.accepted, "trace": trace_json(example.trace)}


def results_json(results: Sequence[FileResult]) -> dict[str, Any]:
    """The JSON document of spec section 8."""
    files = []
    for result in results:
        entry: dict[str, Any] = {"path": result.path, "claims": []}
        if result.error is not None:
            entry["errors"] = [{"line": d.span.line, "column": d.span.column,
                                "message": d.message, "path": d.path}
                               for d in result.error.diagnostics]
        for claim in result.claims:
            v = claim.verdict
            entry["claims"].append({
                "line": claim.line, "claim": claim.claim, "verdict": v.status.value,
                "bound": v.bound, "method": v.method, "profile": v.profile,
                "seconds": round(v.seconds, 4), "reason": v.reason,
                "counterexample": _example_json(v.counterexample),
            })
        files.append(entry)
    return {"files": files}
