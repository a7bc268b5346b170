"""`--html FILE` of `verifier check` and `verifier run` (verifier/report/html.py), and
`--format svg` of `extract` and `dfa`: self-contained pages, one heatmap per head, escaping,
DFAs with and without Graphviz, and the page in a real headless browser."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from verifier.checking import check_file
from verifier.cli import dispatch
from verifier.engines.verdict import Status
from verifier.report.html import clean_svg, colour, render_check_html

ROOT = Path(__file__).resolve().parents[2]
CONTAINS_AB = ROOT / "proofs" / "hybrid" / "contains_ab.attn"

# Refuted at length 16 (the vanishing head): two heads, prev_a and seen.
UNPATCHED = """alphabet a b
precision fixed(4, 4)
prev_a = aggregate(select(local 1), a)
ab     = b and prev_a > 0.5
seen   = aggregate(select(global, where: ab[j]), ab)
accept seen > 0.5
assert recognizes ltl "P(b & Y a)"
"""

# Unknown: a counting head (saturate) is not finite-state, and no counterexample is short.
UNKNOWN = """alphabet a b
precision fixed(4, 4) denominator saturate
balance = aggregate(select(global, nonstrict), if a then 1 else -1)
accept balance > -2
assert recognizes regex "(a|b)*"
"""

# Refuted by enumeration; the program's DFA cannot be extracted (it counts).
COUNTING = """alphabet a b
precision fixed(4, 4) denominator saturate
balance = aggregate(select(global, nonstrict), if a then 1 else -1)
accept balance > 0
assert recognizes ltl "P(a & !P true)"
"""

HEATMAP = re.compile(r'<svg class="heatmap"')


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text)
    return path


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = dispatch(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def _no_network(page: str) -> None:
    assert "http://" not in page and "https://" not in page
    assert "<script" not in page.lower()
    assert "<link" not in page.lower() and "@import" not in page
    assert not re.search(r"\bsrc=", page)
    assert re.findall(r"url\(([^)]*)\)", page) == [u for u in re.findall(r"url\(([^)]*)\)", page)
                                                    if u.startswith("#")]


@pytest.fixture()
def refuted_page(tmp_path: Path) -> str:
    results = [check_file(_write(tmp_path, "u.attn", UNPATCHED))]
    assert results[0].claims[0].verdict.status is Status.REFUTED
    return render_check_html(results)


def test_refuted_claim_has_one_heatmap_per_head(refuted_page: str) -> None:
    assert len(HEATMAP.findall(refuted_page)) == 2
    names = re.findall(r'<code class="head-name">([^<]*)</code>', refuted_page)
    assert names == ["prev_a", "seen"]
    assert 'class="verdict refuted"' in refuted_page
    assert "counterexample: <code>abababababababab</code> (length 16)" in refuted_page
    # the s-op table, every cell's exact weight in a tooltip, not-kept cells drawn apart
    assert "<th>s-op</th>" in refuted_page and ">17:eos</th>" in refuted_page
    assert "<title>query 3:a, key 2:b: weight 1</title>" in refuted_page
    assert 'class="absent"' in refuted_page and "not kept" in refuted_page
    assert re.search(r"weight 0\.\d+ = \d+/\d+</title>", refuted_page)
    _no_network(refuted_page)


def test_refuted_claim_shows_both_dfas(refuted_page: str) -> None:
    assert "the specification&#39;s minimal DFA (ltl &#34;P(b &amp; Y a)&#34;): 3 states" \
        in refuted_page
    assert "the program&#39;s minimal DFA: 17 states" in refuted_page
    if shutil.which("dot"):
        assert refuted_page.count('<svg width="') >= 2  # Graphviz's drawings, inlined
        assert "<?xml" not in refuted_page and "<!DOCTYPE svg" not in refuted_page


def test_proved_and_unknown_claims(tmp_path: Path) -> None:
    results = [check_file(CONTAINS_AB), check_file(_write(tmp_path, "k.attn", UNKNOWN))]
    page = render_check_html(results)
    assert page.count('class="verdict proved"') >= 4 * 2  # table row and section heading
    assert 'class="verdict unknown"' in page
    assert "reason: unbounded (program automaton): denominator saturate" in page
    assert not HEATMAP.search(page)  # no counterexample, no heatmap
    assert re.search(r"\d+ proved, 0 refuted, 1 unknown", page)
    _no_network(page)


def test_program_dfa_that_cannot_be_extracted_is_explained(tmp_path: Path) -> None:
    page = render_check_html([check_file(_write(tmp_path, "c.attn", COUNTING))])
    assert 'class="verdict refuted"' in page
    assert "the program&#39;s minimal DFA" in page and "not available: " in page
    assert len(HEATMAP.findall(page)) == 1


def test_without_graphviz_dfas_are_tables(refuted_page: str, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("verifier.langs.render.shutil.which", lambda name: None)
    page = render_check_html([check_file(_write(tmp_path, "u.attn", UNPATCHED))])
    assert "Graphviz not installed" in page
    assert page.count('<table class="dfa-table mono">') == 2
    assert len(HEATMAP.findall(page)) == 2


def test_user_text_is_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "<script>alert(1)<"
    folder.mkdir()
    _write(folder, "<script>.json", '{"alphabet": ["a", "b"], "states": ["q0"], "start": "q0",'
                                    ' "accept": ["q0"], "delta": {"q0": {"a": "q0", "b": "q0"}}}')
    program = _write(folder, "<b>.attn", UNPATCHED.replace('ltl "P(b & Y a)"',
                                                           'dfa "<script>.json"'))
    page = render_check_html([check_file(program)])
    assert "<script" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;" in page
    assert "recognizes dfa &#34;&lt;script&gt;.json&#34;" in page
    _no_network(page)


def test_check_and_run_write_the_page(tmp_path: Path) -> None:
    html = tmp_path / "check.html"
    code, out, _ = _run("check", str(CONTAINS_AB), "--html", str(html))
    assert code == 0 and "4 proved" in out
    assert html.read_text().startswith("<!DOCTYPE html>")
    html = tmp_path / "run.html"
    code, out, _ = _run("run", str(CONTAINS_AB), "abab", "--html", str(html))
    assert code == 0 and out.startswith("abab: accepted")
    page = html.read_text()
    assert len(HEATMAP.findall(page)) == 3  # prev_a, seen, seen2
    assert "abab: accepted [fixed(4, 4)]" in page
    _no_network(page)


def test_long_words_are_trimmed_and_cells_capped(tmp_path: Path) -> None:
    html = tmp_path / "run.html"
    code, _, _ = _run("run", str(CONTAINS_AB), "ab" * 40, "--html", str(html))
    assert code == 0
    page = html.read_text()
    assert "positions 25-57 of 81 not shown in the table and the heatmaps" in page
    sizes = {int(s) for s in re.findall(r'<rect class="cell" [^>]*width="(\d+)"', page)}
    assert sizes and max(sizes) <= 26


def test_colour_scale_is_monotone() -> None:
    shades = [colour(i / 10) for i in range(11)]
    assert shades[0] == "#f7fbff" and shades[-1] == "#08306b"
    assert len(set(shades)) == 11


def test_clean_svg_drops_prolog_and_namespaces() -> None:
    raw = ('<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "x" "http://www.w3.org/x.dtd">\n'
           '<!-- by graphviz -->\n<svg width="8pt" xmlns="http://www.w3.org/2000/svg" '
           'xmlns:xlink="http://www.w3.org/1999/xlink"><g/></svg>\n')
    assert clean_svg(raw) == '<svg width="8pt"><g/></svg>'


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
def test_format_svg_draws_with_graphviz() -> None:
    code, out, _ = _run("dfa", "regex:(a|b)*ab", "--format", "svg")
    assert code == 0 and "<svg" in out and "</svg>" in out
    code, out, _ = _run("extract", str(CONTAINS_AB), "--format", "svg")
    assert code == 0 and "<svg" in out


def test_format_svg_without_graphviz_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("verifier.langs.render.shutil.which", lambda name: None)
    for argv in (("dfa", "regex:(a|b)*ab", "--format", "svg"),
                 ("extract", str(CONTAINS_AB), "--format", "svg")):
        code, out, err = _run(*argv)
        assert code == 2 and out == ""
        assert "Graphviz's `dot` is not installed" in err


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def test_refuted_page_in_headless_chromium(refuted_page: str, tmp_path: Path) -> None:
    browser = _chromium()
    if browser is None:
        pytest.skip("no chromium binary on PATH (Debian: apt-get install chromium); "
                    "the HTML report's browser test is skipped")
    page = tmp_path / "refuted.html"
    page.write_text(refuted_page, encoding="utf-8")
    shot = tmp_path / "refuted.png"
    common = [browser, "--headless", "--disable-gpu", "--no-sandbox", "--hide-scrollbars",
              f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1200,900"]
    started = time.monotonic()
    done = subprocess.run([*common, "--enable-logging=stderr", "--v=0",
                           f"--screenshot={shot}", page.as_uri()],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Uncaught" not in done.stderr and "ERROR:CONSOLE" not in done.stderr
    assert not re.search(r"CONSOLE\(\d+\)", done.stderr), done.stderr[-2000:]
    assert shot.is_file() and shot.stat().st_size > 10_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    dom = subprocess.run([*common, "--dump-dom", page.as_uri()],
                         capture_output=True, text=True, timeout=120, check=False)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert len(HEATMAP.findall(dom.stdout)) == 2
    assert dom.stdout.count('class="cell"') == refuted_page.count('class="cell"')
    artifacts = os.environ.get("ATTN_ARTIFACTS")
    if artifacts:
        Path(artifacts).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(artifacts) / "html_report_refuted.png")
        shutil.copy(page, Path(artifacts) / "html_report_refuted.html")
    assert time.monotonic() - started < 120


def test_no_times_leaves_every_second_out_and_the_page_repeatable(tmp_path: Path) -> None:
    source = _write(tmp_path, "u.attn", "# u.attn: the story.\n" + UNPATCHED)
    pages = []
    for name in ("one.html", "two.html"):
        code, _, err = _run("check", str(source), "--no-times", "--html", str(tmp_path / name))
        assert code == 1, err
        pages.append((tmp_path / name).read_text())
    assert pages[0] == pages[1]
    assert "<th>time</th>" not in pages[0]
    assert not re.search(r"\d\.\d\d(&nbsp;| )s\b", pages[0])
    assert "u.attn: the story." in pages[0]
    code, _, _ = _run("check", str(source), "--html", str(tmp_path / "timed.html"))
    assert "<th>time</th>" in (tmp_path / "timed.html").read_text()


def test_reasons_set_code_spans_and_stay_escaped() -> None:
    from verifier.report.html import code_spans

    assert str(code_spans("outgrew (head `share`)")) == "outgrew (head <code>share</code>)"
    assert str(code_spans("a `<script>` b")) == "a <code>&lt;script&gt;</code> b"
    assert str(code_spans("x < `y` & z")) == "x &lt; <code>y</code> &amp; z"


def test_inline_svg_ids_are_prefixed() -> None:
    raw = '<svg><g id="graph0"><g id="node1"/></g></svg>'
    assert clean_svg(raw, "dfa3-") == '<svg><g id="dfa3-graph0"><g id="dfa3-node1"/></g></svg>'
