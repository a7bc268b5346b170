"""The contract every fuzz input is held to, and the two ways of running the command line.

Contract (issue 9): the exit status is one of 0, 1, 2, 3, 130; neither stream shows a Python
traceback or an internal error; on exit 2 the output says `error:`, and when the input came
from a file, a `FILE:LINE:COL:` position of that file (or of a file it names) goes with it,
echoing that very line; no error line is longer than an excerpt; every run ends within a
time bound (and, for real processes, a memory bound).

`run_in_process` calls `verifier.cli.dispatch` with a watchdog: a thread that, once the bound
has passed, sends SIGUSR1 to the main thread, whose handler raises `TooSlow` (a
BaseException, so that no `except Exception` of the tool can swallow it; SIGALRM is left to
the tool's own limits). `run_process` runs `python -m verifier` and samples the child's peak
memory (VmHWM) while it runs.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from verifier.cli import dispatch
from verifier.errors import ExitStatus

ALLOWED = frozenset(ExitStatus) - {ExitStatus.INTERNAL}
#: A small valid program (a local and a global head) that the campaigns run commands on.
PROGRAM = """alphabet a b
precision fixed(4, 4)
prev_a = aggregate(select(local 1), a)
ab = b and prev_a > 0.5
seen = aggregate(select(global, where: ab[j]), ab)
accept seen > 0.5
"""
FORBIDDEN = ("Traceback", "internal error")
#: Seconds any one in-process input may take (the runs use `--timeout 2` or less).
IN_PROCESS_SECONDS = 20.0


class TooSlow(BaseException):
    """Raised in the main thread by the watchdog."""


@dataclass(frozen=True)
class Outcome:
    """One run: ARGV, exit STATUS, the two streams, wall-clock SECONDS, peak memory (MB,
    processes only) and whether the watchdog fired."""

    argv: tuple[str, ...]
    status: int | None
    out: str
    err: str
    seconds: float
    peak_mb: float | None = None
    timed_out: bool = False

    def __str__(self) -> str:
        return (f"argv={list(self.argv)!r}\nstatus={self.status} seconds={self.seconds:.1f} "
                f"peak_mb={self.peak_mb} timed_out={self.timed_out}\n--- stdout\n"
                f"{self.out[-3000:]}\n--- stderr\n{self.err[-3000:]}")


@contextlib.contextmanager
def _watchdog(seconds: float) -> Iterator[list[bool]]:
    fired = [False]
    done = threading.Event()
    main = threading.main_thread().ident
    assert main is not None and threading.current_thread() is threading.main_thread()

    def handler(signum: int, frame: object) -> None:
        if fired[0] and not done.is_set():
            raise TooSlow

    def watch() -> None:
        if not done.wait(seconds):
            fired[0] = True
            signal.pthread_kill(main, signal.SIGUSR1)

    previous = signal.signal(signal.SIGUSR1, handler)
    thread = threading.Thread(target=watch, name="fuzz-watchdog", daemon=True)
    thread.start()
    try:
        yield fired
    finally:
        done.set()
        thread.join()
        signal.signal(signal.SIGUSR1, previous)


def run_in_process(argv: Sequence[str], cwd: Path | None = None,
                   seconds: float = IN_PROCESS_SECONDS) -> Outcome:
    """`verifier ARGV` through `dispatch` (stray prints to sys.stdout/err captured too)."""
    out, err = io.StringIO(), io.StringIO()
    start = time.monotonic()
    status: int | None = None
    old = Path.cwd()
    with _watchdog(seconds) as fired:
        try:
            if cwd is not None:
                os.chdir(cwd)
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                status = dispatch(list(argv), out, err)
        except TooSlow:
            status = None
        finally:
            os.chdir(old)
    return Outcome(tuple(argv), status, out.getvalue(), err.getvalue(),
                   time.monotonic() - start, timed_out=fired[0])


def run_process(argv: Sequence[str], cwd: Path | None = None, seconds: float = 60.0,
                stdin: int | None = subprocess.DEVNULL, interrupt_after: float | None = None
                ) -> Outcome:
    """`python -m verifier ARGV` as a real process; SIGINT once it has used INTERRUPT_AFTER
    seconds of CPU, if given; killed (status None) after SECONDS."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.pop("VERIFIER_DEBUG", None)
        process = subprocess.Popen([sys.executable, "-m", "verifier", *argv], cwd=cwd,
                                   stdin=stdin, stdout=out, stderr=err, env=env)
        status, timed_out, interrupted = None, False, False
        peak: float | None = None
        while status is None:
            peak = max(peak or 0.0, _high_water_mb(process.pid) or 0.0) or peak
            pid, raw, _ = os.wait4(process.pid, os.WNOHANG)
            elapsed = time.monotonic() - start
            if pid:
                status = os.waitstatus_to_exitcode(raw)
                break
            if interrupt_after is not None and not interrupted and _cpu_seconds(
                    process.pid, elapsed) >= interrupt_after:
                process.send_signal(signal.SIGINT)
                interrupted = True
            if elapsed > seconds:
                process.kill()
                os.wait4(process.pid, 0)
                timed_out = True
                break
            time.sleep(0.02)
        process.returncode = status if status is not None else -9
        out.seek(0)
        err.seek(0)
        return Outcome(tuple(argv), None if timed_out else status,
                       out.read().decode(errors="replace"), err.read().decode(errors="replace"),
                       time.monotonic() - start, peak, timed_out)


def _high_water_mb(pid: int) -> float | None:
    """The peak resident memory of PID so far (Linux VmHWM, in MB), sampled while it runs.
    Not `wait4`'s ru_maxrss: a child forked from a large test process reports the parent's
    resident size from before its exec, so that figure says nothing about the verifier."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, IndexError, ValueError):
        return None
    return None


def _cpu_seconds(pid: int, fallback: float) -> float:
    """The CPU time PID has used (Linux /proc), else FALLBACK (so that an interrupt is sent
    once the run is busy, not while a loaded machine is still starting Python)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return fallback


def positioned(text: str, names: Sequence[str]) -> bool:
    """Whether TEXT holds an error positioned in one of the files NAMES (base names):
    `NAME:LINE:COL: error:` or `error: [...]NAME:LINE:COL: ...`."""
    for name in names:
        place = rf"{re.escape(name)}:\d+:\d+:"
        if re.search(rf"{place} (?:[a-z]+: )?error:", text) or re.search(
                rf"error:.*{place}", text):
            return True
    return False


#: The longest line an error may have (an echoed input is cut to an excerpt).
LONGEST_ERROR_LINE = 2000
DIAGNOSTIC = re.compile(r"^(?P<path>[^\n]+?):(?P<line>\d+):(?P<col>\d+): error: [^\n]*\n"
                        r"    (?P<echo>[^\n]*)$", re.M)


def _letters(text: str) -> str:
    return re.sub(r"\W", "", text)


def assert_echoes(outcome: Outcome, sources: dict[str, str]) -> None:
    """Each diagnostic `NAME:LINE:COL: error:` about a file of SOURCES (name -> text) echoes
    that file's line LINE (the indented line below it, if any), lines split as the lexer
    splits them (at `\n` only): the letters and digits of each cut piece of the echo appear
    in it (`?` and `…` aside)."""
    for match in [*DIAGNOSTIC.finditer(outcome.err), *DIAGNOSTIC.finditer(outcome.out)]:
        name = Path(match["path"]).name
        if name not in sources:
            continue
        lines = sources[name].split("\n")
        number = int(match["line"])
        assert 1 <= number <= len(lines) + 1, f"line {number} is past the end\n{outcome}"
        line = lines[number - 1] if number <= len(lines) else ""
        for piece in match["echo"].split("…"):
            assert _letters(piece) in _letters(line), (
                f"the echo is not line {number}: {line[:200]!r}\n{outcome}")


def assert_contract(outcome: Outcome, files: Sequence[str] = (), named: Sequence[str] = (),
                    seconds: float = IN_PROCESS_SECONDS, allowed: frozenset[int] = ALLOWED
                    ) -> None:
    """The contract of the module docstring. FILES: base names of the program files the
    input came from (an exit 2 must then carry a `FILE:LINE:COL:` position in one of them, or
    name one of NAMED); NAMED: data files (DFA files), whose errors name the file with the
    line and column where JSON reports them, else the offending key (docs: dfa_json.py)."""
    text = outcome.out + outcome.err
    assert not outcome.timed_out and outcome.seconds <= seconds, f"too slow\n{outcome}"
    assert outcome.status in allowed, f"exit status\n{outcome}"
    for word in FORBIDDEN:
        assert word not in text, f"{word!r} in the output\n{outcome}"
    longest = max((len(line) for line in outcome.err.splitlines()), default=0)
    assert longest <= LONGEST_ERROR_LINE, f"an error line of {longest} characters\n{outcome}"
    if outcome.status == 2:
        assert "error:" in outcome.err or "error:" in outcome.out, f"no error:\n{outcome}"
        if files or named:
            where = positioned(text, files) or any(
                re.search(rf"error:.*{re.escape(name)}", text) for name in named)
            assert where, f"no position in {list(files)} naming {list(named)}\n{outcome}"


class Blob:
    """File contents with a short repr (a failing case prints readably; the whole input is
    saved by `run_with_files`)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __repr__(self) -> str:
        head = self.data[:160]
        more = f" ... ({len(self.data)} bytes)" if len(self.data) > len(head) else ""
        return f"Blob({head!r}{more})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # hypothesis's printer
        printer.text(repr(self))


#: Where `run_with_files` keeps the files of a failing input.
FAILURES = Path(tempfile.gettempdir()) / "attn-fuzz-failures"


def run_with_files(argv: Sequence[str], files: dict[str, bytes], program_files: Sequence[str] = (),
                   named: Sequence[str] = (), seconds: float = IN_PROCESS_SECONDS) -> Outcome:
    """Write FILES into a fresh folder, run ARGV there in process and assert the contract
    (PROGRAM_FILES, NAMED: see `assert_contract`). On a failure the files are kept under
    FAILURES/<hash>/ and the message says where, with the command to replay."""
    with tempfile.TemporaryDirectory() as folder:
        for name, data in files.items():
            (Path(folder) / name).write_bytes(data)
        outcome = run_in_process(argv, cwd=Path(folder), seconds=seconds)
    try:
        assert_contract(outcome, files=program_files, named=named, seconds=seconds)
        assert_echoes(outcome, {name: data.decode("utf-8", errors="replace")
                                for name, data in files.items() if name in program_files})
    except AssertionError as failure:
        digest = hashlib.sha1(repr((list(argv), sorted(files.items()))).encode()).hexdigest()
        kept = FAILURES / digest[:12]
        kept.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (kept / name).write_bytes(data)
        raise AssertionError(f"{failure}\nreplay: cd {kept} && python -m verifier "
                             f"{' '.join(map(repr, argv))}") from None
    return outcome
