"""States and data of the "check an offer" flow."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from flows.flow import memory_only


class CheckState(StrEnum):
    WAIT_TEXT = "text"  # asked for the offer's text
    RESULT = "result"  # the analysis is shown, with its buttons


@dataclass(frozen=True, slots=True)
class CheckData:
    """The flags found, and the offer's text while the result is on screen, so that
    "Report it" can hand it to a report draft. The text is kept in memory only, never
    written to disk (DESIGN.md: a checked offer's text is not stored); after a restart
    "Report it" starts a draft without it."""

    flags: list[str] = field(default_factory=list)
    text: str = memory_only()
