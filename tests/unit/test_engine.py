"""The engine as a table of (conversation, event) -> (conversation, replies)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.app import build_engine
from flows.engine import Conversation
from flows.menu import MENU_ITEMS
from flows.text import MAX_TEXT_CHARS
from flows.types import Inbound, Kind
from tests.helpers.events import command, find_choice, msgids, press, text

MENU = "What would you like to do?"


@pytest.fixture
def engine():  # type: ignore[no-untyped-def]
    return build_engine()


def test_start_greets_bumps_session_and_shows_menu(engine) -> None:  # type: ignore[no-untyped-def]
    result = engine.handle(Conversation(session=3), command("start"))
    assert result.conversation.session == 4
    assert MENU in msgids(result.replies)
    assert len(result.replies[-1].choices) == len(MENU_ITEMS)


def test_first_contact_language_comes_from_hint_else_indonesian(engine) -> None:  # type: ignore[no-untyped-def]
    assert engine.handle(Conversation(), command("start", hint="ru-RU")).lang == "ru"
    assert engine.handle(Conversation(), command("start", hint="en_GB.UTF-8")).lang == "en"
    assert engine.handle(Conversation(), command("start", hint="fr")).lang == "id"
    assert engine.handle(Conversation(), command("start")).lang == "id"
    # A chosen language is never overridden by a later hint.
    assert engine.handle(Conversation(lang="ru"), command("start", hint="en")).lang == "ru"


def test_lang_with_argument_sets_language_at_once(engine) -> None:  # type: ignore[no-untyped-def]
    result = engine.handle(Conversation(lang="id"), command("lang", "ru"))
    assert result.lang == "ru"
    assert result.conversation.idle
    assert "From now on I will write in {language}." in msgids(result.replies)


def test_lang_buttons_then_choice(engine) -> None:  # type: ignore[no-untyped-def]
    shown = engine.handle(Conversation(lang="id"), command("lang"))
    assert shown.conversation.flow == "lang"
    payload = find_choice(shown.replies, "English")
    done = engine.handle(shown.conversation, press(payload))
    assert done.lang == "en" and done.conversation.idle


def test_lang_typed_name_is_understood(engine) -> None:  # type: ignore[no-untyped-def]
    shown = engine.handle(Conversation(lang="id"), command("lang"))
    assert engine.handle(shown.conversation, text("Русский")).lang == "ru"
    again = engine.handle(shown.conversation, text("klingon"))
    assert again.conversation.flow == "lang" and again.lang == "id"


def test_unknown_language_argument_asks_again(engine) -> None:  # type: ignore[no-untyped-def]
    result = engine.handle(Conversation(lang="ru"), command("lang", "fr"))
    assert result.lang == "ru" and result.conversation.flow == "lang"


def test_menu_button_starts_its_flow(engine) -> None:  # type: ignore[no-untyped-def]
    start = engine.handle(Conversation(lang="id"), command("start"))
    payload = find_choice(start.replies, "Language / Bahasa / Язык")
    result = engine.handle(start.conversation, press(payload))
    assert result.conversation.flow == "lang"


def test_button_from_earlier_session_is_stale(engine) -> None:  # type: ignore[no-untyped-def]
    first = engine.handle(Conversation(lang="id"), command("lang"))
    old = find_choice(first.replies, "English")
    restarted = engine.handle(first.conversation, command("start"))
    result = engine.handle(restarted.conversation, press(old))
    assert "That button belongs to an earlier conversation, so I ignored it." in msgids(
        result.replies)
    assert result.lang == "id"


def test_button_from_another_state_is_stale(engine) -> None:  # type: ignore[no-untyped-def]
    shown = engine.handle(Conversation(lang="id"), command("lang"))
    payload = find_choice(shown.replies, "English")
    idle = replace(shown.conversation, flow="", state="")
    result = engine.handle(idle, press(payload))
    assert "That button belongs to an earlier conversation, so I ignored it." in msgids(
        result.replies)


@pytest.mark.parametrize("forged", ["", "garbage", "g|*|0|no-such-flow", "zz|x|0|y"])
def test_forged_buttons_are_refused(engine, forged: str) -> None:  # type: ignore[no-untyped-def]
    result = engine.handle(Conversation(lang="id"), press(forged))
    assert "That button belongs to an earlier conversation, so I ignored it." in msgids(
        result.replies)


def test_unknown_command_gets_a_hint_and_keeps_state(engine) -> None:  # type: ignore[no-untyped-def]
    conv = Conversation(flow="lang", state="choose", lang="id")
    result = engine.handle(conv, command("frobnicate"))
    assert result.conversation == conv
    assert result.replies[0].parts[0].params == {"command": "frobnicate"}  # type: ignore[union-attr]


def test_cancel_leaves_the_flow(engine) -> None:  # type: ignore[no-untyped-def]
    conv = Conversation(flow="lang", state="choose", lang="id")
    result = engine.handle(conv, command("cancel"))
    assert result.conversation.idle
    assert "Cancelled. Nothing was saved." in msgids(result.replies)
    idle = engine.handle(result.conversation, command("cancel"))
    assert "There is nothing to cancel." in msgids(idle.replies)


@pytest.mark.parametrize(("raw", "expected"), [
    ("", "I received an empty message. Please type or paste your text."),
    ("   \n\t ", "I received an empty message. Please type or paste your text."),
    ("\x00\x01\x02\ufffd\ufffd\x03", "I could not read that message. Please send it as plain "
                                     "text."),
])
def test_bad_text_gets_a_polite_answer(engine, raw: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    conv = Conversation(flow="lang", state="choose", lang="ru")
    result = engine.handle(conv, text(raw))
    assert msgids(result.replies) == [expected]
    assert result.conversation == conv


def test_over_long_text_is_refused_not_truncated(engine) -> None:  # type: ignore[no-untyped-def]
    result = engine.handle(Conversation(lang="id"), text("a" * (MAX_TEXT_CHARS + 1)))
    reply = result.replies[0].parts[0]
    assert reply.params == {"size": MAX_TEXT_CHARS + 1, "limit": MAX_TEXT_CHARS}  # type: ignore[union-attr]


def test_media_when_idle_asks_for_text(engine) -> None:  # type: ignore[no-untyped-def]
    result = engine.handle(Conversation(lang="id"), Inbound(kind=Kind.MEDIA))
    assert msgids(result.replies) == [
        "I can only read text. Please type your message or paste the text of the offer."]


def test_short_idle_text_shows_menu(engine) -> None:  # type: ignore[no-untyped-def]
    result = engine.handle(Conversation(lang="id"), text("halo"))
    assert MENU in msgids(result.replies)


def test_long_idle_text_goes_to_the_offer_flow(engine) -> None:  # type: ignore[no-untyped-def]
    offer = "Dicari pelayan restoran di Malaysia, gaji besar, tidak perlu pengalaman."
    result = engine.handle(Conversation(lang="id"), text(offer))
    assert result.conversation.flow in ("", "check")
    assert "check" in engine.flows


def test_start_with_deep_link_opens_that_flow(engine) -> None:  # type: ignore[no-untyped-def]
    result = engine.handle(Conversation(lang="id"), command("start", "lang"))
    assert result.conversation.flow == "lang"


def test_state_this_version_does_not_know_starts_afresh(engine) -> None:  # type: ignore[no-untyped-def]
    conv = Conversation(flow="lang", state="vanished", lang="id")
    result = engine.handle(conv, text("hi"))
    assert result.conversation.idle


def test_duplicate_commands_are_rejected_at_build() -> None:
    from flows.deps import FlowDeps
    from flows.engine import Engine
    from flows.language import FLOW

    with pytest.raises(ValueError):
        Engine([FLOW, replace(FLOW, name="lang2", code="l2")], FlowDeps())


@pytest.mark.parametrize(("stored", "known", "unasked"), [
    ("", "", True), ("ZZ", "", False), ("KG", "KG", False)])
def test_a_step_learns_whether_the_country_question_may_still_be_asked(
        stored: str, known: str, unasked: bool) -> None:
    from flows.deps import FlowDeps
    from flows.engine import Engine
    from flows.flow import Flow, NoData, Outcome, Step

    seen: list[Step] = []

    def entry(step: Step) -> Outcome:
        seen.append(step)
        return Outcome()

    probe = Flow(name="probe", code="z", commands=("probe",), entry=entry, steps={},
                 data_type=NoData)
    Engine([probe], FlowDeps()).handle(Conversation(lang="ru", country=stored),
                                       command("probe"))
    (step,) = seen
    assert (step.country, step.country_unasked) == (known, unasked)


@pytest.mark.parametrize("greeting", ["halo", "Assalamualaikum kak", "привет", "Hello!",
                                      "selamat pagi 🙏", "Salam aleikum", "Сәлеметсіз бе",
                                      "Саламатсызбы", "ini bot apa?", "что это за бот?",
                                      "What is this bot?", "это что за бот вообще?",
                                      "а это что за бот"])
def test_a_greeting_gets_the_welcome_not_i_did_not_understand(greeting: str) -> None:
    engine = build_engine()
    welcome = msgids(engine.handle(Conversation(lang="id"), command("start")).replies)
    said = msgids(engine.handle(Conversation(lang="id"), text(greeting)).replies)
    assert said == welcome and not any("did not understand" in m for m in said)


@pytest.mark.parametrize(("thanks", "lang"), [("thank u", "en"), ("spasibo bolshoe", "ru"),
                                              ("рақмет", "ru"), ("makasih kak", "id")])
def test_first_thanks_are_answered_in_their_language(thanks: str, lang: str) -> None:
    said = build_engine().handle(Conversation(), text(thanks))
    assert said.conversation.lang == lang


@pytest.mark.parametrize(("asked", "lang"), [
    ("who made you?", "en"), ("кто тебя создал?", "ru"), ("siapa yang bikin bot ini?", "id"),
    ("are you a real person?", "en"), ("ты человек?", "ru"), ("kamu manusia asli?", "id")])
def test_who_made_the_bot_is_answered(engine, asked: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    said = msgids(engine.handle(Conversation(lang=lang), text(asked)).replies)
    assert said[0].startswith("I am a bot, not a person")
