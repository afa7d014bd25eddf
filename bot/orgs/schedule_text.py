"""A digest schedule in a staff chat's language: day names and times from Babel's CLDR
data (``16.00`` in Indonesian, ``4:00 PM`` in English), the frequency in our catalogs."""

from __future__ import annotations

from datetime import datetime, time

from babel.dates import format_date, format_time, get_day_names

from bot.orgs.schedule import Schedule
from flows.types import Msg, msg


def at(schedule: Schedule, lang: str) -> str:
    return format_time(time(schedule.hour, schedule.minute), format="short", locale=lang)


def day_name(weekday: int, lang: str) -> str:
    return get_day_names("wide", locale=lang)[weekday]


def describe(schedule: Schedule, lang: str) -> Msg:
    """ "every Friday at 4:00 PM (Europe/Moscow)" as a message of our catalogs."""
    if schedule.frequency == "weekly" and schedule.weekday is not None:
        return msg("every week on {day} at {at} ({zone})",
                   day=day_name(schedule.weekday, lang), at=at(schedule, lang),
                   zone=schedule.timezone)
    return msg("every day at {at} ({zone})", at=at(schedule, lang), zone=schedule.timezone)


def moment(when: datetime, lang: str) -> str:
    """A day and time in the reader's words: "Friday, 4 December, 4:00 PM"."""
    return (f"{format_date(when.date(), 'EEEE, d MMMM', locale=lang)}, "
            f"{format_time(when.timetz(), format='short', locale=lang)}")
