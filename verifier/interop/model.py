"""A trained causal NoPE transformer written as an `.attn` program that computes exactly that
network in a chosen profile (docs/models.md; issue 16).

Every weight is rounded once to the profile (its rounding mode; a weight that overflows is
refused). The program has one s-op per residual coordinate and layer (`h1_0`), per projected
coordinate of every head (`q1_0_2`, `k…`, `v…`), per head output coordinate (`a1_0_2`) and per
FFN unit (`f1_3`); a head's score is the dot product of its query and key coordinates times
`score_scale`; dot products are summed left to right, each product and sum rounded as the
profile rounds every operation (spec section 5); the logit is read at eos: `accept logit > 0`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np

from verifier.errors import UsageError
from verifier.interp.batch import run_batch
from verifier.interp.trace import user_number
from verifier.ir.nodes import Program
from verifier.semantics.decimal import format_fraction
from verifier.semantics.profile import FloatProfile, Profile
from verifier.syntax.symbols import alphabet_line, symbol_problem, symbol_text

from .model_config import Array, ModelConfig, check_weights, read_config, read_weights


@dataclass
class Rounding:
    """How the weights fared when rounded to the profile: counts and the largest relative
    change (`worst`, with the tensor and index where it happened)."""

    weights: int = 0
    changed: int = 0
    flushed: int = 0
    worst: float = 0.0
    worst_at: str = ""

    def describe(self, profile: Profile) -> str:
        """One line for people: `200 weights rounded to bf16: 180 changed (largest relative
        change 0.39 % at embedding[1, 3]), 0 flushed to zero`."""
        text = f"{self.weights} weights rounded to {profile.describe()}: {self.changed} changed"
        if self.changed:
            text += f" (largest relative change {100 * self.worst:.3g} % at {self.worst_at})"
        return text + f", {self.flushed} flushed to zero"


@dataclass
class ImportedModel:
    """The program TEXT, the config it came from and how rounding went."""

    text: str
    config: ModelConfig
    rounding: Rounding = field(default_factory=Rounding)
    sops: int = 0


def import_model(weights: Path, config_path: Path, profile: Profile,
                 claims: Sequence[str] = ()) -> ImportedModel:
    """Read CONFIG_PATH and WEIGHTS (model_config.read_config / read_weights), check them
    against each other and write the `.attn` program computing the network in PROFILE, with
    an `assert` line for each of CLAIMS (claim text as after `assert`). UsageError (exit 2)
    for every mismatch: a missing or misshapen tensor, an unsupported component, a weight
    that overflows the profile, a vocabulary entry that cannot be a symbol."""
    for claim in claims:
        if "\n" in claim or "\r" in claim:
            raise UsageError(f"--assert takes one claim on one line, not {claim!r}")
    config = read_config(config_path)
    tensors = read_weights(weights)
    check_weights(weights, config, tensors)
    tensors["classifier_bias"] = tensors["classifier_bias"].reshape(())  # [1] allowed too
    for token in config.alphabet:
        problem = symbol_problem(token)
        if problem is not None:
            raise UsageError(f"{config_path}: vocabulary: {problem}")
    writer = _Writer(profile, tensors, weights)
    digest = hashlib.sha256(weights.read_bytes()).hexdigest()[:16]
    layers = ", ".join("+".join(h.scope for h in layer.heads) or "no heads"
                       for layer in config.layers)
    lines = [
        f"# Imported by `verifier import model` from {weights.name} (sha256 {digest}…)",
        f"# and {config_path.name}: a causal NoPE transformer, width {config.width}, "
        f"{len(config.layers)} layer(s) [{layers}],",
        f"# {'non-strict' if config.nonstrict else 'strict'} masking"
        + (", relu FFN" if any(layer.ffn_width for layer in config.layers) else ", no FFN")
        + ", logit read at eos; every weight rounded to the profile.",
        alphabet_line(config.alphabet),
        f"precision {profile.describe()}",
        "",
    ]
    names = _embedding(config, writer, lines)
    for number in range(1, len(config.layers) + 1):
        names = _layer(config, writer, lines, number, names)
    lines.append("")
    lines.append(f"logit = {writer.linear(names, 'classifier', (), 'classifier_bias', ())}")
    lines.append("accept logit > 0")
    lines.extend(f"assert {claim}" for claim in claims)
    text = "\n".join(lines) + "\n"
    _refuse_collisions(config, config_path, text)
    return ImportedModel(text, config, writer.rounding, config.sop_count())


def _embedding(config: ModelConfig, writer: _Writer, lines: list[str]) -> list[str]:
    """`h0_c = if eos then … else if a then … else …` for every residual coordinate c."""
    rows = {token: index for index, token in enumerate(config.vocabulary)}
    alphabet = config.alphabet
    names = []
    lines.append("# embedding (no positional encoding)")
    for coordinate in range(config.width):
        def value(token: str, c: int = coordinate) -> str:
            return writer.literal("embedding", (rows[token], c)) or "0"

        cases = [("eos", value(config.eos))] + [
            (symbol_text(token), value(token)) for token in alphabet[:-1]]
        expression = value(alphabet[-1])
        for condition, literal in reversed(cases):
            if literal != expression:
                expression = f"if {condition} then {literal} else {expression}"
        name = f"h0_{coordinate}"
        lines.append(f"{name} = {expression}")
        names.append(name)
    return names


def _layer(config: ModelConfig, writer: _Writer, lines: list[str], number: int,
           inputs: list[str]) -> list[str]:
    """Layer NUMBER's heads, residual sum and FFN; returns the names of its output coordinates."""
    prefix = f"layers.{number - 1}"
    dh = config.head_width
    outputs: list[str] = []
    lines += ["", f"# layer {number}"]
    for head, spec in enumerate(config.layers[number - 1].heads):
        base = f"{prefix}.heads.{head}"
        parts = {}
        for part in ("query", "key", "value"):
            parts[part] = [f"{part[0]}{number}_{head}_{t}" for t in range(dh)]
            for t, name in enumerate(parts[part]):
                lines.append(f"{name} = {writer.linear(inputs, f'{base}.{part}', (t,))}")
        pairs = zip(parts["query"], parts["key"], strict=True)
        dot = " + ".join(f"{q}[i] * {k}[j]" for q, k in pairs)
        scale = writer.constant(config.score_scale, f"score_scale (head {number}.{head})")
        score = dot if scale == "1" else f"({dot}) * {scale}"
        mask = ", nonstrict" if config.nonstrict else ""
        selector = f"s{number}_{head}"
        lines.append(f"{selector} = select({spec.scope}{mask}, score: {score})")
        for t, value in enumerate(parts["value"]):
            outputs.append(f"a{number}_{head}_{t}")
            lines.append(f"{outputs[-1]} = aggregate({selector}, {value})")
    residual = inputs
    if outputs:
        residual = _add(writer, lines, inputs, outputs, f"{prefix}.attention_output",
                        f"r{number}")
    width = config.layers[number - 1].ffn_width
    if not width:
        return residual
    hidden = []
    for unit in range(width):
        hidden.append(f"f{number}_{unit}")
        pre = writer.linear(residual, f"{prefix}.ffn.hidden", (unit,),
                            f"{prefix}.ffn.hidden_bias", (unit,))
        lines.append(f"{hidden[-1]} = relu({pre})")
    return _add(writer, lines, residual, hidden, f"{prefix}.ffn.output", f"h{number}")


def _add(writer: _Writer, lines: list[str], stream: list[str], sources: list[str],
         tensor: str, name: str) -> list[str]:
    """The residual update `NAME_c = stream_c + (sources @ TENSOR[:, c] + TENSOR_bias[c])`."""
    result = []
    for c, previous in enumerate(stream):
        update = writer.linear(sources, tensor, (c,), f"{tensor}_bias", (c,))
        result.append(f"{name}_{c}")
        lines.append(f"{result[-1]} = {previous} + ({update})")
    return result


class _Writer:
    """Weights as `.attn` literals, each rounded once to the profile (the one place that
    rounds them), with the tally in `rounding`."""

    def __init__(self, profile: Profile, tensors: dict[str, Array], path: Path) -> None:
        self.profile = profile
        self.tensors = tensors
        self.path = path
        self.rounding = Rounding()

    def constant(self, value: Fraction, what: str) -> str:
        """VALUE rounded to the profile, as a literal; UsageError if it overflows."""
        rounded = self._round(value, what)
        return format_fraction(rounded, None)

    def literal(self, tensor: str, index: tuple[int, ...]) -> str | None:
        """The weight TENSOR[INDEX] rounded, as a literal; None when it rounds to zero."""
        raw = Fraction(float(self.tensors[tensor][index]))
        where = f"{tensor}[{', '.join(map(str, index))}]" if index else tensor
        rounded = self._round(raw, where)
        self.rounding.weights += 1
        if rounded != raw:
            self.rounding.changed += 1
            change = float(abs(rounded - raw) / abs(raw))
            if change > self.rounding.worst:
                self.rounding.worst, self.rounding.worst_at = change, where
            if rounded == 0:
                self.rounding.flushed += 1
        return None if rounded == 0 else format_fraction(rounded, None)

    def linear(self, inputs: Sequence[str], tensor: str, column: tuple[int, ...],
               bias: str | None = None, bias_index: tuple[int, ...] = ()) -> str:
        """`x0 * w0 + x1 * w1 + … + b` for the weights `TENSOR[k, *COLUMN]` (zero terms left
        out, `* 1` too), summed left to right; `0` when every term is zero."""
        terms = []
        for k, name in enumerate(inputs):
            weight = self.literal(tensor, (k, *column))
            if weight is not None:
                terms.append(name if weight == "1" else f"{name} * {weight}")
        if bias is not None:
            constant = self.literal(bias, bias_index)
            if constant is not None:
                terms.append(constant)
        return " + ".join(terms) or "0"

    def _round(self, value: Fraction, where: str) -> Fraction:
        profile = self.profile
        code = profile.round_raw(value)
        if isinstance(profile, FloatProfile):
            # beyond the rounding boundary above the largest finite value: the weight does
            # not fit, whatever the rounding mode or saturation would make of it
            boundary = profile.max_value * (1 + Fraction(1, 2 ** (profile.man_bits + 1)))
            if not profile.is_finite_code(code) or abs(value) >= boundary:
                raise UsageError(f"{self.path}: {where} = {float(value)!r} overflows "
                                 f"{profile.describe()} (largest finite "
                                 f"{float(profile.max_value):.6g})")
        elif not profile.min_value <= value <= profile.max_value:
            raise UsageError(f"{self.path}: {where} = {float(value)!r} is outside "
                             f"{profile.describe()}'s range [{profile.min_value}, "
                             f"{profile.max_value}]")
        return profile.decode(code)


def _refuse_collisions(config: ModelConfig, path: Path, text: str) -> None:
    """A vocabulary entry written bare must not be the name of a generated s-op."""
    defined = {line.split(" = ", 1)[0] for line in text.split("\n") if " = " in line
               and not line.startswith("#")}
    for token in config.alphabet:
        if symbol_text(token) in defined:
            raise UsageError(f"{path}: vocabulary: the symbol {token!r} is also the name of "
                             "an s-op of the imported program; rename it")


def logits(program: Program, words: Sequence[Sequence[str]], name: str = "logit"
           ) -> list[float]:
    """The value of the s-op NAME at the eos position of each of WORDS (symbols of the
    program's alphabet), as floats (±inf and NaN as such), run by the batch interpreter one
    length at a time. KeyError if the program has no s-op NAME."""
    node = dict(program.named)[name]
    index = {symbol: k for k, symbol in enumerate(program.alphabet)}
    by_length: dict[int, list[int]] = {}
    for position, word in enumerate(words):
        by_length.setdefault(len(word), []).append(position)
    result = [0.0] * len(words)
    profile = program.profile
    for length, positions in sorted(by_length.items()):
        codes = np.array([[index[s] for s in words[p]] for p in positions],
                         dtype=np.int64).reshape(len(positions), length)
        column = np.asarray(run_batch(program, codes)[node])[:, -1]
        for p, raw in zip(positions, column, strict=True):
            result[p] = float(user_number(profile, int(raw)))
    return result
