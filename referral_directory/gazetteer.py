"""Places people type: cities (GeoNames), provinces and countries, in Latin or Cyrillic,
with typos ("Medn", "Sankt-Peterburg", "москва", "Jogja", "Питер", "SPb").

``resolve`` turns a typed name into ranked places; ``nearest`` turns a shared location
into the nearest city (the coordinates are used for that and never kept).
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from rapidfuzz import fuzz, process

from referral_directory.names import fold, keys, latin

PLACES_FILE = Path(__file__).resolve().parent / "data" / "places.json"
_KIND_ORDER = {"city": 0, "region": 1, "country": 2}


class PlaceKind(StrEnum):
    CITY = "city"
    REGION = "region"
    COUNTRY = "country"


@dataclass(frozen=True, slots=True)
class Place:
    id: str  # "city:1214520", "region:ID-SU", "country:ID"
    kind: PlaceKind
    name: str
    country: str
    region: str | None = None  # the region id of a city
    lat: float | None = None
    lon: float | None = None
    population: int = 0


@dataclass(frozen=True, slots=True)
class Resolved:
    place: Place
    score: float  # 100 for an exact name, less for a close spelling


class Gazetteer:
    def __init__(self, places: Iterable[Place], names: dict[str, list[str]]) -> None:
        self._places = {p.id: p for p in places}
        self._index: dict[str, set[str]] = defaultdict(set)
        for place_id, spellings in names.items():
            for spelling in spellings:
                for key in keys(spelling):
                    self._index[key].add(place_id)
        buckets: dict[str, list[str]] = defaultdict(list)
        for key in self._index:
            buckets[key[0]].append(key)
        self._buckets = dict(buckets)
        self._cities = [p for p in self._places.values() if p.kind is PlaceKind.CITY]

    @classmethod
    def load(cls, path: Path = PLACES_FILE) -> Gazetteer:
        data = json.loads(path.read_text(encoding="utf-8"))
        places: list[Place] = []
        names: dict[str, list[str]] = {}
        for code, spellings in data["countries"].items():
            places.append(Place(f"country:{code}", PlaceKind.COUNTRY, spellings[0], code))
            names[f"country:{code}"] = list(spellings)
        for region in data["regions"]:
            place_id = f"region:{region['id']}"
            places.append(Place(place_id, PlaceKind.REGION, region["names"][0],
                                region["country"], region["id"]))
            names[place_id] = [*region["names"], region["id"]]
        for city in data["cities"]:
            place_id = f"city:{city['id']}"
            places.append(Place(place_id, PlaceKind.CITY, city["name"], city["country"],
                                city["region"], city["lat"], city["lon"], city["population"]))
            names[place_id] = city["names"]
        return cls(places, names)

    def get(self, place_id: str) -> Place | None:
        return self._places.get(place_id)

    def places(self) -> Iterable[Place]:
        return self._places.values()

    def resolve(self, query: str, limit: int = 5, cutoff: float = 80.0) -> list[Resolved]:
        """Places whose name matches the query, best first: exact names before close
        spellings, then cities before regions before countries, then larger places."""
        folded = fold(query)
        if not folded:
            return []
        found: dict[str, float] = {}
        for key in (folded, latin(folded), folded.replace(" ", ""),
                    latin(folded).replace(" ", "")):
            for place_id in self._index.get(key, ()):
                found[place_id] = 100.0
        if not found:
            probe = latin(folded)
            bucket = self._buckets.get(probe[0], [])
            for key, score, _ in process.extract(probe, bucket, scorer=fuzz.ratio,
                                                 score_cutoff=cutoff, limit=limit * 3):
                for place_id in self._index[key]:
                    found[place_id] = max(found.get(place_id, 0.0), score)
        ranked = sorted(
            (Resolved(self._places[pid], score) for pid, score in found.items()),
            key=lambda r: (-r.score, _KIND_ORDER[r.place.kind], -r.place.population,
                           r.place.id),
        )
        return ranked[:limit]

    def best(self, query: str) -> Place | None:
        found = self.resolve(query, limit=1)
        return found[0].place if found else None

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


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))
