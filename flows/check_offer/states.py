"""States and data of the "check an offer" flow."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class CheckState(StrEnum):
    WAIT_TEXT = "text"  # asked for the offer's text
    RESULT = "result"  # the analysis is shown, with its buttons


@dataclass(frozen=True, slots=True)
class CheckData:
    """The flags found, and the offer's text while the result is on screen, so that
    "Report it" can hand it to a report draft (the conversation forgets it with the flow)."""

    flags: list[str] = field(default_factory=list)
    text: str = ""
