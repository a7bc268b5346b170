"""DFA files of spec section 6: ``{"alphabet", "states", "start", "accept", "delta"}``.

Every problem is a LanguageError whose message names the file and, where ``json`` reports
it, the line and column, otherwise the offending key (``delta.q0.c``). A missing transition
goes to a rejecting sink. The caller's alphabet may add symbols (they go to the sink); a file
symbol outside the caller's alphabet is an error.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from verifier.files import UnreadableFile, read_text

from .dfa import DFA, from_partial
from .errors import LanguageError

FIELDS = ("alphabet", "states", "start", "accept", "delta")
#: The one optional field: an object of free information (e.g. what `verifier extract` adds:
#: machine sizes, profile), read and ignored.
INFO = "info"

#: Deepest nesting of JSON arrays and objects read (a DFA file needs 3). Python's json module
#: recurses once per level, so deeper text is refused by an iterative scan before parsing.
MAX_JSON_DEPTH = 64

# A JSON string (its closing quote optional: unterminated, it runs to the end) or a bracket.
_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.DOTALL)


def _fail(path: Path, message: str) -> LanguageError:
    return LanguageError(f"{path}: {message}", 0)


def read_json(path: Path, what: str = "the DFA file", depth_needed: int = 3) -> Any:
    """The parsed JSON document of ``path`` (WHAT it is, for messages: `a DFA file`, `a model
    config`); LanguageError on I/O or syntax problems, with the line and column."""
    try:
        text = read_text(path)
    except UnreadableFile as exc:
        raise _fail(path, f"cannot read {what}: {exc.reason}") from None
    deep = _too_deep(text)
    if deep is not None:
        line = text.count("\n", 0, deep) + 1
        column = deep - text.rfind("\n", 0, deep)
        raise LanguageError(f"{path}:{line}:{column}: JSON nested deeper than "
                            f"{MAX_JSON_DEPTH} levels ({what} needs {depth_needed})", 0)
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except _DuplicateKey as exc:
        raise _fail(path, f"key {exc.args[0]!r} appears twice in one object") from None
    except json.JSONDecodeError as exc:
        where = f"{path}:{exc.lineno}:{exc.colno}"
        raise LanguageError(f"{where}: invalid JSON: {exc.msg}", 0) from None
    except ValueError as exc:  # an integer of more digits than Python converts
        raise _fail(path, f"invalid JSON: {exc}") from None


class _DuplicateKey(ValueError):
    """A JSON object names one key twice (json.loads would keep the last silently)."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document: dict[str, Any] = {}
    for key, value in pairs:
        if key in document:
            raise _DuplicateKey(key)
        document[key] = value
    return document


def _too_deep(text: str) -> int | None:
    """The offset of the first `[` or `{` of TEXT nested deeper than MAX_JSON_DEPTH (outside
    strings), or None."""
    depth = 0
    for match in _BRACKETS.finditer(text):
        char = match.group()
        if char in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return match.start()
        elif char in "]}":
            depth = max(0, depth - 1)
    return None


def _string_list(path: Path, doc: dict[str, Any], key: str) -> list[str]:
    """``doc[key]`` as a list of distinct non-empty strings."""
    value = doc[key]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _fail(path, f"'{key}' must be a list of non-empty strings")
    dupes = sorted(v for v, n in Counter(value).items() if n > 1)  # linear: files are large
    if dupes:
        raise _fail(path, f"'{key}' lists {dupes[0]!r} twice")
    return list(value)


def _check_fields(path: Path, doc: Any) -> dict[str, Any]:
    if not isinstance(doc, dict):
        raise _fail(path, "a DFA file must hold a JSON object")
    for key in FIELDS:
        if key not in doc:
            raise _fail(path, f"missing field '{key}'")
    for key in doc:
        if key not in FIELDS and key != INFO:
            raise _fail(path, f"unknown field '{key}' (expected {', '.join(FIELDS)}, and "
                              f"optionally '{INFO}')")
    if INFO in doc and not isinstance(doc[INFO], dict):
        raise _fail(path, f"'{INFO}' must be an object")
    return doc


def _edges(
    path: Path, delta: Any, state_id: dict[str, int], symbol_id: dict[str, int]
) -> dict[tuple[int, int], int]:
    """The transitions of ``delta`` as ``(state, symbol) -> state`` indices."""
    if not isinstance(delta, dict):
        raise _fail(path, "'delta' must be an object {state: {symbol: state}}")
    edges: dict[tuple[int, int], int] = {}
    for source, row in delta.items():
        if source not in state_id:
            raise _fail(path, f"delta.{source}: unknown state {source!r}")
        if not isinstance(row, dict):
            raise _fail(path, f"delta.{source}: must be an object {{symbol: state}}")
        for symbol, target in row.items():
            where = f"delta.{source}.{symbol}"
            if symbol not in symbol_id:
                raise _fail(path, f"{where}: symbol {symbol!r} is not in the file's alphabet")
            if not isinstance(target, str) or target not in state_id:
                raise _fail(path, f"{where}: unknown target state {target!r}")
            edges[(state_id[source], symbol_id[symbol])] = state_id[target]
    return edges


def dfa_from_document(path: Path, doc: Any, alphabet: Sequence[str] | None = None) -> DFA:
    """A complete DFA from a parsed DFA document; ``alphabet`` None = the file's alphabet."""
    doc = _check_fields(path, doc)
    file_alphabet = _string_list(path, doc, "alphabet")
    states = _string_list(path, doc, "states")
    accept = _string_list(path, doc, "accept")
    if not states:
        raise _fail(path, "'states' must not be empty")
    full = list(file_alphabet if alphabet is None else alphabet)
    extra = [s for s in file_alphabet if s not in full]
    if extra:
        raise _fail(path, f"symbol {extra[0]!r} of the DFA file is not in the alphabet {full}")
    state_id = {s: i for i, s in enumerate(states)}
    if not isinstance(doc["start"], str) or doc["start"] not in state_id:
        raise _fail(path, f"start: unknown state {doc['start']!r}")
    for q in accept:
        if q not in state_id:
            raise _fail(path, f"accept: unknown state {q!r}")
    symbol_id = {s: full.index(s) for s in file_alphabet}
    edges = _edges(path, doc["delta"], state_id, symbol_id)
    start = state_id[doc["start"]]
    return from_partial(full, len(states), start, [state_id[q] for q in accept], edges)


def load_dfa_file(path: Path, alphabet: Sequence[str] | None = None) -> DFA:
    """Read and check a DFA file (see the module docstring)."""
    return dfa_from_document(path, read_json(path), alphabet)


def file_alphabet(path: Path) -> list[str]:
    """The alphabet declared by a DFA file (checked), for callers without an alphabet."""
    return list(load_dfa_file(path).alphabet)


def dfa_document(dfa: DFA) -> dict[str, Any]:
    """``dfa`` as a DFA-file document (states named q0, q1, ...); loads back unchanged."""
    names = [f"q{i}" for i in range(dfa.n_states)]
    return {
        "alphabet": list(dfa.alphabet),
        "states": names,
        "start": names[dfa.start],
        "accept": [names[q] for q in sorted(dfa.accepting)],
        "delta": {
            names[q]: {s: names[t] for s, t in zip(dfa.alphabet, row, strict=True)}
            for q, row in enumerate(dfa.delta)
        },
    }
