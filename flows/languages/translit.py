"""Russian written in Latin letters, as people type it in chats ("zaperli", "pomogite",
"ne vypuskayut", "b'yut"), read back into Cyrillic candidates for the Russian dictionary.

There is no one standard (GOST, ISO 9 and chat habits differ): the candidates cover the
common digraphs and the ambiguous letters (y as ы or й, e as е or э), longest first, and
the caller keeps the first one the dictionary knows.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import product

_DIGRAPHS = (
    ("shch", ("щ",)), ("sch", ("щ", "сч")), ("zh", ("ж",)), ("kh", ("х",)), ("ch", ("ч",)),
    ("sh", ("ш",)), ("ts", ("ц", "тс")), ("yu", ("ю",)), ("ju", ("ю",)), ("ya", ("я",)),
    ("ja", ("я",)), ("yo", ("ё", "йо")), ("jo", ("ё",)), ("ye", ("е",)),
    ("yy", ("ый",)), ("'", ("ь",)),
)
_LETTERS = {
    "a": ("а",), "b": ("б",), "v": ("в",), "w": ("в",), "g": ("г",), "d": ("д",),
    "e": ("е", "э"), "z": ("з",), "i": ("и",), "j": ("й",), "k": ("к",), "l": ("л",),
    "m": ("м",), "n": ("н",), "o": ("о",), "p": ("п",), "r": ("р",), "s": ("с",),
    "t": ("т",), "u": ("у",), "f": ("ф",), "h": ("х",), "c": ("ц", "к"), "y": ("ы", "й"),
    "x": ("кс",), "q": ("к",),
}
_MAX_CANDIDATES = 16


@lru_cache(maxsize=50_000)
def transliterations(word: str) -> tuple[str, ...]:
    """Cyrillic readings of a Latin word, the most likely first; () when it has letters no
    reading covers (digits, accents) or is too short to be worth reading."""
    if len(word) < 2 or not word.isascii():
        return ()
    pieces: list[tuple[str, ...]] = []
    i = 0
    while i < len(word):
        for latin, cyrillic in _DIGRAPHS:
            if word.startswith(latin, i):
                pieces.append(cyrillic)
                i += len(latin)
                break
        else:
            options = _LETTERS.get(word[i])
            if options is None:
                return ()
            pieces.append(options)
            i += 1
    out: list[str] = []
    for combo in product(*pieces):
        out.append("".join(combo))
        if len(out) >= _MAX_CANDIDATES:
            break
    return tuple(out)
