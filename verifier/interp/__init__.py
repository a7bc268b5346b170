"""Reference interpreters: one word with Python ints, or every word of a length with numpy."""

from verifier.interp.batch import accepts_all, all_words, run_batch
from verifier.interp.single import run_word
from verifier.interp.trace import HeadTrace, Row, Trace

__all__ = ["HeadTrace", "Row", "Trace", "accepts_all", "all_words", "run_batch", "run_word"]
