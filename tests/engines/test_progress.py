"""The engines' progress reports (Options.progress): how far they came, for display only."""

from __future__ import annotations

from dataclasses import replace

from verifier.engines.bounded import bounded_search
from verifier.engines.decide import Question, decide
from verifier.engines.search import Deadline
from verifier.engines.target import Target
from verifier.engines.unbounded import ExtractionCache, unbounded_search
from verifier.langs import parse_language
from verifier.options import Options, Stage
from verifier.pipeline import compile_text

CONTAINS_AB = """alphabet a b
prev_a = aggregate(select(local 1), a)
ab     = b and prev_a > 0.5
seen   = aggregate(select(global, where: ab[j]), ab)
accept seen > 0.5
"""


def _question(bound: int | None = None) -> tuple[Question, Target]:
    program = compile_text(CONTAINS_AB)
    target = Target(language=parse_language("regex", ".*ab.*", program.alphabet))
    return Question(program, target, bound), target


def _listener() -> tuple[list[tuple[Stage, int]], Options]:
    seen: list[tuple[Stage, int]] = []
    return seen, Options(progress=lambda stage, value: seen.append((stage, value)))


def test_the_bounded_engine_reports_each_length_up_to_its_bound() -> None:
    question, target = _question()
    seen, options = _listener()
    found = bounded_search(question.program, target, 7, Deadline(60), options)
    assert found.clean_up_to == 7
    assert seen == [(Stage.LENGTH, n) for n in range(8)]
    seen.clear()
    bounded_search(question.program, target, 7, Deadline(60), options, start=5)
    assert seen == [(Stage.LENGTH, n) for n in (5, 6, 7)]


def test_the_all_lengths_engine_reports_the_states_it_explored() -> None:
    question, target = _question()
    seen, options = _listener()
    result = unbounded_search(question.program, target, Deadline(60), options)
    assert result.reason is None  # decided (a long word refutes it in this precision)
    assert seen and all(stage is Stage.STATES for stage, _ in seen)
    counts = [value for _, value in seen]
    assert counts[-1] > 0 and counts == sorted(counts)
    cache = ExtractionCache()
    unbounded_search(question.program, target, Deadline(60), options, cache)
    seen.clear()
    unbounded_search(question.program, target, Deadline(60), options, cache)
    assert seen == []  # a program found in the cache costs no state


def test_progress_changes_no_verdict_and_is_not_a_setting() -> None:
    question, _ = _question(bound=6)
    seen, options = _listener()
    quiet = decide(question, "bounded", Options())
    loud = decide(question, "bounded", options)
    assert (loud.status, loud.method, loud.reason) == (quiet.status, quiet.method, quiet.reason)
    assert [value for _, value in seen] == list(range(7))
    assert options == Options() and hash(options) == hash(Options())
    assert "progress" not in repr(options) and replace(options, progress=None) == options


def test_claims_of_one_file_build_the_program_automaton_once(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """`check_file` keeps one ExtractionCache per file: two all-lengths claims on one
    program compose its machines once."""
    from pathlib import Path

    from verifier.checking import check_file
    from verifier.engines import unbounded

    built: list[object] = []
    original = unbounded.Composer

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        built.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(unbounded, "Composer", counting)
    path = Path(__file__).resolve().parents[2] / "proofs" / "global" / "first.attn"
    result = check_file(path)
    all_lengths = [c for c in result.claims if c.verdict.bound is None
                   and c.verdict.method.startswith("unbounded")]
    assert len(all_lengths) == 2 and all(c.verdict.status.value == "proved"
                                         for c in all_lengths)
    assert len(built) == 1
