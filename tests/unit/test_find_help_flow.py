"""The "find help" flow: where, what about, then three organisations with dated numbers."""

from __future__ import annotations

import pytest

from bot.app import build_engine
from flows.engine import Conversation, Engine
from flows.types import Inbound, Kind
from tests.helpers.events import command, find_choice, msgids, press, text
from tests.unit.test_check_flow import all_text


@pytest.fixture(scope="module")
def engine() -> Engine:
    return build_engine()


def test_place_then_topic_then_results(engine: Engine) -> None:
    asked = engine.handle(Conversation(lang="id"), command("contacts"))
    assert asked.conversation.state == "where"
    placed = engine.handle(asked.conversation, text("Medn"))
    assert placed.conversation.data == {"place": "city:1214520", "country": "ID"}
    said = all_text(placed)
    assert "Medan, Sumatera Utara" in said
    done = engine.handle(placed.conversation, press(find_choice(
        placed.replies, "Sexual exploitation of a child")))
    said = all_text(done)
    assert done.conversation.idle
    assert said.index("*Who can help:*") < said.index("*Emergency:* {numbers}")
    assert "PKPA" in said and "(source seen {date})" in said


def test_emergency_numbers_come_first_when_asked(engine: Engine) -> None:
    asked = engine.handle(Conversation(lang="ru"), command("contacts"))
    done = engine.handle(asked.conversation, press(find_choice(asked.replies,
                                                               "Emergency now")))
    ids = msgids(done.replies)
    assert ids[0] == "*Emergency:* {numbers}"
    assert "112" in all_text(done)


def test_a_place_abroad_never_gets_another_countrys_emergency_numbers(engine: Engine) -> None:
    # The directory has no emergency entry for Kazakhstan: Indonesia's police 110 must not
    # stand in for it, and no number is made up.
    asked = engine.handle(Conversation(lang="ru"), command("contacts", "Алматы"))
    assert asked.conversation.data["country"] == "KZ"
    done = engine.handle(asked.conversation, press(find_choice(asked.replies,
                                                               "Emergency now")))
    ids = msgids(done.replies)
    assert ids[0].startswith("I have no checked emergency number for this country yet.")
    assert "*Emergency:* {numbers}" not in ids
    assert "110" not in all_text(done)


def test_shared_location_is_resolved_and_not_kept(engine: Engine) -> None:
    asked = engine.handle(Conversation(lang="id"), command("contacts"))
    shared = Inbound(kind=Kind.LOCATION, latitude=-6.2001, longitude=106.8167)
    placed = engine.handle(asked.conversation, shared)
    assert placed.conversation.data["place"].startswith("city:")
    assert "-6.2" not in str(placed.conversation) and "106.8" not in str(placed.conversation)


def test_unknown_place_is_asked_again(engine: Engine) -> None:
    asked = engine.handle(Conversation(lang="id"), command("contacts"))
    again = engine.handle(asked.conversation, text("Qwxzvbn"))
    assert again.conversation.state == "where"
    assert "I could not find the place {place}. Try the name of your city or province." in (
        msgids(again.replies))


def test_contacts_with_a_place_argument(engine: Engine) -> None:
    result = engine.handle(Conversation(lang="ru"), command("contacts", "Питер"))
    assert result.conversation.state == "topic"
