"""Search by place: organisations serving the place first, then its province, then the
national ones of its country. Pure: a prebuilt index over the directory and gazetteer."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum

from rapidfuzz import fuzz, process

from referral_directory.gazetteer import Gazetteer, Place, PlaceKind
from referral_directory.loader import Directory
from referral_directory.names import fold
from referral_directory.schema import Kind, Organisation, Topic

_KIND_ORDER = {Kind.HOTLINE: 0, Kind.NGO: 1, Kind.GOVERNMENT: 2, Kind.INTERGOVERNMENTAL: 3,
               Kind.EMERGENCY: 4}
# Words in the directory's "places" that say who is served rather than where.
_ABROAD = re.compile(r"\babroad\b", re.IGNORECASE)
_NOISE = re.compile(r"\b(branches|incl|including|region|representation|southern|northern|"
                    r"eastern|western|dpn|city|province|oblast)\b\.?", re.IGNORECASE)


class Tier(IntEnum):
    PLACE = 0  # serves the place itself
    REGION = 1  # serves its province or region
    NATIONAL = 2  # serves the whole country
    NAME = 3  # matched by the organisation's name


@dataclass(frozen=True, slots=True)
class Hit:
    organisation: Organisation
    tier: Tier


@dataclass(frozen=True, slots=True)
class SearchResult:
    place: Place | None
    hits: tuple[Hit, ...]


def place_candidates(text: str) -> list[str]:
    """Pieces of a directory place to try: "North Sumatra (Medan)" gives both names."""
    inside = re.findall(r"\(([^)]*)\)", text)
    outside = re.sub(r"\([^)]*\)", " ", text)
    pieces = [outside, *inside, *re.split(r"[,/;]| and ", outside)]
    cleaned = [" ".join(_NOISE.sub(" ", p).split()) for p in pieces]
    return [p for p in dict.fromkeys(cleaned) if len(p) >= 2]


class DirectoryIndex:
    """Organisations by the places they serve, resolved once through the gazetteer.

    The index is what users are offered and what tips are routed to, so an entry with
    nothing a user may use (``Organisation.listed``: the record of an unconfirmed number,
    ``not_for_dialling``) is left out of it; it stays in the data for operators.
    """

    def __init__(self, directory: Directory, gazetteer: Gazetteer) -> None:
        self.directory = directory
        self.gazetteer = gazetteer
        self._by_place: dict[str, list[Organisation]] = defaultdict(list)
        # Organisations of each region's cities, for a place of the region none serves.
        self._in_region: dict[str, list[Organisation]] = defaultdict(list)
        self._national: dict[str, list[Organisation]] = defaultdict(list)
        self.unresolved: dict[str, list[str]] = defaultdict(list)
        # Words of organisation names, for a query that names no place ("ecpat", "sapa").
        self._words: dict[str, set[str]] = defaultdict(set)
        offered = [o for o in directory if o.listed]
        self._orgs = {o.id: o for o in offered}
        for org in offered:
            for word in {*fold(org.names.local).split(), *fold(org.names.en).split(),
                         *fold(org.id.replace("-", " ")).split()}:
                if len(word) >= 3:
                    self._words[word].add(org.id)
        buckets: dict[str, list[str]] = defaultdict(list)
        for word in self._words:
            buckets[word[0]].append(word)
        self._word_buckets = dict(buckets)
        for org in offered:
            mapped = gazetteer.get(f"country:{org.country}") is not None
            for where in org.places:
                if where.lower().startswith("national") or _ABROAD.search(where):
                    self._national[org.country].append(org)
                    continue
                if not mapped:
                    # The gazetteer has no places of this country (an Indonesian consulate
                    # in Riyadh or Hong Kong), so "Riyadh" cannot be told from "Jeddah":
                    # the entry serves the country as a whole, and is found by its name.
                    if org not in self._national[org.country]:
                        self._national[org.country].append(org)
                    continue
                place = self.resolve_served(where, org.country)
                if place is None:
                    self.unresolved[org.id].append(where)
                elif place.kind is PlaceKind.COUNTRY or self._is_city_state(place):
                    # "South Korea", "Saudi Arabia (…)"; "Hong Kong" the city is the country
                    if org not in self._national[place.country]:
                        self._national[place.country].append(org)
                else:
                    self._by_place[place.id].append(org)
                    region = gazetteer.region_of(place)
                    if (place.kind is PlaceKind.CITY and region is not None
                            and org not in self._in_region[region.id]):
                        self._in_region[region.id].append(org)

    def resolve_served(self, where: str, country: str) -> Place | None:
        """The place a directory entry names, preferring places in the entry's country;
        an office abroad ("Kuala Lumpur (representation)") resolves in its own country."""
        pieces = place_candidates(where)
        for same_country in (True, False):
            for piece in pieces:
                found = [r for r in self.gazetteer.resolve(piece, limit=5, cutoff=90.0)
                         if (r.place.country == country) == same_country]
                if found:
                    return found[0].place
        return None

    def search(self, query: str, topic: Topic | None = None, country: str | None = None,
               limit: int | None = None) -> SearchResult:
        resolved = self.gazetteer.resolve(query, limit=5)
        if country:
            resolved = [r for r in resolved if r.place.country == country]
        place = resolved[0].place if resolved else None
        hits: list[Hit] = []
        seen: set[str] = set()

        def add(orgs: Iterable[Organisation], tier: Tier) -> None:
            chosen = [o for o in orgs if o.id not in seen and (
                topic is None or topic in o.topics) and (country is None or
                                                         o.country == country)]
            if tier is not Tier.NAME:  # names come ranked by how well they match the query
                chosen.sort(key=lambda o: (_KIND_ORDER[o.kind], len(o.caveats), o.id))
            for org in chosen:
                seen.add(org.id)
                hits.append(Hit(org, tier))

        if place is not None:
            if place.kind is PlaceKind.CITY:
                add(self._by_place.get(place.id, ()), Tier.PLACE)
            region = self.gazetteer.region_of(place)
            if region is not None:
                add(self._by_place.get(region.id, ()), Tier.REGION)
                if not hits:  # a district of Moscow: the organisations of the region's cities
                    add(self._in_region.get(region.id, ()), Tier.REGION)
                # Cities of the region are served by organisations of the region, and
                # organisations in the region's capital usually serve the region too.
            add(self._national.get(place.country, ()), Tier.NATIONAL)
        else:
            add(self._by_name(query), Tier.NAME)
        return SearchResult(place, tuple(hits[:limit] if limit else hits))

    def _by_name(self, query: str, limit: int = 5) -> list[Organisation]:
        """Organisations whose name words match the query's words (exactly or closely)."""
        scores: dict[str, float] = defaultdict(float)
        for word in fold(query).split():
            if len(word) < 3:
                continue
            matches = {word: 100.0} if word in self._words else {
                w: s for w, s, _ in process.extract(word, self._word_buckets.get(word[0], []),
                                                    scorer=fuzz.ratio, score_cutoff=85,
                                                    limit=3)}
            for matched, score in matches.items():
                for org_id in self._words[matched]:
                    scores[org_id] += score
        best = sorted(scores, key=lambda org_id: (-scores[org_id], org_id))[:limit]
        return [self._orgs[org_id] for org_id in best]

    def national(self, country: str) -> list[Organisation]:
        return list(self._national.get(country, ()))

    def in_country(self, country: str) -> list[Organisation]:
        """Every offered entry of the country, national or local: for a person abroad who
        named only the country (Indonesia's consulates in Dubai and Jeddah serve parts of
        theirs; the entry's name says which)."""
        return [o for o in self._orgs.values() if o.country == country]

    def _is_city_state(self, place: Place) -> bool:
        country = self.gazetteer.get(f"country:{place.country}")
        return country is not None and fold(country.name) == fold(place.name)

    def local(self, place: Place) -> list[Organisation]:
        """Organisations serving the place or its region (not the national ones); where
        none does, those of the region's cities: Lyublino, a district of Moscow, is served
        by Moscow's organisations (a federal city is its own region)."""
        out = list(self._by_place.get(place.id, ()))
        region = self.gazetteer.region_of(place)
        if region is not None and region.id != place.id:
            out += [o for o in self._by_place.get(region.id, ()) if o not in out]
        if not out and region is not None:
            out = list(self._in_region.get(region.id, ()))
        return out
