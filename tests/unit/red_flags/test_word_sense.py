"""Words that are words of their language are read as such: no typo correction into a
lexicon entry, no prefix running into another word, no experience read as an age (issue
#13, classes 1 and 2). Our own sentences, written from the classes."""

from __future__ import annotations

import pytest

from flows.red_flags import Analyzer


@pytest.mark.parametrize(("text", "absent"), [
    ("Требуется программист 1С: техническое сопровождение систем, выезды к клиентам, "
     "виртуализация серверов", "sexual_service_hint"),
    ("Ведущий инженер сопровождения банковского ПО, знакомство с Linux", "sexual_service_hint"),
    ("Главный бухгалтер, опыт работы главным бухгалтером от 5 лет", "minor_targeted"),
    ("Системный администратор, стаж администратором от 3 лет", "minor_targeted"),
    ("Менеджер по продажам, заработная плата от 40000 рублей, оформление по ТК",
     "upfront_fee"),
])
def test_ordinary_vacancies_raise_no_flag_by_their_words(analyzer: Analyzer, text: str,
                                                          absent: str) -> None:
    assert absent not in analyzer.analyze(text).flag_ids


@pytest.mark.parametrize(("text", "present"), [
    ("Работа для девушек: эскорт, сопровождение мужчин на вечеринках, оплата сразу",
     "sexual_service_hint"),
    ("Девушки от 16 лет, работа хостес в клубе", "minor_targeted"),
    ("Ваш пасспорт будет храниться у агента весь контракт", "document_retention"),  # a typo
])
def test_the_signs_themselves_still_count(analyzer: Analyzer, text: str, present: str) -> None:
    assert present in analyzer.analyze(text).flag_ids
