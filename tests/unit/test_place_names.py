"""Place names as people type them (tests/data/place_names.yaml): at least 95% resolve to
the right region, and none to a wrong country (a word that names no place resolves to
nothing). Every third entry is held out: the gazetteer was tuned on the others only, and
the accuracy of both parts is printed by kind (pytest -s shows it)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml

from referral_directory.gazetteer import Gazetteer, Place, PlaceKind

CASES = Path(__file__).resolve().parents[1] / "data" / "place_names.yaml"
MIN_ACCURACY = 0.95

# The labels name regions as people know them; the gazetteer by ISO 3166-2 code.
REGION_CODES = {
    "ID": {
        "Aceh": "ID-AC", "Bali": "ID-BA", "Banten": "ID-BT", "Bengkulu": "ID-BE",
        "DKI Jakarta": "ID-JK", "Daerah Istimewa Yogyakarta": "ID-YO", "Gorontalo": "ID-GO",
        "Jambi": "ID-JA", "Jawa Barat": "ID-JB", "Jawa Tengah": "ID-JT", "Jawa Timur": "ID-JI",
        "Kalimantan Barat": "ID-KB", "Kalimantan Selatan": "ID-KS",
        "Kalimantan Tengah": "ID-KT", "Kalimantan Timur": "ID-KI",
        "Kalimantan Utara": "ID-KU", "Kepulauan Bangka Belitung": "ID-BB",
        "Kepulauan Riau": "ID-KR", "Lampung": "ID-LA", "Maluku": "ID-MA",
        "Maluku Utara": "ID-MU", "Nusa Tenggara Barat": "ID-NB",
        "Nusa Tenggara Timur": "ID-NT", "Papua": "ID-PA", "Papua Barat": "ID-PB",
        "Papua Barat Daya": "ID-PD", "Papua Pegunungan": "ID-PE", "Papua Selatan": "ID-PS",
        "Papua Tengah": "ID-PT", "Riau": "ID-RI", "Sulawesi Barat": "ID-SR",
        "Sulawesi Selatan": "ID-SN", "Sulawesi Tengah": "ID-ST", "Sulawesi Tenggara": "ID-SG",
        "Sulawesi Utara": "ID-SA", "Sumatera Barat": "ID-SB", "Sumatera Selatan": "ID-SS",
        "Sumatera Utara": "ID-SU",
    },
    "KG": {"Batken": "KG-B", "Bishkek": "KG-GB", "Chuy": "KG-C", "Issyk-Kul": "KG-Y",
           "Jalal-Abad": "KG-J", "Naryn": "KG-N", "Osh": "KG-O", "Osh City": "KG-GO",
           "Talas": "KG-T"},
    "KZ": {"Abai Region": "KZ-10", "Almaty": "KZ-75", "Almaty Region": "KZ-19",
           "Astana": "KZ-71", "Atyrau Region": "KZ-23", "East Kazakhstan Region": "KZ-63",
           "Jetisu Region": "KZ-33", "Karaganda Region": "KZ-35", "Kyzylorda Region": "KZ-43",
           "Mangystau Region": "KZ-47", "Shymkent": "KZ-79", "Turkestan Region": "KZ-61",
           "Zhambyl Region": "KZ-31"},
    "MY": {"Johor": "MY-01", "Kuala Lumpur": "MY-14", "Penang": "MY-07", "Sabah": "MY-12",
           "Sarawak": "MY-13", "Selangor": "MY-10"},
    "RU": {"Khanty-Mansi Autonomous Okrug": "RU-KHM", "Krasnodar Krai": "RU-KDA",
           "Leningrad Oblast": "RU-LEN", "Moscow": "RU-MOW", "Moscow Oblast": "RU-MOS",
           "Nizhny Novgorod Oblast": "RU-NIZ", "Novosibirsk Oblast": "RU-NVS",
           "Saint Petersburg": "RU-SPE", "Sverdlovsk Oblast": "RU-SVE", "Tatarstan": "RU-TA",
           "Tyumen Oblast": "RU-TYU"},
    "TJ": {"Districts of Republican Subordination": "TJ-RA", "Dushanbe": "TJ-DU",
           "Gorno-Badakhshan": "TJ-GB", "Khatlon": "TJ-KT", "Sughd": "TJ-SU"},
    "UZ": {"Andijon": "UZ-AN", "Buxoro": "UZ-BU", "Farg'ona": "UZ-FA", "Jizzax": "UZ-JI",
           "Namangan": "UZ-NG", "Navoiy": "UZ-NW", "Qashqadaryo": "UZ-QA",
           "Qoraqalpog'iston": "UZ-QR", "Samarqand": "UZ-SA", "Sirdaryo": "UZ-SI",
           "Surxondaryo": "UZ-SU", "Toshkent": "UZ-TK", "Toshkent Region": "UZ-TO",
           "Xorazm": "UZ-XO"},
    "AE": {"Dubai": "AE-DU"},
    "SA": {"Makkah": "SA-02", "Riyadh": "SA-01"},
    "TW": {"Kaohsiung": "TW-KHH", "Taipei": "TW-TPE"},
}


def load_cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    for number, case in enumerate(cases):
        case["part"] = "held-out" if number % 3 == 2 else "tuned"
    return cases


def expected_region(case: dict[str, Any]) -> str | None:
    return REGION_CODES[case["country"]][case["region"]] if case["region"] else None


def judge(gazetteer: Gazetteer, case: dict[str, Any]) -> tuple[bool, bool, Place | None]:
    """(right region and country, wrong country, the place found) for one case."""
    place = gazetteer.best(case["text"])
    if case["country"] is None:
        return place is None, place is not None, place
    if place is None:
        return False, False, None
    region = gazetteer.region_of(place)
    code = region.region if region is not None else None
    right = place.country == case["country"] and code == expected_region(case)
    return right, place.country != case["country"], place


def same_place(gazetteer: Gazetteer, place: Place | None, case: dict[str, Any]) -> bool:
    """Whether the place found is the label's (shown, not asserted): the label's name,
    in its spelling, names the place found ("Andijan" is GeoNames' Andijon)."""
    if case["country"] is None or place is None:
        return case["country"] is None and place is None
    if case["place"] is None:
        return place.kind in (PlaceKind.REGION, PlaceKind.COUNTRY)
    return place.id in {r.place.id for r in gazetteer.resolve(case["place"], limit=20)}


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


@pytest.fixture(scope="module")
def results(gazetteer: Gazetteer) -> list[tuple[dict[str, Any], bool, bool, Place | None]]:
    return [(case, *judge(gazetteer, case)) for case in load_cases()]


def test_every_label_names_a_known_region() -> None:
    for case in load_cases():
        if case["country"] is not None:
            assert case["country"] in REGION_CODES or case["region"] is None, case
            expected_region(case)  # a KeyError names a label the mapping lacks


def test_place_names_resolve_to_their_region(
        gazetteer: Gazetteer,
        results: list[tuple[dict[str, Any], bool, bool, Place | None]]) -> None:
    table: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for case, right, _, place in results:
        for part in (case["part"], "all"):
            for kind in (case["kind"], "all"):
                row = table[(part, kind)]
                row[0] += right
                row[1] += same_place(gazetteer, place, case)
                row[2] += 1
    print("\npart      kind          region   place      n")
    for (part, kind), (right, exact, n) in sorted(table.items()):
        print(f"{part:9} {kind:12} {right / n:7.1%} {exact / n:7.1%} {n:6}")
    for case, right, _, place in results:
        if not right:
            print(f"  miss [{case['part']}] {case['text']!r}: "
                  f"{place.id + ' ' + place.name if place else None}")
    right, _, n = table[("all", "all")]
    assert right / n >= MIN_ACCURACY


def test_no_place_name_resolves_to_a_wrong_country(
        results: list[tuple[dict[str, Any], bool, bool, Place | None]]) -> None:
    wrong = [(case["text"], place.id if place else None)
             for case, _, wrong_country, place in results if wrong_country]
    assert wrong == []
