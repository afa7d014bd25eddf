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
