"""``directory search --country`` takes a code or a country's name (bot/commands/directory.py)."""

from __future__ import annotations

import pytest

from bot.commands.directory import resolve_country, unknown_country
from referral_directory import load_directory
from referral_directory.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def world() -> tuple[object, Gazetteer]:
    return load_directory(), Gazetteer.load()


@pytest.mark.parametrize(("typed", "code"), [
    ("KG", "KG"), ("kg", "KG"), (" Kyrgyzstan ", "KG"), ("Кыргызстан", "KG"),
    ("Киргизия", "KG"), ("Kirgizstan", "KG"), ("Kirgistan", "KG"),  # Indonesian, a typo
    ("Russia", "RU"), ("Rusia", "RU"), ("Россия", "RU"), ("РФ", "RU"),
    ("Indonesia", "ID"), ("Индонезия", "ID"), ("Malaysia", "MY"), ("Malaisia", "MY"),
])
def test_codes_and_names_in_three_languages(world: tuple[object, Gazetteer], typed: str,
                                            code: str) -> None:
    directory, gazetteer = world
    assert resolve_country(typed, directory, gazetteer) == code  # type: ignore[arg-type]


@pytest.mark.parametrize("typed", ["Narnia", "TH", "Thailand", "Bishkek", "", "K"])
def test_what_the_directory_does_not_cover_is_none(world: tuple[object, Gazetteer],
                                                  typed: str) -> None:
    directory, gazetteer = world
    assert resolve_country(typed, directory, gazetteer) is None  # type: ignore[arg-type]


def test_the_refusal_lists_the_codes_and_names_it_knows(
        world: tuple[object, Gazetteer]) -> None:
    directory, gazetteer = world
    message = unknown_country("Narnia", directory, gazetteer)  # type: ignore[arg-type]
    assert "ISO 3166-1 alpha-2" in message
    assert "KG Kyrgyzstan" in message and "ID Indonesia" in message
