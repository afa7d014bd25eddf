"""States and data of the language flow."""

from __future__ import annotations

from enum import StrEnum


class LangState(StrEnum):
    CHOOSE = "choose"  # the three languages are shown as buttons
