"""The stable CLI contract of spec section 8: JSON shapes and exit statuses of check/run/info."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from verifier.cli import dispatch

ROOT = Path(__file__).resolve().parents[1]
CONTAINS_AB = ROOT / "proofs" / "hybrid" / "contains_ab.attn"

UNPATCHED = """alphabet a b
precision fixed(4, 4)
prev_a = aggregate(select(local 1), a)
ab     = b and prev_a > 0.5
seen   = aggregate(select(global, where: ab[j]), ab)
accept seen > 0.5
assert recognizes ltl "P(b & Y a)"
"""

COUNTING = """alphabet a b
precision fixed(4, 4) denominator saturate
balance = aggregate(select(global, nonstrict), if a then 1 else -1)
accept balance > 0
assert recognizes ltl "P(a & !P true)"
"""


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = dispatch(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_all_proved_exits_0_with_the_documented_json() -> None:
    code, out, _ = _run("check", str(CONTAINS_AB), "--format", "json")
    assert code == 0
    claims = json.loads(out)["files"][0]["claims"]
    assert [c["verdict"] for c in claims] == ["proved"] * 4
    first = claims[0]
    assert set(first) >= {"line", "claim", "verdict", "bound", "method", "seconds",
                          "counterexample"}
    lines = CONTAINS_AB.read_text().splitlines()
    expected_line = lines.index('assert recognizes ltl "P(b & Y a)"') + 1
    assert first["line"] == expected_line and first["claim"] == 'recognizes ltl "P(b & Y a)"'
    assert first["bound"] is None and first["counterexample"] is None
    assert claims[1]["bound"] == 12


def test_a_refuted_claim_exits_1_with_its_counterexample(tmp_path: Path) -> None:
    code, out, _ = _run("check", _write(tmp_path, "u.attn", UNPATCHED), "--format", "json")
    assert code == 1
    claim = json.loads(out)["files"][0]["claims"][0]
    assert claim["verdict"] == "refuted"
    example = claim["counterexample"]
    assert example["word"] == ["a", "b"] * 8
    assert example["in_language"] is True and example["accepted"] is False


def test_text_report_shows_word_language_program_and_trace(tmp_path: Path) -> None:
    code, out, _ = _run("check", _write(tmp_path, "u.attn", UNPATCHED))
    assert code == 1
    assert ("counterexample: abababababababab (length 16); language: contains it; "
            "program: rejects it") in out
    assert "seen" in out and "17:eos" in out
    assert "fixed(4, 4)" in out
    assert "q\\k" not in out  # attention grids only with --attention
    code, grids, _ = _run("check", _write(tmp_path, "u.attn", UNPATCHED), "--attention")
    assert code == 1 and grids.count("q\\k") == 2 and grids.startswith(out.split("\n")[0])


def test_quiet_prints_the_summary_only(tmp_path: Path) -> None:
    code, out, _ = _run("check", _write(tmp_path, "u.attn", UNPATCHED), "--quiet")
    assert code == 1
    assert out.splitlines() == [out.strip()] and out.startswith("0 proved, 1 refuted, 0 unknown")


def test_no_times_leaves_out_every_wall_clock_figure(tmp_path: Path) -> None:
    path = _write(tmp_path, "u.attn", UNPATCHED)
    code, timed, _ = _run("check", path, str(CONTAINS_AB))
    code_untimed, untimed, _ = _run("check", path, str(CONTAINS_AB), "--no-times")
    assert code == code_untimed == 1
    assert re.search(r"\d s\)", timed) and not re.search(r"\d+\.\d+ s\b", untimed)
    assert untimed == re.sub(r", \d+\.\d\d s\)", ")", timed)
    assert untimed.splitlines()[-1] == "4 proved, 1 refuted, 0 unknown (2 files)"
    _, quiet, _ = _run("check", path, "--no-times", "--quiet")
    assert quiet == "0 proved, 1 refuted, 0 unknown (1 file)\n"


class Terminal(io.StringIO):
    """Standard error as a terminal would be: what the progress line writes is kept."""

    def isatty(self) -> bool:
        return True


def _on_terminal(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), Terminal()
    code = dispatch(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_a_terminal_shows_claims_done_and_how_far_the_engine_came(tmp_path: Path) -> None:
    bounded = _write(tmp_path, "b.attn", UNPATCHED.replace('a)"', 'a)" up to 5'))
    code, out, err = _on_terminal("check", bounded, "--engine", "bounded", "--no-times")
    assert code == 0 and "claim" in err and "bounded: length 0" in err
    assert re.search(r"all lengths: \d", err) is None
    code, _, err = _on_terminal("check", str(CONTAINS_AB), "--engine", "unbounded")
    assert code == 0 and re.search(r"all lengths: [1-9][\d ]* states", err)
    assert _run("check", bounded, "--engine", "bounded", "--no-times") == (0, out, "")


def test_quiet_or_other_processes_show_less_or_nothing(tmp_path: Path) -> None:
    assert _on_terminal("check", str(CONTAINS_AB), "--quiet")[2] == ""
    code, _, err = _on_terminal("check", str(CONTAINS_AB), "--engine", "unbounded",
                                "-j", "2")
    assert code == 0 and "claim" in err and "all lengths" not in err  # claims only


def test_no_progress_when_standard_error_is_not_a_terminal() -> None:
    done = subprocess.run([sys.executable, "-m", "verifier", "check", str(CONTAINS_AB)],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=120, check=False)
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.endswith("s)\n") and "4 proved" in done.stdout


def test_proofs_take_at_most_two_lines_per_claim() -> None:
    code, out, _ = _run("check", str(CONTAINS_AB.parent))
    lines = out.splitlines()
    claims = [line for line in lines if line.startswith("  ")]
    files = [line for line in lines[:-1] if not line.startswith(" ")]
    assert code == 0 and len(claims) == int(lines[-1].split()[0])
    assert len(lines) == len(claims) + len(files) + 1
    assert all(line.endswith(".attn") for line in files)


def test_unknown_without_refutation_exits_3(tmp_path: Path) -> None:
    path = _write(tmp_path, "c.attn", COUNTING)
    code, out, _ = _run("check", path, "--engine", "unbounded", "--format", "json")
    assert code == 3
    claim = json.loads(out)["files"][0]["claims"][0]
    assert claim["verdict"] == "unknown" and "saturate" in claim["reason"]


def test_unreadable_input_exits_2_and_other_files_are_still_checked(tmp_path: Path) -> None:
    bad = _write(tmp_path, "bad.attn", "alphabet a\naccept a +\n")
    code, out, err = _run("check", bad, str(CONTAINS_AB))
    assert code == 2
    assert "bad.attn:2:" in err and "bad.attn:2:" not in out and "4 proved" in out


def test_run_json_holds_word_accepted_and_trace() -> None:
    code, out, _ = _run("run", str(CONTAINS_AB), "bab", "--format", "json", "--attention")
    assert code == 0
    document = json.loads(out)
    assert document["word"] == ["b", "a", "b"] and document["accepted"] is True
    rows = {row["name"]: row["values"] for row in document["trace"]}
    assert rows["ab"] == [False, False, True, False] and rows["accept"][-1] is True
    assert {head["name"] for head in document["attention"]} == {"prev_a", "seen", "seen2"}


def test_info_json_reports_the_profile_figures_and_fragment() -> None:
    code, out, _ = _run("info", str(CONTAINS_AB), "--format", "json")
    assert code == 0
    info = json.loads(out)
    assert (info["ulp"], info["max"], info["attention_span"]) == ("0.0625", "7.9375", 7)
    assert info["depth"] == 3 and info["heads_per_layer"] == {"1": 1, "2": 1, "3": 1}
    assert info["fragment"] == {"scope": "hybrid", "attention": "soft"}


def test_extract_prints_the_minimal_dfa_and_machine_sizes() -> None:
    code, out, _ = _run("extract", str(CONTAINS_AB), "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["info"]["dfa_states"] == 3
    assert set(document["info"]["machines"]) >= {"prev_a", "seen", "seen2", "accept"}


def test_extract_json_reads_back_as_a_dfa_language(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = _run("extract", str(CONTAINS_AB), "--format", "json")
    (tmp_path / "own.json").write_text(out, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, proved, _ = _run("check", str(CONTAINS_AB), "--lang", "dfa:own.json")
    assert code == 0 and "proved" in proved
    code, classes, _ = _run("classify", "dfa:own.json", "--format", "json")
    assert code == 0 and json.loads(classes)["classes"]["LTL[P,Y]"] is True
    doubled = out.replace('"start":', '"start": "x", "start":', 1)
    (tmp_path / "twice.json").write_text(doubled, encoding="utf-8")
    code, _, err = _run("dfa", "dfa:twice.json")
    assert code == 2 and "key 'start' appears twice" in err


def test_extract_of_a_counting_program_is_unknown(tmp_path: Path) -> None:
    code, _, err = _run("extract", _write(tmp_path, "c.attn", COUNTING))
    assert code == 3 and err.startswith("unknown: denominator saturate")


def test_the_readme_tour_shows_the_real_output() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "$ verifier check proofs/precision/ab_unpatched_f44.attn --lang 'ltl:P(b & Y a)'\n"
    shown = readme.split(command, 1)[1].split("```", 1)[0]
    code, out, _ = _run("check", str(ROOT / "proofs/precision/ab_unpatched_f44.attn"),
                        "--lang", "ltl:P(b & Y a)")
    def seconds(text: str) -> str:
        return re.sub(r"\d+\.\d\d s\)", "S s)", text).replace(str(ROOT) + "/", "")
    assert code == 1 and seconds(out) == seconds(shown)


@pytest.mark.parametrize("argv", [
    ("check", str(CONTAINS_AB), "--eng", "enumerate"),
    ("dfa", "regex:a", "--alph", "a,b"),
    ("run", str(CONTAINS_AB), "ab", "--attn"),
])
def test_abbreviated_or_unknown_flags_get_the_subcommands_usage(argv: tuple[str, ...]) -> None:
    code, out, err = _run(*argv)
    assert code == 2 and not out
    assert err.startswith(f"usage: verifier {argv[0]} ") and "unrecognized arguments" in err


def test_an_alphabet_may_be_written_with_commas_or_spaces() -> None:
    spaced = _run("dfa", "regex:ab", "--alphabet", "a b c")
    commas = _run("dfa", "regex:ab", "--alphabet", "a,b,c")
    assert spaced == commas and spaced[0] == 0 and "over a b c" in spaced[1]
    code, _, err = _run("dfa", "regex:ab", "--alphabet", "a a")
    assert code == 2 and "twice" in err


def test_lang_dfa_is_read_relative_to_the_working_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    program = tmp_path / "sub" / "p.attn"
    program.parent.mkdir()
    program.write_text("alphabet a b\nlast = aggregate(select(local 1), a)\naccept last > 0.5\n",
                       encoding="utf-8")
    (tmp_path / "ends_a.json").write_text(json.dumps({
        "alphabet": ["a", "b"], "states": ["n", "y"], "start": "n", "accept": ["y"],
        "delta": {"n": {"a": "y", "b": "n"}, "y": {"a": "y", "b": "n"}}}), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _ = _run("check", "sub/p.attn", "--lang", "dfa:ends_a.json")
    assert code == 0 and "proved" in out


def test_run_takes_several_words_and_reads_dash_from_standard_input(
        monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = _run("run", str(CONTAINS_AB), "ab", "ba")
    assert code == 0 and out.startswith("ab: accepted") and "\n\nba: rejected" in out
    monkeypatch.setattr("sys.stdin", io.StringIO("ab\nba\n\n"))
    code, out, _ = _run("run", str(CONTAINS_AB), "-", "bab", "--format", "json")
    documents = json.loads(out)
    assert code == 0 and [d["word"] for d in documents] == [["a", "b"], ["b", "a"], [], list("bab")]
    assert [d["accepted"] for d in documents] == [True, False, False, True]
    code, _, err = _run("run", str(CONTAINS_AB), "ab", "abz")
    assert code == 2 and "unknown symbol 'z'" in err and err.splitlines()[-1].endswith("^")


def test_classify_and_dfa_take_a_program_for_its_own_language() -> None:
    code, out, _ = _run("classify", str(CONTAINS_AB), "--format", "json")
    document = json.loads(out)
    assert code == 0 and document["dfa_states"] == 3 and document["classes"]["LTL[P,Y]"]
    assert document["language"] == f"the language of {CONTAINS_AB}"
    code, table, _ = _run("dfa", str(CONTAINS_AB))
    assert code == 0 and table == _run("dfa", "regex:(a|b)*ab(a|b)*")[1]
    code, _, err = _run("dfa", str(CONTAINS_AB), "--alphabet", "a,b")
    assert code == 2 and "its alphabet is its own" in err
