"""The documentation keeps its promises.

1. Every ```attn example of docs/language.md reads and gets the verdicts the text gives it:
   every claim proved, unless an HTML comment right before the fence says otherwise:
   `<!-- expect: refuted -->` (no error, some claim refuted, none unknown) or
   `<!-- expect: error "SUBSTRING" -->` (the file is refused; the message contains SUBSTRING).
   A block preceded by `<!-- file: NAME -->` is also written to NAME in a scratch folder, which
   is where the examples' claims find their files (`dfa "…"`, `equivalent "…"`).
2. Every relative link in README.md, docs/*.md and proofs/**/*.md resolves to a file inside the
   repository (and its `#anchor` to a heading of that file); no link or path leaves it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

from verifier import Options, check_text

REPO = Path(__file__).resolve().parents[1]
LANGUAGE = REPO / "docs" / "language.md"

_FENCE = re.compile(r"^```(\w*)\s*$")
_MARKER = re.compile(r"^<!--\s*(expect|file):\s*(.*?)\s*-->\s*$")


@dataclass(frozen=True)
class Block:
    """One fenced block: its language, first line (1-based, the fence) and text."""

    lang: str
    line: int
    text: str
    expect: str = "proved"
    message: str | None = None
    file: str | None = None


def _blocks(path: Path) -> list[Block]:
    """The fenced blocks of PATH with the markers written right before them."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        opened = _FENCE.match(lines[index])
        if opened is None:
            index += 1
            continue
        end = index + 1
        while end < len(lines) and lines[end].strip() != "```":
            end += 1
        expect, message, name = "proved", None, None
        back = index - 1
        while back >= 0 and (not lines[back].strip() or _MARKER.match(lines[back])):
            marker = _MARKER.match(lines[back])
            if marker is not None:
                if marker.group(1) == "file":
                    name = marker.group(2)
                else:
                    kind, _, rest = marker.group(2).partition(" ")
                    expect, message = kind, rest.strip().strip('"') or None
            back -= 1
        blocks.append(Block(opened.group(1), index + 1, "\n".join(lines[index + 1:end]) + "\n",
                            expect, message, name))
        index = end + 1
    return blocks


BLOCKS = _blocks(LANGUAGE)
EXAMPLES = [b for b in BLOCKS if b.lang == "attn"]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding every block marked `<!-- file: NAME -->`."""
    folder = tmp_path_factory.mktemp("language_md")
    for block in BLOCKS:
        if block.file is not None:
            (folder / block.file).write_text(block.text, encoding="utf-8")
    return folder


def test_the_reference_has_its_examples() -> None:
    assert len(EXAMPLES) >= 20
    assert {b.expect for b in EXAMPLES} == {"proved", "refuted", "error"}
    assert all(b.expect in ("proved", "refuted", "error") for b in BLOCKS)


@pytest.mark.parametrize("block", EXAMPLES, ids=[f"line{b.line}" for b in EXAMPLES])
def test_example(block: Block, files: Path) -> None:
    where = f"docs/language.md:{block.line}"
    result = check_text(block.text, path=where, base_dir=files,
                        options=Options(timeout=30))
    if block.expect == "error":
        assert result.error is not None, f"{where}: the example should be refused"
        rendered = result.error.render()
        assert block.message is None or block.message in rendered, rendered
        return
    assert result.error is None, result.error.render()
    verdicts = [(c.line, c.claim, c.verdict.status.value, c.verdict.reason)
                for c in result.claims]
    assert verdicts, f"{where}: an example should make at least one claim"
    statuses = {v[2] for v in verdicts}
    if block.expect == "refuted":
        assert "refuted" in statuses and "unknown" not in statuses, verdicts
    else:
        assert statuses == {"proved"}, verdicts


# --- links -------------------------------------------------------------------------------

def _markdown_files() -> list[Path]:
    found = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md")),
             *sorted((REPO / "proofs").rglob("*.md"))]
    return [path for path in found if path.is_file()]


_CODE_BLOCK = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)
_INLINE_LINK = re.compile(
    r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s.*)?$", re.M)
_EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")  # http:, https:, mailto:, …


def _prose(text: str) -> str:
    """TEXT without fenced code blocks and code spans (links inside them are not links)."""
    return _CODE_SPAN.sub("", _CODE_BLOCK.sub("", text))


def _links(path: Path) -> list[str]:
    text = _prose(path.read_text(encoding="utf-8"))
    return _INLINE_LINK.findall(text) + _REFERENCE.findall(text)


def _slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"<[^>]+>", "", heading.strip())
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a link keeps its text
    text = text.replace("`", "").lower()
    kept = "".join(c for c in text if c in " -_" or unicodedata.category(c)[0] in "LNM")
    return kept.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    anchors: set[str] = set()
    seen: dict[str, int] = {}
    text = _CODE_BLOCK.sub("", path.read_text(encoding="utf-8"))
    for heading in re.findall(r"^#{1,6}\s+(.*?)\s*#*\s*$", text, re.M):
        slug = _slug(heading)
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.add(slug if count == 0 else f"{slug}-{count}")
    anchors.update(re.findall(r"<a\s+(?:name|id)=\"([^\"]+)\"", text))
    return anchors


MARKDOWN = _markdown_files()


def test_the_link_checker_sees_the_documents() -> None:
    names = {path.relative_to(REPO).as_posix() for path in MARKDOWN}
    assert {"README.md", "docs/language.md", "docs/theory.md", "proofs/README.md"} <= names
    assert len(_links(REPO / "README.md")) >= 5
    assert "a-first-program" in _anchors(LANGUAGE)


def _link_problems(path: Path) -> list[str]:
    problems = []
    for link in _links(path):
        if not link or _EXTERNAL.match(link):
            continue
        target, _, anchor = link.partition("#")
        resolved = (path.parent / target).resolve() if target else path
        if not resolved.is_relative_to(REPO):
            problems.append(f"{link}: points outside the repository")
        elif not resolved.exists():
            problems.append(f"{link}: no such file")
        elif anchor and resolved.suffix == ".md" and anchor not in _anchors(resolved):
            problems.append(f"{link}: no heading #{anchor} in {resolved.name}")
    return problems


def test_the_link_checker_finds_bad_links(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    (repo / "docs").mkdir(parents=True)
    (repo / "docs" / "theory.md").write_text("# The logics\n", encoding="utf-8")
    page = repo / "docs" / "page.md"
    page.write_text("# Top\n[ok](theory.md#the-logics) [self](#top) [gone](nothing.md) "
                    "[out](../../x.md) [anchor](theory.md#nowhere) `[code](missing.md)`\n"
                    "[web](https://example.org)\n\n```\n[block](missing.md)\n```\n",
                    encoding="utf-8")
    (tmp_path / "x.md").write_text("outside\n", encoding="utf-8")
    monkeypatch.setitem(globals(), "REPO", repo)
    assert _link_problems(page) == ["nothing.md: no such file",
                                    "../../x.md: points outside the repository",
                                    "theory.md#nowhere: no heading #nowhere in theory.md"]
    assert _slug("Attention: three forms") == "attention-three-forms"
    assert _slug("`precision` and the profile options") == "precision-and-the-profile-options"


@pytest.mark.parametrize("path", MARKDOWN, ids=[p.relative_to(REPO).as_posix() for p in MARKDOWN])
def test_links_resolve_inside_the_repository(path: Path) -> None:
    problems = _link_problems(path)
    assert not problems, f"{path.relative_to(REPO)}: " + "; ".join(problems)


def _reference_cases() -> list[object]:
    return [pytest.param(path, id=path.relative_to(REPO).as_posix()) for path in MARKDOWN]


@pytest.mark.parametrize("path", _reference_cases())
def test_no_reference_outside_the_repository(path: Path) -> None:
    """The language reference and the theory live in docs/: no document sends its reader to
    the specification or theory files outside the project."""
    text = path.read_text(encoding="utf-8")
    for outside in ("shared/spec", "../shared", "THEORY.md", "LANGUAGE.md"):
        assert outside not in text, f"{path.relative_to(REPO)} mentions {outside}"
