"""Effects of the report and status flows, performed by the runtime (bot/tips)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flows.flow import Effect


@dataclass(frozen=True, slots=True)
class SaveTip(Effect):
    """Commit a confirmed tip. The receipt code is hashed by the performer and never stored;
    nothing here identifies the reporter."""

    draft_id: str
    receipt: str
    topic: str
    text: str
    when_text: str
    recruiter: str
    place_id: str | None
    place_label: str
    country: str | None
    danger_now: bool
    minor: bool
    urgent: bool
    consent: str
    risk: str
    flags: tuple[str, ...]
    routes: tuple[tuple[str, str], ...]  # (organisation id, reason)
    marks: tuple[tuple[str, str], ...]  # (kind, value)
    language: str
    attachments: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class LookupStatus(Effect):
    """Answer ``/status CODE`` (the performer replies; wrong codes are slowed down)."""

    code: str
