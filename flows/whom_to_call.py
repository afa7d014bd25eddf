"""Whom to call, from the referral directory: hotlines for the situation, then emergency
numbers, each with the date its source was last seen. Numbers never live in translations,
so one correction of the directory reaches every language.

Every number shown here comes through ``Organisation.phones()`` or ``shown_contacts()``,
which withhold the numbers of an entry marked ``not_for_dialling``."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from babel import Locale

from flows.types import Bullets, Msg, Part, Quote, msg
from referral_directory import Caveat, ContactType, Directory, Organisation, Topic, helplines
from referral_directory import emergency as emergency_orgs

_FLAG_TOPICS: dict[str, tuple[Topic, ...]] = {
    "sexual_service_hint": (Topic.CHILD_SEXUAL_EXPLOITATION, Topic.TRAFFICKING),
    "minor_targeted": (Topic.CHILD_SEXUAL_EXPLOITATION, Topic.TRAFFICKING),
    "irregular_route": (Topic.MIGRANT_WORKERS, Topic.TRAFFICKING),
    "abroad_service_job": (Topic.MIGRANT_WORKERS,),
    "costs_repaid_from_wages": (Topic.FORCED_LABOUR, Topic.MIGRANT_WORKERS),
    "document_retention": (Topic.FORCED_LABOUR, Topic.MIGRANT_WORKERS),
    "upfront_fee": (Topic.MIGRANT_WORKERS,),
}


# Codes CLDR lists as territories that are no country a person can be in: groupings,
# "Unknown Region" and the pseudo-locales (XA, XB; Kosovo's XK is a place).
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "ZZ"})


@lru_cache(maxsize=1)
def iso_countries() -> frozenset[str]:
    """ISO 3166-1 alpha-2 country codes, from Babel's CLDR territory names."""
    return frozenset(code for code in Locale.parse("en").territories
                     if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
                     and (not code.startswith("X") or code == "XK"))


# Where each language of the bot is spoken among the countries the bot serves: Indonesian
# speakers in Indonesia and (as migrant workers) Malaysia; Russian across Russia and Central
# Asia; English is nobody's first language here, so every covered country is listed.
LANGUAGE_COUNTRIES: dict[str, tuple[str, ...]] = {
    "id": ("ID", "MY"),
    "ru": ("RU", "KZ", "KG", "UZ", "TJ"),
    "en": ("ID", "MY", "RU", "KZ", "KG", "UZ", "TJ"),
}
# Whose emergency numbers come first while the country is unknown. English in danger is
# written by migrant workers in Malaysia, Singapore, Hong Kong and the Gulf (tester round
# 10: a worker locked in by her madam got seven countries but no Gulf one), then by
# Indonesians and Russians who prefer it; the guidance still follows LANGUAGE_COUNTRIES.
EMERGENCY_COUNTRIES: dict[str, tuple[str, ...]] = {
    "en": ("MY", "SG", "HK", "SA", "AE", "QA", "ID", "RU"),
}


def home_country(country: str, lang: str) -> str | None:
    """The person's country when they said it (or named a place in it); for Indonesian,
    where nearly every user is in Indonesia, Indonesia; otherwise unknown (None): a
    Russian-speaking mother may be in Bishkek, an English speaker anywhere."""
    if country:
        return country
    return "ID" if lang == "id" else None


def ask_country() -> Msg:
    return msg("Numbers and advice depend on the country you are in. Tell me with /country "
               "and its name or code, for example /country KG or /country Indonesia.")


# CLDR's short names, which Babel does not carry: "Hong Kong", not "Hong Kong SAR China".
_SHORT_NAMES = {"HK": {"en": "Hong Kong", "id": "Hong Kong", "ru": "Гонконг"},
                "MO": {"en": "Macao", "id": "Makau", "ru": "Макао"}}


@lru_cache(maxsize=64)
def country_name(code: str, lang: str) -> str:
    """The country's name in the reply language (Babel's CLDR data)."""
    short = _SHORT_NAMES.get(code, {}).get(lang)
    if short is not None:
        return short
    try:
        return str(Locale.parse(lang).territories.get(code, code))
    except (ValueError, LookupError):
        return code


def emergency_for_language(directory: Directory | None, lang: str) -> list[Part]:
    """While the country is unknown: one line with the emergency numbers of every country
    where the language is spoken, "Indonesia: 112, 110 · Malaysia: 999", each from the
    directory with the oldest source date among them (never a number it does not hold)."""
    return emergency_for_countries(directory, emergency_countries(lang), lang)


def emergency_countries(lang: str) -> tuple[str, ...]:
    """The countries whose emergency numbers a writer of ``lang`` with no country is shown."""
    return EMERGENCY_COUNTRIES.get(lang) or language_countries(lang)


def language_countries(lang: str) -> tuple[str, ...]:
    """The countries where people who write ``lang`` mostly are."""
    return LANGUAGE_COUNTRIES.get(lang, LANGUAGE_COUNTRIES["en"])


def emergency_for_countries(directory: Directory | None, codes: Iterable[str],
                            lang: str) -> list[Part]:
    """One line with the emergency numbers of each of these countries, labelled."""
    if directory is None:
        return []
    shown: list[str] = []
    dates = []
    for code in dict.fromkeys(codes):
        orgs = emergency_orgs(directory, code)
        listed = ", ".join(n for n in (numbers(o) for o in orgs) if n)
        if listed:
            shown.append(f"{country_name(code, lang)}: {listed}")
            dates += [o.seen_on() for o in orgs]
    if not shown:
        return [msg("I have no checked emergency number for this country yet. If you are in "
                    "danger, ask people nearby for help and call the local emergency number.")]
    listed_all = Quote(" · ".join(shown))
    if dates and all(dates):
        known = [d for d in dates if d is not None]
        if min(known) != max(known):
            # Several countries' numbers, each from its own source: the range, so that a
            # 2016 page is not shown as the date of Malaysia's 2025 one.
            return [msg("*Emergency:* {numbers} (sources seen {oldest} to {newest})",
                        numbers=listed_all, oldest=min(known), newest=max(known))]
        return [msg("*Emergency:* {numbers} (source seen {date})", numbers=listed_all,
                    date=min(known))]
    return [msg("*Emergency:* {numbers} (source date unknown)", numbers=listed_all)]


def topics_for(flags: Iterable[str]) -> list[Topic]:
    topics: list[Topic] = [Topic.TRAFFICKING]
    for flag in flags:
        for topic in _FLAG_TOPICS.get(flag, ()):
            if topic not in topics:
                topics.append(topic)
    return topics


def numbers(org: Organisation) -> str:
    """The numbers a user may dial, as the sources write them."""
    parts = []
    for contact in org.phones():
        prefix = "WhatsApp " if contact.type is ContactType.WHATSAPP else ""
        parts.append(prefix + contact.value)
    return ", ".join(parts)


def reach(org: Organisation) -> str:
    """Phone numbers, else the other ways to reach the organisation."""
    phones = numbers(org)
    if phones:
        return phones
    return ", ".join(c.value for c in org.shown_contacts())


def contact_line(org: Organisation, lang: str) -> Msg:
    name, phones = Quote(org.name_for(lang)), Quote(reach(org))
    stale = Caveat.NOT_SEEN_RECENTLY in org.caveats or Caveat.LOW_CONFIDENCE in org.caveats
    # The date of what the line shows: its numbers' own dates where the data has them (the
    # oldest speaks for all), else the entry's.
    date = org.seen_on() if org.phones() else org.seen_on(org.shown_contacts())
    if date is None:
        return msg("{name}: {numbers} (source date unknown; this contact may be out of date)",
                   name=name, numbers=phones)
    if stale:
        return msg("{name}: {numbers} (source seen {date}; this contact may be out of date)",
                   name=name, numbers=phones, date=date)
    return msg("{name}: {numbers} (source seen {date})", name=name, numbers=phones, date=date)


def emergency_parts(directory: Directory | None, country: str) -> list[Part]:
    if directory is None:
        return []
    orgs = emergency_orgs(directory, country)
    if not orgs:
        # Another country's numbers would be wrong there (Indonesia's police 110 is not
        # Kazakhstan's), and we never make a number up: say plainly that we have none.
        return [msg("I have no checked emergency number for this country yet. If you are in "
                    "danger, ask people nearby for help and call the local emergency number.")]
    listed = Quote(", ".join(numbers(o) for o in orgs))
    dates = [o.seen_on() for o in orgs]
    # Emergency numbers carry their source's date like every other contact; with several
    # sources the oldest one speaks for all.
    parts: list[Part] = [
        msg("*Emergency:* {numbers} (source seen {date})", numbers=listed,
            date=min(d for d in dates if d is not None)) if all(dates) else
        msg("*Emergency:* {numbers} (source date unknown)", numbers=listed)]
    if any(Caveat.POLICE_RISK_UNDOCUMENTED in o.caveats for o in orgs):
        parts.append(msg("If your stay in Russia is not legal, calling the police may lead to "
                         "a fine or expulsion: an NGO or hotline is a safer first call."))
    return parts


def for_citizens_abroad(org: Organisation) -> bool:
    """A line that serves a country's citizens wherever they are (the directory's place
    "Indonesian citizens abroad": Kemlu PWNI)."""
    return any(p.endswith("citizens abroad") for p in org.places)


def citizens_abroad_lines(directory: Directory, lang: str) -> list[Organisation]:
    """The lines for citizens abroad that serve a reader of ``lang`` (``citizens_of``)."""
    return [o for o in directory if for_citizens_abroad(o) and o.serves_speakers_of(lang)]


def whom_to_call(directory: Directory | None, lang: str, flags: Iterable[str] = (),
                 limit: int = 3, *, emergency: bool = True,
                 country: str | None = "", abroad: bool = True,
                 likely: str = "") -> list[Part]:
    """Hotlines of the person's country first, then (unless the caller shows them
    elsewhere) its emergency numbers; nothing when no directory is loaded. ``country`` is
    the conversation's ("" while unknown): an unknown country gets the emergency numbers of
    the language's countries and the question, never another country's hotlines.
    ``abroad`` False: the offer stays in the country (a café in Jakarta), so the lines for
    citizens abroad are left out. ``likely``: the country the writer says she is from ("I'm
    from Bishkek"), never saved: its numbers come first among the language's."""
    if directory is None:
        return []
    home = home_country(country or "", lang)
    if home is None:
        codes = emergency_countries(lang)
        if likely:
            codes = (likely, *(c for c in codes if c != likely))[:len(codes)]
        return [*(emergency_for_countries(directory, codes, lang) if emergency else []),
                ask_country()]
    country = home
    orgs = helplines(directory, country, topics_for(flags), limit=limit + 1, lang=lang)
    if not abroad:
        orgs = [o for o in orgs if not for_citizens_abroad(o)]
    orgs = orgs[:limit]
    parts: list[Part] = []
    if orgs:
        parts.append(msg("*Whom to call:*"))
        parts.append(Bullets(tuple(contact_line(o, lang) for o in orgs)))
    return parts + emergency_parts(directory, country) if emergency else parts
