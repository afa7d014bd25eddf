"""Places people type: countries, regions, cities, Indonesia's regencies and districts, in
Latin or Cyrillic, alone or inside a sentence ("desa aku di wonosobo, jateng", «я из Оша»).

``resolve`` and ``find_in_text`` find the place mentions of a text and rank them: a name
found exactly always beats a corrected typo; a province, regency or country named beside
a place confirms it ("Purwodadi, Grobogan" is the district of Grobogan); words such as
"kab.", "kota", "облусу", "viloyati" say which kind of place is meant. Typos are corrected
only for words that are no place name at all, within one or two edits, and never into a
country or region other than the one the text names. ``nearest`` turns a shared location
into the nearest city (the coordinates are used for that and never kept).

The data is tools/build_gazetteer.py's referral_directory/data/places.json.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from itertools import product
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from referral_directory.names import fold, latin

PLACES_FILE = Path(__file__).resolve().parent / "data" / "places.json"
# Of places with the same name, the one people mostly mean: a region's capital before the
# region, a region before a district; a country last, after the places in it.
_KIND_ORDER = {"city": 0, "regency": 1, "region": 2, "district": 3, "country": 4}
_MAX_WORDS = 6  # the longest name: "Kabupaten Administrasi Kepulauan Seribu" and the like
_WORD = re.compile(r"[\w'ʻ’ʼ‘`]+")
_NON_WORD = re.compile(r"[^\w]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Case endings of Russian (and Kyrgyz/Kazakh locative and ablative) place names, with the
# endings of the name itself: "в Москве" → Москва, «из Оша» → Ош, «в Чуйской области».
_ENDINGS = (
    ("ской", ("ская", "ский")), ("цкой", ("цкая", "цкий")), ("ского", ("ский",)),
    ("ском", ("ский", "ск")), ("ой", ("ая", "ый", "ий", "а")), ("ей", ("ь", "я", "ая")),
    ("ых", ("ые", "ый")), ("их", ("ие", "ий")),
    ("ом", ("", "ый", "ий")), ("ем", ("ь", "", "ий")), ("ах", ("а", "", "и", "ы")),
    ("ях", ("я", "ь", "и")),
    ("дан", ("",)), ("тан", ("",)), ("ден", ("",)), ("тен", ("",)), ("да", ("",)),
    ("та", ("",)), ("де", ("",)), ("те", ("",)), ("е", ("", "а", "я", "ь", "й")),
    ("а", ("", "ь")), ("я", ("ь", "й")), ("у", ("", "а")), ("ю", ("ь", "я")),
    ("ы", ("а", "")), ("и", ("ь", "а", "я", "й", "")),
)
# Uzbek case endings in Latin letters ("Toshkentda", "Andijondan", "Buxoroga"), read only
# as names of places in Central Asia.
_LATIN_ENDINGS = ("dagi", "dan", "da", "ga", "ka", "ning", "ni")
_ENDINGS_COUNTRIES = frozenset({"UZ", "KZ", "KG", "TJ"})
# How good a name is: a GeoNames alternate name; an alternate name of a city of 100,000
# people (well known: "Makasar"); an official or the team's name, the only ones typos are
# corrected into. A district's own name ranks between the last two: "Makasar" is a
# district of Jakarta, but people who type it mostly mean Makassar.
_ALTERNATE, _KNOWN, _OFFICIAL = 1, 2, 3
_KNOWN_FROM = 100_000


class PlaceKind(StrEnum):
    CITY = "city"  # a GeoNames populated place, with coordinates
    REGENCY = "regency"  # Indonesia's kabupaten and kota
    DISTRICT = "district"  # Indonesia's kecamatan
    REGION = "region"  # a first-level division (ISO 3166-2)
    COUNTRY = "country"


@dataclass(frozen=True, slots=True)
class Place:
    id: str  # "city:1214520", "regency:33.07", "district:33.07.08", "region:ID-SU", "country:ID"
    kind: PlaceKind
    name: str
    country: str
    region: str | None = None  # the region code ("ID-SU") of a place, or of the region itself
    lat: float | None = None
    lon: float | None = None
    population: int = 0
    parent: str | None = None  # the regency id of a district (or of a town, where known)


@dataclass(frozen=True, slots=True)
class Resolved:
    place: Place
    score: float  # 100 for an exact name, 90 for one typo, 80 for two


@dataclass(frozen=True, slots=True)
class Mention:
    """A place named in a text, with the characters that name it."""

    place: Place
    score: float
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Token:
    key: str
    plain: str  # folded, in its own script: "брат" is not "brat"
    start: int
    end: int
    forms: tuple[str, ...]  # the key and, for Cyrillic words, the keys of its lemmas
    stems: tuple[str, ...] = ()  # without an Uzbek case ending, for Central Asian names


@dataclass(slots=True)
class _Candidate:
    place: Place
    start: int  # token positions
    end: int
    distance: int  # 0 for an exact name
    quality: int
    marker: bool  # a word beside it says it is this kind of place
    support: int = 0


_CYRILLIC = re.compile("[\u0400-\u04ff]")
# A Central Asian "city" after a city's name ("Бишкек шаары", "Toshkent shahri"): not shown.
_CITY_WORD = re.compile(r"\s+(?:шаары|шаҳри|шахри|қаласы|shaary|shahri|qalasy)$", re.IGNORECASE)


# People: a city this large outranks a namesake that only a country named beside it confirms.
_MEGACITY = 1_000_000

def name_key(name: str) -> str:
    """The form names are compared in: folded, Cyrillic transliterated, no diacritics."""
    if name.isascii():  # most names: the same result as below, five times faster
        return " ".join(_NON_WORD.sub(" ", name.lower().replace("'", "").replace("`", ""))
                        .split())
    return _unmarked(latin(fold(name.replace("‘", "").replace("`", ""))))


def plain_key(word: str) -> str:
    """A word folded in its own script, for lists of words ("брат", "brat")."""
    return _unmarked(fold(word.replace("‘", "").replace("`", "")))


def _unmarked(text: str) -> str:
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text)
                       if not unicodedata.combining(c))
    return " ".join(text.split())


class Gazetteer:
    def __init__(self, places: Iterable[Place], names: dict[str, list[tuple[str, int]]],
                 stems: dict[str, list[str]] | None = None,
                 markers: dict[str, dict[str, list[str]]] | None = None,
                 common_words: Iterable[str] = (), place_words: Iterable[str] = (),
                 old_ids: dict[str, str] | None = None,
                 city_regions: Iterable[str] = (), official: dict[str, str] | None = None
                 ) -> None:
        """:param names: place id → (name, quality) pairs, alternate names (quality below
        official) given by their ``name_key`` already; :param stems: region id → names
        that mean the region only beside a word for "region"; :param markers: "before" or
        "after" the name → kind → words for it; :param official: a regency's official name
        ("Kota Semarang")."""
        self._places = {p.id: p for p in places}
        # The name to show in each script: «Рядом с Москвой» for a Russian reader, never
        # "Moscow"; "Bishkek", never «Бишкек», for an English or Indonesian one.
        self._shown: dict[tuple[str, bool], str] = {}
        shown = self._shown
        for place_id, spellings in names.items():
            for spelling, quality in spellings:
                if quality < _OFFICIAL or len(spelling) < 3 or spelling.isupper():
                    continue  # alternate keys, codes and abbreviations ("MSK", «МО»)
                if spelling.isascii():
                    if (place_id, False) not in shown:
                        shown[(place_id, False)] = spelling
                elif (place_id, True) not in shown and _CYRILLIC.search(spelling):
                    shown[(place_id, True)] = _CITY_WORD.sub("", spelling)
        # A key's places with the quality of the name (a place may come twice: take the best).
        self._index: dict[str, list[tuple[str, int]]] = {}
        # Typos are corrected into the names of the places people mostly mean: countries,
        # regions, regencies and towns of 15,000 people, by official names only.
        buckets: dict[str, set[str]] = defaultdict(set)
        for place_id, spellings in names.items():
            place = self._places[place_id]
            correctable = place.kind is not PlaceKind.DISTRICT and (
                place.kind is not PlaceKind.CITY or place.population >= 15000)
            for spelling, quality in spellings:
                key = spelling if quality < _OFFICIAL else name_key(spelling)
                joined = key.replace(" ", "")
                if not joined:
                    continue
                entry = (place_id, quality)
                self._index.setdefault(key, []).append(entry)
                if joined != key:
                    self._index.setdefault(joined, []).append(entry)
                if correctable and quality == _OFFICIAL and len(joined) >= 4:
                    buckets[joined[0]].add(joined)
        self._stems: dict[str, set[str]] = defaultdict(set)
        for region_id, stem_names in (stems or {}).items():
            for stem in stem_names:
                for key in _keys(stem):
                    self._stems[key].add(region_id)
        sides = markers or {}
        self._before = {name_key(w): kind for kind, words in sides.get("before", {}).items()
                        for w in words}
        self._after = {name_key(w): kind for kind, words in sides.get("after", {}).items()
                       for w in words}
        self._markers = {**self._after, **self._before}
        self._common = {plain_key(w) for w in common_words}
        self._place_words = {plain_key(w) for w in place_words}
        self._old_ids = dict(old_ids or {})
        self._city_regions = set(city_regions)
        self._kota = {pid for pid, name in (official or {}).items() if name.startswith("Kota")}
        self._buckets = {letter: sorted(keys) for letter, keys in buckets.items()}
        self._cities = [p for p in self._places.values()
                        if p.kind is PlaceKind.CITY and p.lat is not None]

    def shown_name(self, place: Place, lang: str) -> str:
        """The place's name as a reader of ``lang`` writes it: Cyrillic for Russian where the
        data has it ("Бишкек", without the Kyrgyz "шаары"), else Latin, else the name."""
        cyrillic = lang == "ru"
        return (self._shown.get((place.id, cyrillic)) or self._shown.get((place.id, not cyrillic))
                if cyrillic else self._shown.get((place.id, False))) or place.name

    def shown_label(self, place: Place, lang: str) -> str:
        """"Ош", "Kupang, Nusa Tenggara Timur": the place in the reader's script with its
        region after it, unless the region has the same name."""
        region = self.region_of(place)
        parts = [self.shown_name(place, lang)]
        if region is not None and region.id != place.id:
            parts.append(self.shown_name(region, lang))
        return ", ".join(dict.fromkeys(parts))

    @classmethod
    def load(cls, path: Path = PLACES_FILE) -> Gazetteer:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(*_places_from(data), stems={f"region:{r['id']}": r["stems"]
                                               for r in data["regions"]},
                   markers=data["markers"], common_words=data["common_words"],
                   place_words=data["place_words"],
                   old_ids=data["old_ids"],
                   city_regions=[f"region:{r['id']}" for r in data["regions"] if r["city"]],
                   official={f"regency:{r['id']}": r["name"] for r in data["regencies"]})

    def get(self, place_id: str) -> Place | None:
        """The place with this id; ids of an earlier data file lead to today's place."""
        return self._places.get(self._old_ids.get(place_id, place_id))

    def places(self) -> Iterable[Place]:
        return self._places.values()

    def resolve(self, query: str, limit: int = 5, cutoff: float = 80.0) -> list[Resolved]:
        """Places the query names, best first: exact names before corrected typos; a place
        confirmed by another name in the query first ("Purwodadi, Grobogan"); then cities,
        regencies, regions, districts, countries; then larger places. The query must be
        a name (with words such as "kab." or "di" around it): a text with other words
        ("id-jakarta-ngo", "KJRI Jeddah") names no place; ``best`` finds one in a sentence."""
        tokens, ranked = self._match(query, cutoff)
        covered = {i for c in ranked for i in range(c.start, c.end)}
        if any(i not in covered and t.plain not in self._common and not t.key.isdigit()
               for i, t in enumerate(tokens)):
            return []
        return [Resolved(m.place, m.score) for m in _mentions(tokens, ranked, limit)]

    def suggest(self, query: str, limit: int = 3) -> list[Place]:
        """Places whose official name looks like what was typed, for a person to choose
        from when nothing resolved ("Wnsobo" → Wonosobo): never used to decide on its own,
        only offered; a looser match than ``resolve``, within the first letter's names."""
        key = name_key(query).replace(" ", "")
        if len(key) < 3:
            return []
        found: list[Place] = []
        for name, _score, _i in process.extract(key, self._buckets.get(key[0], []),
                                                scorer=fuzz.ratio, score_cutoff=70.0,
                                                limit=limit * 3):
            for place_id, _quality in self._index.get(name, ()):
                place = self._places[place_id]
                if place not in found:
                    found.append(place)
        found.sort(key=lambda p: (_KIND_ORDER.get(p.kind, 9), -p.population))
        return found[:limit]

    def best(self, query: str) -> Place | None:
        """The place a message means: the best place mention in it, even in a sentence
        ("desa aku di wonosobo, jateng", «я из Оша»)."""
        found = self.find_in_text(query, limit=1)
        return found[0].place if found else None

    def find_in_text(self, text: str, limit: int = 5, cutoff: float = 80.0) -> list[Mention]:
        """The places a text mentions, best first, each with where the text names it."""
        tokens, ranked = self._match(text, cutoff)
        return _mentions(tokens, ranked, limit)

    def _match(self, text: str, cutoff: float) -> tuple[list[_Token], list[_Candidate]]:
        tokens = self._tokenize(text)
        if not tokens:
            return tokens, []
        candidates = self._exact(tokens)
        candidates += self._corrected(tokens, candidates, cutoff)
        candidates = _outermost(candidates)
        # A city of millions is what its name means unless the text names the smaller
        # place's own region or regency: "посольства Таджикистана в Москве" is Moscow, not
        # the village Moskva in Khatlon that the country's name would otherwise confirm.
        big = {(c.start, c.end) for c in candidates
               if c.place.kind is PlaceKind.CITY and c.place.population >= _MEGACITY}
        for candidate in candidates:
            others = _others(candidate, candidates)
            if (candidate.start, candidate.end) in big and (
                    candidate.place.population < _MEGACITY):
                others = [[o for o in group if o.place.kind is not PlaceKind.COUNTRY]
                          for group in others]
            candidate.support = sum(self._supports(candidate.place, other)
                                    for other in others)
        candidates = [c for c in candidates if c.distance == 0 or self._plausible(c, tokens)]
        candidates.sort(key=lambda c: (
            -c.support, c.distance, not c.marker, -_rank(c),
            _KIND_ORDER[c.place.kind], -c.place.population, c.start, c.place.id))
        return tokens, candidates

    def nearest(self, lat: float, lon: float, max_km: float = 300.0) -> Place | None:
        """The nearest city to a shared location, if one is within ``max_km``."""
        best: tuple[float, Place] | None = None
        for city in self._cities:
            assert city.lat is not None and city.lon is not None
            distance = _haversine_km(lat, lon, city.lat, city.lon)
            if best is None or distance < best[0]:
                best = (distance, city)
        return best[1] if best is not None and best[0] <= max_km else None

    def region_of(self, place: Place) -> Place | None:
        if place.kind is PlaceKind.REGION:
            return place
        return self._places.get(f"region:{place.region}") if place.region else None

    # -- matching -------------------------------------------------------------------

    def _tokenize(self, text: str) -> list[_Token]:
        tokens = []
        for match in _WORD.finditer(text):
            key = name_key(match.group())
            if not key:
                continue
            forms: tuple[str, ...] = (key,)
            stems: tuple[str, ...] = ()
            if _CYRILLIC.search(match.group()):
                forms += _lemmas(fold(match.group()))
            else:
                stems = tuple(key[: -len(e)] for e in _LATIN_ENDINGS
                              if key.endswith(e) and len(key) - len(e) >= 4)
            tokens.append(_Token(key.replace(" ", ""), plain_key(match.group()).replace(
                " ", ""), match.start(), match.end(), forms, stems))
        return tokens

    def _marker_beside(self, tokens: list[_Token], start: int, end: int) -> tuple[str | None,
                                                                                 int, int]:
        """The kind a word before or after the span names, and the span with that word."""
        for first, last, words in ((start - 2, start, self._before),
                                   (start - 1, start, self._before),
                                   (end, end + 2, self._after), (end, end + 1, self._after)):
            if first < 0 or last > len(tokens):
                continue
            kind = words.get(" ".join(t.key for t in tokens[first:last]))
            if kind is not None:
                return kind, min(first, start), max(last, end)
        return None, start, end

    def _exact(self, tokens: list[_Token]) -> list[_Candidate]:
        out: list[_Candidate] = []
        alone = len(tokens) == 1
        for start in range(len(tokens)):
            for end in range(start + 1, min(len(tokens), start + _MAX_WORDS) + 1):
                span = tokens[start:end]
                if end - start == 1 and not alone and (
                        span[0].plain in self._common or span[0].key in self._markers):
                    continue
                forms = [" ".join(p) for p in product(*(t.forms for t in span))] if len(
                    span) <= 3 else [" ".join(t.key for t in span)]
                held: dict[str, int] = {}
                stems: set[str] = set()
                # Words run together ("pekan baru" = Pekanbaru) only when each is a word
                # of a name: "can i" is no "Cani" (Chany, Novosibirsk).
                joins = all(len(t.key) >= 3 for t in span)
                for form in forms:
                    for key in (form, form.replace(" ", "")) if joins else (form,):
                        for pid, quality in self._index.get(key, ()):
                            held[pid] = max(held.get(pid, 0), quality)
                        stems |= self._stems.get(key, set())
                if end - start == 1:
                    for key in span[0].stems:
                        for pid, quality in self._index.get(key, ()):
                            if self._places[pid].country in _ENDINGS_COUNTRIES:
                                held[pid] = max(held.get(pid, 0), quality)
                if not held and not stems:
                    continue
                kind, first, last = self._marker_beside(tokens, start, end)
                if kind == "region":
                    for pid in stems:
                        held[pid] = max(held.get(pid, 0), _OFFICIAL)
                inside = {self._markers[t.key] for t in span if t.key in self._markers}
                for pid, quality in held.items():
                    place = self._places[pid]
                    fits = self._fits(place, kind) or any(self._fits(place, k) for k in inside)
                    out.append(_Candidate(place, first, last, 0, quality, fits))
        return out

    def _corrected(self, tokens: list[_Token], exact: list[_Candidate], cutoff: float
                   ) -> list[_Candidate]:
        """Typo corrections for words that are no place name: spans of up to three words
        that hold such a word, within one edit (two from nine letters on), first letter
        kept; inside the country or region the text names, if it names one."""
        explained = {i for c in exact for i in range(c.start, c.end)}
        areas = {c.place.region if c.place.kind is PlaceKind.REGION else c.place.country
                 for c in exact if c.place.kind in (PlaceKind.REGION, PlaceKind.COUNTRY)}
        out: list[_Candidate] = []
        alone = len(tokens) == 1
        for start in range(len(tokens)):
            for end in range(start + 1, min(len(tokens), start + 3) + 1):
                span = tokens[start:end]
                if any(t.plain in self._common or t.key in self._markers or t.key.isdigit()
                       for t in span):
                    continue
                if all(i in explained for i in range(start, end)):
                    continue
                query = "".join(t.key for t in span)
                if len(query) < (4 if alone else 5):
                    continue
                budget = min(1 if len(query) < 9 else 2, int((100 - cutoff) // 10))
                if budget < 1:
                    continue
                found = process.extract(query, self._buckets.get(query[0], ()),
                                        scorer=OSA.distance, score_cutoff=budget, limit=8)
                if not found:
                    continue
                distance = min(d for _, d, _ in found)
                kind, first, last = self._marker_beside(tokens, start, end)
                for key, d, _ in found:
                    if d != distance:
                        continue
                    for pid, quality in self._index[key]:
                        place = self._places[pid]
                        if quality == _OFFICIAL and (not areas or place.country in areas
                                                     or place.region in areas):
                            out.append(_Candidate(place, first, last, int(d), quality,
                                                  self._fits(place, kind)))
        return out

    def _plausible(self, corrected: _Candidate, tokens: list[_Token]) -> bool:
        """A corrected typo counts in a sentence only after a word such as "di" or "из", or
        when another name confirms it ("wonosbo, jateng"); alone it always counts."""
        before = tokens[corrected.start - 1].plain if corrected.start else None
        rest = [t for i, t in enumerate(tokens) if not corrected.start <= i < corrected.end]
        return (corrected.support > 0 or before in self._place_words or corrected.marker
                or (all(t.plain in self._common for t in rest) and len(rest) <= 1))

    def _fits(self, place: Place, kind: str | None) -> bool:
        if kind is None:
            return False
        if kind == "city":
            return place.kind is PlaceKind.CITY or place.id in self._kota or (
                place.id in self._city_regions)
        if kind == "regency":
            return place.kind is PlaceKind.REGENCY and place.id not in self._kota
        if kind == "region":
            return place.kind is PlaceKind.REGION and place.id not in self._city_regions
        return place.kind.value == kind

    def _supports(self, place: Place, other: list[_Candidate]) -> int:
        """How much another mention confirms the place: its country or region 1, its
        regency 2 (a town with no known regency: a regency of its province, 1)."""
        best = 0
        for c in other:
            q = c.place
            if q.kind is PlaceKind.REGENCY and q.id == place.parent:
                best = 2
            elif (q.kind is PlaceKind.COUNTRY and place.kind is not PlaceKind.COUNTRY
                  and q.country == place.country) or (
                      q.kind is PlaceKind.REGION and place.kind is not PlaceKind.REGION
                      and q.region == place.region) or (
                      q.kind is PlaceKind.REGENCY and place.kind is PlaceKind.CITY
                      and place.parent is None and q.region == place.region):
                best = max(best, 1)
        return best


def _mentions(tokens: list[_Token], ranked: list[_Candidate], limit: int) -> list[Mention]:
    found: list[Mention] = []
    seen: set[str] = set()
    for c in ranked:
        if c.place.id not in seen:
            seen.add(c.place.id)
            found.append(Mention(c.place, 100.0 - 10 * c.distance, tokens[c.start].start,
                                 tokens[c.end - 1].end))
    return found[:limit]


def _rank(candidate: _Candidate) -> float:
    if candidate.quality == _OFFICIAL and candidate.place.kind is PlaceKind.DISTRICT:
        return _KNOWN - 0.5
    return candidate.quality


def _outermost(candidates: list[_Candidate]) -> list[_Candidate]:
    """Drops mentions inside a longer one: "Sumba Barat Daya" is not Sumba. Only an exact
    name swallows an exact one: "di johor bahru, hp" is Johor Bahru spelt right, not a
    three-word name with a typo."""
    every = {(c.start, c.end) for c in candidates}
    exact = {(c.start, c.end) for c in candidates if c.distance == 0}
    return [c for c in candidates if not any(
        s <= c.start and c.end <= e and (e - s) > (c.end - c.start)
        for s, e in (exact if c.distance == 0 else every))]


def _others(candidate: _Candidate, candidates: list[_Candidate]) -> list[list[_Candidate]]:
    """The other mentions of the text (spans that do not overlap the candidate's)."""
    by_span: dict[tuple[int, int], list[_Candidate]] = defaultdict(list)
    for c in candidates:
        if c.end <= candidate.start or c.start >= candidate.end:
            by_span[(c.start, c.end)].append(c)
    return list(by_span.values())


def _lemmas(word: str) -> tuple[str, ...]:
    """Keys of the dictionary forms a Cyrillic word may be an inflection of, the Russian
    dictionary's lemma first («в Дубае» is Дубай, not the Saudi town Duba that stripping
    the ending alone would give)."""
    from flows import languages  # the language layer, loaded on first use

    lemma = languages.RUSSIAN.place_lemma(word)
    if lemma is not None and lemma != word:
        return (name_key(lemma),)
    out: list[str] = []
    for ending, replacements in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            out += [name_key(word[: -len(ending)] + r) for r in replacements]
    return tuple(k for k in dict.fromkeys(out) if k)


def _keys(name: str) -> set[str]:
    key = name_key(name)
    return {k for k in (key, key.replace(" ", "")) if k}


def _places_from(data: dict[str, Any]) -> tuple[list[Place], dict[str, list[tuple[str, int]]]]:
    places: list[Place] = []
    names: dict[str, list[tuple[str, int]]] = {}
    for code, spellings in data["countries"].items():
        places.append(Place(f"country:{code}", PlaceKind.COUNTRY, spellings[0], code))
        names[f"country:{code}"] = [(s, _OFFICIAL) for s in spellings]
    for region in data["regions"]:
        place_id = f"region:{region['id']}"
        places.append(Place(place_id, PlaceKind.REGION, region["names"][0],
                            region["country"], region["id"]))
        # Not its ISO code as a name: "RU-KO" run together is "ruko", an Indonesian shophouse
        # (a woman locked in a ruko in Jakarta was given Russia's numbers).
        names[place_id] = [(s, _OFFICIAL) for s in region["names"]]
    regency_region: dict[str, str] = {}
    for regency in data["regencies"]:
        place_id = f"regency:{regency['id']}"
        regency_region[regency["id"]] = regency["region"]
        places.append(Place(place_id, PlaceKind.REGENCY, regency["name"], "ID",
                            regency["region"]))
        names[place_id] = [(s, _OFFICIAL) for s in regency["names"]]
    for code, name, *other in data["districts"]:
        place_id = f"district:{code}"
        places.append(Place(place_id, PlaceKind.DISTRICT, name, "ID",
                            regency_region[code[:5]], parent=f"regency:{code[:5]}"))
        names[place_id] = [(s, _OFFICIAL) for s in [name, *other]]
    for city in data["cities"]:
        place_id = f"city:{city['id']}"
        parent = f"regency:{city['parent']}" if city.get("parent") else None
        places.append(Place(place_id, PlaceKind.CITY, city["name"], city["country"],
                            city["region"], city["lat"], city["lon"], city["population"],
                            parent))
        known = _KNOWN if city["population"] >= _KNOWN_FROM else _ALTERNATE
        names[place_id] = [(s, _OFFICIAL) for s in city["names"]] + [
            (s, known) for s in city.get("alt", ())]
    return places, names


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))
