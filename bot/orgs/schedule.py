"""When digests are due: an organisation's schedule, its last slot, and whether a slot
passed since the last digest (so one missed while the bot was down is sent on start)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Each country's default: daily at 08:00 in its capital's time.
COUNTRY_TIMEZONES = {"ID": "Asia/Jakarta", "RU": "Europe/Moscow", "KZ": "Asia/Almaty",
                     "KG": "Asia/Bishkek", "TJ": "Asia/Dushanbe", "UZ": "Asia/Tashkent",
                     "MY": "Asia/Kuala_Lumpur"}
# Names staff use for Indonesian time zones and cities.
ALIASES = {"wib": "Asia/Jakarta", "wita": "Asia/Makassar", "wit": "Asia/Jayapura",
           "msk": "Europe/Moscow", "moscow": "Europe/Moscow", "bishkek": "Asia/Bishkek",
           "almaty": "Asia/Almaty", "tashkent": "Asia/Tashkent", "dushanbe": "Asia/Dushanbe"}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True, slots=True)
class Schedule:
    frequency: str  # daily, weekly
    at: str  # HH:MM
    timezone: str
    weekday: int | None = None  # 0 = Monday

    @property
    def hour(self) -> int:
        return int(self.at.split(":")[0])

    @property
    def minute(self) -> int:
        return int(self.at.split(":")[1])

    def last_slot(self, now: datetime) -> datetime:
        """The latest scheduled moment at or before ``now`` (aware)."""
        local = now.astimezone(ZoneInfo(self.timezone))
        slot = local.replace(hour=self.hour, minute=self.minute, second=0, microsecond=0)
        if slot > local:
            slot -= timedelta(days=1)
        if self.frequency == "weekly" and self.weekday is not None:
            while slot.weekday() != self.weekday:
                slot -= timedelta(days=1)
        return slot


    def next_slot(self, now: datetime) -> datetime:
        """The first scheduled moment after ``now`` (aware, in the schedule's zone)."""
        local = now.astimezone(ZoneInfo(self.timezone))
        day = local.date()
        while True:
            slot = datetime(day.year, day.month, day.day, self.hour, self.minute,
                            tzinfo=ZoneInfo(self.timezone))
            if slot > local and (self.frequency != "weekly" or self.weekday is None
                                 or slot.weekday() == self.weekday):
                return slot
            day += timedelta(days=1)


def default_schedule(country: str) -> Schedule:
    return Schedule("daily", "08:00", COUNTRY_TIMEZONES.get(country, "UTC"))


def parse(args: str, fallback_timezone: str) -> Schedule | None:
    """ "daily 08:00 [WIB]" or "weekly mon 08:00 [Europe/Moscow]" from a staff chat."""
    words = args.lower().split()
    if not words or words[0] not in ("daily", "weekly"):
        return None
    frequency, rest = words[0], words[1:]
    weekday = None
    if frequency == "weekly":
        if not rest or rest[0][:3] not in WEEKDAYS:
            return None
        weekday, rest = WEEKDAYS.index(rest[0][:3]), rest[1:]
    if not rest or not _TIME.match(rest[0]):
        return None
    hour, minute = rest[0].split(":")
    zone = fallback_timezone
    if len(rest) > 1:
        wanted = rest[1]
        zone = ALIASES.get(wanted, next((z for z in _zones() if z.lower() == wanted), ""))
        if not zone:
            return None
    return Schedule(frequency, f"{int(hour):02d}:{minute}", zone, weekday)


def due(schedule: Schedule, last_sent: datetime | None, now: datetime) -> bool:
    """True when a slot passed since the last digest went out."""
    slot = schedule.last_slot(now)
    return last_sent is None or last_sent < slot


def _zones() -> list[str]:
    try:
        from zoneinfo import available_timezones

        return sorted(available_timezones())
    except ZoneInfoNotFoundError:  # pragma: no cover - a system without tz data
        return []
