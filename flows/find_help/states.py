"""States and data of the "find help" flow."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FindState(StrEnum):
    WHERE = "where"  # asked for a place
    TOPIC = "topic"  # asked what it is about
    COUNTRY = "country"  # the one-time country question, when no place was given


@dataclass(frozen=True, slots=True)
class FindData:
    """The resolved place (a gazetteer id, city or coarser), never raw coordinates."""

    place: str = ""
    country: str = ""
