"""A fuzzing campaign that keeps going: `python -m tests.fuzz.campaign [--n N] [--seed S]
[KIND ...]` draws N inputs of each KIND (programs, mutated, specs, dfa, cli, process) from the
fuzz suite's strategies, runs them against the contract, and prints each distinct failure once
(grouped by the contract clause, the subcommand, the exit status and the error's words with
numbers and quoted text blanked), with the first input that showed it and the command to
replay it. Unlike the tests, it does not stop at the first failure nor shrink.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from fuzz import (  # noqa: E402
    test_fuzz_cli,
    test_fuzz_langs,
    test_fuzz_process,
    test_fuzz_programs,
)
from fuzz.contract import Blob  # noqa: E402
from fuzz.mutations import mutated  # noqa: E402

KINDS: dict[str, tuple[Callable[[], st.SearchStrategy[Any]], Callable[[Any], None]]] = {
    "programs": (test_fuzz_programs._generated_case, test_fuzz_programs._check),
    "mutated": (test_fuzz_programs._mutated_case, test_fuzz_programs._check),
    "specs": (test_fuzz_langs._spec_case, test_fuzz_langs._check_spec),
    "dfa": (test_fuzz_langs._dfa_case, test_fuzz_langs._check_dfa),
    "cli": (test_fuzz_cli.command_lines, test_fuzz_cli._check),
    "process": (lambda: mutated(test_fuzz_process.SPEC).map(Blob),
                test_fuzz_process._check_mutated),
}


def signature(kind: str, message: str) -> str:
    """What makes two failures the same kind."""
    clause = message.splitlines()[0] if message else "?"
    argv = re.search(r"argv=\[([^\]]*)\]", message)
    command = argv.group(1).split(",")[0].strip("' ") if argv else "?"
    status = re.search(r"status=(\S+)", message)
    err = message.split("--- stderr\n", 1)[1] if "--- stderr\n" in message else ""
    words = next((line for line in err.splitlines() if line.strip()), "")
    words = re.sub(r"'[^']*'|\"[^\"]*\"|\d+", "_", words)[:90]
    return f"{kind}: {clause} | {command} | exit {status.group(1) if status else '?'} | {words}"


def campaign(kind: str, count: int, start: int) -> dict[str, tuple[Any, str]]:
    """The distinct failures among COUNT inputs of KIND: signature -> (input, message)."""
    strategy, check = KINDS[kind]
    found: dict[str, tuple[Any, str]] = {}

    @seed(start)
    @settings(max_examples=count, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(strategy())
    def run(case: Any) -> None:
        try:
            check(case)
        except AssertionError as failure:
            found.setdefault(signature(kind, str(failure)), (case, str(failure)))

    run()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz.campaign")
    parser.add_argument("kinds", nargs="*", metavar="KIND", help=f"of {', '.join(KINDS)}")
    parser.add_argument("--n", type=int, default=500, help="inputs per kind (default 500)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    unknown = set(args.kinds) - set(KINDS)
    if unknown:
        parser.error(f"unknown kind {sorted(unknown)[0]!r}")
    total = 0
    for kind in args.kinds or list(KINDS):
        found = campaign(kind, args.n, args.seed)
        print(f"== {kind}: {args.n} inputs, {len(found)} distinct failures", flush=True)
        for key, (case, message) in found.items():
            total += 1
            print(f"-- {key}\n   input: {case!r}"[:2000])
            replay = next((line for line in message.splitlines()
                           if line.startswith("replay:")), "")
            print(f"   {replay}" if replay else "   " + message[:600].replace("\n", "\n   "))
    print(f"{total} distinct failures")


if __name__ == "__main__":
    main()
