"""The red-flag catalogue (shared/red_flags.md): ids, which are critical, and the risk rule."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Risk(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


CRITICAL: tuple[str, ...] = (
    "broker_via_parents",
    "advance_to_family_debt",
    "costs_repaid_from_wages",
    "document_retention",
    "secrecy_isolation",
    "minor_targeted",
    "sexual_service_hint",
    "irregular_route",
)

OTHER: tuple[str, ...] = (
    "vague_job_lure",
    "abroad_service_job",
    "unrealistic_pay",
    "no_requirements",
    "upfront_fee",
    "pressure_urgency",
    "gifts_grooming",
    "romance_recruitment",
)

ALL_FLAGS: tuple[str, ...] = CRITICAL + OTHER

GOOD_SIGNS: tuple[str, ...] = (
    "named_employer",
    "address",
    "licence",
    "contract_before_departure",
    "no_fees",
    "official_programme",
    "market_pay",
)


_CRITICAL_SET = frozenset(CRITICAL)
_OTHER_SET = frozenset(OTHER)


def risk_of(flags: Iterable[str]) -> Risk:
    """high: any critical flag, or three or more others; medium: one or two; low: none."""
    found = set(flags)
    if found & _CRITICAL_SET:
        return Risk.HIGH
    others = len(found & _OTHER_SET)
    if others >= 3:
        return Risk.HIGH
    return Risk.MEDIUM if others else Risk.LOW
