"""A statistical reading of distress: a logistic regression over character and word
n-grams (TF-IDF), trained by ``tools/train_distress_model.py`` on the team's labelled
messages and shipped as ``data/model.json``. It reads wording the concept lists have not
met yet ("dirantai", «прижгли сигаретой», "they split us into groups"); the detector's
look-alike marks veto it, so a joke or a question about the law is not raised by it.

Inference is plain Python and reproduces scikit-learn's ``TfidfVectorizer`` (``char_wb``
and ``word`` analyzers, sublinear tf, l2 norm per vectorizer) and the regression's
decision function exactly; the training tool checks that on every message it learns from.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from pathlib import Path
from typing import Any

MODEL_FILE = Path(__file__).resolve().parent / "data" / "model.json"
_WHITE = re.compile(r"\s\s+")
_WORD = re.compile(r"(?u)\b\w\w+\b")


def char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
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


def word_ngrams(text: str, low: int, high: int) -> list[str]:
    tokens = _WORD.findall(text)
    grams = list(tokens) if low == 1 else []
    for n in range(max(low, 2), min(high, len(tokens)) + 1):
        grams += [" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]
    return grams


class _Vectorizer:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.analyzer: str = spec["analyzer"]
        self.low, self.high = spec["ngram_range"]
        self.vocabulary: dict[str, int] = spec["vocabulary"]
        self.idf: list[float] = spec["idf"]

    def features(self, text: str) -> dict[int, float]:
        grams = (char_wb_ngrams(text, self.low, self.high) if self.analyzer == "char_wb"
                 else word_ngrams(text, self.low, self.high))
        counts = Counter(g for g in grams if g in self.vocabulary)
        values = {self.vocabulary[g]: (1.0 + math.log(c)) * self.idf[self.vocabulary[g]]
                  for g, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in values.values()))
        return {k: v / norm for k, v in values.items()} if norm else {}


class DistressModel:
    def __init__(self, spec: dict[str, Any]) -> None:
        self._parts = [(_Vectorizer(v), v["offset"]) for v in spec["vectorizers"]]
        self._weights: dict[int, float] = {int(k): w for k, w in spec["weights"].items()}
        self._intercept: float = spec["intercept"]
        self.threshold: float = spec["threshold"]
        # A reading this sure is vetoed only by the plainest look-alike marks (detector).
        self.sure: float = spec.get("sure", 1.01)

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> DistressModel:
        with path.open(encoding="utf-8") as fh:
            return cls(json.load(fh))

    def decision(self, text: str) -> float:
        text = text.lower()
        score = self._intercept
        for vectorizer, offset in self._parts:
            for index, value in vectorizer.features(text).items():
                score += self._weights.get(offset + index, 0.0) * value
        return score

    def probability(self, text: str) -> float:
        return 1.0 / (1.0 + math.exp(-self.decision(text)))

    def says_distress(self, text: str) -> bool:
        return self.probability(text) >= self.threshold
