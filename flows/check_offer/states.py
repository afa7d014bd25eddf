"""States and data of the "check an offer" flow."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class CheckState(StrEnum):
    WAIT_TEXT = "text"  # asked for the offer's text
    RESULT = "result"  # the analysis is shown, with its buttons


@dataclass(frozen=True, slots=True)
class CheckData:
    """Only the flag ids are kept, never the offer's text."""

    flags: list[str] = field(default_factory=list)
