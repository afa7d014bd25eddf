"""English: lemmas and known words from simplemma's English dictionary."""

from __future__ import annotations

import threading
from functools import lru_cache

_LOCK = threading.Lock()


class English:
    code = "en"

    def __init__(self) -> None:
        self._loaded = False

    def _load(self) -> None:
        if not self._loaded:
            with _LOCK:
                if not self._loaded:
                    import simplemma  # its English table loads on first use (~0.5 s)

                    simplemma.is_known("a", lang="en")
                    self._loaded = True

    def lemma(self, word: str) -> str:
        return _lemma(self, word)

    def known(self, word: str) -> bool:
        return _known(self, word)


@lru_cache(maxsize=200_000)
def _lemma(language: English, word: str) -> str:
    language._load()
    import simplemma

    return str(simplemma.lemmatize(word, lang="en"))


@lru_cache(maxsize=200_000)
def _known(language: English, word: str) -> bool:
    language._load()
    import simplemma

    return bool(simplemma.is_known(word, lang="en"))
