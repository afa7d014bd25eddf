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


# -- the one-time country question, when no place was given -----------------------------------

QUESTION = ("One question, so that numbers and advice fit where you are: which country are you "
            "in now? (You can skip it.)")
CRY = {"ru": "помогите, меня заперли", "id": "tolong saya dikurung majikan",
       "en": "help me, they locked me in and took my passport"}


@pytest.mark.parametrize("lang", ["ru", "id", "en"])
def test_a_place_is_never_followed_by_the_question(engine: Engine, lang: str) -> None:
    asked = engine.handle(Conversation(lang=lang), command("contacts"))
    placed = engine.handle(asked.conversation, text("Алматы"))
    assert QUESTION not in msgids(asked.replies) + msgids(placed.replies)
    assert placed.conversation.country == "KZ"


@pytest.mark.parametrize(("lang", "name", "code"), [
    ("ru", "Казахстан", "KZ"), ("en", "Kyrgyzstan", "KG")])
def test_skipping_the_place_asks_the_country_then_the_topic(engine: Engine, lang: str,
                                                            name: str, code: str) -> None:
    asked = engine.handle(Conversation(lang=lang), command("contacts"))
    question = engine.handle(asked.conversation, press(find_choice(
        asked.replies, "Skip: national numbers")))
    assert msgids(question.replies) == [QUESTION]
    assert question.conversation.country == "ZZ"  # asked: declined unless answered
    chosen = engine.handle(question.conversation, press(find_choice(question.replies, name)))
    assert chosen.conversation.country == code and chosen.conversation.state == "topic"
    done = engine.handle(chosen.conversation, press(find_choice(
        chosen.replies, "Forced work or unpaid wages")))
    said = all_text(done)
    assert "102" in said and "8-800" not in said and "110" not in said  # that country's


@pytest.mark.parametrize("lang", ["ru", "id", "en"])
def test_the_question_skipped_or_ignored_goes_on_to_the_topic(engine: Engine, lang: str) -> None:
    asked = engine.handle(Conversation(lang=lang), command("contacts"))
    question = engine.handle(asked.conversation, press(find_choice(
        asked.replies, "Skip: national numbers")))
    for answer in (press(find_choice(question.replies, "Skip")), text("что-то другое / lain")):
        went_on = engine.handle(question.conversation, answer)
        assert went_on.conversation.state == "topic"
        assert went_on.conversation.country == "ZZ"  # never asked again


@pytest.mark.parametrize("lang", ["ru", "id", "en"])
def test_emergency_now_answers_first_and_asks_after(engine: Engine, lang: str) -> None:
    asked = engine.handle(Conversation(lang=lang), command("contacts"))
    done = engine.handle(asked.conversation, press(find_choice(asked.replies,
                                                               "Emergency now")))
    ids = msgids(done.replies)
    assert ids[0].startswith("*Emergency:*") and ids[-1] == QUESTION
    assert done.conversation.idle and done.conversation.country == "ZZ"
    # The question's buttons are the engine's: a press saves the country with its numbers.
    first = next(c for c in done.replies[-1].choices if hasattr(c.label, "text"))
    saved = engine.handle(done.conversation, press(first.payload))
    assert saved.conversation.country in ("ID", "RU")  # the first country offered
    assert "*Emergency:*" in " ".join(msgids(saved.replies))


@pytest.mark.parametrize("lang", ["ru", "id", "en"])
def test_distress_during_the_question_gets_the_emergency_answer_first(
        engine: Engine, lang: str) -> None:
    from flows.distress.answer import first_line_has_number
    asked = engine.handle(Conversation(lang=lang), command("contacts"))
    question = engine.handle(asked.conversation, press(find_choice(
        asked.replies, "Skip: national numbers")))
    cried = engine.handle(question.conversation, text(CRY[lang]))
    assert first_line_has_number(cried.replies[0])
    assert QUESTION not in msgids(cried.replies)  # not asked a second time
    assert cried.conversation.state == "topic"  # and find help goes on


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_emergency_now_is_one_tap_away_at_the_country_question(engine: Engine,
                                                               lang: str) -> None:
    result = engine.handle(Conversation(lang=lang), command("contacts"))
    asked = engine.handle(result.conversation, press(find_choice(
        result.replies, "Skip: national numbers")))
    assert msgids(asked.replies) == [QUESTION]
    urgent = engine.handle(asked.conversation,
                           press(find_choice(asked.replies, "Emergency now")))
    assert urgent.conversation.state != "country"
    assert "112" in all_text(urgent) or "102" in all_text(urgent)


def test_emergency_now_with_the_country_only_assumed_lists_the_languages_countries(
        engine: Engine) -> None:
    # An Indonesian speaker who said nothing of where she is may be in Malaysia: in danger
    # now, each country's numbers, labelled, not Indonesia's alone.
    asked = engine.handle(Conversation(lang="id"), command("contacts"))
    done = engine.handle(asked.conversation, press(find_choice(asked.replies,
                                                               "Emergency now")))
    said = all_text(done)
    assert "Malaysia" in said and "999" in said and "Indonesia" in said


_PASTED = ("Dicari pelayan restoran di Malaysia, gaji 20 juta per bulan, paspor disimpan agen, "
           "berangkat minggu depan")


def test_an_offer_pasted_at_the_place_question_is_checked_not_read_as_a_place(
        engine: Engine) -> None:
    asked = engine.handle(Conversation(lang="id"), command("contacts"))
    checked = engine.handle(asked.conversation, text(_PASTED))
    said = all_text(checked)
    assert "warning sign" in said and "paspor disimpan" in said
    assert checked.conversation.flow == "check" and checked.conversation.country != "MY"


def test_an_offer_pasted_at_the_topic_question_is_checked(engine: Engine) -> None:
    placed = engine.handle(engine.handle(Conversation(lang="id"), command("contacts"))
                           .conversation, text("Medan"))
    assert "What is it about?" in all_text(placed)
    checked = engine.handle(placed.conversation, text(_PASTED))
    assert "warning sign" in all_text(checked)


def test_a_place_typed_in_a_sentence_is_still_a_place(engine: Engine) -> None:
    asked = engine.handle(Conversation(lang="id"), command("contacts"))
    placed = engine.handle(asked.conversation, text(
        "saya tinggal di kota medan sumatera utara, dekat pelabuhan belawan"))
    assert placed.conversation.flow == "contacts"
