"""States and data of the learn flow."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class LearnState(StrEnum):
    TOPICS = "topics"  # the list of modules is shown
    READ = "read"  # a screen of a module is shown


@dataclass(frozen=True, slots=True)
class LearnData:
    module: int = 0
    screen: int = 0
