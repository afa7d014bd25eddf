"""The "find help" flow: where, what about, then three organisations with dated numbers."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.app import build_deps, build_engine
from flows.engine import Conversation, Engine
from flows.types import Inbound, Kind
from referral_directory import Directory
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
    assert said.index("*Who can help:*") < said.index("*Emergency:* {numbers} (source")
    assert "PKPA" in said and "(source seen {date})" in said


def test_emergency_numbers_come_first_when_asked(engine: Engine) -> None:
    asked = engine.handle(Conversation(lang="ru"), command("contacts"))
    done = engine.handle(asked.conversation, press(find_choice(asked.replies,
                                                               "Emergency now")))
    ids = msgids(done.replies)
    assert ids[0].startswith("*Emergency:* {numbers} (source")
    assert "112" in all_text(done)


def test_a_place_abroad_gets_its_own_countrys_emergency_numbers(engine: Engine) -> None:
    asked = engine.handle(Conversation(lang="ru"), command("contacts", "Алматы"))
    assert asked.conversation.data["country"] == "KZ"
    done = engine.handle(asked.conversation, press(find_choice(asked.replies,
                                                               "Emergency now")))
    assert msgids(done.replies)[0] == "*Emergency:* {numbers} (source seen {date})"
    said = all_text(done)
    assert "102" in said and "egov.kz" not in said  # numbers, with their dates
    assert "110" not in said  # Indonesia's police number never stands in


def test_without_a_checked_number_the_bot_says_so_and_invents_none() -> None:
    deps = build_deps()
    without_kz = Directory(tuple(o for o in deps.directory if not (
        o.country == "KZ" and o.kind == "emergency")))
    engine = build_engine(replace(deps, directory=without_kz))
    asked = engine.handle(Conversation(lang="ru"), command("contacts", "Алматы"))
    done = engine.handle(asked.conversation, press(find_choice(asked.replies,
                                                               "Emergency now")))
    ids = msgids(done.replies)
    assert ids[0].startswith("I have no checked emergency number for this country yet.")
    assert not any(i.startswith("*Emergency:*") for i in ids)
    assert "110" not in all_text(done) and "112" not in all_text(done)


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
