"""The guidance exists in every language, screen for screen, with its sources."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.app import build_engine
from bot.i18n import LOCALES_DIR
from flows.engine import Conversation
from flows.learn.content import MARKER, Guidance
from flows.types import Bullets, Msg, Text
from tests.helpers.events import command, find_choice, press, text

SOURCES = {"en": "Sources:", "id": "Sumber:", "ru": "Источники:"}


def _markers(screen: str) -> list[str]:
    return [line.strip() for line in screen.splitlines() if MARKER.match(line.strip())]


@pytest.fixture(scope="module")
def guidance() -> Guidance:
    return Guidance.load(LOCALES_DIR)


def test_seven_modules_in_every_language(guidance: Guidance) -> None:
    ids = guidance.ids()
    assert ids == ("what", "tricks", "parents", "abroad", "online", "trouble", "rights")
    for lang in ("id", "ru"):
        assert tuple(m.id for m in guidance.modules(lang)) == ids


@pytest.mark.parametrize("lang", ["id", "ru"])
def test_translations_match_the_english_screen_for_screen(guidance: Guidance,
                                                           lang: str) -> None:
    for english, translated in zip(guidance.modules("en"), guidance.modules(lang), strict=True):
        assert len(translated.screens) == len(english.screens), translated.id
        for a, b in zip(english.screens, translated.screens, strict=True):
            assert _markers(a) == _markers(b), translated.id
            assert a.count("*") == b.count("*"), translated.id


@pytest.mark.parametrize("lang", ["en", "id", "ru"])
def test_every_module_ends_with_its_sources(guidance: Guidance, lang: str) -> None:
    for module in guidance.modules(lang):
        assert module.screens[-1].splitlines()[-1].startswith(SOURCES[lang]), module.id


@pytest.mark.parametrize("lang", ["en", "id", "ru"])
def test_no_phone_number_is_written_into_guidance(guidance: Guidance, lang: str) -> None:
    # Numbers live in the directory, so one correction reaches every language.
    for module in guidance.modules(lang):
        for screen in module.screens:
            assert not re.search(r"\b\d{3,}[- ]?\d{2,}", screen.replace("2007", "")
                                 .replace("2017", "").replace("2015", "").replace("2020", "")
                                 .replace("2012", "").replace("2000", "").replace("2025", "")
                                 ), (module.id, screen[:60])


def test_learn_walks_forward_and_back_and_fills_in_numbers() -> None:
    engine = build_engine()
    shown = engine.handle(Conversation(lang="id"), command("learn"))
    assert shown.conversation.state == "topics"
    opened = engine.handle(shown.conversation, press(find_choice(shown.replies,
                                                                 "Sudah dalam masalah")))
    parts = opened.replies[0].parts
    assert isinstance(parts[1], Text)
    assert any(isinstance(p, Msg) and p.msgid.startswith("*Emergency:* {numbers}") for p in parts)
    forward = engine.handle(opened.conversation, press(find_choice(opened.replies, "Next")))
    assert forward.conversation.data == {"module": 5, "screen": 1}
    third = engine.handle(forward.conversation, press(find_choice(forward.replies, "Next")))
    assert any(isinstance(p, Bullets) for p in third.replies[0].parts)  # the hotlines
    back = engine.handle(third.conversation, press(find_choice(third.replies, "Back")))
    assert back.conversation.data == {"module": 5, "screen": 1}


def test_last_screen_leads_to_the_next_topic() -> None:
    engine = build_engine()
    opened = engine.handle(Conversation(lang="ru"), command("learn", "1"))
    conv, replies = opened.conversation, opened.replies
    assert conv.data == {"module": 0, "screen": 0}
    for _ in range(2):  # "what" has three screens
        step = engine.handle(conv, press(find_choice(replies, "Next")))
        conv, replies = step.conversation, step.replies
    step = engine.handle(conv, press(find_choice(replies, "Next topic")))
    assert step.conversation.data == {"module": 1, "screen": 0}


def test_first_message_language_is_detected_without_a_hint() -> None:
    engine = build_engine()
    offer = "Требуются официантки в Турцию, зарплата 3000 долларов, опыт не нужен."
    assert engine.handle(Conversation(), text(offer)).lang == "ru"
    assert engine.handle(Conversation(), text("Dicari pelayan restoran untuk kerja di kota "
                                              "besar")).lang == "id"


def test_guidance_is_read_from_files(tmp_path: Path) -> None:
    folder = tmp_path / "en" / "guidance"
    folder.mkdir(parents=True)
    (folder / "1-demo.md").write_text("# Demo\nOne\n---\n- a\n- b\n")
    module = Guidance.load(tmp_path).modules("en")[0]
    assert (module.id, module.title, module.screens) == ("demo", "Demo", ("One", "• a\n• b"))
