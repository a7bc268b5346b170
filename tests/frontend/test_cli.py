"""`verifier run` in a subprocess: bad input exits 2 with positioned errors, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from corpus import BY_NAME

BAD = Path(__file__).parent / "bad"
ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "verifier", "run", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize(("name", "head"), [
    ("three_errors", "three_errors.attn:2:11: error: undefined name 'undefined_one'"),
    ("unterminated_string", "unterminated_string.attn:3:16: error: unterminated string"),
])
def test_bad_file_exits_2_without_traceback(name: str, head: str) -> None:
    result = run_cli(str(BAD / f"{name}.attn"), "ab")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    assert head in result.stderr
    assert "^" in result.stderr


def test_three_errors_are_all_printed() -> None:
    result = run_cli(str(BAD / "three_errors.attn"), "ab")
    assert result.stderr.count(": error: ") == 3


def test_bad_word_exits_2() -> None:
    result = run_cli(str(BY_NAME["contains_ab"].path), "abc")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "unknown symbol 'c'" in result.stderr


def test_good_run_prints_json() -> None:
    result = run_cli("--format", "json", str(BY_NAME["contains_ab"].path), "ab")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["word"] == ["a", "b"]
    assert document["accepted"] is True
    assert "trace" in document
