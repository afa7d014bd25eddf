"""The guidance exists in every language, screen for screen, and reads as before.

What each country's readers see, and their sources, are tested in test_guidance_countries.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.app import build_engine
from bot.i18n import LOCALES_DIR
from flows.engine import Conversation
from flows.learn.content import MARKER, Guidance, ModuleText
from flows.types import Bullets, Msg, Text
from tests.helpers.events import command, find_choice, press, text


def _markers(screen: str) -> list[str]:
    return [line.strip() for line in screen.splitlines() if MARKER.match(line.strip())]


def _written(module: ModuleText) -> list[str]:
    """Every paragraph as written, sources included (what a translator edits)."""
    return [p.text or "; ".join(p.sources) for s in module.screens for p in s.paragraphs]


@pytest.fixture(scope="module")
def guidance() -> Guidance:
    return Guidance.load(LOCALES_DIR)


def test_seven_modules_in_every_language(guidance: Guidance) -> None:
    ids = guidance.ids()
    assert ids == ("what", "tricks", "parents", "abroad", "online", "trouble", "rights")
    for lang in ("id", "ru"):
        assert tuple(m.id for m in guidance.texts(lang)) == ids


def test_russian_matches_the_english_screen_for_screen(guidance: Guidance) -> None:
    # English serves the readers of both: the same screens, for the same countries.
    for english, russian in zip(guidance.texts("en"), guidance.texts("ru"), strict=True):
        assert len(russian.screens) == len(english.screens), russian.id
        for a, b in zip(english.screens, russian.screens, strict=True):
            assert a.countries == b.countries, (russian.id, b.text()[:60])
            assert [p.countries for p in a.paragraphs] == [p.countries for p in b.paragraphs], (
                russian.id, b.text()[:60])
            assert _markers(a.text()) == _markers(b.text()), russian.id
            assert a.text().count("*") == b.text().count("*"), (russian.id, b.text()[:60])


@pytest.mark.parametrize("country", ["ID", ""])
def test_indonesian_matches_what_english_shows_in_indonesia(guidance: Guidance,
                                                            country: str) -> None:
    # Indonesian is written for Indonesia; compared with what English shows a reader there.
    for english, indonesian in zip(guidance.modules("en", "ID"),
                                   guidance.modules("id", country), strict=True):
        assert len(indonesian.screens) == len(english.screens), indonesian.id
        for a, b in zip(english.screens, indonesian.screens, strict=True):
            assert _markers(a) == _markers(b), indonesian.id
            assert a.count("*") == b.count("*"), (indonesian.id, b[:60])


@pytest.mark.parametrize("lang", ["en", "id", "ru"])
def test_no_phone_number_is_written_into_guidance(guidance: Guidance, lang: str) -> None:
    # Numbers live in the directory, so one correction reaches every language. Years,
    # article numbers ("127.1", "12(1)(f)") and decree numbers are not phone numbers.
    for module in guidance.texts(lang):
        for paragraph in _written(module):
            bare = re.sub(r"\b(19|20)\d\d\b", "", paragraph)
            assert not re.search(r"\b\d{3,}[- ]?\d{2,}", bare), (module.id, paragraph[:60])


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


def test_an_offer_pasted_in_a_lesson_is_checked_in_its_own_language() -> None:
    engine = build_engine()
    # /learn and a button pressed tell no language: the pasted offer's does.
    opened = engine.handle(Conversation(), command("learn"))
    lesson = engine.handle(opened.conversation, press(opened.replies[0].choices[0].payload))
    assert lesson.conversation.flow == "learn" and lesson.conversation.lang == ""
    checked = engine.handle(lesson.conversation, text(
        "Девушки до 25 лет, работа хостес в Дубае, 3000$ в месяц, билет оплачиваем, паспорт "
        "отдаёте менеджеру"))
    assert checked.conversation.lang == "ru" and checked.conversation.flow == "check"
    said = [p.msgid for r in checked.replies for p in r.parts if isinstance(p, Msg)]
    assert any("warning sign" in m for m in said)


@pytest.mark.parametrize("offer", [
    "Need waitress in Malaysia, salary 3000 USD, boss keeps passport",
    "Работа официанткой в Москве, паспорт будет у работодателя"])
def test_a_one_line_offer_with_a_sign_pasted_in_a_lesson_is_checked(offer: str) -> None:
    engine = build_engine()
    opened = engine.handle(Conversation(lang="en"), command("learn"))
    lesson = engine.handle(opened.conversation, press(opened.replies[0].choices[2].payload))
    checked = engine.handle(lesson.conversation, text(offer))
    assert checked.conversation.flow == "check"


def test_a_question_typed_in_a_lesson_is_not_an_offer() -> None:
    engine = build_engine()
    opened = engine.handle(Conversation(lang="id"), command("learn"))
    lesson = engine.handle(opened.conversation, press(opened.replies[0].choices[1].payload))
    asked = engine.handle(lesson.conversation, text("apa itu trafficking?"))
    assert asked.conversation.flow == "learn"


def test_one_goes_on_through_every_screen_of_a_lesson() -> None:
    # "Back" first on the second screen had made 1, 1, 1 go back and forth
    engine = build_engine()
    opened = engine.handle(Conversation(lang="en"), command("learn"))
    result = engine.handle(opened.conversation, press(opened.replies[0].choices[0].payload))
    for screen in (2, 3):
        result = engine.handle(result.conversation,
                               press(result.replies[0].choices[0].payload))
        first = next(p for p in result.replies[0].parts if isinstance(p, Msg))
        assert first.params["screen"] == screen
