"""Route facts and numbers follow the person's country (issue #15): Indonesia's placement
rules only for people in Indonesia, Russia's patent rules only for Central Asians bound for
Russia, each country's own channel; every number a user outside Indonesia and Russia sees
comes from that country's entries of the directory; the warning for undocumented migrants
only in Russia. Through the real engine, analyzer, directory and renderer."""

from __future__ import annotations

import re

import pytest

from bot.app import build_engine
from bot.i18n import Translator
from bot.rendering import TextRenderer
from flows.check_offer.explain import covered_countries, route_facts
from flows.engine import Conversation, Engine
from referral_directory import load_directory
from tests.helpers.events import text

RENDER = TextRenderer(Translator.load())
DIRECTORY = load_directory()
OFFERS = {
    "ru": "Требуются разнорабочие на стройку в Москву, з/п 150 000 руб, жильё, оформление "
          "патента за наш счёт, выезд срочно, опыт не нужен",
    "en": "Hiring waitresses for Dubai, salary 3000 USD, flight paid, no experience needed, "
          "leave this week, agency keeps the passport",
    "id": "Dicari pekerja untuk Kamboja, gaji 15 juta, tiket ditanggung, tanpa pengalaman, "
          "berangkat minggu depan",
}
# A phone number as the directory writes them: digits with spaces, dashes or a plus.
_NUMBER = re.compile(r"\+?\d[\d\s\-()]{1,}\d")
_DATE = re.compile(r"\b20\d\d(?:-\d\d){0,2}\b")


@pytest.fixture(scope="module")
def engine() -> Engine:
    return build_engine()


def answer(engine: Engine, lang: str, country: str, offer: str) -> str:
    result = engine.handle(Conversation(lang=lang, country=country), text(offer))
    return "\n".join(RENDER.parts(r.parts, lang) for r in result.replies)


def digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def test_a_central_asian_bound_for_russia_gets_russias_rules_for_her_country(
        engine: Engine) -> None:
    kyrgyz = answer(engine, "ru", "KG", OFFERS["ru"])
    assert "работают в России без патента" in kyrgyz and "SISKOP2MI" not in kyrgyz
    assert "нужен патент" not in kyrgyz
    uzbek = answer(engine, "ru", "UZ", OFFERS["ru"])
    assert "нужен патент" in uzbek and "работают в России без патента" not in uzbek
    assert "xususiy bandlik agentligi" in uzbek  # Uzbekistan's own channel


def test_indonesias_placement_rules_only_for_indonesians(engine: Engine) -> None:
    indonesian = answer(engine, "id", "ID", OFFERS["id"])
    assert "SISKOP2MI" in indonesian and "Kamboja" in indonesian
    for lang, country in (("en", "MY"), ("ru", "KZ"), ("ru", "RU"), ("en", "KG")):
        said = answer(engine, lang, country, OFFERS["en"])
        assert "SISKOP2MI" not in said and "P3MI" not in said, (lang, country)


def test_a_country_without_checked_facts_is_told_so_and_gets_no_number(engine: Engine) -> None:
    said = answer(engine, "en", "FR", OFFERS["en"])
    assert "I have no checked facts yet about the legal routes from France." in said
    assert "I have no checked emergency number for this country yet." in said
    assert not [n for n in _NUMBER.findall(said) if len(digits(n)) >= 3
                and digits(n) not in ("3000",)], said


def test_every_fact_names_its_sources_and_date() -> None:
    for fact in route_facts():
        assert fact.sources and re.match(r"^\d{4}(-\d{2}){0,2}$", fact.seen), fact
    assert {"ID", "KG", "KZ", "UZ", "TJ"} <= covered_countries()


@pytest.mark.parametrize("country", sorted({o.country for o in DIRECTORY} - {"ID", "RU"}))
@pytest.mark.parametrize("lang", ["ru", "en", "id"])
def test_every_number_shown_outside_indonesia_and_russia_is_that_countrys(
        engine: Engine, country: str, lang: str) -> None:
    allowed = {digits(c.value) for o in DIRECTORY if o.country == country for c in o.phones()}
    said = answer(engine, lang, country, OFFERS[lang])
    # Numbers of the offer itself (pay, dates) are quoted from it, not dialled.
    quoted = {digits(n) for n in _NUMBER.findall(OFFERS[lang])}
    facts = {"30", "15", "18", "2602015", "260", "2015"}  # the route facts' own figures
    undated = _DATE.sub(" ", said)  # "(source seen 2017-04)": a date, not a number to dial
    shown = {digits(n) for n in _NUMBER.findall(undated)} - quoted - facts
    assert shown <= allowed, (country, lang, shown - allowed)
    assert "If your stay in Russia is not legal" not in said  # only for people in Russia


def test_the_undocumented_warning_is_for_people_in_russia(engine: Engine) -> None:
    said = answer(engine, "ru", "RU", "Меня не выпускают с работы и забрали паспорт, помогите")
    assert "не легально" in said or "незаконн" in said or "штраф" in said
