"""Normalisation of chat text before matching, keeping each token's span in the original.

Steps per token: Unicode NFKC and case folding; look-alike Latin/Cyrillic letters folded to
the token's dominant script ("пaспорт" with a Latin a); digits used as letters ("бесплатн0",
"g4ji", and "4dm1n" when the letters read as a word); Greek look-alikes ("Lοwοngan" with an
omicron); letters repeated for emphasis ("gajiii"); chat abbreviations ("gj", "tnpa") from
``data/abbreviations.yaml``. Letters spaced or dotted apart to dodge filters ("p a s p o r",
"f.o.t.o", "п.а.с.п.о.р.т") are read as one word whose span covers them all, so every match
can still be quoted from the original text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

# Word characters plus combining marks and the invisible characters people (and spammers)
# put inside words; the invisible ones are dropped during normalisation.
_WORD = re.compile(r"[\w\u0300-\u036f\u00ad\u200b-\u200d\u2060@$]+", re.UNICODE)
# A spaced dash inside a line is a clause joint, not a sentence end: «Спецодежда — вычет
# из зарплаты», "Zarplata — 50 000" (a bullet at a line's start follows a newline anyway).
_SENTENCE_END = re.compile(r"[.!?;…\n]+|(?<=\s)•(?=\s)")
# Clause breaks: a negation before a comma does not reach past it ("опыт не нужен, паспорт
# сдаёте" keeps the passport flag).
_CLAUSE_END = re.compile(r"[,:()\[\]«»\"]|[.!?;…\n]+|(?<=\s)[-–—•](?=\s)")
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060"), None)
_REPEAT = re.compile(r"(\D)\1{2,}")

# Look-alikes: the Cyrillic letter for each Latin one and back.
_LAT_TO_CYR = str.maketrans("aceopxykmhtbi", "асеорхукмнтві")
_CYR_TO_LAT = str.maketrans("асеорхукмнтвіј", "aceopxykmhtbij")
# Digits and symbols used as letters, by the script of the word around them.
_DIGIT_LAT = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t",
                            "8": "b", "@": "a", "$": "s"})
_DIGIT_CYR = str.maketrans({"0": "о", "3": "з", "4": "ч", "6": "б", "@": "а", "$": "s"})
# Greek letters that look Latin (after case folding); Cyrillic words get them through the
# Latin-to-Cyrillic fold below.
_GREEK_TO_LAT = str.maketrans("αβεηικμνορτυχϲ", "abenikmvoptuxc")
# A word that starts with a digit is a number with a unit ("4jt", "18th") unless it has
# at least this many letters and reads as a dictionary word once digits are letters.
_MIN_LEET_LETTERS = 2


def _is_cyr(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def _is_lat(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


@dataclass(frozen=True, slots=True)
class Token:
    """A normalised word with its place in the original text and in its sentence."""

    norm: str
    start: int
    end: int
    sentence: int
    clause: int
    capitalised: bool
    number: bool


# Building a Token through its slots, not the frozen dataclass's __init__ (which sets each
# field through object.__setattr__): a sixth of the time of tokenising went to that.
_SET_TOKEN = tuple(Token.__dict__[name].__set__ for name in (
    "norm", "start", "end", "sentence", "clause", "capitalised", "number"))
_NEW = object.__new__


def _token(norm: str, start: int, end: int, sentence: int, clause: int, capitalised: bool,
           number: bool) -> Token:
    """``Token(...)``, the same frozen value, three times faster to make."""
    token = _NEW(Token)
    set_norm, set_start, set_end, set_sentence, set_clause, set_cap, set_number = _SET_TOKEN
    set_norm(token, norm)
    set_start(token, start)
    set_end(token, end)
    set_sentence(token, sentence)
    set_clause(token, clause)
    set_cap(token, capitalised)
    set_number(token, number)
    return token


_GREEK = re.compile("[\u0370-\u03ff]")
_CYR = re.compile("[\u0400-\u04ff]")
_LAT = re.compile("[a-zA-Z]")


@lru_cache(maxsize=100_000)
def fold_token(raw: str) -> str:
    """One word, normalised (without abbreviation expansion); memoised: chat words repeat."""
    if raw.isascii():
        # Most words: NFKC, the invisible characters, the Greek and Cyrillic look-alikes
        # have nothing to do, and a word of letters only has no digit to read as a letter.
        text = raw.lower()
        if text.isalpha():
            return _REPEAT.sub(r"\1", text)
    else:
        text = unicodedata.normalize("NFKC", raw).translate(_INVISIBLE).casefold()
    if not text:
        return text
    if _GREEK.search(text):
        text = text.translate(_GREEK_TO_LAT)
    cyr = _CYR.subn("", text)[1]
    lat = _LAT.subn("", text)[1]
    if cyr and lat:
        # "Пacпopт" (Latin a, c, o, p) becomes wholly Cyrillic, "Pаspоr" wholly Latin:
        # prefer the script the word converts into entirely, else the majority script.
        as_cyr = text.translate(_LAT_TO_CYR)
        as_lat = text.translate(_CYR_TO_LAT)
        cyr_clean = not any(_is_lat(ch) for ch in as_cyr)
        lat_clean = not any(_is_cyr(ch) for ch in as_lat)
        if cyr_clean != lat_clean:
            text = as_cyr if cyr_clean else as_lat
        else:
            text = as_cyr if cyr >= lat else as_lat
    if (cyr or lat) and (any(map(str.isdigit, text)) or "@" in text or "$" in text) and not (
            text[0].isdigit()):
        # "бесплатн0", "g4ji", "p@spor": a digit after a letter is a letter in disguise.
        # Words that start with a digit ("4jt", "18th") are numbers with a unit.
        text = text.translate(_DIGIT_CYR if cyr > lat else _DIGIT_LAT)
    elif lat >= _MIN_LEET_LETTERS and not cyr and text[0].isdigit():
        leet = text.translate(_DIGIT_LAT)
        if leet.isalpha() and _is_dictionary_word(leet):
            text = leet
    return _REPEAT.sub(r"\1", text)


def _is_dictionary_word(word: str) -> bool:
    from flows.red_flags.lexicon import is_word  # the language layer, loaded lazily

    return is_word(word)


# Three or more single letters in a row, all split by the same space, dot or hyphen
# ("K e r j a", "f.o.t.o", "п.а.с.п.о.р.т", "Р-а-б-о-т-а"); two spaces, or another
# separator, end the word.
_SPACED = r"(?<![\w.-])[^\W\d_](?P<sep>[ .-])(?:[^\W\d_](?P=sep)){1,}[^\W\d_](?![\w])"
# One pass finds words, sentence ends and clause breaks together.
_PARTS = (rf"(?P<w>{_WORD.pattern})|(?P<s>{_SENTENCE_END.pattern})"
          rf"|(?P<c>{_CLAUSE_END.pattern})")
_SCAN = re.compile(_PARTS, re.UNICODE)
# Trying the spaced-letters pattern at every position costs a third of tokenising; texts
# are scanned with it only when they have such a run at all.
_SCAN_SPACED = re.compile(rf"(?P<r>{_SPACED})|{_PARTS}", re.UNICODE)
_HAS_SPACED = re.compile(_SPACED)


@lru_cache(maxsize=100_000)
def _word(raw: str) -> tuple[str, bool, bool] | None:
    """A word's norm, whether it is capitalised and whether it is a number; None for what
    is no token ("@", "$")."""
    norm = fold_token(raw)
    if not norm or norm in "@$":
        return None
    return norm, raw[:1].isupper(), norm[0].isdigit()


def tokenize(text: str, abbreviations: Mapping[str, str] | None = None) -> list[Token]:
    """Splits into normalised tokens; an abbreviation may expand to several tokens."""
    abbreviations = abbreviations or {}
    expand = abbreviations.get
    tokens: list[Token] = []
    append = tokens.append
    sentence = clause = 0
    scan = _SCAN_SPACED if _HAS_SPACED.search(text) else _SCAN
    for match in scan.finditer(text):
        kind = match.lastgroup
        if kind == "s":
            sentence += 1
            clause += 1
            continue
        if kind == "c":
            clause += 1
            continue
        raw = match.group()
        if kind == "r":
            raw = raw.replace(match.group("sep"), "")
        word = _word(raw)
        if word is None:
            continue
        norm, capitalised, number = word
        start, end = match.span()
        expansion = expand(norm)
        if expansion:
            for part in expansion.split():
                append(_token(part, start, end, sentence, clause, capitalised, number))
        else:
            append(_token(norm, start, end, sentence, clause, capitalised, number))
    return tokens
