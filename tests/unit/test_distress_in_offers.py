"""An advertisement that reads like distress ("паспорт у работодателя") names where the job
is, not where the reader is: the emergency answer may come first, but the analysis follows
and the job's city never becomes the person's country."""

from __future__ import annotations

import pytest

from bot.app import build_engine
from flows.engine import Conversation, Engine
from flows.types import Msg
from tests.helpers.events import text


@pytest.fixture(scope="module")
def engine() -> Engine:
    return build_engine()


def _msgids(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.msgid for r in result.replies for p in r.parts if isinstance(p, Msg)]


def test_an_advert_gets_its_analysis_and_no_country_from_its_city(engine: Engine) -> None:
    result = engine.handle(Conversation(lang="ru"), text(
        "Требуются официантки в Дубай, 3000$, паспорт у работодателя, звоните"))
    said = _msgids(result)
    assert any("warning sign" in m for m in said)  # the analysis is there
    assert result.conversation.country != "AE"
    assert "I have no checked emergency number for this country" not in " ".join(said)


def test_a_person_who_says_where_she_is_gets_that_country(engine: Engine) -> None:
    result = engine.handle(Conversation(lang="ru"), text(
        "помогите, я в Бишкеке, у меня забрали паспорт и не выпускают"))
    assert result.conversation.country == "KG"


def test_the_country_question_does_not_repeat_the_country_line(engine: Engine) -> None:
    result = engine.handle(Conversation(lang="en"), text(
        "Waitress job in Dubai, 3000 USD, the agency keeps your passport, apply now"))
    said = _msgids(result)
    assert not any(m.startswith("Numbers and advice depend on the country") for m in said)
    assert any(m.startswith("One question, so that numbers") for m in said)


@pytest.mark.parametrize("told", [
    "я из Оша, дочке 16, предлагают официанткой в Москву, говорят паспорт у них будет",
    "anak saya 15 th ditawari kerja di malaysia, paspor dipegang agen",
    "my daughter 16 is offered a job in dubai as waitress, they keep passport",
])
def test_a_parent_telling_an_offer_made_to_a_child_gets_its_check_not_a_crisis(
        engine: Engine, told: str) -> None:
    said = _msgids(engine.handle(Conversation(lang=""), text(told)))
    assert any("warning sign" in m for m in said)  # the check, with its signs
    assert not any("Where are you now?" in m for m in said)  # no crisis answer


@pytest.mark.parametrize("cry", [
    "aku ditawari kerja, sekarang paspor ditahan agen, tolong",
    "мне предложили работу в Москве, приехала, теперь паспорт забрали и не выпускают",
])
def test_an_offer_that_turned_into_danger_is_still_distress(cry: str) -> None:
    from flows.distress.detector import DistressDetector

    assert DistressDetector.load().detect(cry) is not None
