"""The topic typed in words in "find help", in the three languages, through the real engine:
a topic named is answered, thanks end the search, anything else asks again."""

from __future__ import annotations

import pytest

from bot.app import build_engine
from flows.engine import Conversation, Engine
from flows.find_help.topics import topic_in_words
from referral_directory import Topic
from tests.helpers.events import command, msgids, text


@pytest.fixture(scope="module")
def engine() -> Engine:
    return build_engine()


@pytest.mark.parametrize(("typed", "topic"), [
    ("majikan kakak sy blm bayar gajinya", Topic.FORCED_LABOUR),
    ("gaji 3 bulan tidak dibayar", Topic.FORCED_LABOUR),
    ("зарплату не платят второй месяц", Topic.FORCED_LABOUR),
    ("my employer has not paid me", Topic.FORCED_LABOUR),
    ("suami sering mukul, kdrt", Topic.VIOLENCE), ("муж бьёт", Topic.VIOLENCE),
    ("someone is grooming my daughter online", Topic.CHILD_SEXUAL_EXPLOITATION),
    ("adik saya TKW di Riyadh", Topic.MIGRANT_WORKERS),
    ("ada calo nawarin kerja", Topic.TRAFFICKING),
    ("вербовщик предлагал работу", Topic.TRAFFICKING),
    ("hmm", None), ("Jakarta", None),
])
def test_the_topic_in_words(typed: str, topic: Topic | None) -> None:
    assert topic_in_words(typed) == topic


@pytest.mark.parametrize("lang", ["id", "ru", "en"])
def test_a_typed_topic_gets_the_organisations_and_thanks_end_the_search(
        engine: Engine, lang: str) -> None:
    asked = engine.handle(Conversation(lang=lang, country="ID"), command("contacts", "Jakarta"))
    assert asked.conversation.flow == "contacts"
    # (not "gaji 3 bulan tidak dibayar", which the distress triage answers first)
    found = engine.handle(asked.conversation, text("majikan kakak sy blm bayar gajinya"))
    assert found.conversation.idle
    assert "*Who can help:*" in msgids(found.replies)
    thanked = engine.handle(asked.conversation, text("makasih"))
    assert thanked.conversation.idle
    assert msgids(thanked.replies)[0].startswith("You are welcome.")
    again = engine.handle(asked.conversation, text("hmm"))
    assert again.conversation.flow == "contacts"
    assert "Please choose one of these topics" in msgids(again.replies)[1]
