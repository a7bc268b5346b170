"""Many claims at once: `verifier check -j N` (processes) and `--dask ADDRESS` (a cluster).

The unit of work is one claim: a task is (file, claim index), and a worker reads the file
again and decides that claim only, so that nothing but paths, options and verdicts cross a
process boundary. Input errors are found first, in this process, so an unreadable file costs
no worker. Results come back in file order and, within a file, in claim order, whatever order
the workers finish in: the report is the same as the one sequential `check` writes.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path

from verifier.checking import AdHocClaim, ClaimResult, FileResult, check_file, count_claims
from verifier.options import Options

#: Progress callback: (claims decided, claims in all, the file of the claim just decided);
#: told (0, claims in all, "") first, before any claim is decided.
Progress = Callable[[int, int, str], None]


class SchedulerError(Exception):
    """The Dask scheduler named by `--dask` cannot be reached (the message says why)."""


@dataclass(frozen=True)
class Task:
    """Decide claim INDEX (0-based, in file order) of the file PATH."""

    path: str
    index: int
    engine: str
    options: Options
    adhoc: AdHocClaim | None


def decide_task(task: Task) -> ClaimResult | FileResult:
    """The verdict of TASK's claim (run in a worker); the file's input error if it cannot be
    read there (a file changed since it was counted)."""
    result = check_file(Path(task.path), task.engine, task.options, task.adhoc,
                        only=task.index)
    return result if result.error is not None or not result.claims else result.claims[0]


def check_files(files: Sequence[Path], engine: str = "auto", options: Options | None = None,
                adhoc: AdHocClaim | None = None, *, jobs: int = 1,
                dask_address: str | None = None, progress: Progress | None = None
                ) -> list[FileResult]:
    """Every claim of FILES decided in JOBS processes (1: in this process, file by file) or
    on the Dask scheduler at DASK_ADDRESS; PROGRESS is told how many claims there are, then
    of each decided claim (in this process: after each file). The engines' progress
    (OPTIONS.progress) is told only in this process: workers get none.

    Errors: ImportError (with the extra to install) when DASK_ADDRESS is given without
    `distributed`; SchedulerError when the scheduler cannot be reached."""
    options = options or Options()
    counted = [(path, count_claims(path, adhoc, options.precision)) for path in files]
    if progress is not None:
        progress(0, sum(count for _, count in counted if isinstance(count, int)), "")
    if dask_address is None and jobs <= 1:
        return list(_sequential(counted, engine, options, adhoc, progress))
    options = replace(options, progress=None, extractions=None)  # they stay in this process
    tasks = [Task(str(path), index, engine, options, adhoc)
             for path, count in counted if isinstance(count, int) for index in range(count)]
    done: dict[tuple[str, int], ClaimResult | FileResult] = {}
    for task, outcome in _run(tasks, jobs, dask_address):
        done[(task.path, task.index)] = outcome
        if progress is not None:
            progress(len(done), len(tasks), task.path)
    return [_assemble(str(path), count, done) for path, count in counted]


def _sequential(counted: list[tuple[Path, int | FileResult]], engine: str, options: Options,
                adhoc: AdHocClaim | None, progress: Progress | None) -> Iterator[FileResult]:
    """File by file in this process (no file is read twice more), progress after each."""
    total = sum(count for _, count in counted if isinstance(count, int))
    done = 0
    for path, count in counted:
        if isinstance(count, FileResult):
            yield count
            continue
        result = check_file(path, engine, options, adhoc)
        done += len(result.claims)
        if progress is not None:
            progress(done, total, str(path))
        yield result


def _assemble(path: str, count: int | FileResult,
              done: dict[tuple[str, int], ClaimResult | FileResult]) -> FileResult:
    if isinstance(count, FileResult):
        return count
    outcomes = [done[(path, index)] for index in range(count)]
    failed = next((o for o in outcomes if isinstance(o, FileResult)), None)
    if failed is not None:
        return failed
    return FileResult(path, tuple(o for o in outcomes if isinstance(o, ClaimResult)))


Outcomes = Iterator[tuple[Task, ClaimResult | FileResult]]


def _run(tasks: list[Task], jobs: int, dask_address: str | None) -> Outcomes:
    """(task, outcome) pairs as the tasks finish."""
    if dask_address is not None:
        yield from _run_dask(tasks, dask_address)
    else:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(min(jobs, len(tasks)), mp_context=context) as pool:
            yield from _completed(pool, tasks)


def _completed(pool: Executor, tasks: list[Task]) -> Outcomes:
    futures: dict[Future[ClaimResult | FileResult], Task] = {
        pool.submit(decide_task, task): task for task in tasks}
    for future in as_completed(futures):
        yield futures[future], future.result()


def _run_dask(tasks: list[Task], address: str) -> Outcomes:
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError:
        raise ImportError("--dask needs the optional extra: "
                          "pip install 'attention-verifier[dask]'") from None
    try:
        client = Client(address, timeout="10s")  # type: ignore[no-untyped-call]
    except (OSError, ValueError, TypeError) as error:  # unreachable, or not an address
        raise SchedulerError(f"cannot reach the Dask scheduler at {address!r}: {error}"
                             ) from None
    with client:
        futures = {client.submit(decide_task, task, pure=False): task for task in tasks}
        for future in dask_completed(list(futures)):  # type: ignore[no-untyped-call]
            yield futures[future], future.result()
