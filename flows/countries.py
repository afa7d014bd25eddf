"""Country names as people type them (/country Кыргызстан, /country kg, "Indonesia"),
resolved to ISO 3166-1 alpha-2 codes with Babel's CLDR names in the languages of our users
and of the countries they live in. A code is a place, not an identifier."""

from __future__ import annotations

from functools import lru_cache

from babel import Locale

from referral_directory.names import fold

# The bot's languages, and the languages of the countries it serves (Malay, Kyrgyz,
# Kazakh, Uzbek, Tajik), so a person may name their country in their own language.
_LOCALES = ("en", "id", "ru", "ms", "ky", "kk", "uz", "tg")
# Short names CLDR does not list.
_ALIASES = {"рф": "RU", "russia": "RU", "рк": "KZ", "кр": "KG", "ri": "ID", "nkri": "ID",
            "киргизстан": "KG", "kirgizstan": "KG", "kirgiziya": "KG", "kyrgyzstan": "KG",
            "uzbekistan": "UZ", "tajikistan": "TJ", "kazakhstan": "KZ", "qazaqstan": "KZ",
            "o'zbekiston": "UZ", "ozbekiston": "UZ", "тоҷикистон": "TJ"}
@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    names: dict[str, str] = {}
    for code in _LOCALES:
        try:
            territories = Locale.parse(code).territories
        except (ValueError, LookupError):
            continue
        for territory, name in territories.items():
            if len(territory) == 2 and territory.isalpha():
                names.setdefault(fold(name), territory)
    names.update({fold(k): v for k, v in _ALIASES.items()})
    return names


def resolve_country(text: str) -> str | None:
    """The ISO code for a country code or name, or None."""
    folded = fold(text)
    if len(folded) == 2 and folded.isascii() and folded.isalpha():
        code = folded.upper()
        return code if code in Locale.parse("en").territories else None
    return _names().get(folded)
