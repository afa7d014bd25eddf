"""States and data of the report flow."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ReportState(StrEnum):
    WHAT = "what"
    TOPIC = "topic"
    WHERE = "where"
    COUNTRY = "country"  # the one-time question, when no place gave a country
    WHEN = "when"
    DANGER = "danger"
    RECRUITER = "recruiter"
    CONSENT = "consent"
    CONFIRM = "confirm"


@dataclass(frozen=True, slots=True)
class ReportData:
    """The draft. It lives in the conversation until sent or cancelled, never in the tip
    store with anything that identifies the reporter."""

    draft_id: str = ""
    text: str = ""
    attachments: list[str] = field(default_factory=list)
    topic: str = ""
    place_id: str = ""
    place_label: str = ""
    country: str = ""
    when_text: str = ""
    danger_now: bool = False
    minor: bool = False
    recruiter: str = ""
    consent: str = ""
    # The place is asked again from the summary (no country known): the answer goes back
    # to the summary instead of on to "when".
    revise: bool = False
    # The organisations the summary showed: "Send" sends to these or shows it again.
    shown: list[str] = field(default_factory=list)
