"""What staff read instead of internal ids: topics, risk, red flags, urgency and the kinds
of recruiter marks by their names in the organisation's language (digests, alerts, CSV,
chart). The flags' names are the ones a person sees when an offer is checked."""

from __future__ import annotations

from flows.check_offer.explain import TITLES as FLAG_NAMES
from flows.types import Msg, msg

TOPIC_NAMES: dict[str, Msg] = {
    "trafficking": msg("Trafficking or a suspicious offer"),
    "child_sexual_exploitation": msg("Sexual exploitation of a child"),
    "forced_labour": msg("Forced labour or unpaid wages"),
    "migrant_workers": msg("Migrant workers abroad"),
    "violence": msg("Violence against women or children"),
}

RISK_NAMES: dict[str, Msg] = {
    "high": msg("high risk"),
    "medium": msg("medium risk"),
    "low": msg("low risk"),
}

URGENT = msg("urgent")
NOT_URGENT = msg("not urgent")


def topic(value: str) -> Msg | str:
    """A topic's name; an id we do not know (a newer version's) as it is."""
    return TOPIC_NAMES.get(value, value)


def risk(value: str) -> Msg | str:
    return RISK_NAMES.get(value, value)


def flag(value: str) -> Msg | str:
    return FLAG_NAMES.get(value, value)


__all__ = ["FLAG_NAMES", "NOT_URGENT", "RISK_NAMES", "TOPIC_NAMES", "URGENT", "flag", "risk",
           "topic"]
