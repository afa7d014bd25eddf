"""States and data of the screening questions."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ScreenState(StrEnum):
    ASK = "ask"


@dataclass(frozen=True, slots=True)
class ScreenData:
    """Flags already found in a checked text, the question reached, and the answers."""

    text_flags: list[str] = field(default_factory=list)
    index: int = 0
    yes: list[str] = field(default_factory=list)
    unsure: list[str] = field(default_factory=list)
