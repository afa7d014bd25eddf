"""Country names as people type them (/country Кыргызстан, /country kg, "Indonesia"),
resolved to ISO 3166-1 alpha-2 codes with Babel's CLDR names in the languages of our users
and of the countries they live in. A code is a place, not an identifier."""

from __future__ import annotations

from collections.abc import Collection
from functools import lru_cache
from typing import TYPE_CHECKING

from babel import Locale

from flows.payload import Payload
from flows.types import (
    Choice,
    ChoiceStyle,
    Inbound,
    Kind,
    Msg,
    Part,
    Quote,
    Reply,
    msg,
    text_reply,
)
from flows.whom_to_call import country_name
from referral_directory.names import fold

if TYPE_CHECKING:
    from referral_directory.gazetteer import Gazetteer
    from referral_directory.search import DirectoryIndex

# Stored as the conversation's country once the question was asked and no country given:
# CLDR's code for an unknown region, never a real country.
DECLINED = "ZZ"
# The state of the engine's own question buttons (payloads of flows.payload.GLOBAL_FLOW):
# a press saves the country whatever flow the conversation is in, or none.
QUESTION_STATE = "country"
# The countries offered as buttons, by the person's language (where it is spoken among the
# countries the bot serves; the same as flows.whom_to_call.LANGUAGE_COUNTRIES).
QUESTION_COUNTRIES: dict[str, tuple[str, ...]] = {
    "id": ("ID", "MY"),
    "ru": ("RU", "KZ", "KG", "UZ", "TJ"),
    "en": ("ID", "MY", "RU", "KZ", "KG", "UZ", "TJ"),
}

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


OTHER = "other"  # the value of the "another country" button


def country_question(lang: str, session: int, flow: str, state: str, *,
                     before: tuple[Part, ...] = (), extra: tuple[Choice, ...] = ()) -> Reply:
    """The one light question: buttons with the countries of the language's region and
    "another country". The buttons carry the country code; the engine saves it (its own
    ``QUESTION_STATE``), or the flow whose state the buttons name. ``before``: lines above
    the question; ``extra``: buttons after it (a flow's "Skip")."""
    codes = QUESTION_COUNTRIES.get(lang, QUESTION_COUNTRIES["en"])
    choices = tuple(Choice(Payload(flow, state, session, code).pack(),
                           Quote(country_name(code, lang))) for code in codes)
    choices += (Choice(Payload(flow, state, session, OTHER).pack(),
                       msg("Another country")), *extra)
    question: Msg = msg("One question, so that numbers and advice fit where you are: which "
                        "country are you in now? (You can skip it.)")
    style = ChoiceStyle.BUTTONS if len(choices) <= 3 else ChoiceStyle.LIST
    return text_reply(*before, question, choices=choices, style=style)


def answered_country(event: Inbound, places: DirectoryIndex | None,
                     not_countries: Collection[str]) -> str | None:
    """The country a person gives at the one-time question, in any flow: a pressed
    country's button (``not_countries``: the flow's other buttons, such as "Skip"), or a
    typed answer read by ``country_in_answer``; None when they gave none."""
    if event.choice and event.choice not in not_countries:
        return resolve_country(event.choice)
    if event.kind is Kind.TEXT:
        return country_in_answer(event.text, places.gazetteer if places is not None else None)
    return None


def country_in_answer(answer: str, gazetteer: Gazetteer | None) -> str | None:
    """The country a typed answer to the question names: a country's name or code
    ("Кыргызстан", "KG"), or a place named exactly in it ("я в Бишкеке", "di Malaysia").
    Never a corrected typo (it could name another country); None for anything else."""
    answer = answer.strip()[:200]
    if not answer:
        return None
    code = resolve_country(answer)
    if code is not None:
        return code
    found = gazetteer.find_in_text(answer, limit=1) if gazetteer is not None else []
    return found[0].place.country if found and found[0].score >= 100 else None
