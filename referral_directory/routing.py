"""Routing: which organisations receive a tip, by topic, place, urgency and consent.

Pure: the rules are data (``data/routing.yaml``) and the answer depends only on the tip's
facts and the directory index. Consent is checked against who runs an organisation (its
``operator``), never against its kind: a reporter who allowed NGOs only must not have the
tip reach a ministry's hotline.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from flows.yaml_data import load_yaml
from referral_directory.gazetteer import Place
from referral_directory.schema import Kind, Operator, Organisation, Topic
from referral_directory.search import DirectoryIndex

ROUTING_FILE = Path(__file__).resolve().parent / "data" / "routing.yaml"


class TipTopic(StrEnum):
    CHILD_SEXUAL_EXPLOITATION = "child_sexual_exploitation"
    TRAFFICKING = "trafficking"
    FORCED_LABOUR = "forced_labour"
    MIGRANT_WORKERS = "migrant_workers"
    VIOLENCE = "violence"


class Consent(StrEnum):
    NGO = "ngo"
    NGO_AND_AUTHORITIES = "ngo_and_authorities"


@dataclass(frozen=True, slots=True)
class TipFacts:
    topic: TipTopic
    consent: Consent
    urgent: bool = False
    place: Place | None = None
    # When no place is known: the person's country (said, or named in a message), never
    # guessed from the language; None routes to nobody and the reporter is told so.
    country: str | None = None


@dataclass(frozen=True, slots=True)
class Route:
    organisation: Organisation
    reason: str  # "local", "national", "urgent"


@dataclass(frozen=True, slots=True)
class RoutingRules:
    topics: dict[TipTopic, tuple[Topic, ...]]
    receiving_kinds: frozenset[Kind]
    consent: dict[Consent, frozenset[Operator]]
    confirmed_only: frozenset[Consent]
    max_organisations: int
    urgent_extra_kinds: frozenset[Kind]

    @classmethod
    def load(cls, path: Path = ROUTING_FILE) -> RoutingRules:
        data: dict[str, Any] = load_yaml(path.read_text(encoding="utf-8"))
        return cls(
            topics={TipTopic(k): tuple(Topic(t) for t in v) for k, v in data["topics"].items()},
            receiving_kinds=frozenset(Kind(x) for x in data["receiving_kinds"]),
            consent={Consent(k): frozenset(Operator(x) for x in v)
                     for k, v in data["consent"].items()},
            confirmed_only=frozenset(Consent(x) for x in data.get("confirmed_only", ())),
            max_organisations=int(data["max_organisations"]),
            urgent_extra_kinds=frozenset(Kind(x) for x in data["urgent_extra_kinds"]),
        )

    def allows(self, consent: Consent, org: Organisation) -> bool:
        """Whether the reporter's consent covers this organisation. An unknown operator is
        covered by no consent: who would receive the tip is exactly what consent is about."""
        if org.kind not in self.receiving_kinds or not org.listed:
            return False
        if org.operator is None or org.operator not in self.consent[consent]:
            return False
        return org.operator_confirmed or consent not in self.confirmed_only


def route(tip: TipFacts, index: DirectoryIndex, rules: RoutingRules) -> list[Route]:
    """The organisations that receive the tip, local ones first, within the limits."""
    wanted = rules.topics[tip.topic]
    country = tip.place.country if tip.place is not None else tip.country

    def fits(org: Organisation) -> bool:
        return rules.allows(tip.consent, org) and bool(set(wanted) & set(org.topics))

    def rank(org: Organisation) -> tuple[int, int, str]:
        best = min((wanted.index(t) for t in org.topics if t in wanted), default=99)
        return best, len(org.caveats), org.id

    local = sorted((o for o in index.local(tip.place) if fits(o)), key=rank) if tip.place else []
    national = sorted((o for o in index.national(country) if fits(o)), key=rank) if country else []
    routes: list[Route] = []
    for org, reason in [*((o, "local") for o in local), *((o, "national") for o in national)]:
        if len(routes) >= rules.max_organisations:
            break
        if all(r.organisation.id != org.id for r in routes):
            routes.append(Route(org, reason))
    if tip.urgent and country:
        # Danger now, or a child: the country's national hotlines hear of it too, whatever
        # topics they list, as long as the reporter's consent covers who runs them.
        for org in sorted(index.national(country), key=lambda o: o.id):
            if org.kind in rules.urgent_extra_kinds and rules.allows(tip.consent, org) and all(
                    r.organisation.id != org.id for r in routes):
                routes.append(Route(org, "urgent"))
    return routes
