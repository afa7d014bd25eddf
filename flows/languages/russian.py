"""Russian: lemmas and known words from pymorphy3 and its OpenCorpora dictionary."""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

_LOCK = threading.Lock()


class Russian:
    code = "ru"

    def __init__(self) -> None:
        self._morph: Any = None

    def _analyzer(self) -> Any:
        if self._morph is None:
            with _LOCK:
                if self._morph is None:
                    import pymorphy3  # ~0.1 s and ~15 MB: only when Russian is first read

                    self._morph = pymorphy3.MorphAnalyzer(lang="ru")
        return self._morph

    def lemma(self, word: str) -> str:
        return _lemma(self, word)

    def known(self, word: str) -> bool:
        return _known(self, word)

    def place_lemma(self, word: str) -> str | None:
        """The dictionary form of a word whose likeliest reading is a place name (Geox):
        «Дубае» → дубай; None when it is not read as one."""
        return _place_lemma(self, word)

    def names_a_direction(self, word: str) -> bool:
        """Whether a name after «в»/«на» reads as whither, not where: accusative and never
        locative («в Дубай», «в Россию»; not «в Дубае», «в России»)."""
        return _direction(self, word)

    def is_instrumental_noun(self, word: str) -> bool:
        """Whether the word's likeliest reading is a noun in the instrumental case."""
        return _instrumental(self, word)


@lru_cache(maxsize=200_000)
def _lemma(language: Russian, word: str) -> str:
    parses = language._analyzer().parse(word)
    return str(parses[0].normal_form) if parses else word


@lru_cache(maxsize=200_000)
def _known(language: Russian, word: str) -> bool:
    return bool(language._analyzer().word_is_known(word))


@lru_cache(maxsize=50_000)
def _direction(language: Russian, word: str) -> bool:
    parses = language._analyzer().parse(word)
    cases = {p.tag.case for p in parses}
    return "accs" in cases and not cases & {"loct", "loc2"}


@lru_cache(maxsize=50_000)
def _instrumental(language: Russian, word: str) -> bool:
    parses = language._analyzer().parse(word)
    return bool(parses) and {"NOUN", "ablt"} <= set(parses[0].tag.grammemes)


@lru_cache(maxsize=50_000)
def _place_lemma(language: Russian, word: str) -> str | None:
    parses = language._analyzer().parse(word)
    if parses and "Geox" in parses[0].tag and parses[0].score >= 0.5:
        return str(parses[0].normal_form)
    return None
