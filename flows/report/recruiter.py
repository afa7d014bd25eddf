"""What a tip says about the recruiter, normalised so that tips about one recruiter link:
phone numbers in E.164 (phonenumbers, Google's libphonenumber), social-media handles,
agency names and personal names."""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

# Where the numbers in a tip are most likely from, for numbers written without +country:
# the tip's country first, then its neighbours on the routes people take.
_CENTRAL_ASIA = ("RU", "KZ", "KG", "UZ", "TJ")
_REGIONS = {"ID": ("ID", "MY", "RU"), "MY": ("MY", "ID"),
            **{c: (c, *(o for o in _CENTRAL_ASIA if o != c), "ID") for c in _CENTRAL_ASIA}}
# With no country known, the countries where the reporter's language is spoken: only a
# reading hint for national-format numbers (each still has to be a valid number there),
# never the tip's country.
_BY_LANGUAGE = {"id": _REGIONS["ID"], "ru": _REGIONS["RU"],
                "en": ("ID", "MY", *_CENTRAL_ASIA)}
_HANDLE = re.compile(r"(?<![\w@])@([A-Za-z0-9_.]{3,32})")
_PROFILE = re.compile(r"(?:instagram\.com|facebook\.com|fb\.com|tiktok\.com/@?|t\.me|"
                      r"x\.com|twitter\.com)/@?([A-Za-z0-9_.]{3,50})", re.IGNORECASE)
_AGENCY = re.compile(r"\b(?:PT|CV|UD|ООО|ОАО|ИП|LLC|Ltd|Sdn\s?Bhd)\.?\s*[«\"“]?"
                     r"((?:[A-ZА-ЯЁ0-9][\w\-&]*\s?){1,4})", re.UNICODE)
_NAME = re.compile(r"\b(?i:Pak|Bapak|Bu|Ibu|Mas|Mbak|Om|Tante|Bang|Kak|Mr|Mrs|Ms|Miss|"
                   r"bernama|namanya|named|called|зовут|по имени|некий|некая)\.?\s+"
                   r"([A-ZА-ЯЁ][\w\-]{1,30}(?:\s[A-ZА-ЯЁ][\w\-]{1,30})?)", re.UNICODE)


_HONORIFICS = frozenset("pak bapak bu ibu mas mbak om tante bang kak mr mrs ms miss".split())


@dataclass(frozen=True, slots=True, order=True)
class Mark:
    kind: str  # phone, handle, agency, name
    value: str


def regions_for(country: str | None, lang: str = "") -> tuple[str, ...]:
    """The regions a number written without +country is read in, most likely first."""
    if country:
        return _REGIONS.get(country, (country,))
    return _BY_LANGUAGE.get(lang, _REGIONS["ID"])


def extract_marks(text: str, country: str | None = None, lang: str = "") -> list[Mark]:
    marks: set[Mark] = set()
    for region in regions_for(country, lang):
        for match in phonenumbers.PhoneNumberMatcher(text, region):
            number = phonenumbers.format_number(match.number,
                                                phonenumbers.PhoneNumberFormat.E164)
            marks.add(Mark("phone", number))
    for pattern in (_HANDLE, _PROFILE):
        for match in pattern.finditer(text):
            marks.add(Mark("handle", match.group(1).lower().rstrip(".")))
    for match in _AGENCY.finditer(text):
        marks.add(Mark("agency", " ".join(match.group(1).split()).casefold()))
    for match in _NAME.finditer(text):
        words = match.group(1).split()
        if words and words[0].casefold() in _HONORIFICS:  # "called Pak Darmo" -> "darmo"
            words = words[1:]
        if words:
            marks.add(Mark("name", " ".join(words).casefold()))
    return sorted(marks)
