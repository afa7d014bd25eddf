"""Folding place names so that "Sankt-Peterburg", "Санкт-Петербург" and "sankt peterburg"
meet: Unicode NFKC, case folding, ё → е, punctuation to spaces, and a Latin
transliteration of Cyrillic (a second key, for people typing Russian names in Latin)."""

from __future__ import annotations

import re
import unicodedata

_NON_LETTERS = re.compile(r"[^\w]+", re.UNICODE)
_TRANSLIT = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h",
    "і": "i", "ӯ": "u", "ҳ": "h", "ҷ": "j", "ӣ": "i",
})


def fold(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).casefold().replace("ё", "е")
    text = text.replace("'", "").replace("ʻ", "").replace("’", "").replace("ʼ", "")
    return " ".join(_NON_LETTERS.sub(" ", text).split())


def latin(folded: str) -> str:
    """The Latin transliteration of a folded name (unchanged when already Latin)."""
    return folded.translate(_TRANSLIT)


def keys(name: str) -> set[str]:
    folded = fold(name)
    return {k for k in (folded, latin(folded), folded.replace(" ", ""),
                        latin(folded).replace(" ", "")) if k}
