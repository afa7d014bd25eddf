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
from functools import lru_cache
from itertools import accumulate, repeat
from operator import itemgetter
from typing import Any, NamedTuple

# Word characters plus combining marks and the invisible characters people (and spammers)
# put inside words; the invisible ones are dropped during normalisation.
_WORD = re.compile(r"[\w\u0300-\u036f\u00ad\u200b-\u200d\u2060@$]+", re.UNICODE)
# A spaced dash inside a line is a clause joint, not a sentence end: «Спецодежда — вычет
# из зарплаты», "Zarplata — 50 000" (a bullet at a line's start follows a newline anyway).
_SENTENCE_END = re.compile(r"[.!?;…\n]+|(?<=\s)•(?=\s)")
# Clause breaks: a negation before a comma does not reach past it ("опыт не нужен, паспорт
# сдаёте" keeps the passport flag). Chat puts an emoji where a comma would stand («виза не
# нужна 👌 паспорт держит координатор»): it breaks the clause too.
_CLAUSE_END = re.compile(r"[,:()\[\]»\u2600-\u27bf\U0001f000-\U0001faff]|[.!?;…\n]+"
                         r"|(?<=\s)[-–—•](?=\s)")
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060"), None)
_REPEAT = re.compile(r"(\D)\1{2,}")
# A currency written before its sum in one word: "rp500k", "RM1700", "usd2000", "hk$3000".
_CURRENCY_SUM = re.compile(r"^(?:rp|rm|idr|myr|usd|us|hkd|hk|nt|ntd|sgd|aed|sar|qar|twd|krw|"
                           r"rs|s)\$?\d[\d.,]*(?:k|rb|jt|ribu|juta|m)?$")

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


class Token(NamedTuple):
    """A normalised word with its place in the original text and in its sentence."""

    norm: str
    start: int
    end: int
    sentence: int
    clause: int
    capitalised: bool
    number: bool


# Tokens are made as tuples (``tuple.__new__``), without a call of Python code each: a long
# text has hundreds, and a frozen dataclass took 2.6 us to make one.
_NEW_TUPLE = tuple.__new__


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
            return _no_repeats(text)
    else:
        text = unicodedata.normalize("NFKC", raw).translate(_INVISIBLE).casefold()
    if not text:
        return text
    if _GREEK.search(text):
        text = text.translate(_GREEK_TO_LAT)
    cyr = _CYR.subn("", text)[1]
    lat = _LAT.subn("", text)[1]
    if lat >= 2 and not cyr and text[-1] == "2" and text[:-1].isalpha():
        # Indonesian chat writes a doubled word with a 2 ("ortu2", "anak2", "bilang2"):
        # the word itself, not a letter in disguise.
        return _no_repeats(text[:-1])
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
    if lat and _CURRENCY_SUM.match(text):
        return text  # "rp500k", "rm1700", "usd2000": a sum, not letters in disguise
    if (cyr or lat) and (any(map(str.isdigit, text)) or "@" in text or "$" in text) and not (
            text[0].isdigit()):
        # "бесплатн0", "g4ji", "p@spor": a digit after a letter is a letter in disguise.
        # Words that start with a digit ("4jt", "18th") are numbers with a unit.
        text = text.translate(_DIGIT_CYR if cyr > lat else _DIGIT_LAT)
    elif lat >= _MIN_LEET_LETTERS and not cyr and text[0].isdigit():
        leet = text.translate(_DIGIT_LAT)
        if leet.isalpha() and _is_dictionary_word(leet):
            text = leet
    return _no_repeats(text)


def _no_repeats(text: str) -> str:
    """"gajiii" -> "gaji". Substituting with a template calls Python code (re._subx) even
    when nothing matches: the search, in C, goes first."""
    return _REPEAT.sub(r"\1", text) if _REPEAT.search(text) else text


def _is_dictionary_word(word: str) -> bool:
    from flows.red_flags.lexicon import is_word  # the language layer, loaded lazily

    return is_word(word)


# Three or more single letters in a row, all split by the same space, dot or hyphen
# ("K e r j a", "f.o.t.o", "п.а.с.п.о.р.т", "Р-а-б-о-т-а"); two spaces, or another
# separator, end the word.
_SPACED = r"(?<![\w.-])[^\W\d_](?P<sep>[ .-])(?:[^\W\d_](?P=sep)){1,}[^\W\d_](?![\w])"
# A text with such a run is scanned once for them, words, sentence ends and clause breaks
# together; trying the spaced-letters pattern at every position costs a third of
# tokenising, so other texts are split (``Tokenizer.__call__``).
_PARTS = (rf"(?P<w>{_WORD.pattern})|(?P<s>{_SENTENCE_END.pattern})"
          rf"|(?P<c>{_CLAUSE_END.pattern})")
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


# The text split at its words: the words at the odd places, the stretches between them at
# the even ones, together exactly the text, so a word's span is the sum of the lengths
# before it. One split in C instead of a match object per word and per separator; the
# breaks are counted in the stretches between words, where they are (a sentence end or a
# clause break holds no word character, and the spaces round a dash lie in the same
# stretch), so they count as the one scan over the whole text counted them.
_SPLIT = re.compile(f"({_WORD.pattern})", re.UNICODE).split
_BREAKS = re.compile(rf"(?P<s>{_SENTENCE_END.pattern})|(?P<c>{_CLAUSE_END.pattern})",
                     re.UNICODE)
# ``_SPACED`` looked for from its first separator, so that only the separators are tried
# (a pattern that starts with a look-behind is tried at every position): it holds here
# exactly where ``_SPACED`` holds one character earlier. A text it finds nothing in has no
# run of spaced letters.
_MAYBE_SPACED = re.compile(
    r"([ .-])(?<=[^\W\d_].)(?<![\w.-][^\W\d_].)(?:[^\W\d_]\1){1,}[^\W\d_](?![\w])",
    re.UNICODE)
_CACHE_LIMIT = 100_000
# Sentence ends and clause breaks of a stretch between two words; most are one space.
_Breaks = tuple[int, int]
_GAPS: dict[str, _Breaks] = {" ": (0, 0), "": (0, 0)}
# A word's tokens: (norm, capitalised, number) for each, several when it is an abbreviation.
_Parts = tuple[tuple[str, bool, bool], ...]
_PLACEHOLDER = ("", False, False)
_FIRST, _SECOND = itemgetter(0), itemgetter(1)


def _breaks(gap: str) -> _Breaks:
    """How many sentence ends and how many clause breaks (sentence ends included) a
    stretch between words holds."""
    found = _GAPS.get(gap)
    if found is None:
        kinds = [m.lastgroup for m in _BREAKS.finditer(gap)]
        found = (kinds.count("s"), len(kinds))
        if len(_GAPS) >= _CACHE_LIMIT:
            _GAPS.clear()
            _GAPS.update({" ": (0, 0), "": (0, 0)})
        _GAPS[gap] = found
    return found


class Tokenizer:
    """``tokenize`` with one set of abbreviations, remembering each word's tokens (chat
    words repeat: the fold, the look-up of its expansion and its split are done once)."""

    def __init__(self, abbreviations: Mapping[str, str] | None = None) -> None:
        self._expand = (abbreviations or {}).get
        # A word that makes one token: its (norm, capitalised, number).
        self._words: dict[str, tuple[str, bool, bool]] = {}
        # The others: an abbreviation's several tokens, or none ("@").
        self._others: dict[str, _Parts] = {}

    def clear(self) -> None:
        """Drops the words it remembers."""
        self._words.clear()
        self._others.clear()

    def _parts(self, raw: str) -> _Parts:
        parts = self._others.get(raw)
        if parts is not None:
            return parts
        word = _word(raw)
        if word is None:
            parts = ()
        else:
            norm, capitalised, number = word
            expansion = self._expand(norm)
            # An expansion that is a number ("fifteen" -> "15") is one.
            parts = (tuple((part, capitalised, number or part[0].isdigit())
                           for part in expansion.split()) if expansion else (word,))
        table: dict[str, Any] = self._words if len(parts) == 1 else self._others
        if len(table) >= _CACHE_LIMIT:
            table.clear()
        table[raw] = parts[0] if len(parts) == 1 else parts
        return parts

    def __call__(self, text: str) -> list[Token]:
        """Splits into normalised tokens; an abbreviation may expand to several tokens.

        Built a column at a time, in C: the words' norms from the cache, their spans from
        the running sum of the pieces' lengths, their sentence and clause numbers from the
        running sums of the breaks; the words that do not make one known token each are
        put in afterwards."""
        if _MAYBE_SPACED.search(text) and _HAS_SPACED.search(text):
            return self._scan_spaced(text)
        pieces = _SPLIT(text)  # stretch, word, stretch, word, ..., stretch
        raws = pieces[1::2]
        if not raws:
            return []
        entries = list(map(self._words.get, raws))
        unusual = [k for k, entry in enumerate(entries) if entry is None] if (
            None in entries) else []
        for k in unusual:
            entries[k] = _PLACEHOLDER
        before = pieces[0:-1:2]  # the stretch before each word
        gaps = list(map(_GAPS.get, before))
        if None in gaps:
            gaps = [found or _breaks(gap) for found, gap in zip(gaps, before, strict=True)]
        if "," in before or "." in before:
            # "Rp 4.500.000", "HK$ 18,000": a separator inside a number ends no sentence
            # and no clause (the sum and the word after it are read together).
            for k in range(1, len(raws)):
                if (before[k] in (",", ".") and raws[k - 1][-1:].isdigit()
                        and raws[k][:1].isdigit()):
                    gaps[k] = (0, 0)
        offsets = list(accumulate(map(len, pieces)))
        starts, ends = offsets[0:-1:2], offsets[1::2]
        sentences = list(accumulate(map(_FIRST, gaps)))
        clauses = list(accumulate(map(_SECOND, gaps)))
        norms, capitalised, numbers = zip(*entries, strict=True)
        tokens = list(map(_NEW_TUPLE, repeat(Token), zip(
            norms, starts, ends, sentences, clauses, capitalised, numbers, strict=True)))
        for k in reversed(unusual):  # from the end, so that the places before stay put
            tokens[k:k + 1] = [
                _NEW_TUPLE(Token, (norm, starts[k], ends[k], sentences[k], clauses[k], cap, num))
                for norm, cap, num in self._parts(raws[k])]
        return tokens

    def _scan_spaced(self, text: str) -> list[Token]:
        """The same, for a text with letters spaced or dotted apart: one scan that also
        reads such runs as words."""
        tokens: list[Token] = []
        append = tokens.append
        new = _NEW_TUPLE
        sentence = clause = 0
        for match in _SCAN_SPACED.finditer(text):
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
            entry = self._parts(raw)
            start, end = match.span()
            for norm, capitalised, number in entry:
                append(new(Token, (norm, start, end, sentence, clause, capitalised, number)))
        return tokens


def tokenize(text: str, abbreviations: Mapping[str, str] | None = None) -> list[Token]:
    """Splits into normalised tokens; an abbreviation may expand to several tokens (a
    ``Tokenizer`` kept for the same abbreviations remembers the words it has seen)."""
    return Tokenizer(abbreviations)(text)


# Indonesian and Sundanese units before "belas"/"welas" (-teen): "lima belas" is 15.
_UNITS = {"satu": 1, "se": 1, "hiji": 1, "dua": 2, "tiga": 3, "tilu": 3, "empat": 4,
          "opat": 4, "lima": 5, "enam": 6, "genep": 6, "tujuh": 7, "delapan": 8,
          "dalapan": 8, "sembilan": 9, "salapan": 9}
_TEEN = frozenset({"belas", "welas"})


def join_teens(tokens: list[Token]) -> list[Token]:
    """"lima belas" (15), "tujuh welas" (17) as one number token, as "15" would be, so that
    an age in words is read as an age ("umur lima belas tahun")."""
    if not any(t.norm in _TEEN for t in tokens):
        return tokens
    out: list[Token] = []
    for token in tokens:
        last = out[-1] if out else None
        if token.norm in _TEEN and last is not None and last.norm in _UNITS and (
                last.clause == token.clause):
            out[-1] = last._replace(norm=str(10 + _UNITS[last.norm]), end=token.end,
                                    number=True)
            continue
        out.append(token)
    return out
