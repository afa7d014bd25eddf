"""Which Tesseract language packs read a person's pictures: their language's first (Tesseract
prefers the first pack where two read a word alike), then the languages of the country they
are in, then English, which ads mix in everywhere. Pure: the installed packs are passed in."""

from __future__ import annotations

from collections.abc import Iterable

PACK_OF_LANGUAGE = {"id": "ind", "ru": "rus", "en": "eng"}
# Where ads come in a language of their own beside English. Malay reads well with the
# Indonesian pack (the same Latin spelling since 1972).
PACKS_OF_COUNTRY = {
    "ID": ("ind",), "MY": ("ind",), "BN": ("ind",), "SG": ("ind",), "TL": ("ind",),
    "RU": ("rus",), "KG": ("rus",), "KZ": ("rus",), "UZ": ("rus",), "TJ": ("rus",),
    "BY": ("rus",), "TM": ("rus",), "AM": ("rus",), "AZ": ("rus",), "MD": ("rus",),
}
ALL = ("ind", "rus", "eng")


def packs_for(lang: str, country: str, installed: Iterable[str]) -> str:
    """"ind+eng", "rus+eng", … for Tesseract's ``-l``; "" when none is installed. English
    speakers, and people whose country is not known, may forward ads of either region, so
    they get every pack (a third pack costs about 5% more time, bench/bench_ocr.py)."""
    have = set(installed)
    wanted: list[str] = []
    primary = PACK_OF_LANGUAGE.get(lang)
    if primary:
        wanted.append(primary)
    wanted += PACKS_OF_COUNTRY.get(country.upper(), ())
    wanted.append("eng")
    if primary in (None, "eng") and not country:
        wanted += ALL
    ordered = [p for i, p in enumerate(wanted) if p in have and p not in wanted[:i]]
    return "+".join(ordered)


__all__ = ["packs_for"]
