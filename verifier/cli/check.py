"""`verifier check`: decide every claim of the files (or one `--lang` claim) and report."""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TextIO

from verifier.cli.argtypes import add_precision_argument, natural, positive_int
from verifier.cli.limits import add_budget_argument, add_limit_arguments
from verifier.engines.decide import ENGINES
from verifier.errors import UsageError
from verifier.smt.solvers import SOLVER_METAVAR, solver_argument

if TYPE_CHECKING:
    from tqdm import tqdm

    from verifier.options import Stage


def register(sub: Any) -> None:
    """Add `check` to the CLI's subcommands."""
    check = sub.add_parser("check", help="decide every assert of the files (or --lang)")
    check.add_argument("paths", nargs="+", metavar="PATH", help=".attn files or folders")
    check.add_argument("--lang", help="decide only 'recognizes LANG' (regex:…, ltl:…, dfa:FILE "
                                      "with FILE relative to the current directory; in a "
                                      "file's claims, relative to that file)")
    check.add_argument("--up-to", type=int, help="with --lang: only words up to this length")
    check.add_argument("--engine", choices=ENGINES, default="auto")
    add_limit_arguments(check, per="claim (building its language included)")
    add_budget_argument(check)
    check.add_argument("--rlimit", type=positive_int, default=None,
                       help="Z3 resource limit per query (deterministic, unlike --timeout)")
    check.add_argument("--seed", type=natural, default=0, help="solver random seed (default 0)")
    check.add_argument("--solver", type=solver_argument, default="z3", metavar=SOLVER_METAVAR,
                       help="the bounded engine's SMT solver (portfolio: race the installed "
                            "ones); default z3")
    check.add_argument("--cross-check", action="store_true",
                       help="run both all-lengths methods and require them to agree")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--attention", action="store_true",
                       help="text: show every head's weight grid under a counterexample")
    check.add_argument("-q", "--quiet", action="store_true",
                       help="text: print the summary line only (errors still go to stderr)")
    check.add_argument("--no-times", dest="times", action="store_false",
                       help="leave out every wall-clock figure (text: the seconds; json: "
                            "null seconds), so that two runs write the same report")
    add_precision_argument(check)
    check.add_argument("--html", metavar="FILE",
                       help="also write a self-contained HTML report (docs/reports.md)")
    check.add_argument("-j", "--jobs", type=positive_int, default=1, metavar="N",
                       help="decide claims in N processes (the report is the same, in order)")
    check.add_argument("--dask", metavar="ADDRESS", default=None,
                       help="decide claims on the Dask scheduler at ADDRESS (extra [dask])")
    check.set_defaults(handler=check_handler)


def check_handler(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """`verifier check PATH…`: the report on stdout, input errors on stderr; the exit status of
    spec section 8 (0 proved, 1 refuted, 3 unknown, 2 unreadable input)."""
    from verifier.checking import AdHocClaim, collect_files, exit_status
    from verifier.options import Options
    from verifier.parallel import SchedulerError, check_files
    from verifier.report.verdicts import TextOptions, render_results, results_json

    if args.up_to is not None and args.lang is None:
        raise UsageError("--up-to goes with --lang (a file's claims carry their own bounds)")
    if args.up_to is not None and not 0 <= args.up_to <= MAX_CLI_BOUND:
        raise UsageError(f"--up-to must be between 0 and {MAX_CLI_BOUND}")
    files = collect_files(args.paths)
    if not files:
        raise UsageError("no .attn files found in " + " ".join(args.paths))
    adhoc = AdHocClaim(args.lang, args.up_to) if args.lang is not None else None
    if adhoc is not None:
        _validate_lang_spec(adhoc.spec)
    with progress_bar(err, enabled=not args.quiet) as line:
        here = args.jobs <= 1 and args.dask is None  # engines report only in this process
        options = Options(timeout=args.timeout, memory_mb=args.memory, rlimit=args.rlimit,
                          seed=args.seed, cross_check=args.cross_check, solver=args.solver,
                          state_budget=args.budget,
                          precision=args.precision,
                          progress=line.engine if line is not None and here else None)
        try:
            results = check_files(files, args.engine, options, adhoc, jobs=args.jobs,
                                  dask_address=args.dask,
                                  progress=None if line is None else line.claims)
        except (ImportError, SchedulerError) as error:
            raise UsageError(f"--dask: {error}") from None
    if args.html is not None:
        from verifier.report.html import render_check_html, write_html

        write_html(args.html, render_check_html(results, adhoc, precision=args.precision,
                                                   times=args.times),
                   files)
    if args.format == "json":
        json.dump(results_json(results, args.times), out, indent=2)
        out.write("\n")
    else:
        text = render_results(results, TextOptions(args.attention, args.quiet, args.times))
        out.write(text + "\n")
    for result in results:
        if result.error is not None:
            err.write(result.error.render() + "\n")
    return exit_status(results)


MAX_CLI_BOUND = 64


def _validate_lang_spec(spec: str) -> None:
    kind, _, text = spec.partition(":")
    if kind not in ("regex", "ltl", "dfa", "ppltl") or not _:
        raise UsageError(f"--lang must be regex:…, ltl:…, ppltl:… or dfa:FILE, not {spec!r}")


#: The progress line shows at most this many characters of a path (its end).
PATH_WIDTH = 40


class ProgressLine:
    """The progress line of `check` on a terminal: a tqdm bar of the claims decided, then
    the file last decided and how far the engine at work has come, e.g.
    `60%|██████    | 3/5 [00:02<00:01, 1.4claim/s, proofs/first.attn · bounded: length 14]`
    or `… · all lengths: 12 000 states`. Only the engine that reported last is shown: `auto`
    runs them in turn, and an older figure may be another claim's."""

    #: The line is redrawn for an engine's report at most this often (seconds).
    REDRAW_EVERY = 0.1

    def __init__(self, bar: tqdm[Any]) -> None:
        self.bar = bar
        self.path = ""
        self.engine_at_work: tuple[Stage, int] | None = None
        self.drawn = 0.0

    def claims(self, done: int, total: int, path: str) -> None:
        """`parallel.Progress`: DONE claims of TOTAL are decided, the last one in PATH."""
        self.path = path if len(path) <= PATH_WIDTH else "…" + path[1 - PATH_WIDTH:]
        self.engine_at_work = None  # what it said was about a claim now decided
        self.bar.total = total
        self.bar.set_postfix_str(self._postfix(), refresh=False)
        self.bar.update(done - self.bar.n)

    def engine(self, stage: Stage, value: int) -> None:
        """`options.EngineProgress`: an engine of the running claim has reached VALUE."""
        self.engine_at_work = (stage, value)
        self.bar.set_postfix_str(self._postfix(), refresh=False)
        now = time.monotonic()
        if now - self.drawn >= self.REDRAW_EVERY:
            self.drawn = now
            self.bar.refresh()

    def _postfix(self) -> str:
        from verifier.options import Stage

        parts = [self.path] if self.path else []
        if self.engine_at_work is not None:
            stage, value = self.engine_at_work
            parts.append(f"bounded: length {value}" if stage is Stage.LENGTH else
                         "all lengths: {} states".format(f"{value:,}".replace(",", " ")))
        return " · ".join(parts)


@contextmanager
def progress_bar(err: TextIO, enabled: bool) -> Iterator[ProgressLine | None]:
    """The progress line on ERR while the block runs, when ERR is a terminal and ENABLED;
    else None (nothing is written)."""
    if not enabled or not err.isatty():
        yield None
        return
    from tqdm import tqdm

    bar = tqdm(total=0, file=err, unit="claim", leave=False, dynamic_ncols=True)
    try:
        yield ProgressLine(bar)
    finally:
        bar.close()
