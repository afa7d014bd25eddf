"""The language layer: each language behind one small interface (STYLE: a language is a
package of data and a few functions). The morphology comes from maintained dictionaries —
pymorphy3 with its Russian dictionary, PySastrawi's Indonesian stemmer and root list,
simplemma's English lemmas — and our code only asks them two things: a word's lemma (or
root), and whether a word is a word of the language at all (so that typo tolerance is
applied only to words that are not). Each is loaded on first use, once per process.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Protocol

from flows.languages.english import English
from flows.languages.indonesian import Indonesian
from flows.languages.russian import Russian


class Language(Protocol):
    code: str

    def lemma(self, word: str) -> str:
        """The dictionary form (Russian lemma, Indonesian root, English lemma) of a
        lower-cased word; the word itself when the dictionary does not know it."""
        ...

    def known(self, word: str) -> bool:
        """Whether the dictionary knows the word (in any inflected form)."""
        ...


RUSSIAN = Russian()  # also asked for grammar (flows/red_flags/ages.py)
INDONESIAN = Indonesian()  # also asked whether a word is a root (flows/red_flags/latin_russian.py)
ENGLISH = English()
LANGUAGES: dict[str, Language] = {"id": INDONESIAN, "ru": RUSSIAN, "en": ENGLISH}


def get(code: str) -> Language:
    return LANGUAGES[code]


def by_script(word: str) -> Iterable[Language]:
    """The languages a word may belong to, by its letters: Cyrillic is Russian here, Latin
    is Indonesian or English (offers mix them)."""
    if any("\u0400" <= ch <= "\u04ff" for ch in word):
        return (LANGUAGES["ru"],)
    return (LANGUAGES["id"], LANGUAGES["en"])


# Latin words are asked of English first: its answer is a look-up in simplemma's table, while
# Indonesian runs PySastrawi's stemmer (about a millisecond for a word it does not know).
_LATIN_CHEAPEST_FIRST: tuple[Language, ...] = (LANGUAGES["en"], LANGUAGES["id"])


def known(word: str) -> bool:
    """Whether a language written in the word's script knows it: ``any(lang.known(word)
    for lang in by_script(word))``, with the cheaper dictionaries asked first."""
    if any("\u0400" <= ch <= "\u04ff" for ch in word):
        return LANGUAGES["ru"].known(word)
    return any(lang.known(word) for lang in _LATIN_CHEAPEST_FIRST)


def warm_up() -> threading.Thread:
    """Loads every dictionary in a background thread, so the first message does not wait."""
    def load() -> None:
        for language in LANGUAGES.values():
            language.known("a")

    thread = threading.Thread(target=load, name="languages-warm-up", daemon=True)
    thread.start()
    return thread
