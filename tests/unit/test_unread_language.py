"""Texts in a language the analyzer does not read: told apart by their alphabet or their
frequent words, and answered with that said, never with "no warning signs"."""

from __future__ import annotations

import pytest

from bot.app import build_engine
from bot.i18n import Translator
from bot.rendering import TextRenderer
from flows.engine import Conversation, Engine
from flows.red_flags.detect import unread_language
from tests.helpers.events import msgids, text

RENDER = TextRenderer(Translator.load())


@pytest.fixture(scope="module")
def engine() -> Engine:
    return build_engine()


@pytest.mark.parametrize(("message", "language"), [
    ("Москвада кафеде иш бар, айлык 1000$, паспортуңду бизге бересиң", "ky"),
    ("Алматыға даяшы керек, айлық 300 000 теңге, төлқұжатыңды бізге бересің", "kk"),
    ("Дар Маскав кор ҳаст, шиносномаатро ба мо медиҳӣ", "tg"),
    ("Kazakhstan-dan Astana shahrida ofitsiant kerak, oylik 250 000 tenge, ovqat bepul", "uz"),
    ("Seulda zauytta zhumys bar, zhol akysyn biz toleimiz, tolkuzhatynyzdy kelgende alamyz",
     "kk"),
    ("Seulda zavoddo jumush bar, jol kire biz tolobuz, pasportunuzdu kelgende alabyz", "ky"),
    ("Dar Seul dar zavod kor hast, rohkiro az mo, shinosnomaatonro vaqti omadan megirem", "tg"),
])
def test_central_asian_languages_are_told(message: str, language: str) -> None:
    assert unread_language(message) == language


@pytest.mark.parametrize("message", [
    "Требуется официантка в Москву, зарплата 50000, паспорт у работодателя",
    "Работа в Алматы, компания ТОО «Қазақ Телеком», оклад 300 000 тенге",  # one name
    "dicari pelayan di malaysia gaji 5 juta", "Waitress needed in Dubai, salary 3000 USD",
    "Bar staff needed in Dubai, salary 3000", "kerja di bar malaysia gaji 10 juta",
])
def test_the_languages_read_are_not_unread(message: str) -> None:
    assert unread_language(message) is None


def test_an_offer_in_kazakh_is_not_told_it_has_no_warning_signs(engine: Engine) -> None:
    result = engine.handle(Conversation(lang="ru"), text(
        "Алматыға даяшы керек, айлық 300 000 теңге, төлқұжатыңды бізге бересің"))
    said = msgids(result.replies)
    assert any(m.startswith("This text seems to be in another language") for m in said)
    assert not any("I did not find warning signs" in m for m in said)


def test_what_is_found_in_an_unread_language_is_shown_with_the_caveat(engine: Engine) -> None:
    result = engine.handle(Conversation(lang="ru"), text(
        "Men Andijondanman. Koreyaga zavodga ish, 2500 dollar, turist viza, 800 dollar "
        "oldindan to'lash kerak"))
    said = msgids(result.replies)
    first = next(i for i, m in enumerate(said) if m.startswith("This text seems to be"))
    assert any("warning sign" in m for m in said[first + 1:])


def test_a_kyrgyz_text_puts_kyrgyzstan_first_in_the_country_question(engine: Engine) -> None:
    result = engine.handle(Conversation(lang="ru"), text(
        "Москвада кафеде иш бар, айлык 1000$, паспортуңду бизге бересиң"))
    first = RENDER.parts((result.replies[-1].choices[0].label,), "ru")
    assert first == "Киргизия"


def test_an_uzbek_offer_is_checked_not_taken_for_a_cry(engine: Engine) -> None:
    # the statistical reading had raised the emergency answer on "pasportni biz saqlaymiz"
    result = engine.handle(Conversation(lang="ru"), text(
        "Koreyada zavodda ish bor, oylik 2000 dollar, pasportni biz saqlaymiz"))
    assert result.conversation.flow == "check"
    assert msgids(result.replies)[0].startswith("This text seems to be in another language")


def test_an_uzbek_cry_is_still_a_cry(engine: Engine) -> None:
    result = engine.handle(Conversation(lang="ru"), text(
        "Yordam bering, meni Moskvada qamab qoyishdi"))
    assert result.conversation.flow != "check"
