"""Consent is honoured by who runs an organisation (its ``operator``), on the real directory:
"NGOs only" never reaches a ministry's hotline, a state line run by an NGO, or the police."""

from __future__ import annotations

import pytest

from referral_directory import (
    Directory,
    Kind,
    Operator,
    Organisation,
    load_directory,
    parse_directory,
)
from referral_directory.gazetteer import Gazetteer, Place
from referral_directory.routing import Consent, Route, RoutingRules, TipFacts, TipTopic, route
from referral_directory.search import DirectoryIndex

RULES = RoutingRules.load()
DIRECTORY = load_directory()
INDEX = DirectoryIndex(DIRECTORY, Gazetteer.load())
NGO_ONLY = {Operator.NGO, Operator.INTERGOVERNMENTAL}
# Places of every country the directory covers, big and small, where tips come from.
PLACES = {
    "ID": ["Jakarta", "Indramayu", "Medan", "Surabaya", "Semarang", "Bandung", "Mataram",
           "Batam", "Kupang", "Wonosobo"],
    "RU": ["Москва", "Санкт-Петербург", "Екатеринбург"],
    "KZ": ["Алматы", "Shymkent", "Астана"],
    "KG": ["Бишкек", "Osh"],
    "TJ": ["Dushanbe"],
    "UZ": ["Tashkent"],
    "MY": ["Kuala Lumpur", "Johor Bahru"],
}


def place(name: str) -> Place:
    found = INDEX.gazetteer.best(name)
    assert found is not None, name
    return found


def every_tip(consent: Consent) -> list[tuple[TipFacts, list[Route]]]:
    """Every topic, urgent or not, at every place above and with no place at all."""
    out = []
    for country, names in PLACES.items():
        for topic in TipTopic:
            for urgent in (False, True):
                facts = [TipFacts(topic, consent, urgent=urgent, country=country),
                         *(TipFacts(topic, consent, urgent=urgent, place=place(n))
                           for n in names)]
                out += [(f, route(f, INDEX, RULES)) for f in facts]
    return out


def test_ngo_only_tips_reach_only_ngos_and_international_organisations() -> None:
    tips = every_tip(Consent.NGO)
    reached = {r.organisation.id for _, routes in tips for r in routes}
    assert reached  # the check below is not vacuous
    for facts, routes in tips:
        for r in routes:
            org = r.organisation
            assert org.operator in NGO_ONLY, (facts, org.id, org.operator)
            assert org.operator_confirmed, (facts, org.id)
            assert org.kind is not Kind.EMERGENCY


def test_sapa_129_and_the_police_never_receive_an_ngo_only_tip() -> None:
    sapa = DIRECTORY.get("id-sapa-129")
    assert sapa is not None and sapa.kind is Kind.HOTLINE and sapa.operator is Operator.GOVERNMENT
    for facts, routes in every_tip(Consent.NGO):
        ids = {r.organisation.id for r in routes}
        assert not ids & {"id-sapa-129", "id-polri-110", "id-kp2mi", "id-dki-upt-pppa"}, facts
    # With the authorities allowed, SAPA 129 is where an urgent Indonesian tip goes too.
    urgent = route(TipFacts(TipTopic.VIOLENCE, Consent.NGO_AND_AUTHORITIES, urgent=True,
                            place=place("Indramayu")), INDEX, RULES)
    assert "id-sapa-129" in {r.organisation.id for r in urgent}


def test_kyrgyzstan_ngo_only_no_longer_goes_to_the_state_migration_line() -> None:
    line = DIRECTORY.get("kg-migrant-hotline-189")
    assert line is not None and line.operator is Operator.MIXED
    for topic in (TipTopic.TRAFFICKING, TipTopic.MIGRANT_WORKERS, TipTopic.FORCED_LABOUR):
        for where in (TipFacts(topic, Consent.NGO, country="KG"),
                      TipFacts(topic, Consent.NGO, urgent=True, place=place("Бишкек"))):
            assert "kg-migrant-hotline-189" not in {
                r.organisation.id for r in route(where, INDEX, RULES)}
        widened = route(TipFacts(topic, Consent.NGO_AND_AUTHORITIES, country="KG"), INDEX,
                        RULES)
        assert "kg-migrant-hotline-189" in {r.organisation.id for r in widened}
    # An NGO that takes the topic where it works still gets the NGO-only tip.
    osh = route(TipFacts(TipTopic.VIOLENCE, Consent.NGO, place=place("Osh")), INDEX, RULES)
    assert [r.organisation.id for r in osh] == ["kg-ak-jurok-osh"]


def test_an_unconfirmed_ngo_operator_gets_no_ngo_only_tip() -> None:
    # The women's line 8-800-7000-600 is said to be run by an NGO; no source shows it.
    womens = DIRECTORY.get("ru-womens-violence-hotline")
    assert womens is not None and not womens.operator_confirmed
    calm = route(TipFacts(TipTopic.VIOLENCE, Consent.NGO, country="RU"), INDEX, RULES)
    assert "ru-womens-violence-hotline" not in {r.organisation.id for r in calm}
    wide = route(TipFacts(TipTopic.VIOLENCE, Consent.NGO_AND_AUTHORITIES, country="RU"), INDEX,
                 RULES)
    assert "ru-womens-violence-hotline" in {r.organisation.id for r in wide}


@pytest.mark.parametrize("consent", list(Consent))
def test_routes_stay_within_what_the_consent_allows(consent: Consent) -> None:
    allowed = RULES.consent[consent]
    for _facts, routes in every_tip(consent):
        assert all(r.organisation.operator in allowed for r in routes)
        assert len({r.organisation.id for r in routes}) == len(routes)


def test_the_rules_file_says_mixed_is_not_ngo_only() -> None:
    assert RULES.consent[Consent.NGO] == frozenset(NGO_ONLY)
    assert RULES.consent[Consent.NGO_AND_AUTHORITIES] == frozenset(Operator)
    assert Kind.EMERGENCY not in RULES.receiving_kinds


def test_an_organisation_with_no_known_operator_receives_nothing() -> None:
    # Built in code (a benchmark's synthetic directory) rather than read from a data file.
    org = Organisation.model_validate({
        "id": "id-unknown", "names": {"local": "Entah", "en": "Unknown"}, "kind": "ngo",
        "country": "ID", "places": ["national"], "topics": ["trafficking"],
        "contacts": [{"type": "phone", "value": "021 555 0101"}],
        "sources": ["https://example.org/u"], "verified_on": "2026-01-01"})
    assert org.operator is None
    index = DirectoryIndex(Directory((org,)), INDEX.gazetteer)
    for consent in Consent:
        assert route(TipFacts(TipTopic.TRAFFICKING, consent, country="ID"), index, RULES) == []


def test_a_data_file_must_name_the_operator() -> None:
    entry = parse_directory("""\
- id: id-x
  names: {local: Xx, en: Xx}
  kind: ngo
  operator: ngo
  country: ID
  places: [national]
  topics: [trafficking]
  contacts: [{type: phone, value: "021 555 0101"}]
  sources: [https://example.org/x]
""").get("id-x")
    assert entry is not None and entry.operator is Operator.NGO
