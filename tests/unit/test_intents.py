"""Short messages that say what they want, as people type them instead of a command, start
that flow through the real engine; an advert that happens to use such words is still
checked, and a report's own answers are never read as a wish."""

from __future__ import annotations

import pytest

from bot.app import build_engine
from flows.engine import Conversation, Engine
from flows.intents import intent_of
from tests.helpers.events import command, msgids, text


@pytest.fixture(scope="module")
def engine() -> Engine:
    return build_engine()


@pytest.mark.parametrize(("said", "flow"), [
    ("lapor", "report"), ("mau lapor aja", "report"), ("сообщить", "report"),
    ("i want to report", "report"),
    ("куда звонить?", "contacts"), ("а в милицию можно позвонить?", "contacts"),
    ("nomor kbri brp kak?", "contacts"), ("who can i call", "contacts"),
    ("ok makasih", None), ("gaji berapa?", None), ("laporan keuangan bulanan", None),
])
def test_the_wish_a_short_text_names(said: str, flow: str | None) -> None:
    assert intent_of(said) == flow


@pytest.mark.parametrize(("lang", "said", "flow"), [
    ("id", "mau lapor aja", "report"),
    ("ru", "куда звонить то?", "contacts"),
    ("ru", "я в Оше живу", "contacts"),
    ("id", "kulo wonten Wonogiri", "contacts"),
    ("en", "what number can i call for labor complaint", "contacts"),
])
def test_a_wish_starts_its_flow(engine: Engine, lang: str, said: str, flow: str) -> None:
    assert engine.handle(Conversation(lang=lang), text(said)).conversation.flow == flow


def test_a_place_said_as_where_one_is_finds_help_there(engine: Engine) -> None:
    result = engine.handle(Conversation(lang="ru"), text("я в Оше живу"))
    assert result.conversation.country == "KG"


def test_an_advert_with_such_words_is_still_checked(engine: Engine) -> None:
    advert = "Lowongan kerja pabrik, gaji 8jt, hubungi siapa saja di 0812xxxx"
    assert engine.handle(Conversation(lang="id"), text(advert)).conversation.flow != "contacts"


def test_a_reports_answers_are_no_wishes(engine: Engine) -> None:
    conv = engine.handle(Conversation(lang="id"), command("report")).conversation
    result = engine.handle(conv, text("lapor ada calo di desa"))
    assert result.conversation.flow == "report"


def test_a_question_typed_in_learn_is_answered_with_a_word_not_the_same_menu(
        engine: Engine) -> None:
    conv = engine.handle(Conversation(lang="ru"), command("learn")).conversation
    result = engine.handle(conv, text("а что такое EPS"))
    said = msgids(result.replies)
    assert said[0].startswith("I cannot answer typed questions here.")
    assert result.conversation.flow == "learn"
