"""The directory as shipped after the 2026-12 re-verification: every entry says who runs it and
where and when its contacts were seen; no number is shipped in a form no source shows; old and
doubtful contacts carry their caveat; Kazakhstan's "116 16" is a record, never a number."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from bot.app import build_deps
from bot.i18n import Translator
from bot.rendering import TextRenderer
from flows.engine import Conversation, Engine, Result
from flows.registry import all_flows
from flows.types import Msg
from flows.whom_to_call import contact_line, emergency_parts, numbers, reach
from referral_directory import (
    DATA_FILE,
    Caveat,
    ContactType,
    Directory,
    DirectoryEntry,
    Kind,
    Operator,
    Topic,
    emergency,
    helplines,
    load_directory,
    parse_directory,
)
from referral_directory.gazetteer import Gazetteer
from referral_directory.routing import Consent, RoutingRules, TipFacts, TipTopic, route
from referral_directory.search import DirectoryIndex
from referral_directory.tabular import from_csv, to_csv
from tests.helpers.events import command, find_choice, press
from tests.unit.test_report_flow import FixedTokens

DIRECTORY = load_directory()
INDEX = DirectoryIndex(DIRECTORY, Gazetteer.load())
RULES = RoutingRules.load()
RENDER = TextRenderer(Translator.load())
NEW = {
    "id-uptd-ppa-jateng", "id-uptd-ppa-jatim", "id-uptd-ppa-jabar",
    "id-kjri-johor-bahru-ksatria", "id-kjri-dubai", "id-kjri-hong-kong", "id-kbri-riyadh",
    "id-kjri-jeddah", "id-kdei-taipei", "id-kbri-seoul", "id-bp3mi-ntb",
    "my-talian-kasih-15999",
}
# Searched again on 2026-12-01 in the stored pages: no dated source shows these contacts.
# IOM Russia was dropped for it (its only contact, a website, had no dated source); the
# Kazakh record stays as a record nobody can dial.
UNDATED = {"kz-trafficking-hotline-11616"}
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
KZ_NUMBER = re.compile(r"116[\s\-.]?16")


def test_every_entry_names_its_operator_sources_and_date() -> None:
    # 50 after the re-verification, less IOM Russia (undated), and the emergency numbers of
    # fourteen countries where migrants work, added on 2026-12-02.
    assert len(DIRECTORY) == 63
    for org in DIRECTORY:
        assert isinstance(org, DirectoryEntry) and isinstance(org.operator, Operator), org.id
        assert org.sources and all(re.match(r"^https?://\S+$", s) for s in org.sources)
        assert org.confidence in ("high", "medium", "low"), org.id
        assert org.verified_on is None or DATE.match(org.verified_on), org.id
        for contact in org.contacts:
            assert contact.source is None or contact.source in org.sources
    assert {o.id for o in DIRECTORY if o.verified_on is None} == UNDATED


def test_the_new_entries_carry_each_contacts_source_and_date() -> None:
    assert {o.id for o in DIRECTORY} >= NEW
    for org_id in NEW:
        org = DIRECTORY.get(org_id)
        assert org is not None and org.operator is Operator.GOVERNMENT and org.verified_on
        for contact in org.contacts:
            assert contact.source in org.sources, (org_id, contact.value)
            if contact.type in (ContactType.PHONE, ContactType.WHATSAPP):
                assert contact.seen_on and DATE.match(contact.seen_on), (org_id, contact.value)
    # The consulates serve where they are; Malaysia's 15999 is a hotline the state runs.
    assert DIRECTORY.get("id-kjri-dubai").country == "AE"  # type: ignore[union-attr]
    talian = DIRECTORY.get("my-talian-kasih-15999")
    assert talian is not None and talian.kind is Kind.HOTLINE
    assert [c.value for c in talian.phones()] == ["15999"]


def test_no_number_is_shipped_in_a_form_no_source_shows() -> None:
    text = DATA_FILE.read_text(encoding="utf-8")
    # SAPA 129's WhatsApp is written 08111-129-129 / 08111129129 in its sources; the research
    # file's "+62 811 1129 129" was derived from it and must not reach anyone.
    squeezed = re.sub(r"[\s\-.()]", "", text)
    assert "628111129129" not in squeezed
    assert not re.search(r"derived|international format|would be \+", text, re.IGNORECASE)
    sapa = DIRECTORY.get("id-sapa-129")
    assert sapa is not None
    assert {c.value for c in sapa.phones()} == {"129", "08111-129-129"}


def test_caveats_follow_confidence_and_age() -> None:
    for org in DIRECTORY:
        assert (Caveat.LOW_CONFIDENCE in org.caveats) == (org.confidence == "low"), org.id
        seen = org.seen_on(org.contacts)
        old = seen is None or seen[:4] < "2023"
        assert (Caveat.NOT_SEEN_RECENTLY in org.caveats) == old, (org.id, seen)


@pytest.mark.parametrize(("org_id", "date"), [
    ("id-kjri-hong-kong", "2020-02-03"),  # the oldest of its four numbers, not the newest
    ("id-kdei-taipei", "2020-02-03"),
    ("id-kbri-seoul", "2016"),
    ("my-talian-kasih-15999", "2010-10-19"),
    ("id-uptd-ppa-jatim", "2023-05-19"),
])
def test_old_and_doubtful_contacts_are_shown_with_their_caveat(org_id: str, date: str) -> None:
    org = DIRECTORY.get(org_id)
    assert org is not None
    line = contact_line(org, "en")
    assert line.msgid == ("{name}: {numbers} (source seen {date}; this contact may be out of "
                          "date)")
    assert line.params["date"] == date


def test_an_entry_without_a_dated_source_is_not_shipped() -> None:
    assert DIRECTORY.get("ru-iom-russia") is None
    shown = [o for o in DIRECTORY if o.verified_on is None]
    assert {o.id for o in shown} == UNDATED  # the Kazakh record, never shown as a number


def test_the_four_entries_that_had_no_dated_source() -> None:
    ru = DIRECTORY.get("ru-emergency-112")
    assert ru is not None and ru.verified_on == "2026-02-16"
    assert {c.value: c.seen_on for c in ru.phones()} == {"112": "2026-02-16",
                                                         "102": "2021-04-13"}
    # The emergency line shows the older date: 102 was last seen in 2021.
    (line, *_rest) = emergency_parts(DIRECTORY, "RU")
    assert isinstance(line, Msg) and line.params["date"] == "2021-04-13"
    assert Caveat.POLICE_RISK_UNDOCUMENTED in ru.caveats
    kz_iom = DIRECTORY.get("kz-iom-kazakhstan")
    assert kz_iom is not None and kz_iom.verified_on == "2022-11-02"
    for org_id in UNDATED:
        org = DIRECTORY.get(org_id)
        assert org is not None and org.verified_on is None


# -- Kazakhstan's "116 16" ----------------------------------------------------------------------


def kz_record():  # type: ignore[no-untyped-def]
    org = DIRECTORY.get("kz-trafficking-hotline-11616")
    assert org is not None
    return org


def test_116_16_stays_as_a_record_without_a_number_to_dial() -> None:
    org = kz_record()
    assert Caveat.NOT_FOR_DIALLING in org.caveats
    assert [c.value for c in org.contacts] == ["116 16"]  # kept, so nobody re-adds it
    assert org.phones() == () and not org.listed and numbers(org) == "" and reach(org) == ""
    assert not KZ_NUMBER.search(org.names.local + org.names.en)
    assert org.id not in {o.id for o in INDEX.national("KZ")}
    for topics in ([t] for t in Topic):
        assert org not in helplines(DIRECTORY, "KZ", topics, limit=50)


def rendered(parts: object, lang: str) -> str:
    return RENDER.parts(tuple(parts), lang)  # type: ignore[arg-type]


def test_116_16_is_never_shown_or_routed_to() -> None:
    shown: list[str] = []
    for lang in ("id", "ru", "en"):
        shown.append(rendered(emergency_parts(DIRECTORY, "KZ"), lang))
        for topic in Topic:
            shown += [RENDER.message(contact_line(o, lang), lang)
                      for o in helplines(DIRECTORY, "KZ", [topic], limit=50)]
    for query in ("Алматы", "Shymkent", "Астана", "116 16", "горячая линия", "hotline"):
        for topic in (None, *Topic):
            for hit in INDEX.search(query, topic=topic).hits:
                shown.append(RENDER.message(contact_line(hit.organisation, "ru"), "ru"))
                shown.append(hit.organisation.name_for("ru"))
    for consent in Consent:
        for topic in TipTopic:
            for urgent in (False, True):
                for where in ("Алматы", "Shymkent", "Астана", None):
                    place = INDEX.gazetteer.best(where) if where else None
                    facts = TipFacts(topic, consent, urgent=urgent, place=place, country="KZ")
                    routes = route(facts, INDEX, RULES)
                    assert "kz-trafficking-hotline-11616" not in {
                        r.organisation.id for r in routes}
                    shown += [r.organisation.name_for(lang) for r in routes
                              for lang in ("ru", "en")]
    assert shown and not any(KZ_NUMBER.search(text) for text in shown)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(all_flows(), replace(build_deps(), tokens=FixedTokens()))


def screens(result: Result, lang: str) -> str:
    return "\n".join(RENDER.parts(r.parts, lang) for r in result.replies)


@pytest.mark.parametrize("place", ["Алматы", "Shymkent", "Астана"])
def test_find_help_in_kazakhstan_never_shows_116_16(engine: Engine, place: str) -> None:
    start = engine.handle(Conversation(lang="ru"), command("contacts", place))
    labels = ["Trafficking or a suspicious job offer", "Sexual exploitation of a child",
              "Forced work or unpaid wages", "A migrant worker abroad",
              "Violence against a woman or a child", "Emergency now"]
    for label in labels:
        done = engine.handle(start.conversation, press(find_choice(start.replies, label)))
        said = screens(done, "ru")
        assert "112" in said  # Kazakhstan's emergency numbers are there
        assert not KZ_NUMBER.search(said), (label, said)


def test_not_for_dialling_is_respected_by_every_renderer() -> None:
    # A record with a number and a web page: the page may be shown, the number never.
    directory = parse_directory("""\
- id: kz-record
  names: {local: Запись, en: Record}
  kind: hotline
  operator: ngo
  country: KZ
  places: [national]
  topics: [trafficking]
  contacts:
  - {type: phone, value: "8 800 080 00 00"}
  - {type: website, value: "https://example.org/record"}
  sources: [https://example.org/record]
  verified_on: "2026-01-01"
  caveats: [not_for_dialling]
- id: kz-closed-emergency
  names: {local: Закрыто, en: Closed}
  kind: emergency
  operator: government
  country: KZ
  places: [national]
  topics: [emergency]
  contacts: [{type: phone, value: "199"}]
  sources: [https://example.org/closed]
  caveats: [not_for_dialling]
""")
    record, closed = directory.get("kz-record"), directory.get("kz-closed-emergency")
    assert record is not None and closed is not None
    assert record.listed and record.phones() == () and numbers(record) == ""
    line = RENDER.message(contact_line(record, "en"), "en")
    assert "example.org/record" in line and "080" not in line
    assert helplines(directory, "KZ", [Topic.TRAFFICKING]) == []  # nothing to dial
    assert emergency(directory, "KZ") == []
    assert "199" not in rendered(emergency_parts(directory, "KZ"), "en")
    index = DirectoryIndex(directory, INDEX.gazetteer)
    assert [o.id for o in index.national("KZ")] == ["kz-record"]  # its page may be offered
    assert not {o.id for o in index.national("KZ")} & {"kz-closed-emergency"}


def test_csv_round_trip_keeps_operators_and_contact_sources() -> None:
    again = from_csv(to_csv(DIRECTORY))
    assert again == Directory(DIRECTORY.organisations)
    hk = again.get("id-kjri-hong-kong")
    assert hk is not None and hk.contacts[1].seen_on == "2020-02-03"
    womens = again.get("ru-womens-violence-hotline")
    assert womens is not None and not womens.operator_confirmed
