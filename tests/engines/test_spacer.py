"""The second all-lengths method (constrained Horn clauses, Spacer) against the first one,
the interpreter and the list semantics."""

from __future__ import annotations

import random

import pytest
import z3
from corpus import BY_NAME, CORPUS, CorpusProgram
from hypothesis import given
from strategies import SMALL_FORMATS, budgets, quick
from strategies.targets import Case, cases

from verifier.engines.search import Deadline, SearchResult
from verifier.engines.spacer import (
    METHOD,
    Unsupported,
    key_types,
    machine_spec,
    spacer_search,
    value_sets,
)
from verifier.engines.streaming import NotFiniteState, StreamingMachine, plan_head
from verifier.engines.target import Target
from verifier.engines.unbounded import unbounded_search
from verifier.interp import all_words, run_word
from verifier.ir.nodes import Program
from verifier.langs import parse_language
from verifier.options import Options
from verifier.pipeline import compile_text
from verifier.semantics import attention
from verifier.semantics.profile import Profile
from verifier.semantics.pyops import PyOps
from verifier.smt.z3ops import Z3Ops, new_context

TIMEOUT = 20.0
FORMULAS = ("P x", "Y x", "P(y & Y x)")

#: Corpus programs whose Spacer runs take seconds (fixed(8, 8) soft heads, wide scores):
#: checked under the `slow` mark only.
SLOW = frozenset({"more_a_than_b", "balanced_count", "score_soft_exp", "score_query_key",
                  "elementwise", "comparisons", "ite_mixed", "contains_ab", "extreme_scores",
                  "dyck1_pair_balance", "dyck1_pair_balance_2head"})


def _language_target(program: Program, template: str) -> Target:
    x, y = program.alphabet[0], program.alphabet[1 % len(program.alphabet)]
    formula = template.replace("x", f"<{x}>").replace("y", f"<{y}>")
    return Target(language=parse_language("ltl", formula, program.alphabet))


def _spacer(program: Program, target: Target, seconds: float = TIMEOUT) -> SearchResult:
    return spacer_search(program, target, Deadline(seconds), Options())


def _assert_agree(program: Program, target: Target) -> None:
    """Status-level agreement with method 1; a Spacer word must really separate."""
    first = unbounded_search(program, target, Deadline(60), Options(state_budget=50_000))
    second = _spacer(program, target)
    assert second.method == METHOD
    if second.all_lengths:
        assert first.all_lengths, (first, second)
    if first.word is not None:
        assert not second.all_lengths, (first, second)
    if second.word is not None:
        assert not first.all_lengths, (first, second)
        assert run_word(program, second.word).accepted != target.contains(second.word)
    if first.all_lengths:  # Spacer may give up, but never refute a proved claim
        assert second.word is None and not (second.reason or "").startswith(
            "spacer: reachable"), second


def _params(slow: bool) -> list[object]:
    return [pytest.param(e, id=e.name) for e in CORPUS if (e.name in SLOW) == slow]


@pytest.mark.parametrize("entry", _params(slow=False))
def test_spacer_agrees_with_method_one(entry: CorpusProgram) -> None:
    program = entry.compile()
    for template in FORMULAS:
        _assert_agree(program, _language_target(program, template))


@pytest.mark.slow
@pytest.mark.parametrize("entry", _params(slow=True))
def test_spacer_agrees_with_method_one_slow(entry: CorpusProgram) -> None:
    program = entry.compile()
    for template in FORMULAS:
        _assert_agree(program, _language_target(program, template))


def test_spec_program_is_proved() -> None:
    program = BY_NAME["contains_ab"].compile()
    result = _spacer(program, _language_target(program, "P(b & Y a)"), 60)
    assert result.all_lengths, result.reason


def test_one_head_program_is_refuted_by_ab_eight_times() -> None:
    program = BY_NAME["contains_ab_one_head"].compile()
    result = _spacer(program, _language_target(program, "P(b & Y a)"))
    assert not result.all_lengths
    assert result.word is not None, result.reason
    assert "".join(result.word) == "ab" * 8  # the only kind of separating word


def test_equivalent_programs() -> None:
    first = BY_NAME["first_is_a"].compile()
    same = BY_NAME["starts_with_a_nonstrict"].compile()
    assert _spacer(first, Target(other=same)).all_lengths
    spec, patched = BY_NAME["contains_ab"].compile(), BY_NAME["contains_ab_one_head"].compile()
    result = _spacer(patched, Target(other=spec), 60)
    assert result.word is not None and "".join(result.word) == "ab" * 8


def test_profiles_outside_the_fragment_are_unknown() -> None:
    for name, words in (("saturate_fixed21", "saturate"), ("sums_sequential", "sequential")):
        program = BY_NAME[name].compile()
        result = _spacer(program, _language_target(program, "P x"))
        assert not result.all_lengths and result.word is None
        assert result.reason is not None and words in result.reason


def test_too_many_key_types_is_unknown() -> None:
    program = compile_text("""alphabet a b
precision fixed(8, 8)
p = aggregate(select(global), a)
q = aggregate(select(global, where: p[j] > 0.25), p)
accept q > 0.5
""")
    result = _spacer(program, _language_target(program, "P x"))
    assert result.reason is not None and "not finitely enumerable" in result.reason


def test_timeout_is_unknown() -> None:
    program = BY_NAME["elementwise"].compile()
    result = _spacer(program, _language_target(program, "P x"), 0.5)
    assert not result.all_lengths and result.word is None
    assert result.reason is not None and result.reason.startswith("spacer:")


# --- the pieces --------------------------------------------------------------------------------


def _finite_entries() -> list[object]:
    return [pytest.param(e, id=e.name) for e in CORPUS
            if not (e.name.startswith("saturate") or e.name == "sums_sequential")]


@pytest.mark.parametrize("entry", _finite_entries())
def test_value_sets_and_key_types_cover_every_position(entry: CorpusProgram) -> None:
    """Every node value and key tuple met on the words up to length 6 is enumerated."""
    program = entry.compile()
    try:
        machine = StreamingMachine(program)
        spec = machine_spec(program)
    except (NotFiniteState, Unsupported) as reason:
        pytest.skip(str(reason))
    sets = value_sets(program)
    types = {h.node_id: set(h.types) for h in spec.heads}
    plans = {h: plan_head(program, h) for h in program.attention_nodes()}
    limit = 6 if len(program.alphabet) == 2 else 4
    for length in range(limit + 1):
        for word in all_words(len(program.alphabet), length):
            state = machine.initial()
            for symbol in [*map(int, word), None]:
                values = machine.values(state, symbol)
                for node_id, node in enumerate(program.nodes):
                    known = sets[node_id]
                    if not node.pair and known is not None:
                        assert values[node_id] in known, (node_id, values[node_id])
                if symbol is None:
                    break
                for head, plan in plans.items():
                    assert machine.key_type(plan, values) in types[head]
                state = machine.step(state, symbol)


def test_key_types_are_joint() -> None:
    """`ab` and its number are enumerated together: two types, not four."""
    program = BY_NAME["contains_ab"].compile()
    sets = value_sets(program)
    head = program.attention_nodes()[1]
    assert len(key_types(program, plan_head(program, head).key_nodes, sets)) == 2


PROFILES = [Profile(4, 4), Profile(4, 4, rounding="down"), Profile(3, 2, rounding="toward_zero"),
            Profile(4, 4, sums="sequential"), Profile(2, 2, denominator="saturate"),
            Profile(3, 3, rounding="down", sums="sequential")]


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.describe())
def test_symbolic_counts_equal_the_expanded_list(profile: Profile) -> None:
    """Symbolic multiplicities give the list semantics on the expanded lists (random cases;
    under `sums sequential` with one-signed values, the only case the engine encodes)."""
    rng = random.Random(7)
    ctx = new_context()
    py = PyOps()
    for case in range(60):
        types = rng.randint(1, 3)
        counts = [rng.randint(0, 9) for _ in range(types)]
        if profile.sums == "exact":
            values = [rng.randint(profile.min_raw, profile.max_raw) for _ in range(types)]
        else:  # one sign per case
            sign = 1 if case % 2 else -1
            values = [sign * rng.randint(0, profile.max_raw) for _ in range(types)]
        where = [rng.random() < 0.8 for _ in range(types)]
        scores = None if case % 3 == 0 else [rng.randint(profile.min_raw, profile.max_raw)
                                            for _ in range(types)]
        kept_py = [w and c > 0 for w, c in zip(where, counts, strict=True)]
        expanded = [(k, s, v) for k, s, v, c in zip(
            kept_py, scores or [0] * types, values, counts, strict=True) for _ in range(c)]
        expected, _ = attention.aggregate(
            py, profile, [e[0] for e in expanded],
            None if scores is None else [e[1] for e in expanded], [e[2] for e in expanded], 5)
        max_keys = 9 * types + 1
        ops = Z3Ops(ctx, profile, max_keys)
        symbolic = [ops.var(f"c{i}") for i in range(types)]
        kept = [z3.And(z3.BoolVal(w, ctx), c > 0) for w, c in zip(where, symbolic, strict=True)]
        output, _ = attention.aggregate(
            ops, profile, kept, None if scores is None else [ops.const(s) for s in scores],
            [ops.const(v) for v in values], ops.const(5), symbolic, max_keys)
        pinned = ops.substitute(output, list(zip(symbolic, counts, strict=True)))
        assert ops.value(pinned) == expected, (case, counts, values, scores, where)


def test_a_program_is_equivalent_to_itself() -> None:
    program = BY_NAME["b0_then_b1"].compile()
    assert _spacer(program, Target(other=program)).all_lengths


# --- random nontrivial programs (tests/strategies) ---------------------------------------------


def _check_random(case: Case) -> None:
    program, target = case.generated.program, case.target
    first = unbounded_search(program, target, Deadline(30), Options(state_budget=20_000))
    second = _spacer(program, target, RANDOM_TIMEOUT)
    assert second.method == METHOD
    if first.reason is None:
        assert first.all_lengths == (first.word is None)
    if second.all_lengths:
        assert first.reason is not None or first.all_lengths, (first, second)
    if second.word is not None:
        assert not first.all_lengths, (first, second)
        assert run_word(program, second.word).accepted != target.contains(second.word)
    if first.all_lengths:
        assert second.word is None, second
        assert not (second.reason or "").startswith("spacer: reachable"), second
    elif first.word is not None:
        assert not second.all_lengths, (first, second)


RANDOM_TIMEOUT = 5.0


@pytest.mark.parametrize("budget", budgets(8, 80))
def test_spacer_agrees_with_method_one_on_random_programs(budget: int) -> None:
    """Small formats (Spacer takes seconds on wide ones)."""
    quick(budget)(given(cases(formats=SMALL_FORMATS, max_heads=2))(_check_random))()


@pytest.mark.parametrize("kind", ["rightmost", "leftmost", "aggregate"])
@pytest.mark.parametrize("budget", budgets(3, 25))
def test_spacer_agrees_on_programs_with_a_head_that_keeps_nothing(kind: str, budget: int
                                                                  ) -> None:
    """Every program has a head of KIND (mostly global) whose `where:` holds nowhere, so it
    never records a key (the class of the issue-9 crash)."""
    strategy = cases(formats=SMALL_FORMATS, max_heads=2, empty_head=kind)
    quick(budget)(given(strategy)(_check_random))()


EMPTY_HEAD = """alphabet a b
x = {head}(select(global{nonstrict}, where: {where}), {value})
accept {accept}
"""


@pytest.mark.parametrize("head", ["rightmost", "leftmost", "aggregate"])
@pytest.mark.parametrize("nonstrict", ["", ", nonstrict"])
@pytest.mark.parametrize("where", ["a[j] and b[j]", "false", "a[j] and not a[j]"])
def test_a_head_that_keeps_nothing_is_encoded(head: str, nonstrict: str, where: str) -> None:
    """Regression (issue 9): a global head whose `where:` holds nowhere records no key type;
    the hard head's state then has no slot, and the encoding crashed (IndexError)."""
    hard = head != "aggregate"
    text = EMPTY_HEAD.format(head=head, nonstrict=nonstrict, where=where, value="a",
                             accept="not x" if hard else "x < 0.5")
    program = compile_text(text)
    proved = _spacer(program, Target(language=parse_language("regex", "(a|b)*",
                                                             program.alphabet)))
    assert proved.all_lengths, proved.reason
    refuted = _spacer(program, Target(language=parse_language("regex", "(a|b)+",
                                                              program.alphabet)))
    assert refuted.word == (), refuted


def test_cross_check_of_an_empty_head_is_proved() -> None:
    """The issue's example through the command line: exit 0, cross-checked."""
    import io
    import tempfile
    from pathlib import Path

    from verifier.cli import dispatch

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "empty.attn"
        path.write_text("alphabet a b\nx = rightmost(select(global, where: a[j] and b[j]), a)\n"
                        'accept not x\nassert recognizes regex "(a|b)*"\n')
        out, err = io.StringIO(), io.StringIO()
        status = dispatch(["check", str(path), "--cross-check"], out, err)
    assert status == 0, (out.getvalue(), err.getvalue())
    assert "cross-checked by spacer" in out.getvalue() and "agrees" in out.getvalue()
