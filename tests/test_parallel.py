"""`check -j N` and `check --dask`: the same report as one process, in the same order."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from verifier.cli import dispatch
from verifier.parallel import check_files

ROOT = Path(__file__).resolve().parents[1]


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = dispatch(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def _untimed(text: str) -> str:
    return re.sub(r"\d+\.\d\d s\)", "S s)", text)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("sweep")
    shutil.copytree(ROOT / "proofs" / "hybrid", base / "hybrid")
    shutil.copy(ROOT / "proofs" / "precision" / "ab_unpatched_f44.attn", base)
    (base / "broken.attn").write_text("alphabet a b\naccept a +\n", encoding="utf-8")
    (base / "wrong.attn").write_text(
        "alphabet a b\nh = aggregate(select(global), a)\naccept h > 0.5\n"
        'assert recognizes ltl "P a"\nassert accepts "ab"\nassert rejects "ab"\n',
        encoding="utf-8")
    return base


def test_two_processes_write_the_report_of_one(folder: Path) -> None:
    one = _run("check", str(folder))
    two = _run("check", str(folder), "-j", "2")
    assert one[0] == two[0] == 2  # broken.attn is unreadable; the rest is still decided
    assert _untimed(one[1]) == _untimed(two[1]) and one[2] == two[2]
    assert "REFUTED  line 4" in one[1] and "broken.attn:2:" in one[2]


def test_without_times_two_processes_write_the_same_bytes(tmp_path: Path) -> None:
    for name in ("global/first.attn", "local/ends_ab.attn", "precision/ab_unpatched_f44.attn"):
        shutil.copy(ROOT / "proofs" / name, tmp_path)
    for form in ("text", "json"):
        one = _run("check", str(tmp_path), "--no-times", "--format", form, "-j", "1")
        two = _run("check", str(tmp_path), "--no-times", "--format", form, "-j", "2")
        assert one == two and one[0] == 0
        assert " s)" not in one[1] and '"seconds": 0' not in one[1]


def test_without_times_the_proofs_are_reported_byte_for_byte_alike_with_j2() -> None:
    """Issue 14, item 5: `-j 2` on proofs/ writes what `-j 1` writes."""
    def check(jobs: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable, "-m", "verifier", "check", "proofs/",
                               "--no-times", "-j", jobs], cwd=ROOT, capture_output=True,
                              stdin=subprocess.DEVNULL, timeout=600, check=False)

    one, two = check("1"), check("2")
    assert (one.returncode, one.stderr) == (0, b"")
    assert (two.returncode, two.stdout, two.stderr) == (one.returncode, one.stdout, one.stderr)
    assert one.stdout.count(b"\n  proved ") > 100


def test_progress_counts_up_to_every_claim(folder: Path) -> None:
    files = sorted(folder.rglob("*.attn"))
    seen: list[tuple[int, int]] = []
    results = check_files(files, "enumerate", jobs=1,
                          progress=lambda done, total, path: seen.append((done, total)))
    claims = sum(len(r.claims) for r in results)
    assert seen[0] == (0, claims) and seen[-1] == (claims, claims)
    assert all(total == claims for _, total in seen)
    assert [done for done, _ in seen] == sorted({done for done, _ in seen})
    parallel: list[int] = []
    check_files(files, "enumerate", jobs=2,
                progress=lambda done, total, path: parallel.append(done))
    assert parallel == list(range(claims + 1))
    assert [r.path for r in results] == [str(f) for f in files]


@pytest.mark.slow
def test_a_dask_cluster_gives_the_same_verdicts(folder: Path) -> None:
    distributed = pytest.importorskip("distributed")
    files = sorted(folder.rglob("*.attn"))
    local = check_files(files, "enumerate")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        remote = check_files(files, "enumerate", dask_address=cluster.scheduler_address)
    assert [[c.verdict.status for c in r.claims] for r in remote] == \
        [[c.verdict.status for c in r.claims] for r in local]
    assert [[c.verdict.counterexample and c.verdict.counterexample.word for c in r.claims]
            for r in remote] == \
        [[c.verdict.counterexample and c.verdict.counterexample.word for c in r.claims]
         for r in local]
    assert [r.error is None for r in remote] == [r.error is None for r in local]


@pytest.mark.slow
def test_an_unreachable_scheduler_is_a_usage_error(folder: Path) -> None:
    pytest.importorskip("distributed")
    code, _, err = _run("check", str(folder / "wrong.attn"), "--dask", "tcp://127.0.0.1:9")
    assert code == 2 and err.startswith("error: --dask: cannot reach the Dask scheduler at")
