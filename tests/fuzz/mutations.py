"""Mutations of valid inputs (hypothesis strategies): text in, bytes out.

Byte flips and truncation, token deletion and duplication, deep nesting, huge and tiny
numbers, unusual Unicode (no-break and zero-width spaces, bidi overrides, combining marks,
emoji, invalid UTF-8), a byte-order mark, form feeds, U+2028 / U+0085 line separators,
tabs, CRLF and lone CR line ends, NUL bytes. Several may be stacked.
"""

from __future__ import annotations

import re

from hypothesis import strategies as st

TOKEN = re.compile(r"\s+|[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?|\S")
ODD_TEXT = ["\u00a0", "\u200b", "\ufeff", "\u202e", "\u0301", "\U0001f600", "\u2028",
            "\u2029", "\u0085", "\f", "\v", "\t", "\r", "\x00", "\u3000", "é", "ａ", "𝐚",
            "\ud7ff", "\\", '"', "#", "(", ")", "[i]", "[j]", ":", ",", "=", "-"]
ODD_BYTES = [b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xef\xbb\xbf", b"\x80", b"\xf4\x90\x80\x80"]
HUGE = ["9" * 400, "1" + "0" * 40, "0." + "0" * 300 + "1", "-" + "9" * 60, "123456789.987654321",
        "1e9", "0x10", "1_000", "00000000000000000007", "-0", "0.5" * 30]
NEST = [100, 250, 1000, 5000]


def _tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


@st.composite
def _one(draw: st.DrawFn, data: bytes) -> bytes:
    """One mutation of DATA."""
    kind = draw(st.sampled_from(["flip", "delete", "duplicate", "odd", "nest", "number",
                                 "lines", "bom", "truncate", "bytes", "swap"]))
    text = data.decode("utf-8", errors="surrogateescape")
    if kind == "flip" and data:
        at = draw(st.integers(0, len(data) - 1))
        return data[:at] + bytes([data[at] ^ (1 << draw(st.integers(0, 7)))]) + data[at + 1:]
    if kind == "truncate":
        return data[:draw(st.integers(0, len(data)))]
    if kind == "bytes":
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.sampled_from(ODD_BYTES)) + data[at:]
    if kind == "bom":
        return b"\xef\xbb\xbf" + data
    tokens = _tokens(text)
    if kind in ("delete", "duplicate", "swap") and tokens:
        at = draw(st.integers(0, len(tokens) - 1))
        if kind == "delete":
            del tokens[at]
        elif kind == "duplicate":
            tokens.insert(at, tokens[at] * draw(st.sampled_from([1, 2, 50])))
        else:
            other = draw(st.integers(0, len(tokens) - 1))
            tokens[at], tokens[other] = tokens[other], tokens[at]
        return "".join(tokens).encode("utf-8", errors="surrogateescape")
    if kind == "odd":
        at = draw(st.integers(0, len(text)))
        odd = draw(st.sampled_from(ODD_TEXT)) * draw(st.sampled_from([1, 1, 3]))
        return (text[:at] + odd + text[at:]).encode("utf-8", errors="surrogatepass")
    if kind == "number":
        numbers = [m for m in re.finditer(r"\d+(?:\.\d+)?", text)]
        huge = draw(st.sampled_from(HUGE))
        if not numbers:
            return (text + huge).encode("utf-8", errors="surrogateescape")
        m = numbers[draw(st.integers(0, len(numbers) - 1))]
        return (text[:m.start()] + huge + text[m.end():]).encode("utf-8",
                                                                 errors="surrogateescape")
    if kind == "nest":
        return nested(draw, text).encode("utf-8", errors="surrogateescape")
    # lines: change every line end
    end = draw(st.sampled_from(["\r\n", "\r", "\f\n", "\u2028", "\u0085", "\n\n\n", "\t\n",
                                " \\\n"]))
    return text.replace("\n", end).encode("utf-8", errors="surrogatepass")


def nested(draw: st.DrawFn, text: str) -> str:
    """TEXT with a deeply nested expression: parentheses around an operand, a long `not`
    chain, a long sum or a long chain of definitions."""
    depth = draw(st.sampled_from(NEST))
    form = draw(st.sampled_from(["parens", "not", "sum", "chain", "ite"]))
    lines = text.split("\n")
    at = next((i for i, line in enumerate(lines) if line.startswith("accept ")), len(lines))
    body = lines[at][len("accept "):] if at < len(lines) else "true"
    if form == "parens":
        new = "accept " + "(" * depth + body + ")" * depth
    elif form == "not":
        new = "accept " + "not " * (2 * (depth // 2)) + f"({body})"
    elif form == "sum":
        new = "accept (" + " + ".join(["1"] * depth) + f") > 0 or ({body})"
    elif form == "ite":
        new = "accept " + "if true then " * depth + f"({body})" + " else false" * depth
    else:
        chain = ["z0 = true"] + [f"z{k} = z{k - 1}" for k in range(1, depth)]
        new = "\n".join(chain) + f"\naccept z{depth - 1} and ({body})"
    if at < len(lines):
        lines[at] = new
    else:
        lines.append(new)
    return "\n".join(lines)


@st.composite
def mutated(draw: st.DrawFn, text: str, most: int = 3) -> bytes:
    """TEXT (UTF-8) with 1..MOST mutations stacked."""
    data = text.encode()
    for _ in range(draw(st.integers(1, most))):
        data = draw(_one(data))
    return data


@st.composite
def mutated_json(draw: st.DrawFn, text: str) -> bytes:
    """A JSON document mutated: the generic mutations, or JSON-specific ones (deep arrays,
    wrong types, huge numbers, NaN, duplicate keys, a lone string)."""
    kind = draw(st.sampled_from(["generic", "deep", "replace", "replace", "document"]))
    if kind == "generic":
        return draw(mutated(text, most=2))
    if kind == "deep":
        depth = draw(st.sampled_from([100, 1000, 5000, 100_000]))
        key = draw(st.sampled_from(["states", "delta", "alphabet", "accept", "start"]))
        deep = "[" * depth + "]" * depth
        return re.sub(rf'"{key}": ', f'"{key}": {deep}, "x{key}": ', text, count=1).encode()
    if kind == "document":
        return draw(st.sampled_from([b"", b"null", b"[]", b"{}", b'"dfa"', b"NaN", b"1e999",
                                     b'{"alphabet": "ab"}', b"\xef\xbb\xbf{}", b"{" * 10_000,
                                     text.encode() * 2, text.encode()[:-1]]))
    value = draw(st.sampled_from(['null', '"q0"', '[]', '{}', '1e999', 'NaN', '-1', 'true',
                                  '"' + "x" * 5000 + '"', '["a", "a"]', '{"q0": null}',
                                  '[' + ", ".join(f'"s{k}"' for k in range(3000)) + ']']))
    key = draw(st.sampled_from(["states", "delta", "alphabet", "accept", "start"]))
    pattern = rf'"{key}": (\[[^\]]*\]|"[^"]*"|\{{.*?\}}(?=, "|\}}$))'
    return re.sub(pattern, lambda _: f'"{key}": {value}', text, count=1).encode()
