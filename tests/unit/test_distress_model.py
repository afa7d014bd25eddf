"""The distress model's plain-Python inference (flows/distress/model.py) against
scikit-learn's own TF-IDF vectorizers, rebuilt from the shipped model.json: the same score
on every labelled message and on texts that stress the parts made fast (runs of odd
whitespace, repeated grams, case, words the vocabulary does not hold, a cold word cache)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import yaml

from flows.distress.model import MODEL_FILE, DistressModel, char_wb_ngrams, word_char_grams

np = pytest.importorskip("numpy")
text_features = pytest.importorskip("sklearn.feature_extraction.text")

DATA = Path(__file__).resolve().parents[1] / "data"
TRICKY = [
    "", " ", "\t\n", "a", "я", "tolong", "tolong tolong tolong tolong",
    "  tolong\u00a0\u2003saya   dikurung\t\tmajikan\n\n\x1c paspor  ",
    "PASPOR SAYA DITAHAN AGEN!!!", "аааа ааа аа а", "ng ng ng ng ng",
    "меня продали другому хозяину, меня продали другому хозяину",
    "help help help me me me please please", "123 456 ??? !!!", "zzqxv wpqlk",
    "😂😂 dikurung 😂", "the the the the the the the the the the",
]


def _sklearn_decision(spec: dict, texts: list[str]) -> list[float]:  # type: ignore[type-arg]
    total = np.full(len(texts), spec["intercept"])
    weights = np.zeros(sum(len(v["vocabulary"]) for v in spec["vectorizers"]))
    for index, w in spec["weights"].items():
        weights[int(index)] = w
    for part in spec["vectorizers"]:
        vectorizer = text_features.TfidfVectorizer(
            analyzer=part["analyzer"], ngram_range=tuple(part["ngram_range"]),
            sublinear_tf=True, vocabulary=part["vocabulary"])
        vectorizer.idf_ = np.array(part["idf"])
        offset = part["offset"]
        block = weights[offset:offset + len(part["vocabulary"])]
        total += vectorizer.transform(texts) @ block
    return [float(x) for x in total]


@pytest.fixture(scope="module")
def spec() -> dict:  # type: ignore[type-arg]
    with MODEL_FILE.open(encoding="utf-8") as fh:
        return json.load(fh)


def _texts() -> list[str]:
    texts = list(TRICKY)
    for path in sorted(DATA.glob("distress_*.yaml")):
        with path.open(encoding="utf-8") as fh:
            texts += [case["text"] for case in yaml.safe_load(fh)]
    return texts + [f"{t} \t\n {t.upper()}" for t in texts[:200]]


def test_scores_equal_scikit_learns(spec: dict) -> None:  # type: ignore[type-arg]
    texts = _texts()
    model = DistressModel(spec)
    expected = _sklearn_decision(spec, texts)
    worst = max(abs(model.decision(t) - e) for t, e in zip(texts, expected, strict=True))
    assert worst < 1e-9


def test_a_cold_word_cache_gives_the_same_scores(spec: dict) -> None:  # type: ignore[type-arg]
    texts = _texts()[:300]
    warm = DistressModel(spec)
    first = [warm.decision(t) for t in texts]
    assert [warm.decision(t) for t in texts] == first  # every word's grams now cached
    cold = DistressModel(spec)
    assert [cold.decision(t) for t in reversed(texts)][::-1] == first


@pytest.mark.parametrize(("low", "high"), [(1, 1), (1, 3), (2, 5), (3, 3), (4, 6), (2, 9)])
def test_a_words_character_grams_are_the_references(low: int, high: int) -> None:
    rng = random.Random(low * 10 + high)
    for _ in range(2000):
        word = "".join(rng.choice("abя1_") for _ in range(rng.randint(1, 9)))
        assert sorted(word_char_grams(word, low, high)) == sorted(
            char_wb_ngrams(word, low, high))
