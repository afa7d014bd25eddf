"""Russian typed in Latin letters ("rabota oficiantkoi v Dubae, zp 3000$, opyt ne nujen"),
read back into Cyrillic so the Russian concepts apply.

A text is read this way only when several of its Latin words are not Indonesian or
English words but read as Russian dictionary words; then each such word, and the short
function words of Russian, take their Cyrillic reading. The readings come from the
transliteration candidates of ``flows.languages.translit``, plus the chat habits it does
not cover: "j" for "ж" ("nujen"), "oi"/"ii" for the endings "ой"/"ий".
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from flows import languages
from flows.languages.translit import transliterations
from flows.red_flags.normalize import Token

# Russian function words too short for the dictionary test, read only in a Russian text.
_SHORT = {"v": "в", "vo": "во", "na": "на", "ne": "не", "iz": "из", "po": "по", "za": "за",
          "do": "до", "ot": "от", "s": "с", "so": "со", "k": "к", "u": "у", "i": "и",
          "ili": "или", "no": "но", "net": "нет", "bez": "без", "dlya": "для", "dlia": "для",
          "zp": "зп", "tys": "тыс", "ya": "я", "my": "мы", "ty": "ты", "vy": "вы",
          "ej": "ей", "emu": "ему",
          # words that are Indonesian too (chat "nih", the "paspor" a "pasport" is folded
          # to): read as Russian only in a text already read so, never evidence that it is
          "nih": "них", "ih": "их", "nim": "ним", "paspor": "паспорт"}
_MIN_WORDS = 2
_MIN_SHARE = 0.3


_SOFT_AFTER = frozenset("ltndszr")
_VOWELS = frozenset("aeiouy")


def _soft_signs(word: str) -> list[str]:
    """Readings with the soft sign chat leaves out: "tolko" (только), "zhile" (жильё),
    "pishite" is already right; one sign at a time, after l, t, n, d, s, z or r before a
    consonant or before a final e (a few variants, not every combination)."""
    out: list[str] = []
    for i in range(1, len(word) - 1):
        if word[i] in _SOFT_AFTER and word[i - 1] in _VOWELS and (
                word[i + 1] not in _VOWELS or (word[i + 1] == "e" and i + 2 == len(word))):
            out.append(word[:i + 1] + "'" + word[i + 1:])
            if len(out) == 3:
                break
    if word[-1] in _SOFT_AFTER and word[-2] not in _VOWELS:
        out.append(word + "'")  # "vneshnost" (внешность), "radost", "ploshchad"
    return out


def _soft_before_iotated(word: str) -> list[str]:
    """The soft sign chat leaves out before an iotated vowel: "otbyosh" (отбьёшь),
    "sudya" is already right as «судья»; only the first such place."""
    for i in range(1, len(word) - 2):
        if (word[i] == "y" and word[i - 1] not in _VOWELS and word[i - 1] != "'"
                and word[i + 1] in "aeou"):
            return [word[:i] + "'" + word[i:]]
    return []


@lru_cache(maxsize=50_000)
def russian_reading(word: str) -> str | None:
    """The first Cyrillic reading of a Latin word that the Russian dictionary knows."""
    if len(word) < 3 or not word.isascii() or not word.isalpha():
        return None
    variants = [word]
    if "j" in word:
        variants.append(word.replace("j", "zh"))
    if word.endswith(("oi", "ii", "yi")):
        variants.append(word[:-1] + "y")
    if "sh" in word and "shch" not in word:
        variants.append(word.replace("sh", "shch"))  # "obshenie": щ typed as sh
    variants += _soft_signs(word)
    variants += _soft_before_iotated(word)
    if word.endswith("sh"):  # the second person's "-шь" typed without its sign: "otrabotaesh"
        variants += [v + "'" for v in variants]
    russian = languages.RUSSIAN
    for variant in variants:
        for candidate in transliterations(variant):
            if russian.known(candidate):
                return candidate
    return None


def read_latin_russian(tokens: Sequence[Token], text: str = "") -> list[Token] | None:
    """The tokens with Russian words in Cyrillic, or None when the text is not Russian
    written in Latin letters. ``text``: the raw text, where an apostrophe inside a word is
    the soft sign ("men'she", "den'gi"): the two halves are one word."""
    if text:
        tokens = _soft_sign_words(tokens, text)
    latin = [t for t in tokens if not t.number and t.norm.isascii() and t.norm.isalpha()]
    long_words = [t for t in latin if len(t.norm) >= 3]
    if len(long_words) < _MIN_WORDS:
        return None
    readings: dict[int, str] = {}
    # The text is read as Russian only with this many readings: once the words left cannot
    # bring them, the answer is no (a long text in several languages has many Latin words,
    # and each takes up to sixteen look-ups in the Russian dictionary).
    needed = max(_MIN_WORDS, _MIN_SHARE * len(long_words))
    places = [i for i, token in enumerate(tokens)
              if len(token.norm) >= 3 and token.norm.isascii() and token.norm.isalpha()]
    left = len(places)
    english, indonesian = languages.ENGLISH, languages.INDONESIAN
    for i in places:
        norm = tokens[i].norm
        left -= 1
        # A word English knows, or an Indonesian root, takes no reading: those are
        # look-ups, asked first. Then the Russian dictionary: it is fast, and most words
        # have no Russian reading, so the slower Indonesian stemmer is asked only about the
        # few that do.
        if not (english.known(norm) or indonesian.is_root(norm)):
            reading = russian_reading(norm)
            if reading is not None and not languages.known(norm):
                readings[i] = reading
        if len(readings) + left < needed:
            return None
    if len(readings) < _MIN_WORDS or len(readings) < _MIN_SHARE * len(long_words):
        return None
    out = list(tokens)
    for i, token in enumerate(tokens):
        norm = token.norm
        if norm == "you" and token.end - token.start == 1:
            norm = "u"  # the chat "u" was expanded to "you"; in Russian it is «у»
        reading = readings.get(i) or _SHORT.get(norm)
        if reading is not None:
            out[i] = token._replace(norm=reading)
    return out


_APOSTROPHES = frozenset("'’`ʼ")


def _soft_sign_words(tokens: Sequence[Token], text: str) -> Sequence[Token]:
    """Latin words split at an apostrophe that stands for «ь» ("men'she" is «меньше»)
    joined again; the text's other tokens as they are."""
    if not any(c in text for c in _APOSTROPHES):
        return tokens
    out: list[Token] = []
    for token in tokens:
        last = out[-1] if out else None
        if (last is not None and token.start == last.end + 1 and text[last.end] in _APOSTROPHES
                and last.norm.isascii() and last.norm.isalpha() and token.norm.isascii()
                and token.norm.isalpha() and last.sentence == token.sentence):
            out[-1] = last._replace(norm=last.norm + token.norm, end=token.end)
            continue
        out.append(token)
    return out
