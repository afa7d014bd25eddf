"""A statistical reading of distress: a logistic regression over character and word
n-grams (TF-IDF), trained by ``tools/train_distress_model.py`` on the team's labelled
messages and shipped as ``data/model.json``. It reads wording the concept lists have not
met yet ("dirantai", «прижгли сигаретой», "they split us into groups"); the detector's
look-alike marks veto it, so a joke or a question about the law is not raised by it.

Inference is plain Python and reproduces scikit-learn's ``TfidfVectorizer`` (``char_wb``
and ``word`` analyzers, sublinear tf, l2 norm per vectorizer) and the regression's
decision function; the training tool checks that on every message it learns from.

It runs on most messages a person sends, so the work is arranged to be cheap: the idf and
the regression's weights are folded into two tables per vectorizer when the model loads,
and a message's score per vectorizer is ``Σ w·idf·tf / sqrt(Σ (idf·tf)²)`` over the grams
of the vocabulary it holds (``tf = 1 + log(count)``), summed by the interpreter's C loops.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from functools import lru_cache
from itertools import chain, compress
from pathlib import Path
from typing import Any

MODEL_FILE = Path(__file__).resolve().parent / "data" / "model.json"
_WHITE = re.compile(r"\s\s+")
_WORD = re.compile(r"(?u)\b\w\w+\b")
# Words whose character grams are kept (about 0.4 KB each).
WORD_CACHE = 20_000


def char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    """scikit-learn's ``char_wb`` analyzer as it is written there (the reference)."""
    grams: list[str] = []
    for word in _WHITE.sub(" ", text).split():
        w = f" {word} "
        for n in range(low, high + 1):
            offset = 0
            grams.append(w[offset:offset + n])
            while offset + n < len(w):
                offset += 1
                grams.append(w[offset:offset + n])
            if offset == 0:
                break
    return grams


def word_char_grams(word: str, low: int, high: int) -> list[str]:
    """The ``char_wb`` n-grams of one word (of no whitespace), as the reference counts
    them: every gram of each length up to the padded word's own."""
    padded = f" {word} "
    size = len(padded)
    if size < low:  # a padded word shorter than the shortest gram is counted once, whole
        return [padded]
    return [padded[i:i + n] for n in range(low, min(high, size) + 1)
            for i in range(size - n + 1)]


def word_ngrams(text: str, low: int, high: int) -> list[str]:
    tokens = _WORD.findall(text)
    grams = list(tokens) if low == 1 else []
    for n in range(max(low, 2), min(high, len(tokens)) + 1):
        grams += [" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]
    return grams


class _Vectorizer:
    """One TF-IDF vectorizer with the regression's weights folded in: for every gram of the
    vocabulary, ``weight·idf`` (the score) and ``idf²`` (the l2 norm, which counts every
    gram of the vocabulary, weighted or not), by the gram's index."""

    def __init__(self, spec: dict[str, Any], weights: dict[int, float]) -> None:
        self.analyzer: str = spec["analyzer"]
        self.low, self.high = spec["ngram_range"]
        offset: int = spec["offset"]
        idf: list[float] = spec["idf"]
        self._vocabulary: dict[str, int] = spec["vocabulary"]
        self._weighted = [weights.get(offset + i, 0.0) * x for i, x in enumerate(idf)]
        self._squared = [x * x for x in idf]
        # A word's character grams do not depend on the message around it, and words
        # repeat from message to message: each word's grams of the vocabulary are kept (as
        # indices) for the most recent words, in memory only.
        self._word_grams = lru_cache(maxsize=WORD_CACHE)(self._grams_of_word)

    def _grams_of_word(self, word: str) -> tuple[int, ...]:
        get = self._vocabulary.get
        grams = map(get, word_char_grams(word, self.low, self.high))
        return tuple(i for i in grams if i is not None)

    def forget(self) -> None:
        self._word_grams.cache_clear()

    def grams(self, text: str) -> list[int]:
        """The indices of the message's grams that the vocabulary holds, with repeats."""
        if self.analyzer == "char_wb":
            # The reference collapses runs of whitespace before splitting; str.split()
            # alone gives the same words (re's \s and str.isspace agree on every character).
            return list(chain.from_iterable(map(self._word_grams, text.split())))
        vocabulary = self._vocabulary
        return [vocabulary[g] for g in word_ngrams(text, self.low, self.high)
                if g in vocabulary]

    def score(self, text: str) -> float:
        """``Σ w·x`` over the message's l2-normalised TF-IDF vector ``x``."""
        grams = self.grams(text)
        if not grams:
            return 0.0
        counts = Counter(grams)
        weighted, squared = self._weighted, self._squared
        # As if every gram occurred once (tf = 1), then corrected for those that repeat.
        num = sum(map(weighted.__getitem__, counts))
        norm = sum(map(squared.__getitem__, counts))
        if len(counts) < len(grams):
            for index in compress(counts, map((1).__lt__, counts.values())):  # count > 1
                tf = 1.0 + math.log(counts[index])
                num += weighted[index] * (tf - 1.0)
                norm += squared[index] * (tf * tf - 1.0)
        return num / math.sqrt(norm) if norm else 0.0


class DistressModel:
    def __init__(self, spec: dict[str, Any]) -> None:
        weights = {int(k): w for k, w in spec["weights"].items()}
        self._parts = [_Vectorizer(v, weights) for v in spec["vectorizers"]]
        self._intercept: float = spec["intercept"]
        self.threshold: float = spec["threshold"]
        # A reading this sure is vetoed only by the plainest look-alike marks (detector).
        self.sure: float = spec.get("sure", 1.01)

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> DistressModel:
        with path.open(encoding="utf-8") as fh:
            return cls(json.load(fh))

    def forget(self) -> None:
        """Drops the words kept in memory."""
        for vectorizer in self._parts:
            vectorizer.forget()

    def decision(self, text: str) -> float:
        text = text.lower()
        score = self._intercept
        for vectorizer in self._parts:
            score += vectorizer.score(text)
        return score

    def probability(self, text: str) -> float:
        return 1.0 / (1.0 + math.exp(-self.decision(text)))

    def says_distress(self, text: str) -> bool:
        return self.probability(text) >= self.threshold
