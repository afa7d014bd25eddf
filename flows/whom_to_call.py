"""Whom to call, from the referral directory: hotlines for the situation, then emergency
numbers, each with the date its source was last seen. Numbers never live in translations,
so one correction of the directory reaches every language.

Every number shown here comes through ``Organisation.phones()`` or ``shown_contacts()``,
which withhold the numbers of an entry marked ``not_for_dialling``."""

from __future__ import annotations

from collections.abc import Iterable

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


def country_for(lang: str) -> str:
    return "RU" if lang == "ru" else "ID"


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


def whom_to_call(directory: Directory | None, lang: str, flags: Iterable[str] = (),
                 limit: int = 3, *, emergency: bool = True) -> list[Part]:
    """Hotlines first, then (unless the caller shows them elsewhere) the emergency numbers;
    nothing when no directory is loaded."""
    if directory is None:
        return []
    country = country_for(lang)
    orgs = helplines(directory, country, topics_for(flags), limit=limit)
    parts: list[Part] = []
    if orgs:
        parts.append(msg("*Whom to call:*"))
        parts.append(Bullets(tuple(contact_line(o, lang) for o in orgs)))
    return parts + emergency_parts(directory, country) if emergency else parts
