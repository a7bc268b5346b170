"""Random languages, words, claims and DFAs (hypothesis strategies).

* `regexes(alphabet)`: a small regex tree, written both in the project's syntax (`.text`) and
  in automata-lib's (`.lib`, for the second oracle), with `|`, concatenation, `*`, `+`, `?`,
  `{m}`, `{m,n}`, `{m,}`, `.`, `[ab]`, `[^a]` and `()`.
* `ltl_formulas(alphabet)`: past-time LTL with every operator of spec section 6.
* `languages(alphabet)`: `(kind, text)` of either.
* `words(alphabet, n)`, `claims(alphabet)`: `assert` lines of every claim form.
* `dfas()`: complete DFAs, some with unreachable states.
* `agree_on_empty(dfa, accepted)`: the same language with ε's membership set to ACCEPTED, so
  that a target never differs from a program at the empty word only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from verifier.langs import DFA, minimal_dfa

from .draw import Draw, HypothesisDraw

_QUANTIFIERS = {"star": "*", "plus": "+", "opt": "?"}


@dataclass(frozen=True)
class Regex:
    """A regex tree node. KIND: sym, any, eps, class, nclass (SYMBOLS), cat, alt (ARGS),
    star, plus, opt, count (one ARG; count has LOW and HIGH, HIGH None for `{m,}`)."""

    kind: str
    args: tuple[Regex, ...] = ()
    symbols: tuple[str, ...] = ()
    low: int = 0
    high: int | None = 0

    def _write(self, lib: bool) -> str:
        kind, args = self.kind, [a._write(lib) for a in self.args]
        names = [s if lib or len(s) == 1 else f"<{s}>" for s in self.symbols]
        if kind == "sym":
            return names[0]
        if kind == "any":
            return "."
        if kind == "eps":
            return "()"
        if kind in ("class", "nclass"):
            return f"[{'^' if kind == 'nclass' else ''}{''.join(names)}]"
        if kind == "cat":
            return "".join(f"({a})" if r.kind == "alt" else a for a, r in zip(args, self.args,
                                                                          strict=True))
        if kind == "alt":
            return "|".join(args)
        if kind == "count" and lib and self.high == 0:
            return "()"  # automata-lib 9.2 reads `X{0}` as `X?`
        if kind == "count":
            bound = "" if self.high is None else str(self.high)
            times = str(self.low) if self.high == self.low else f"{self.low},{bound}"
            return f"({args[0]}){{{times}}}"
        return f"({args[0]}){_QUANTIFIERS[kind]}"

    @property
    def text(self) -> str:
        """The project's syntax (spec section 6)."""
        return self._write(lib=False)

    @property
    def lib(self) -> str:
        """automata-lib's syntax (single-character symbols only)."""
        return self._write(lib=True)


def write_regex(d: Draw, alphabet: tuple[str, ...], depth: int) -> Regex:
    """A random regex tree of height <= DEPTH over ALPHABET."""
    if depth <= 0 or not d.chance(0.65):
        kind = d.choice(["sym", "sym", "any", "class", "nclass", "eps"])
        if kind == "sym":
            return Regex("sym", symbols=(d.choice(alphabet),))
        if kind in ("class", "nclass"):
            chosen = tuple(s for s in alphabet if d.chance(0.5)) or (alphabet[0],)
            if kind == "nclass" and len(chosen) == len(alphabet):
                chosen = chosen[:-1] or chosen
                kind = "class" if len(alphabet) == 1 else kind
            return Regex(kind, symbols=chosen)
        return Regex(kind)
    kind = d.choice(["cat", "alt", "star", "cat", "plus", "opt", "count"])
    left = write_regex(d, alphabet, depth - 1)
    if kind in ("cat", "alt"):
        return Regex(kind, (left, write_regex(d, alphabet, depth - 1)))
    if kind == "count":
        low = d.integer(0, 2)
        high: int | None = d.choice([low, low + 1, low + 2, None])
        return Regex("count", (left,), low=low, high=high)
    return Regex(kind, (left,))


def write_ltl(d: Draw, alphabet: tuple[str, ...], depth: int) -> str:
    """A random past-LTL formula (spec section 6) of height <= DEPTH."""
    if depth <= 0 or not d.chance(0.7):
        symbol = d.choice(alphabet)
        name = symbol if len(symbol) == 1 and symbol not in "PYHS" else f"<{symbol}>"
        return name if not d.chance(0.1) else d.choice(["true", "false"])
    kind = d.choice(["P", "Y", "&", "!", "|", "S", "H", "Y<=", "->", "<->"])
    sub = write_ltl(d, alphabet, depth - 1)
    if kind in ("&", "|", "S", "->", "<->"):
        return f"({sub} {kind} {write_ltl(d, alphabet, depth - 1)})"
    if kind == "Y<=":
        return f"Y<={d.integer(1, 3)}({sub})"
    return f"{kind}({sub})"


@st.composite
def regexes(draw: st.DrawFn, alphabet: tuple[str, ...], depth: int = 3) -> Regex:
    """Strategy: regex trees over ALPHABET."""
    return write_regex(HypothesisDraw(draw), alphabet, depth)


@st.composite
def ltl_formulas(draw: st.DrawFn, alphabet: tuple[str, ...], depth: int = 3) -> str:
    """Strategy: LTL formulas over ALPHABET."""
    return write_ltl(HypothesisDraw(draw), alphabet, depth)


def languages(alphabet: tuple[str, ...], depth: int = 3) -> st.SearchStrategy[tuple[str, str]]:
    """Strategy: `(kind, text)` of a regex or an LTL formula over ALPHABET."""
    return st.one_of(regexes(alphabet, depth).map(lambda r: ("regex", r.text)),
                     ltl_formulas(alphabet, depth).map(lambda f: ("ltl", f)))


def words(alphabet: tuple[str, ...], max_length: int) -> st.SearchStrategy[tuple[str, ...]]:
    """Strategy: words over ALPHABET."""
    return st.lists(st.sampled_from(alphabet), max_size=max_length).map(tuple)


def quoted(word: tuple[str, ...], alphabet: tuple[str, ...]) -> str:
    """WORD as a claim writes it (run together over one-character symbols)."""
    joiner = "" if all(len(s) == 1 for s in alphabet) else " "
    return '"' + joiner.join(word) + '"'


@st.composite
def claims(draw: st.DrawFn, alphabet: tuple[str, ...], max_bound: int = 5,
           others: tuple[str, ...] = ()) -> str:
    """Strategy: one claim (the text after `assert`); OTHERS: program files an `equivalent`
    claim may name."""
    forms = ["recognizes", "not recognizes", "accepts", "rejects"]
    form = draw(st.sampled_from(forms + (["equivalent"] if others else [])))
    if form in ("accepts", "rejects"):
        return f"{form} {quoted(draw(words(alphabet, max_bound)), alphabet)}"
    if form == "equivalent":
        bound = draw(st.none() | st.integers(0, max_bound))
        return f'equivalent "{draw(st.sampled_from(others))}"' + (
            "" if bound is None else f" up to {bound}")
    kind, text = draw(languages(alphabet))
    bound = draw(st.none() | st.integers(0, max_bound))
    tail = "" if bound is None else f" up to {bound}"
    return f'{form} {kind} "{text}"{tail}'


@st.composite
def dfas(draw: st.DrawFn, max_states: int = 6, alphabet: tuple[str, ...] = ("a", "b", "c")
         ) -> DFA:
    """Strategy: a complete DFA with 1..MAX_STATES states over a prefix of ALPHABET; half of
    them 'monotone' (every transition goes to a state >= its source)."""
    n = draw(st.integers(1, max_states))
    k = draw(st.integers(1, len(alphabet)))
    monotone = draw(st.booleans())
    rows = tuple(tuple(draw(st.integers(q if monotone else 0, n - 1)) for _ in range(k))
                 for q in range(n))
    accepting = frozenset(q for q in range(n) if draw(st.booleans()))
    return DFA(alphabet[:k], n, draw(st.integers(0, n - 1)), accepting, rows)


def agree_on_empty(dfa: DFA, accepted: bool) -> DFA:
    """The minimal DFA of DFA's language with ε in it iff ACCEPTED (a fresh start state that
    moves like the old one)."""
    fresh = dfa.n_states
    accepting = dfa.accepting | ({fresh} if accepted else set())
    delta = (*dfa.delta, dfa.delta[dfa.start])
    return minimal_dfa(DFA(dfa.alphabet, dfa.n_states + 1, fresh, frozenset(accepting), delta))


def _distances(dfa: DFA) -> dict[int, int]:
    """The length of a shortest word reaching each reachable state."""
    found, frontier = {dfa.start: 0}, [dfa.start]
    while frontier:
        state = frontier.pop(0)
        for successor in dfa.delta[state]:
            if successor not in found:
                found[successor] = found[state] + 1
                frontier.append(successor)
    return found


def perturbed(d: Draw, dfa: DFA) -> DFA:
    """DFA with one state's acceptance flipped or one of its transitions redirected, the
    state picked among the deepest ones (reached by no word shorter than 2 if possible), and
    the empty word's answer kept."""
    distance = _distances(dfa)
    deep = max(distance.values())
    state = d.choice(sorted(q for q, n in distance.items() if n >= min(2, deep)))
    delta = [list(row) for row in dfa.delta]
    accepting = set(dfa.accepting)
    if d.chance(0.5) or state == dfa.start:
        delta[state][d.integer(0, len(dfa.alphabet) - 1)] = d.integer(0, dfa.n_states - 1)
    else:
        accepting ^= {state}
    changed = DFA(dfa.alphabet, dfa.n_states, dfa.start, frozenset(accepting),
                  tuple(tuple(row) for row in delta))
    return agree_on_empty(changed, dfa.start in dfa.accepting)


def differing_from(dfa: DFA, other: DFA, length: int) -> DFA:
    """The minimal DFA of L(DFA) with the words of L(OTHER) of length >= LENGTH toggled:
    the words separating it from DFA are exactly those."""
    columns = [other.alphabet.index(s) for s in dfa.alphabet]
    states = [(dfa.start, other.start, 0)]
    index = {states[0]: 0}
    rows: list[tuple[int, ...]] = []
    accepting: set[int] = set()
    for number, (p, r, k) in enumerate(states):  # grows while read: a breadth-first search
        if (p in dfa.accepting) != (r in other.accepting and k >= length):
            accepting.add(number)
        row = []
        for a, column in enumerate(columns):
            successor = (dfa.delta[p][a], other.delta[r][column], min(k + 1, length))
            if successor not in index:
                index[successor] = len(states)
                states.append(successor)
            row.append(index[successor])
        rows.append(tuple(row))
    return minimal_dfa(DFA(dfa.alphabet, len(states), 0, frozenset(accepting), tuple(rows)))


def as_language(dfa: DFA, name: str) -> Any:
    """DFA as a claim target (`verifier.langs.Language`)."""
    from verifier.langs.language import Language

    return Language("dfa", name, dfa.alphabet, dfa)
