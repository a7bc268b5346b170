"""`python -m verifier.report.catalog proofs/`: the catalog of a proofs folder, as markdown.

Decides every claim of every `.attn` file under the folder (through the public API,
`verifier.checking`) and prints one table per sub-folder: file, line, claim, verdict, method
and, where the verdict came with one, the witness word. Times are left out so that the output
(committed as `proofs/README.md`) changes only when a claim or a verdict does.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path

from verifier.checking import FileResult, check_file, collect_files, exit_status
from verifier.errors import ExitStatus
from verifier.report.verdicts import leading_comment
from verifier.words import format_word

# Folders in the order of the theory; any other folder follows, sorted.
FOLDER_ORDER = ("global", "local", "hybrid", "hard", "separations", "precision", "float",
                "symbols", "trained")

FOLDER_TITLES = {
    "global": "Global heads only = LTL[P] (Li & Cotterell 2025, arXiv 2505.23623)",
    "local": "1-local heads only = LTL[Y] (Li & Cotterell 2026, arXiv 2605.00768)",
    "hybrid": "Global + 1-local heads = LTL[P,Y] (Li & Cotterell 2026, arXiv 2605.00768)",
    "hard": "Unique hard attention (B-RASP) = star-free (Yang, Chiang & Angluin, arXiv 2310.13897)",
    "separations": "Separations: both directions, failed attempts with their witnesses",
    "precision": "Verdicts that change with the arithmetic profile",
    "float": "Float formats (bf16, fp16, fp8): stagnation, vanishing, saturation and order "
             "effects, verdicts that differ across formats",
    "symbols": "Alphabets of formal-language benchmarks (FLaRe, Tomita: `0 1`), symbols kept",
    "trained": "Trained transformers imported from their weights (`verifier import model`, "
               "bf16): what they really recognize",
}

INTRO = """\
# Proofs

Hand-written attention programs (`.attn`, see [the language reference](../docs/language.md))
that instantiate the expressivity results of [the theory](../docs/theory.md), each decided by
`verifier check`. Every file's header comment names the result it instantiates, its alphabet
and, for failed attempts, the witness. Claims without `up to` are decided for **every
length** (the all-lengths engine, [docs/unbounded.md](../docs/unbounded.md)); `up to N`
claims by enumeration. A `not recognizes` claim is *proved* by a witness word the program
misclassifies (the shortest one, first in alphabet order), shown in the last column. Unless
the file says otherwise the profile is `fixed(4, 4)` with the
spec's defaults (nearest_even, denominator vanish, exact sums).

This file is generated: `python -m verifier.report.catalog proofs/ > proofs/README.md`
(kept current by `tests/test_proofs.py`). `verifier check proofs/` is expected to prove every
claim and exit 0.
"""


def _cell(text: str) -> str:
    """TEXT in a markdown table cell: `|` escaped, as code when it is not empty."""
    return text.replace("|", "\\|")


def _code(text: str) -> str:
    return f"`{_cell(text)}`"


def _header(path: Path) -> tuple[str, str | None]:
    """The description and profile of the file PATH.

    The description is the first sentence of the leading comment block, without the file name.
    """
    text = path.read_text(encoding="utf-8")
    comment = leading_comment(text)
    profile: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("precision "):
            profile = stripped.split("#")[0].split(None, 1)[1].strip()
    text = " ".join(comment)
    prefix = f"{path.name}:"
    if text.startswith(prefix):
        text = text[len(prefix):].strip()
    match = re.search(r"\.(\s|$)", text)
    description = text[: match.start() + 1] if match else text
    return " ".join(description.split()), profile


def _word(word: Sequence[str], alphabet: Sequence[str]) -> str:
    return _code(format_word(word, alphabet)) if word else "(empty word)"


def _folder_of(path: Path, root: Path) -> str:
    relative = path.relative_to(root)
    return relative.parts[0] if len(relative.parts) > 1 else "."


def _folder_key(folder: str) -> tuple[int, str]:
    if folder in FOLDER_ORDER:
        return (FOLDER_ORDER.index(folder), folder)
    return (len(FOLDER_ORDER), folder)


def render(root: Path, results: Sequence[FileResult] | None = None) -> str:
    """The catalog of the folder ROOT (deciding its claims unless RESULTS are given)."""
    root = Path(root)
    files = collect_files([str(root)])
    if results is None:
        results = [check_file(path) for path in files]
    by_folder: dict[str, list[tuple[Path, FileResult]]] = {}
    for path, result in zip(files, results, strict=True):
        by_folder.setdefault(_folder_of(path, root), []).append((path, result))

    claims = [c for r in results for c in r.claims]
    statuses: dict[str, int] = {}
    for claim in claims:
        status = claim.verdict.status.value
        statuses[status] = statuses.get(status, 0) + 1
    summary = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
    errors = sum(1 for r in results if r.error is not None)

    out = [INTRO]
    out.append(f"**{len(files)} files, {len(claims)} claims: {summary or 'none'}"
               + (f", {errors} unreadable" if errors else "") + ".**\n")
    for folder in sorted(by_folder, key=_folder_key):
        title = FOLDER_TITLES.get(folder, folder)
        out.append(f"## `{folder}/`: {title}\n")
        out.append("| file | what | line | claim | verdict | method | witness |")
        out.append("| --- | --- | ---: | --- | --- | --- | --- |")
        for path, result in by_folder[folder]:
            description, profile = _header(path)
            name = path.relative_to(root).as_posix()
            what = _cell(description)
            if profile and profile != "fixed(4, 4)":
                what += f" *(profile `{_cell(profile)}`)*"
            if result.error is not None:
                out.append(f"| `{name}` | {what} | | | **error** | | |")
                continue
            first = True
            for claim in result.claims:
                verdict = claim.verdict
                witness = ""
                if verdict.counterexample is not None:
                    example = verdict.counterexample
                    witness = _word(example.word, example.trace.alphabet)
                file_cell = f"`{name}`" if first else ""
                what_cell = what if first else ""
                out.append(f"| {file_cell} | {what_cell} | {claim.line} | {_code(claim.claim)} "
                           f"| {verdict.status.value} | {_cell(verdict.method)} | {witness} |")
                first = False
        out.append("")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1 or args[0] in ("-h", "--help"):
        print("usage: python -m verifier.report.catalog FOLDER", file=sys.stderr)
        return ExitStatus.USAGE
    root = Path(args[0])
    if not root.is_dir():
        print(f"error: {root} is not a folder", file=sys.stderr)
        return ExitStatus.USAGE
    files = collect_files([str(root)])
    results = [check_file(path) for path in files]
    sys.stdout.write(render(root, results))
    return ExitStatus.USAGE if exit_status(results) == ExitStatus.USAGE else ExitStatus.OK


if __name__ == "__main__":
    raise SystemExit(main())
