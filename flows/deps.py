"""Read-only dependencies handed to every step (STYLE point 8: no module singletons)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


def _utcnow() -> datetime:
    return datetime.now(UTC)


# Receipt codes use letters and digits that cannot be mistaken for one another (no 0/O,
# 1/I/L): 12 characters of 31 give 59 bits, shown in groups of four: K7QF-2MXP-9HRT.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECEIPT_LENGTH = 12


class Tokens:
    """Random identifiers for flows; tests pass a deterministic one."""

    def draft_id(self) -> str:
        return secrets.token_hex(12)

    def receipt(self) -> str:
        raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
        return "-".join(raw[i:i + 4] for i in range(0, RECEIPT_LENGTH, 4))


@dataclass(frozen=True, slots=True)
class FlowDeps:
    """What flows may consult. Every field is pure or read-only from a flow's point of view.

    ``analyzer`` is the red-flag analyzer (``flows.red_flags``) and ``directory`` the
    referral directory, once those are wired; ``extras`` holds optional services that later
    flows add without widening this class for each.
    """

    clock: Callable[[], datetime] = _utcnow
    analyzer: Any = None
    directory: Any = None
    guidance: Any = None
    places: Any = None  # referral_directory.search.DirectoryIndex: search by place
    routing: Any = None  # referral_directory.routing.RoutingRules
    distress: Any = None  # flows.distress.DistressDetector: a person in danger, at any step
    tokens: Tokens = field(default_factory=Tokens)
    extras: dict[str, Any] = field(default_factory=dict)
