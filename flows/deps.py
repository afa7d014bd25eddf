"""Read-only dependencies handed to every step (STYLE point 8: no module singletons)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


def _utcnow() -> datetime:
    return datetime.now(UTC)


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
    extras: dict[str, Any] = field(default_factory=dict)
