"""Issue 9's input kinds: special files, OS errors, echoed text, line splitting, alphabets as
sets, option values, `compile -o`, and compile output that reads back. Each test covers the
kind (several members of it), not only the example the fuzzing campaign found."""

from __future__ import annotations

import io
import json
import os
import time
from pathlib import Path

import pytest

from verifier.cli import dispatch
from verifier.errors import SHOWN_ERRORS, Diagnostic, Span, caret_lines
from verifier.files import MAX_INPUT_BYTES, UnreadableFile, read_text

GOOD = "alphabet a b\nprecision fixed(4, 4)\naccept a\n"
ENDS_A = ("alphabet a b\nprecision fixed(4, 4)\nlast = rightmost(select(local 1), a)\n"
          "accept last\n")


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = dispatch(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def _write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def _assert_refused(code: int, out: str, err: str, fragment: str) -> None:
    assert code == 2, out + err
    assert fragment in err, err
    assert "Traceback" not in out + err and "internal error" not in out + err


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/urandom", "/dev/null", "/"])
def test_special_files_are_refused_at_once(special: str) -> None:
    start = time.monotonic()
    code, out, err = _run("check", special) if special != "/" else _run("run", special, "a")
    assert time.monotonic() - start < 1.0
    _assert_refused(code, out, err, "not a regular file")


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.attn"
    os.mkfifo(fifo)
    for argv in (("check", str(fifo)), ("info", str(fifo)), ("classify", f"dfa:{fifo}")):
        start = time.monotonic()
        code, out, err = _run(*argv)
        assert time.monotonic() - start < 1.0
        _assert_refused(code, out, err, "a FIFO")


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/urandom", "."])
def test_a_claims_dfa_file_must_be_a_regular_file(tmp_path: Path, target: str) -> None:
    program = _write(tmp_path / "p.attn", GOOD + f'assert recognizes dfa "{target}"\n')
    code, out, err = _run("check", program)
    _assert_refused(code, out, err, "not a regular file")
    assert "p.attn:4:" in err


def test_large_files_are_refused_after_reading_at_most_the_cap(tmp_path: Path) -> None:
    big = tmp_path / "big.attn"
    with big.open("wb") as handle:
        handle.truncate(MAX_INPUT_BYTES + 1)  # sparse: st_size is honest here, but the
    code, out, err = _run("check", str(big))  # reader counts the bytes it reads anyway
    _assert_refused(code, out, err, "larger than")
    json_file = tmp_path / "big.json"
    json_file.write_text("[" * (MAX_INPUT_BYTES + 10))
    code, out, err = _run("classify", f"dfa:{json_file}")
    _assert_refused(code, out, err, "larger than")


def test_the_reader_caps_bytes_even_when_st_size_lies() -> None:
    with pytest.raises(UnreadableFile, match="a character device"):
        read_text(Path("/dev/zero"), limit=10)


@pytest.mark.parametrize("argv", [
    ("check", "x" * 300 + ".attn"), ("run", "y" * 300, "a"), ("info", "a/" * 3000),
    ("classify", "dfa:" + "z" * 300), ("check", "bad\0name.attn"),
])
def test_os_errors_are_usage_errors_not_internal_errors(argv: tuple[str, ...]) -> None:
    code, out, err = _run(*argv)
    assert code == 2, err
    assert "internal error" not in out + err and "Errno" not in out + err


def test_equivalent_refuses_non_programs_and_never_echoes_their_text(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-LINE\n")
    for target in ("secret.txt", "x" * 300 + ".attn", "missing.attn"):
        program = _write(tmp_path / "p.attn", GOOD + f'assert equivalent "{target}"\n')
        code, out, err = _run("check", program)
        _assert_refused(code, out, err, "p.attn:4:")
        assert "TOP-SECRET" not in out + err


def test_alphabets_of_equivalent_programs_are_sets(tmp_path: Path) -> None:
    _write(tmp_path / "other.attn", ENDS_A.replace("alphabet a b", "alphabet b a"))
    _write(tmp_path / "not_a.attn", "alphabet b a\nprecision fixed(4, 4)\n"
           "last = rightmost(select(local 1), b)\naccept last\n")
    program = _write(tmp_path / "p.attn", ENDS_A + 'assert equivalent "other.attn" up to 4\n'
                     'assert equivalent "other.attn"\nassert equivalent "not_a.attn" up to 3\n'
                     'assert accepts "ba"\n')
    code, out, err = _run("check", program, "--format", "json")
    import json

    claims = json.loads(out)["files"][0]["claims"]
    assert [c["verdict"] for c in claims] == ["proved", "proved", "refuted", "proved"], err
    assert code == 1
    assert claims[2]["counterexample"]["word"] in (["a"], ["b"])


def test_different_alphabets_are_still_an_error(tmp_path: Path) -> None:
    _write(tmp_path / "other.attn", "alphabet a c\naccept a\n")
    program = _write(tmp_path / "p.attn", GOOD + 'assert equivalent "other.attn"\n')
    code, out, err = _run("check", program)
    _assert_refused(code, out, err, "has alphabet a c")


@pytest.mark.parametrize("separator", ["\f", "\v", "\u2028", "\u2029", "\x85", "\x1c", "\r"])
def test_the_caret_shows_the_line_the_parser_counts(tmp_path: Path, separator: str) -> None:
    source = f"alphabet a b\n# note{separator}still line two\nx = a +\naccept x\n"
    program = _write(tmp_path / "p.attn", source)
    code, out, err = _run("check", program)
    assert code == 2
    position = err.splitlines()[0]
    assert ":3:" in position and "x = a +" in err.splitlines()[1], err


def test_crlf_and_a_byte_order_mark_are_read(tmp_path: Path) -> None:
    path = tmp_path / "p.attn"
    path.write_bytes(("\ufeff" + GOOD + 'assert rejects "ba"\n').replace("\n", "\r\n")
                     .encode("utf-8"))
    code, out, err = _run("check", str(path))
    assert code == 0, out + err


def test_long_lines_and_words_are_cut_around_the_caret() -> None:
    text = "a" * 1_000_000 + "z" + "a" * 10
    block = caret_lines(text, 1_000_000)
    shown, caret = block.splitlines()
    assert len(shown) < 200 and shown[caret.index("^")] == "z"
    rendered = Diagnostic("f.attn", Span(1, 1_000_001, 1, 1_000_002), "bad").render(text)
    assert len(rendered) < 300


def test_a_rejected_long_word_is_not_echoed_whole(tmp_path: Path) -> None:
    program = _write(tmp_path / "p.attn", GOOD)
    code, out, err = _run("run", program, "ab" * 500_000 + "c")
    _assert_refused(code, out, err, "unknown symbol 'c'")
    assert len(err) < 500
    long_claim = _write(tmp_path / "q.attn", GOOD + 'assert accepts "' + "a" * 5000 + 'c"\n')
    code, out, err = _run("check", long_claim)
    _assert_refused(code, out, err, "q.attn:4:")
    assert len(err) < 500


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "-inf", "1e300", "soon"])
@pytest.mark.parametrize("command", ["check", "extract"])
def test_timeouts_are_positive_finite_seconds_everywhere(command: str, value: str) -> None:
    program = str(Path(__file__).parents[1] / "corpus" / "spec" / "contains_ab.attn")
    code, out, err = _run(command, program, "--timeout", value)
    _assert_refused(code, out, err, "--timeout")


def test_compile_output_must_not_replace_its_input_or_an_existing_file(tmp_path: Path) -> None:
    dfa = tmp_path / "d.json"
    dfa.write_text('{"alphabet": ["a", "b"], "states": ["q"], "start": "q", "accept": ["q"],'
                   ' "delta": {"q": {"a": "q", "b": "q"}}}')
    before = dfa.read_text()
    for force in ((), ("--force",)):
        code, out, err = _run("compile", f"dfa:{dfa}", "--arch", "global", "-o", str(dfa), *force)
        _assert_refused(code, out, err, "input DFA file")
        assert dfa.read_text() == before
    existing = tmp_path / "prog.attn"
    existing.write_text("keep me\n")
    code, out, err = _run("compile", "ltl:Y a", "--arch", "local", "-o", str(existing))
    _assert_refused(code, out, err, "exists")
    assert existing.read_text() == "keep me\n"
    code, out, err = _run("compile", "ltl:Y a", "--arch", "local", "-o", str(existing), "--force")
    assert code == 0 and existing.read_text().startswith("# Compiled")


@pytest.mark.parametrize("spec", ["regex:a\tb", "regex:a\\t", "ltl:Y\ta", "regex:a\u00a0b",
                                  'ltl:Y <"> ', "regex:(a\nb)"])
def test_what_compile_writes_reads_back_as_the_same_language(tmp_path: Path, spec: str) -> None:
    out_file = tmp_path / "c.attn"
    code, out, err = _run("compile", spec, "--arch", "local", "--alphabet", "a,b",
                          "-o", str(out_file))
    if code != 0:  # refused (the language is not written in .attn or not in the class)
        assert code == 2 and "Traceback" not in err
        return
    code, out, err = _run("check", str(out_file))
    assert code == 0, out + err


def test_argparse_complaints_do_not_echo_a_long_argument_whole() -> None:
    code, out, err = _run("info", "p.attn", "ab" * 50_000)
    assert code == 2 and "unrecognized arguments" in err
    assert max(len(line) for line in err.splitlines()) <= 400


BIG = "9" * 5000


@pytest.mark.parametrize("text", [
    f"alphabet a b\nx = {BIG}\naccept x > 1\n",
    f"alphabet a b\nh = aggregate(select(local {BIG}), a)\naccept h > 0\n",
    f"alphabet a b\nprecision fixed({BIG}, 4)\naccept a\n",
    f'alphabet a b\naccept a\nassert recognizes regex "a*" up to {BIG}\n',
    f"alphabet a b\nx = 0.{'0' * 5000}1\naccept x > 0\n",
])
def test_numbers_too_long_to_convert_are_positioned_errors(tmp_path: Path, text: str) -> None:
    code, out, err = _run("check", _write(tmp_path / "p.attn", text))
    _assert_refused(code, out, err, "p.attn:")
    assert "longer than" in err


def test_a_dfa_file_with_a_huge_number_is_that_files_error_only(tmp_path: Path) -> None:
    (tmp_path / "big.json").write_text('{"alphabet": ["a"], "states": ["q"], "start": '
                                       + "9" * 100_000 + ', "accept": [], "delta": {}}')
    _write(tmp_path / "a.attn", GOOD + 'assert recognizes dfa "big.json"\n')
    _write(tmp_path / "b.attn", GOOD + 'assert rejects "ba"\n')
    code, out, err = _run("check", str(tmp_path))
    _assert_refused(code, out, err, "a.attn:4:")
    assert "1 proved" in out
    for command in ("dfa", "classify"):
        code, out, err = _run(command, f"dfa:{tmp_path / 'big.json'}")
        _assert_refused(code, out, err, "invalid JSON")


def test_special_files_as_compile_output_or_equivalent_programs(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.attn"
    os.mkfifo(fifo)
    start = time.monotonic()
    code, out, err = _run("compile", "ltl:P a", "--arch", "global", "--alphabet", "a,b",
                          "-o", str(fifo), "--force")
    assert time.monotonic() - start < 5
    _assert_refused(code, out, err, "not a regular file")
    program = _write(tmp_path / "p.attn", GOOD + 'assert equivalent "pipe.attn"\n')
    code, out, err = _run("check", program)
    _assert_refused(code, out, err, "a FIFO")


def test_classifier_limits_are_unknown_not_a_refusal() -> None:
    code, out, err = _run("compile", "regex:(a|b)*a(a|b){9}", "--arch", "local")
    assert code == 3 and "unknown:" in err and "is not in" not in err
    code, out, err = _run("classify", "regex:(a|b)*a(a|b){12}")
    assert code == 3 and "unknown" in out


def test_many_errors_are_cut_after_twenty(tmp_path: Path) -> None:
    lines = "".join(f"x{k} = 0.{k + 1}1\n" for k in range(SHOWN_ERRORS + 5))
    path = tmp_path / "many.attn"
    path.write_text("alphabet a b\n" + lines + "accept a\n")
    out, err = io.StringIO(), io.StringIO()
    assert dispatch(["check", str(path)], out, err) == 2
    assert err.getvalue().count(": error: ") == SHOWN_ERRORS
    assert f"{path}: ... and 5 more errors (the first {SHOWN_ERRORS} are shown)" in err.getvalue()
    out = io.StringIO()
    dispatch(["check", str(path), "--format", "json"], out, io.StringIO())
    assert len(json.loads(out.getvalue())["files"][0]["errors"]) == SHOWN_ERRORS + 5
