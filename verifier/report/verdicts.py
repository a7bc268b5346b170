"""Renders `verifier check` results: a readable text report and the JSON of spec section 8."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from verifier.checking import ClaimResult, FileResult, exit_status
from verifier.engines.verdict import Counterexample, Status, Verdict
from verifier.errors import elide
from verifier.report.trace import render_trace, trace_json, trimmed
from verifier.version import __version__
from verifier.words import format_word

_MARK = {Status.PROVED: "proved", Status.REFUTED: "REFUTED", Status.UNKNOWN: "unknown"}
#: A claim's text is cut to this many characters on its verdict line.
CLAIM_WIDTH = 100


@dataclass(frozen=True)
class TextOptions:
    """How much the text report shows: ATTENTION adds every head's weight grid to a
    counterexample; QUIET leaves only the summary line; TIMES False leaves out every
    wall-clock figure (`--no-times`: the report of a run is then the same every time)."""

    attention: bool = False
    quiet: bool = False
    times: bool = True


def _scope(verdict: Verdict) -> str:
    if verdict.method == "interpreter":
        return "one word"
    asked = "all lengths" if verdict.bound is None else f"up to length {verdict.bound}"
    return f"{asked} asked" if verdict.status is Status.UNKNOWN else asked


def render_claim(result: ClaimResult, options: TextOptions = TextOptions()) -> str:
    """One claim in the style of model checkers' reports: a verdict line (verdict, line,
    claim, method, scope, profile, seconds unless OPTIONS.times is False); below it the
    reason of an `unknown`, or the
    counterexample of a refutation with its trimmed trace. A proved claim with a witness
    (`not recognizes`) names the witness on its verdict line."""
    verdict = result.verdict
    where = f"line {result.line}" if result.line else "--lang"
    seconds = f", {verdict.seconds:.2f} s" if options.times else ""
    head = (f"  {_MARK[verdict.status]:<7}  {where}: {_cut(result.claim)}  "
            f"({verdict.method}, {_scope(verdict)}, {verdict.profile}{seconds})")
    example = verdict.counterexample
    if verdict.status is Status.PROVED:
        return head if example is None else f"{head}; witness: {_word(example)}"
    lines = [head]
    if verdict.reason:
        lines.append(f"      reason: {verdict.reason}")
    if example is not None:
        lines.append(_render_example(example, options))
    return "\n".join(lines)


def _cut(claim: str) -> str:
    """CLAIM, or its first CLAIM_WIDTH characters and `…` (a long formula is recognized by its
    start; the file and its line give it whole)."""
    return claim if len(claim) <= CLAIM_WIDTH else claim[:CLAIM_WIDTH - 1] + "…"


def _word(example: Counterexample) -> str:
    shown = format_word(example.word, example.trace.alphabet) or "(empty word)"
    return f"{elide(shown, CLAIM_WIDTH)} (length {len(example.word)})"


def _render_example(example: Counterexample, options: TextOptions) -> str:
    program = f"program: {'accepts' if example.accepted else 'rejects'} it"
    if example.in_language is None:
        says = program
    elif example.other_trace is not None:
        says = f"other program: {'accepts' if example.in_language else 'rejects'} it; {program}"
    else:
        says = (f"language: {'contains it' if example.in_language else 'does not contain it'}; "
                f"{program}")
    lines = [f"      counterexample: {_word(example)}; {says}"]
    table = render_trace(example.trace, attention=options.attention, trim=True)
    lines.extend(f"        {line}".rstrip() for line in table.splitlines())
    cut = trimmed(example.trace)
    if cut is not None:
        lines.append("        " + cut)
    return "\n".join(lines)


def render_results(results: Sequence[FileResult], options: TextOptions = TextOptions()) -> str:
    """The whole report, file by file (QUIET: the summary only), with a closing count (a
    file's input errors are not in it: the caller writes them to stderr)."""
    blocks = []
    for result in results if not options.quiet else ():
        if result.error is not None:
            blocks.append(f"{result.path}\n  not read: the error is on stderr")
            continue
        body = "\n".join(render_claim(c, options) for c in result.claims) or "  (no claims)"
        blocks.append(f"{result.path}\n{body}")
    return "\n".join(blocks + [summary_line(results, options.times)])


def summary_line(results: Sequence[FileResult], times: bool = True) -> str:
    """`N proved, N refuted, N unknown` over RESULTS' claims (and the unreadable files), with
    the claims' total seconds unless TIMES is False."""
    counts = {s: sum(c.verdict.status is s for r in results for c in r.claims) for s in Status}
    errors = sum(r.error is not None for r in results)
    seconds = sum(c.verdict.seconds for r in results for c in r.claims)
    files = f"{len(results)} file{'s' if len(results) != 1 else ''}"
    return (f"{counts[Status.PROVED]} proved, {counts[Status.REFUTED]} refuted, "
            f"{counts[Status.UNKNOWN]} unknown" + (f", {errors} unreadable" if errors else "")
            + (f" ({files}, {seconds:.2f} s)" if times else f" ({files})"))


#: The version of the JSON document's layout (docs/check.schema.json); raised on any change.
SCHEMA_VERSION = 1


def _example_json(example: Counterexample | None) -> dict[str, Any] | None:
    if example is None:
        return None
    document: dict[str, Any] = {"word": list(example.word), "in_language": example.in_language,
                                "accepted": example.accepted,
                                "trace": trace_json(example.trace)}
    if example.other_trace is not None:
        document["other_trace"] = trace_json(example.other_trace)
    return document


def _claim_json(claim: ClaimResult, times: bool) -> dict[str, Any]:
    v = claim.verdict
    return {"line": claim.line or None, "claim": claim.claim, "verdict": v.status.value,
            "bound": v.bound, "method": v.method, "profile": v.profile,
            "seconds": round(v.seconds, 4) if times else None, "reason": v.reason,
            "counterexample": _example_json(v.counterexample)}


def results_json(results: Sequence[FileResult], times: bool = True) -> dict[str, Any]:
    """The JSON document of `verifier check --format json` (spec section 8, extended; its
    JSON Schema is docs/check.schema.json): the tool and its version, the schema version,
    per file its claims and its input errors (always present, maybe empty), and a summary
    with the exit status. TIMES False (`--no-times`): every `seconds` is null."""
    files = [{"path": result.path,
              "errors": [] if result.error is None else [
                  {"path": d.path, "line": d.span.line, "column": d.span.column,
                   "message": d.message} for d in result.error.diagnostics],
              "claims": [_claim_json(claim, times) for claim in result.claims]}
             for result in results]
    claims = [c for r in results for c in r.claims]
    summary = {status.value: sum(c.verdict.status is status for c in claims)
               for status in Status}
    summary.update(unreadable=sum(r.error is not None for r in results), files=len(results),
                   claims=len(claims), exit_status=int(exit_status(results)))
    return {"tool": "attention-verifier", "version": __version__, "schema": SCHEMA_VERSION,
            "files": files, "summary": summary,
            "seconds": round(sum(c.verdict.seconds for c in claims), 4) if times else None}


def leading_comment(text: str) -> list[str]:
    """The lines of the comment block that opens a program TEXT (its description, by the
    proofs' convention), without their `#`."""
    comment: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            break
        comment.append(stripped.lstrip("#").strip())
    return comment
