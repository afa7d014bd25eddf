"""The reporter's own name or number in a tip's description: found, and taken out cleanly."""

from __future__ import annotations

import pytest

from flows.report.self_mentions import phone_spans, self_mentions, without


@pytest.mark.parametrize(("text", "found", "left"), [
    ("Вербовщик в Оше ищет девушек. Меня зовут Гульнара, мой номер 0700987654",
     ["Меня зовут Гульнара", "мой номер 0700987654"], "Вербовщик в Оше ищет девушек."),
    ("Ada calo di desa. nama saya Sri Wahyuni, WA saya 0812-3456-7890. Dia bawa anak ke Malaysia.",
     ["nama saya Sri Wahyuni", "WA saya 0812-3456-7890"],
     "Ada calo di desa. Dia bawa anak ke Malaysia."),
    ("My name is Anna, call me at +62 812 3456 7890. The broker takes girls to Dubai.",
     ["My name is Anna", "call me at +62 812 3456 7890"], "The broker takes girls to Dubai."),
])
def test_the_writers_own_name_and_number_are_found_and_cut(text: str, found: list[str],
                                                            left: str) -> None:
    spans = self_mentions(text)
    assert [text[a:b] for a, b in spans] == found
    assert without(text, spans) == left


@pytest.mark.parametrize("text", [
    "Broker Budi, his number 0812 3456 7890, takes girls.",
    "hp saya diambil majikan", "Его зовут Азамат, номер 0700123456",
    "a man named Budi gave my name to the agency",
])
def test_someone_elses_name_or_number_is_not_the_writers(text: str) -> None:
    assert self_mentions(text) == []


def test_phone_numbers_are_cut_from_the_text() -> None:
    text = "Broker Budi, his number 0812 3456 7890, takes girls."
    assert without(text, phone_spans(text, ("ID",))) == "Broker Budi, his number, takes girls."


@pytest.mark.parametrize(("text", "found"), [
    ("Aku Rini, wa aku 085712345678. Ada calo di desa.", ["Aku Rini", "wa aku 085712345678"]),
    ("I'm Dewi, call me on +62 813 5555 1212.", ["I'm Dewi", "call me on +62 813 5555 1212"]),
    ("Меня Айгуль зовут, мой телефон 0555123456", ["Меня Айгуль зовут", "мой телефон 0555123456"]),
    ("menya zovut Aigul, moi nomer 0555123456", ["menya zovut Aigul", "moi nomer 0555123456"]),
    ("Mening ismim Dilnoza, raqamim +998901234567", ["Mening ismim Dilnoza",
                                                      "raqamim +998901234567"]),
])
def test_more_ways_of_giving_ones_name(text: str, found: list[str]) -> None:
    assert [text[a:b] for a, b in self_mentions(text)] == found


@pytest.mark.parametrize("text", ["Меня зовут в Корею на завод", "Nama saya dicatut calo",
                                  "I'm scared, the broker took girls"])
def test_words_that_only_look_like_a_name_given(text: str) -> None:
    assert self_mentions(text) == []


def test_a_number_cut_leaves_no_empty_brackets() -> None:
    text = "Broker Budi (WA 0812 3456 7890) takes girls"
    assert without(text, phone_spans(text, ("ID",))) == "Broker Budi takes girls"
