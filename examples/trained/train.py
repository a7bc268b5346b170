"""Train tiny causal NoPE transformers on three regular languages and export them.

Each model follows the format of ``verifier import model`` (issue 16): a causal transformer
without positional encoding, row-vector convention (``x @ W``), strict masking (position i
attends to keys j < i; a head with no kept key outputs 0), one ``score_scale`` multiplying
``q . k``, no layernorm, relu feed-forward layers, the logit read at the eos position and a
word accepted iff that logit is > 0.

Nine models: the languages ``first`` (first symbol is a), ``ends_ab`` ((a|b)*ab) and
``ab_star`` ((ab)*), each with the architectures ``global`` (every head global), ``local``
(every head "local 1") and ``hybrid`` (every layer has the heads global and local 1).

Training: every word of length 0..8 (511 words) in one full batch, class-balanced logistic
loss, Adam, until every training word is classified right with ``|logit| >= 1`` or the step
budget runs out; several fixed seeds, the first one meeting that criterion (else the best)
is kept. Per model the script writes ``weights.safetensors``, ``config.json``,
``reference.json`` (the logits of the framework's own forward pass: bf16 operation by
operation as the imported ``.attn`` program computes it, bf16 with float32 accumulation,
and float32) and ``metrics.json`` into ``<out>/<lang>_<arch>/``.

Usage::

    python examples/trained/train.py                 # all nine models into this folder
    python examples/trained/train.py --only first_hybrid --out /tmp/models
    python examples/trained/train.py --reference-only  # no training: redo reference/metrics
"""

from __future__ import annotations

import argparse
import decimal
import itertools
import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import optax
from safetensors.numpy import load_file, save_file

# Round every bf16 intermediate to bf16: by default XLA may keep a fused chain of bf16
# operations in float32 ("excess precision"), which the reference must not do. XLA reads
# the flag when the CPU backend starts, at the first computation, so setting it here works.
os.environ["XLA_FLAGS"] = " ".join(
    [os.environ.get("XLA_FLAGS", ""), "--xla_allow_excess_precision=false"]
).strip()
jax.config.update("jax_platform_name", "cpu")  # type: ignore[no-untyped-call]

Params = dict[str, jax.Array]

VOCABULARY = ["a", "b", "<eos>"]
EOS = "<eos>"
EOS_ID = VOCABULARY.index(EOS)
TRAIN_MAX_LENGTH = 8
RANDOM_WORDS = 1000
RANDOM_MAX_LENGTH = 64
RANDOM_SEED = 0
MARGIN = 1.0
PROBES = 200
PROBE_SEED = 1
CHUNK = 100  # optimizer steps between two checks of the stopping criterion


XLA_BF16_NOTE = (
    "xla_bf16_logits: jax.numpy on XLA:CPU with XLA_FLAGS=--xla_allow_excess_precision=false "
    "(without it XLA keeps some fused bf16 intermediates in float32). Every parameter is "
    "cast to jnp.bfloat16 and every activation is a bfloat16 array, rounded to nearest even "
    "after each operation. Each matrix product (q, k, v, q.k, attention weights times "
    "values, attention output, both ffn layers, the classifier dot) takes bf16 operands, "
    "accumulates in float32 (preferred_element_type=float32; a product of two bf16 values "
    "is exact in float32) and is rounded once to bf16. Scores: score_scale times the "
    "rounded q.k (exact, a power of two). Softmax over the kept keys: the max is subtracted "
    "in bf16, exp of that bf16 difference is rounded to bf16 (float32 expf, then rounded), "
    "the denominator Z is summed in float32 and rounded once to bf16, each weight is the "
    "bf16 quotient e_j / Z; masked keys have score -inf (weight exactly 0) and a position "
    "with no kept key gets a_i = 0. Additions in the order of the spec, each rounded: "
    "(h + a @ Wo) + bo, relu(h @ W1 + b1), (h + hidden @ W2) + b2, "
    "logit = (h . classifier) + classifier_bias. A float32 sum can round before its final "
    "rounding to bf16, so this is close to, but not by construction, the verifier's "
    "'sums exact'; it is not 'sums sequential'."
)

SEQUENTIAL_NOTE = (
    "logits: the program written by 'verifier import model' in the bf16 profile (default "
    "'sums sequential'), operation by operation, as jnp.bfloat16 operations on XLA:CPU with "
    "XLA_FLAGS=--xla_allow_excess_precision=false, so that every operation is rounded to "
    "bf16, nearest even (XLA computes a bf16 operation in float32 and rounds the result, "
    "which is correctly rounded for + - * / since float32 has at least 2 * 8 + 2 significand "
    "bits). The weights are the float32 weights rounded to bf16. A linear map (q, k, v, "
    "attention output, ffn hidden, ffn output, classifier) gives output coordinate c as "
    "acc = x_0 * W[0, c], then acc = acc + x_k * W[k, c] for k = 1, 2, ... in order, then "
    "acc = acc + b_c, each product and each sum rounded; the terms whose bf16 weight (or "
    "bias) is 0 are left out, and a map with no term left is 0. Residual: "
    "r = h + (heads @ Wo + bo), then h' = r + (relu(r @ W1 + b1) @ W2 + b2), each one rounded "
    "addition of the rounded linear map. Score: dot = q_0(i) * k_0(j), then "
    "dot = dot + q_t(i) * k_t(j) for t = 1, ..., each product and sum rounded, and "
    "s_ij = dot * score_scale (0.5, exact). Softmax over the kept keys j (strict mask: "
    "'global' j < i, 'local 1' j = i - 1): m = max_j s_ij; e_j = exp(s_ij - m), the "
    "difference rounded to bf16, exp computed by XLA in float32 and rounded to bf16 (equal "
    "to the correctly rounded exp on every bf16 argument from -87 to 0, which train.py "
    "checks before it runs; from -87.5 down to -92.5 the correct result is subnormal and "
    "XLA:CPU flushes it to 0, see below); Z = e_j of the first kept key, then Z = Z + e_j "
    "for the next kept keys in ascending j, each sum rounded; alpha_j = e_j / Z, rounded; "
    "out = alpha_j * v_j of the first kept key, then out = out + alpha_j * v_j in ascending "
    "j, each product and sum rounded; a position with no kept key gets 0. Logit at the eos "
    "position: the linear map of the last h with classifier and classifier_bias; accepted "
    "iff logit > 0. Subnormals: XLA:CPU flushes subnormal results to 0, the bf16 profile "
    "does not; the pass counts every operation whose result is 0 while its correctly rounded "
    "result is not (metrics.json: sequential_bf16_flushes, sequential_bf16_words_with_flushes). "
    "That happens in ends_ab_global, ab_star_global and ab_star_hybrid (weights e_j of keys "
    "scoring 87.5 or more below the max, their quotients e_j / Z, a few products "
    "alpha_j * v_j, all below 2**-126 in magnitude) and changed nothing: on every such word "
    "each head output, residual coordinate and logit equals the verifier's at every "
    "position. With jax 0.10.2, every logit here equals the verifier's bf16 batch "
    "interpreter (verifier.interop.model.logits) bit for bit, on every word of every model."
)

NOTE = (
    SEQUENTIAL_NOTE
    + " "
    + XLA_BF16_NOTE
    + (
        " float32_logits: the xla pass in float32 (every parameter float32), each written as the "
        "shortest decimal that reads back as the same float32."
    )
)


# --------------------------------------------------------------------------- languages


def lang_first(word: str) -> bool:
    """Words whose first symbol is a (the empty word is rejected)."""
    return word.startswith("a")


def lang_ends_ab(word: str) -> bool:
    """The regular expression (a|b)*ab."""
    return word.endswith("ab")


def lang_ab_star(word: str) -> bool:
    """The regular expression (ab)*, the empty word included."""
    return word == "ab" * (len(word) // 2)


LANGUAGES: dict[str, Callable[[str], bool]] = {
    "first": lang_first,
    "ends_ab": lang_ends_ab,
    "ab_star": lang_ab_star,
}


# ------------------------------------------------------------------------ architectures


@dataclass(frozen=True)
class ModelSpec:
    """One model to train: language, heads per layer, sizes and the training budget."""

    language: str
    architecture: str
    heads: tuple[tuple[str, ...], ...]
    width: int = 4
    head_width: int = 2
    ffn_width: int = 4
    learning_rate: float = 0.01
    max_steps: int = 2000
    seeds: tuple[int, ...] = (0, 1, 2, 3, 4, 5)

    @property
    def name(self) -> str:
        """The folder name ``<lang>_<arch>``."""
        return f"{self.language}_{self.architecture}"

    @property
    def score_scale(self) -> float:
        """The factor of q.k: 0.5 (1/sqrt(4); kept for head_width 2, a power of two)."""
        return 0.5


ARCHITECTURES: dict[str, tuple[tuple[str, ...], ...]] = {
    "global": (("global",), ("global",)),
    "local": (("local 1",), ("local 1",)),
    "hybrid": (("global", "local 1"), ("global", "local 1")),
}


def model_specs() -> list[ModelSpec]:
    """The nine models, languages outer, architectures inner, all of the default size."""
    return [
        ModelSpec(language, architecture, heads)
        for language in LANGUAGES
        for architecture, heads in ARCHITECTURES.items()
    ]


def config_json(spec: ModelSpec) -> dict[str, Any]:
    """The config.json of the model format."""
    return {
        "kind": "nope-transformer",
        "vocabulary": VOCABULARY,
        "eos": EOS,
        "width": spec.width,
        "head_width": spec.head_width,
        "layers": [{"heads": list(heads), "ffn_width": spec.ffn_width} for heads in spec.heads],
        "masking": "strict",
        "activation": "relu",
        "layernorm": False,
        "score_scale": spec.score_scale,
        "classifier": "eos",
    }


# ------------------------------------------------------------------------------- words


def all_words(max_length: int) -> list[str]:
    """Every word over {a, b} of length 0..max_length, by length, then a < b."""
    return [
        "".join(letters)
        for length in range(max_length + 1)
        for letters in itertools.product("ab", repeat=length)
    ]


def random_words() -> list[str]:
    """1000 words: length uniform in 0..64, then uniform symbols (numpy default_rng(0))."""
    rng = np.random.default_rng(RANDOM_SEED)
    words = []
    for _ in range(RANDOM_WORDS):
        length = int(rng.integers(0, RANDOM_MAX_LENGTH + 1))
        words.append("".join("ab"[int(s)] for s in rng.integers(0, 2, size=length)))
    return words


# A random word made a member of the language (the long-word probes of metrics.json).
MEMBER_OF: dict[str, Callable[[str], str]] = {
    "first": lambda word: "a" + word[1:],
    "ends_ab": lambda word: word[:-2] + "ab",
    "ab_star": lambda word: "ab" * (len(word) // 2),
}


def long_probes(language: str, count: int = PROBES) -> tuple[list[str], list[str]]:
    """Members of length 9..64 and one-symbol mutants of members that are not members.

    Random long words are nearly all rejected by ``ab_star`` (and by a reject-all model),
    so these two sets test what the random words cannot. numpy default_rng(1).
    """
    rng = np.random.default_rng(PROBE_SEED)
    member, make = LANGUAGES[language], MEMBER_OF[language]

    def long_member() -> str:
        length = int(rng.integers(TRAIN_MAX_LENGTH + 1, RANDOM_MAX_LENGTH + 1))
        return make("".join("ab"[int(s)] for s in rng.integers(0, 2, size=length)))

    members = [long_member() for _ in range(count)]
    mutants: list[str] = []
    while len(mutants) < count:
        word = long_member()
        at = int(rng.integers(0, len(word)))
        mutant = word[:at] + ("b" if word[at] == "a" else "a") + word[at + 1 :]
        if not member(mutant):
            mutants.append(mutant)
    return members, mutants


def encode(words: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Token ids [B, T] (the word, eos, then eos padding) and each word's eos position."""
    length = max(len(w) for w in words) + 1
    tokens = np.full((len(words), length), EOS_ID, dtype=np.int32)
    for row, word in enumerate(words):
        tokens[row, : len(word)] = [VOCABULARY.index(s) for s in word]
    return tokens, np.array([len(w) for w in words], dtype=np.int32)


# ------------------------------------------------------------------------ forward pass


def kept_mask(head: str, length: int) -> np.ndarray:
    """The strict mask [query i, key j] of one head: global j < i, local K i-K <= j < i."""
    i = np.arange(length)[:, None]
    j = np.arange(length)[None, :]
    if head == "global":
        return j < i
    window = int(head.split()[1])
    return (j < i) & (j >= i - window)


def matmul(x: jax.Array, w: jax.Array, dtype: jnp.dtype) -> jax.Array:
    """x @ w accumulated in float32 and rounded once to dtype."""
    return jnp.matmul(x, w, preferred_element_type=jnp.float32).astype(dtype)


def attention(
    h: jax.Array, params: Params, name: str, kept: np.ndarray, scale: float, dtype: jnp.dtype
) -> jax.Array:
    """One head's output a_i [B, T, head_width]; 0 where the position keeps no key."""
    q = matmul(h, params[f"{name}.query"], dtype)
    k = matmul(h, params[f"{name}.key"], dtype)
    v = matmul(h, params[f"{name}.value"], dtype)
    qk = jnp.einsum("bid,bjd->bij", q, k, preferred_element_type=jnp.float32).astype(dtype)
    scores = jnp.where(kept, qk * jnp.asarray(scale, dtype), -jnp.inf)
    any_kept = np.any(kept, axis=1, keepdims=True)
    top = jnp.where(any_kept, jnp.max(scores, axis=-1, keepdims=True), 0)
    e = jnp.exp(scores - jax.lax.stop_gradient(top))
    z = jnp.sum(e, axis=-1, keepdims=True, dtype=jnp.float32).astype(dtype)
    weights = e / jnp.where(any_kept, z, 1)
    return jnp.einsum("bij,bjd->bid", weights, v, preferred_element_type=jnp.float32).astype(dtype)


def forward(
    params: Params,
    tokens: jax.Array | np.ndarray,
    eos_at: jax.Array | np.ndarray,
    spec: ModelSpec,
    dtype: jnp.dtype = jnp.float32,
) -> jax.Array:
    """The logits [B] of the model format's forward pass, every parameter cast to dtype."""
    p = {name: value.astype(dtype) for name, value in params.items()}
    length = tokens.shape[1]
    h = p["embedding"][tokens]
    for layer, heads in enumerate(spec.heads):
        outputs = [
            attention(
                h,
                p,
                f"layers.{layer}.heads.{index}",
                kept_mask(head, length),
                spec.score_scale,
                dtype,
            )
            for index, head in enumerate(heads)
        ]
        a = jnp.concatenate(outputs, axis=-1)
        h = h + matmul(a, p[f"layers.{layer}.attention_output"], dtype)
        h = h + p[f"layers.{layer}.attention_output_bias"]
        if spec.ffn_width > 0:
            hidden = matmul(h, p[f"layers.{layer}.ffn.hidden"], dtype)
            hidden = jax.nn.relu(hidden + p[f"layers.{layer}.ffn.hidden_bias"])
            h = h + matmul(hidden, p[f"layers.{layer}.ffn.output"], dtype)
            h = h + p[f"layers.{layer}.ffn.output_bias"]
    last = h[jnp.arange(h.shape[0]), eos_at]
    return matmul(last, p["classifier"], dtype) + p["classifier_bias"]


forward_jit = jax.jit(forward, static_argnums=(3, 4))


def logits_of(
    params: Params, words: Sequence[str], spec: ModelSpec, dtype: jnp.dtype
) -> np.ndarray:
    """The logits of some words as float32 (exact for bf16), evaluated in one batch."""
    tokens, eos_at = encode(words)
    out = forward_jit(params, tokens, eos_at, spec, dtype)
    return np.asarray(out.astype(jnp.float32))


# ------------------------------------------------- the program's bf16 pass, op by op


# Half the smallest bf16 subnormal: a correctly rounded result below 2**-134 in magnitude is
# 0 (2**-134 itself ties to the even 0), and one above it is not.
LOG2_HALF_SUBNORMAL = -134.0


def _log2_abs(x: jax.Array) -> jax.Array:
    return jnp.log2(jnp.abs(x).astype(jnp.float32))


class Rounded:
    """bf16 operations, each rounded to bf16 by XLA, counting the flushes XLA:CPU makes.

    XLA:CPU flushes subnormal results to zero (and would read subnormal operands as zero,
    but then every operand is a flushed result or a normal weight); the bf16 profile keeps
    subnormals. An operation is counted when its result is 0 while the correctly rounded
    result is not: a product or quotient whose exact magnitude is above 2**-134, exp of an
    argument above -134 ln 2 = -92.88, a sum or difference of two values that do not cancel
    (bf16 values are multiples of 2**-133, so such a sum is never 0). ``underflows`` [B]
    counts them per word, where ``mask`` (broadcast to the result) holds: on the word's own
    positions and the kept keys, not on padding.
    """

    def __init__(self, mask: jax.Array, underflows: jax.Array) -> None:
        self.mask = mask
        self.underflows = underflows

    def _count(self, flag: jax.Array) -> None:
        flag = flag & self.mask
        axes = tuple(range(1, flag.ndim))
        self.underflows = self.underflows + jnp.sum(flag, axis=axes, dtype=jnp.int32)

    def mul(self, a: jax.Array, b: jax.Array) -> jax.Array:
        result = a * b
        exact = _log2_abs(a) + _log2_abs(b)  # -inf if a or b is 0
        self._count((result == 0) & (exact > LOG2_HALF_SUBNORMAL))
        return result

    def div(self, a: jax.Array, b: jax.Array) -> jax.Array:
        result = a / b
        exact = _log2_abs(a) - _log2_abs(b)
        self._count((result == 0) & (exact > LOG2_HALF_SUBNORMAL))
        return result

    def add(self, a: jax.Array, b: jax.Array) -> jax.Array:
        result = a + b
        self._count((result == 0) & (a != -b))
        return result

    def sub(self, a: jax.Array, b: jax.Array) -> jax.Array:
        result = a - b
        self._count((result == 0) & (a != b))
        return result

    def exp(self, a: jax.Array) -> jax.Array:
        result = jnp.exp(a)  # float32 expf rounded to bf16: correctly rounded above -87.5
        self._count((result == 0) & (a.astype(jnp.float32) > LOG2_HALF_SUBNORMAL * np.log(2)))
        return result


def sequential_linear(
    ops: Rounded, x: jax.Array, w: jax.Array, bias: jax.Array | None
) -> jax.Array:
    """x [..., K] times w [K, C] plus bias [C], as the program writes it for each column c:
    ``x_0 * w_0 + x_1 * w_1 + ... + b`` summed left to right, every product and sum rounded,
    the terms whose weight (or bias) is 0 left out, 0 when no term is left."""
    acc = jnp.zeros((*x.shape[:-1], w.shape[1]), x.dtype)
    for k in range(w.shape[0]):
        # acc starts at 0 and 0 + t = t, so the first term is x_0 * w_0 exactly
        acc = jnp.where(w[k] != 0, ops.add(acc, ops.mul(x[..., k : k + 1], w[k])), acc)
    if bias is not None:
        acc = jnp.where(bias != 0, ops.add(acc, bias), acc)
    return acc


def sequential_attention(
    h: jax.Array,
    valid: jax.Array,
    underflows: jax.Array,
    params: Params,
    name: str,
    kept: np.ndarray,
    scale: jax.Array,
) -> tuple[jax.Array, jax.Array]:
    """One head of the program, ``aggregate(select(scope, score: (q.k) * scale), v)`` with
    ``sums sequential``: the head output [B, T, head_width] and the underflow count."""
    ops = Rounded(valid[:, :, None], underflows)
    q = sequential_linear(ops, h, params[f"{name}.query"], None)
    k = sequential_linear(ops, h, params[f"{name}.key"], None)
    v = sequential_linear(ops, h, params[f"{name}.value"], None)
    pairs = Rounded(valid[:, :, None] & kept[None], ops.underflows)  # [B, query i, key j]
    dot = pairs.mul(q[:, :, None, 0], k[:, None, :, 0])
    for t in range(1, q.shape[-1]):
        dot = pairs.add(dot, pairs.mul(q[:, :, None, t], k[:, None, :, t]))
    scores = pairs.mul(dot, scale)
    top = jnp.max(jnp.where(kept, scores, -jnp.inf), axis=-1, keepdims=True)
    e = pairs.exp(jnp.where(kept, pairs.sub(scores, top), -jnp.inf))  # 0 off the kept keys

    # The sequential sums run over the keys j in ascending order, for every query i at once;
    # a key that query i does not keep leaves its running sum as it is.
    keys = jnp.asarray(kept.T)  # [key j, query i]
    batch, length = h.shape[0], h.shape[1]

    def add_weight(
        carry: tuple[jax.Array, jax.Array], key: tuple[jax.Array, jax.Array]
    ) -> tuple[tuple[jax.Array, jax.Array], None]:
        z, count = carry  # z [B, i]
        e_j, kept_j = key  # [B, i], [i]
        step = Rounded(valid & kept_j[None, :], count)
        z = jnp.where(kept_j[None, :], step.add(z, e_j), z)
        return (z, step.underflows), None

    z0 = jnp.zeros((batch, length), h.dtype)
    (z, count), _ = jax.lax.scan(add_weight, (z0, pairs.underflows), (jnp.moveaxis(e, 2, 0), keys))
    pairs.underflows = count
    alpha = jnp.where(kept, pairs.div(e, z[:, :, None]), 0)  # [B, i, j]

    def add_value(
        carry: tuple[jax.Array, jax.Array], key: tuple[jax.Array, jax.Array, jax.Array]
    ) -> tuple[tuple[jax.Array, jax.Array], None]:
        out, count = carry  # out [B, i, head_width]
        alpha_j, v_j, kept_j = key  # [B, i], [B, head_width], [i]
        step = Rounded(valid[:, :, None] & kept_j[None, :, None], count)
        term = step.mul(alpha_j[:, :, None], v_j[:, None, :])
        out = jnp.where(kept_j[None, :, None], step.add(out, term), out)
        return (out, step.underflows), None

    out0 = jnp.zeros((batch, length, v.shape[-1]), h.dtype)
    (out, count), _ = jax.lax.scan(
        add_value,
        (out0, pairs.underflows),
        (jnp.moveaxis(alpha, 2, 0), jnp.moveaxis(v, 1, 0), keys),
    )
    return out, count


def sequential_forward(
    params: Params,
    tokens: jax.Array | np.ndarray,
    eos_at: jax.Array | np.ndarray,
    spec: ModelSpec,
) -> tuple[jax.Array, jax.Array]:
    """The bf16 logits [B] of the imported program (``verifier import model``, bf16, sums
    sequential), op by op, and the number of underflows XLA:CPU flushed to zero (see
    ``Rounded``). Words are padded with eos: causal masking keeps padding out of the eos
    position, and the underflow count ignores it."""
    p = {name: value.astype(jnp.bfloat16) for name, value in params.items()}
    length = tokens.shape[1]
    valid = jnp.arange(length)[None, :] <= jnp.asarray(eos_at)[:, None]  # [B, T]
    underflows = jnp.zeros(tokens.shape[0], jnp.int32)
    scale = jnp.asarray(spec.score_scale, jnp.bfloat16)
    h = p["embedding"][tokens]
    for layer, heads in enumerate(spec.heads):
        base = f"layers.{layer}"
        outputs = []
        for index, head in enumerate(heads):
            out, underflows = sequential_attention(
                h, valid, underflows, p, f"{base}.heads.{index}", kept_mask(head, length), scale
            )
            outputs.append(out)
        ops = Rounded(valid[:, :, None], underflows)
        if outputs:
            a = jnp.concatenate(outputs, axis=-1)
            update = sequential_linear(
                ops, a, p[f"{base}.attention_output"], p[f"{base}.attention_output_bias"]
            )
            h = ops.add(h, update)
        if spec.ffn_width > 0:
            hidden = jax.nn.relu(
                sequential_linear(ops, h, p[f"{base}.ffn.hidden"], p[f"{base}.ffn.hidden_bias"])
            )
            update = sequential_linear(
                ops, hidden, p[f"{base}.ffn.output"], p[f"{base}.ffn.output_bias"]
            )
            h = ops.add(h, update)
        underflows = ops.underflows
    last = h[jnp.arange(h.shape[0]), jnp.asarray(eos_at)]  # [B, width]
    ops = Rounded(jnp.ones((1, 1), bool), underflows)  # [B, 1]
    logit = sequential_linear(ops, last, p["classifier"][:, None], p["classifier_bias"].reshape(1))
    return logit[:, 0], ops.underflows


sequential_forward_jit = jax.jit(sequential_forward, static_argnums=(3,))


def sequential_logits_of(
    params: Params, words: Sequence[str], spec: ModelSpec
) -> tuple[np.ndarray, np.ndarray]:
    """The op-by-op bf16 logits of some words as float32 (exact) and each word's number of
    flushed underflows."""
    tokens, eos_at = encode(words)
    out, underflows = sequential_forward_jit(params, tokens, eos_at, spec)
    return np.asarray(out.astype(jnp.float32)), np.asarray(underflows)


# ---------------------------------------------------------------------------- training


def init_params(spec: ModelSpec, seed: int) -> Params:
    """Gaussian initialization with variance 1/fan_in; biases 0, embedding variance 1."""
    key = jax.random.PRNGKey(seed)
    shapes: dict[str, tuple[int, ...]] = {"embedding": (len(VOCABULARY), spec.width)}
    for layer, heads in enumerate(spec.heads):
        for index in range(len(heads)):
            for part in ("query", "key", "value"):
                shapes[f"layers.{layer}.heads.{index}.{part}"] = (spec.width, spec.head_width)
        base = f"layers.{layer}"
        shapes[f"{base}.attention_output"] = (len(heads) * spec.head_width, spec.width)
        shapes[f"{base}.attention_output_bias"] = (spec.width,)
        if spec.ffn_width > 0:
            shapes[f"{base}.ffn.hidden"] = (spec.width, spec.ffn_width)
            shapes[f"{base}.ffn.hidden_bias"] = (spec.ffn_width,)
            shapes[f"{base}.ffn.output"] = (spec.ffn_width, spec.width)
            shapes[f"{base}.ffn.output_bias"] = (spec.width,)
    shapes["classifier"] = (spec.width,)
    shapes["classifier_bias"] = ()
    params: Params = {}
    for name, shape in shapes.items():
        key, sub = jax.random.split(key)
        if name.endswith("bias"):
            params[name] = jnp.zeros(shape, jnp.float32)
        elif name == "embedding":
            params[name] = jax.random.normal(sub, shape, jnp.float32)
        else:
            params[name] = jax.random.normal(sub, shape, jnp.float32) / np.sqrt(shape[0])
    return params


@dataclass
class Trained:
    """The outcome of one seed: its parameters, steps taken and training fit."""

    params: Params
    seed: int
    steps: int
    accuracy: float
    min_margin: float  # min over training words of y * logit (negative if one is wrong)

    @property
    def done(self) -> bool:
        """Whether every training word is right with |logit| >= MARGIN."""
        return self.min_margin >= MARGIN


def train_seed(
    spec: ModelSpec, seed: int, tokens: np.ndarray, eos_at: np.ndarray, signs: np.ndarray
) -> Trained:
    """Train one seed with Adam until the margin criterion holds or max_steps is reached."""
    positives = signs > 0
    weights = np.where(positives, 0.5 / positives.sum(), 0.5 / (~positives).sum())
    optimizer = optax.adam(spec.learning_rate)

    def loss(params: Params) -> jax.Array:
        logits = forward(params, tokens, eos_at, spec)
        return jnp.sum(weights * jax.nn.softplus(-signs * logits))

    @jax.jit
    def chunk(params: Params, state: optax.OptState) -> tuple[Params, optax.OptState, jax.Array]:
        def step(
            carry: tuple[Params, optax.OptState], _: None
        ) -> tuple[tuple[Params, optax.OptState], None]:
            params, state = carry
            grads = jax.grad(loss)(params)
            updates, state = optimizer.update(grads, state, params)
            return (optax.apply_updates(params, updates), state), None

        (params, state), _ = jax.lax.scan(step, (params, state), None, length=CHUNK)
        return params, state, jnp.asarray(signs) * forward(params, tokens, eos_at, spec)

    params = init_params(spec, seed)
    state = optimizer.init(params)
    best = Trained(params, seed, 0, 0.0, -np.inf)
    for steps in range(CHUNK, spec.max_steps + 1, CHUNK):
        params, state, margins = chunk(params, state)
        margins = np.asarray(margins)
        outcome = Trained(params, seed, steps, float((margins > 0).mean()), float(margins.min()))
        if (outcome.accuracy, outcome.min_margin) >= (best.accuracy, best.min_margin):
            best = outcome
        if outcome.done:
            break
    return best


def train(spec: ModelSpec, words: Sequence[str]) -> Trained:
    """Try the seeds in order; keep the first that meets the criterion, else the best."""
    tokens, eos_at = encode(words)
    signs = np.array([1.0 if LANGUAGES[spec.language](w) else -1.0 for w in words], np.float32)
    best: Trained | None = None
    for seed in spec.seeds:
        outcome = train_seed(spec, seed, tokens, eos_at, signs)
        if best is None or (outcome.accuracy, outcome.min_margin) > (
            best.accuracy,
            best.min_margin,
        ):
            best = outcome
        if outcome.done:
            break
    assert best is not None
    return best


# ------------------------------------------------------------------------------ export


def accuracy(logits: np.ndarray, words: Sequence[str], language: str) -> float | None:
    """The fraction of words whose sign of logit matches membership (None if no words)."""
    if not words:
        return None
    member = np.array([LANGUAGES[language](w) for w in words])
    return float(((logits > 0) == member).mean())


def export(spec: ModelSpec, trained: Trained, folder: Path) -> dict[str, Any]:
    """Write the four files of one model; return its metrics (nothing machine-dependent)."""
    folder.mkdir(parents=True, exist_ok=True)
    weights = {name: np.asarray(value, np.float32) for name, value in trained.params.items()}
    save_file(weights, str(folder / "weights.safetensors"))
    write_json(folder / "config.json", config_json(spec))
    return write_reference(spec, trained.params, folder, trained.seed, trained.steps)


def load_model(spec: ModelSpec, folder: Path) -> tuple[Params, dict[str, Any]]:
    """The float32 weights of an exported model and its metrics.json (for --reference-only);
    the config.json must be the one this script writes for SPEC."""
    config = json.loads((folder / "config.json").read_text())
    if config != config_json(spec):
        raise SystemExit(f"{folder / 'config.json'} is not the config of {spec.name}")
    weights = load_file(str(folder / "weights.safetensors"))
    params = {name: jnp.asarray(value, jnp.float32) for name, value in weights.items()}
    return params, json.loads((folder / "metrics.json").read_text())


def write_reference(
    spec: ModelSpec, params: Params, folder: Path, seed: int, steps: int
) -> dict[str, Any]:
    """Write reference.json and metrics.json of one model from its weights; return the
    metrics. The bf16 accuracies (suffix _bf16) are those of the op-by-op pass, the ones
    with suffix _xla_bf16 those of the xla pass."""
    train_words = all_words(TRAIN_MAX_LENGTH)
    rand = random_words()
    words = train_words + rand
    f32 = logits_of(params, words, spec, jnp.float32)
    xla = logits_of(params, words, spec, jnp.bfloat16)
    bf16, flushes = sequential_logits_of(params, words, spec)
    write_json(
        folder / "reference.json",
        {
            "precision": "bf16",
            "note": NOTE,
            "words": words,
            "logits": [float(x) for x in bf16],
            "xla_bf16_logits": [float(x) for x in xla],
            "float32_logits": [shortest_float32(x) for x in f32],
        },
        indent=None,
    )

    n = len(train_words)
    signs = np.array([1.0 if LANGUAGES[spec.language](w) else -1.0 for w in train_words])
    long_index = [i for i, w in enumerate(rand) if len(w) > TRAIN_MAX_LENGTH]
    long_words = [rand[i] for i in long_index]
    language = spec.language
    metrics: dict[str, Any] = {
        "model": spec.name,
        "language": language,
        "architecture": spec.architecture,
        "sizes": {"width": spec.width, "head_width": spec.head_width, "ffn_width": spec.ffn_width},
        "seed": seed,
        "steps": steps,
        "learning_rate": spec.learning_rate,
        "versions": {"jax": jax.__version__, "optax": optax.__version__},
        "train_words": n,
        "train_accuracy_f32": accuracy(f32[:n], train_words, language),
        "train_accuracy_bf16": accuracy(bf16[:n], train_words, language),
        "train_accuracy_xla_bf16": accuracy(xla[:n], train_words, language),
        "train_min_abs_logit_f32": float(np.abs(f32[:n]).min()),
        "train_min_abs_logit_bf16": float(np.abs(bf16[:n]).min()),
        "train_min_abs_logit_xla_bf16": float(np.abs(xla[:n]).min()),
        "train_min_signed_margin_f32": float((signs * f32[:n]).min()),
        "random_words": len(rand),
        "random_accuracy_f32": accuracy(f32[n:], rand, language),
        "random_accuracy_bf16": accuracy(bf16[n:], rand, language),
        "random_accuracy_xla_bf16": accuracy(xla[n:], rand, language),
        "random_longer_than_8": len(long_words),
        "random_longer_than_8_accuracy_f32": accuracy(f32[n:][long_index], long_words, language),
        "random_longer_than_8_accuracy_bf16": accuracy(bf16[n:][long_index], long_words, language),
        "random_longer_than_8_accuracy_xla_bf16": accuracy(
            xla[n:][long_index], long_words, language
        ),
        "bf16_sign_disagreements": int(((f32 > 0) != (bf16 > 0)).sum()),
        "xla_bf16_sign_disagreements": int(((f32 > 0) != (xla > 0)).sum()),
        "xla_vs_sequential_sign_disagreements": int(((xla > 0) != (bf16 > 0)).sum()),
        "xla_vs_sequential_logit_differences": int((xla != bf16).sum()),
        "sequential_bf16_flushes": int(flushes.sum()),
        "sequential_bf16_words_with_flushes": int(np.count_nonzero(flushes)),
    }
    members, mutants = long_probes(language)
    for probe, probe_words in (("long_members", members), ("long_mutants", mutants)):
        metrics[probe] = len(probe_words)
        probe_logits = {
            "f32": logits_of(params, probe_words, spec, jnp.float32),
            "bf16": sequential_logits_of(params, probe_words, spec)[0],
            "xla_bf16": logits_of(params, probe_words, spec, jnp.bfloat16),
        }
        for label, values in probe_logits.items():
            metrics[f"{probe}_accuracy_{label}"] = accuracy(values, probe_words, language)
    write_json(folder / "metrics.json", metrics)
    return metrics


def shortest_float32(x: np.floating[Any]) -> float:
    """The shortest decimal that reads back as the float32 X, as a Python float (whose repr
    is that decimal)."""
    value = float(str(np.float32(x)))
    assert np.float32(value) == np.float32(x)
    return value


def write_json(path: Path, data: Any, indent: int | None = 2) -> None:
    """Write JSON with a final newline: indented, or compact (no spaces) with indent=None."""
    separators = None if indent is not None else (",", ":")
    path.write_text(json.dumps(data, indent=indent, separators=separators) + "\n")


# ------------------------------------------------------------------ exp self-check


def bf16_exp_mismatches(low: float = -87.0) -> list[float]:
    """The bf16 arguments x in [LOW, 0] where exp as this script computes it (jnp.exp on a
    bf16 array: float32 expf rounded to bf16) is not the correctly rounded e^x. The reference
    is decimal.Decimal.exp (correctly rounded to 50 digits), rounded exactly to bf16; below
    -87 the correctly rounded result is subnormal, which XLA:CPU flushes to 0."""
    codes = np.arange(1 << 15, dtype=np.uint16) | np.uint16(0x8000)  # every x <= -0
    args = codes.view(jnp.bfloat16).astype(np.float32)
    args = np.concatenate([[np.float32(0)], args[np.isfinite(args) & (args >= low)]])
    got = np.asarray(jax.jit(jnp.exp)(jnp.asarray(args, jnp.bfloat16)).astype(jnp.float32))
    decimal.getcontext().prec = 50
    wrong = []
    for x, value in zip(args.tolist(), got.tolist(), strict=True):
        e = decimal.Decimal(x).exp()
        slack = e.scaleb(-45)  # e^x is irrational (x != 0): no rounding boundary this close
        low_end, high_end = round_bf16(Fraction(e - slack)), round_bf16(Fraction(e + slack))
        assert low_end == high_end, x
        if Fraction(value) != low_end:
            wrong.append(x)
    return wrong


def round_bf16(value: Fraction) -> Fraction:
    """VALUE > 0 rounded to nearest even with 8 significand bits, subnormals down to 2**-133
    (no overflow handling: only used on e^x <= 1)."""
    exponent = value.numerator.bit_length() - value.denominator.bit_length()
    if Fraction(2) ** exponent > value:
        exponent -= 1
    ulp = Fraction(2) ** (max(exponent, -126) - 7)
    whole, rest = divmod(value / ulp, 1)
    if rest > Fraction(1, 2) or (rest == Fraction(1, 2) and whole % 2):
        whole += 1
    return whole * ulp


def main(argv: Sequence[str] | None = None) -> None:
    """Train and export every model (or only --only NAME) into --out, or with
    --reference-only recompute reference.json and metrics.json from the weights there."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent,
        help="output folder (default: this script's folder)",
    )
    parser.add_argument("--only", metavar="NAME", help="train one model, e.g. first_hybrid")
    parser.add_argument(
        "--reference-only",
        action="store_true",
        help="no training: recompute reference.json and metrics.json from the weights in --out",
    )
    args = parser.parse_args(argv)
    specs = model_specs()
    if args.only is not None:
        specs = [s for s in specs if s.name == args.only]
        if not specs:
            parser.error(f"unknown model {args.only!r}")
    start = time.perf_counter()
    wrong = bf16_exp_mismatches()
    if wrong:
        raise SystemExit(
            f"jnp.exp in bf16 is not correctly rounded at {len(wrong)} arguments in [-87, 0] "
            f"(e.g. {wrong[:5]}): the op-by-op pass would not follow the bf16 profile"
        )
    train_words = all_words(TRAIN_MAX_LENGTH)
    for spec in specs:
        begin = time.perf_counter()
        if args.reference_only:
            params, old = load_model(spec, args.out / spec.name)
            metrics = write_reference(spec, params, args.out / spec.name, old["seed"], old["steps"])
        else:
            trained = train(spec, train_words)
            metrics = export(spec, trained, args.out / spec.name)
        print(
            f"{spec.name:16} seed {metrics['seed']} steps {metrics['steps']:5} "
            f"train {metrics['train_accuracy_f32']:.3f}/{metrics['train_accuracy_bf16']:.3f} "
            f"random {metrics['random_accuracy_f32']:.3f}/{metrics['random_accuracy_bf16']:.3f} "
            f">8 {metrics['random_longer_than_8_accuracy_f32']:.3f}/"
            f"{metrics['random_longer_than_8_accuracy_bf16']:.3f} "
            f"members {metrics['long_members_accuracy_f32']:.3f}/"
            f"{metrics['long_members_accuracy_bf16']:.3f} "
            f"mutants {metrics['long_mutants_accuracy_f32']:.3f}/"
            f"{metrics['long_mutants_accuracy_bf16']:.3f} "
            f"margin {metrics['train_min_abs_logit_f32']:.2f} "
            f"xla/seq signs {metrics['xla_vs_sequential_sign_disagreements']} "
            f"flushes {metrics['sequential_bf16_flushes']} "
            f"({time.perf_counter() - begin:.1f} s)",
            flush=True,
        )
    print(f"total {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
