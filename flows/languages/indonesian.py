"""Indonesian: roots from PySastrawi's stemmer (Nazief–Adriani with its root dictionary),
known words from the same dictionary."""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

_LOCK = threading.Lock()


class Indonesian:
    code = "id"

    def __init__(self) -> None:
        self._stemmer: Any = None
        self._roots: frozenset[str] = frozenset()

    def _load(self) -> Any:
        if self._stemmer is None:
            with _LOCK:
                if self._stemmer is None:
                    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

                    factory = StemmerFactory()
                    self._roots = frozenset(factory.get_words())
                    self._stemmer = factory.create_stemmer()
        return self._stemmer

    def lemma(self, word: str) -> str:
        return _root(self, word)

    def known(self, word: str) -> bool:
        self._load()
        return word in self._roots or _root(self, word) in self._roots

    def is_root(self, word: str) -> bool:
        """Whether the word is a root of the dictionary as it stands: the look-up that
        ``known`` makes before it asks the stemmer."""
        self._load()
        return word in self._roots


@lru_cache(maxsize=200_000)
def _root(language: Indonesian, word: str) -> str:
    if not word.isalpha():
        return word  # the stemmer strips digits and symbols; numbers keep their form
    return str(language._load().stem(word)) or word
