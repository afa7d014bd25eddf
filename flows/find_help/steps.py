"""Steps of "find help": where, what about, then the best three organisations."""

from __future__ import annotations

from dataclasses import replace

from flows.countries import (
    DECLINED,
    OTHER,
    QUESTION_STATE,
    answered_country,
    country_question,
)
from flows.find_help.states import FindData, FindState
from flows.find_help.topics import topic_in_words
from flows.flow import Outcome, Step
from flows.intents import intent_of
from flows.payload import GLOBAL_FLOW
from flows.text import THANKS
from flows.types import Bullets, Choice, ChoiceStyle, Kind, Msg, Part, Quote, msg, text_reply
from flows.whom_to_call import (
    ask_country,
    contact_line,
    country_name,
    emergency_for_language,
    emergency_parts,
    home_country,
)
from referral_directory import Topic
from referral_directory.gazetteer import Place
from referral_directory.search import DirectoryIndex

EMERGENCY, SKIP = "emergency", "skip"
TOPICS: tuple[tuple[str, Topic, Msg], ...] = (
    ("t", Topic.TRAFFICKING, msg("Trafficking or a suspicious job offer")),
    ("c", Topic.CHILD_SEXUAL_EXPLOITATION, msg("Sexual exploitation of a child")),
    ("f", Topic.FORCED_LABOUR, msg("Forced work or unpaid wages")),
    ("m", Topic.MIGRANT_WORKERS, msg("A migrant worker abroad")),
    ("v", Topic.VIOLENCE, msg("Violence against a woman or a child")),
)
RESULTS = 3


def entry(step: Step) -> Outcome:
    """Asks where, or takes the place given with ``/contacts PLACE``."""
    if step.event.args.strip():
        return _place_from_text(step, step.event.args.strip())
    return _ask_where(step, msg("Where are you? Type your city, regency or province, or "
                                "share your location. I do not keep your location."))


def where(step: Step) -> Outcome:
    """Resolves a typed place or a shared location; or jumps to emergency numbers."""
    event = step.event
    if event.choice == EMERGENCY:
        # The numbers first, whatever is unknown; the question (if it was never asked)
        # comes after them, with the engine's own buttons, as after a check.
        done = _emergency(step, FindData(country=step.country))
        if step.country or not step.country_unasked:
            return done
        question = country_question(step.lang, step.session, GLOBAL_FLOW, QUESTION_STATE)
        line = ask_country()  # the question replaces the "tell me with /country" line
        replies = tuple(replace(r, parts=tuple(p for p in r.parts if p != line))
                        for r in done.replies)
        return replace(done, replies=(*replies, question), country=DECLINED)
    if event.choice == SKIP or (event.kind is Kind.TEXT and intent_of(event.text) == "contacts"
                                and step.country):
        # «а теперь куда звонить?» with the country known: its national numbers, not
        # "I could not find the place «а теперь куда звонить?»".
        if not step.country and step.country_unasked:
            return _ask_country(step)
        return _ask_topic(step, FindData(country=home_country(step.country, step.lang) or ""))
    index: DirectoryIndex = step.deps.places
    if event.kind is Kind.LOCATION and event.latitude is not None and (
            event.longitude is not None):
        place = index.gazetteer.nearest(event.latitude, event.longitude)
        if place is None:
            return _ask_where(step, msg("I could not find a town near that location. Please "
                                        "type the name of your city or province."))
        return _here(_ask_topic(step, _data(place)), place)
    if event.kind is Kind.TEXT and event.text.strip():
        return _place_from_text(step, event.text)
    return _ask_where(step, msg("Please type the name of your city or province."))


def _ask_country(step: Step) -> Outcome:
    """The one-time question, asked here because "Skip: national numbers" is the first
    moment find help needs the country and nothing gave it: no place was named, and the
    nation's numbers cannot be chosen by the language (a Russian speaker may be in Bishkek
    or Moscow). A person who names a place is never asked; one tap, or "Skip", and the
    topic question follows. Asked once: it counts as declined unless answered."""
    skip = step.button(SKIP, msg("Skip"), state=FindState.COUNTRY)
    # "Emergency now" stays one tap away at every step of find help.
    reply = country_question(step.lang, step.session, step.flow_code, FindState.COUNTRY,
                             extra=(skip, _emergency_button(step, FindState.COUNTRY)))
    return Outcome(replies=(reply,), state=FindState.COUNTRY, data=FindData(),
                   country=DECLINED)


def country(step: Step) -> Outcome:
    """The answer: a press or a typed name saves the country; "Skip" or other text goes on
    to the topic (the national numbers of the language's countries, or Indonesia's for
    Indonesian speakers, as before the question). Never blocking."""
    event = step.event
    if event.choice == EMERGENCY:
        return _emergency(step, FindData(country=step.country or ""))
    code, place = answered_country(event, step.deps.places, (SKIP, OTHER, EMERGENCY))
    code = code or step.country or None  # a distress message may have named a place
    # "я в Бишкеке": the place answers "where" too, so the help found is the nearest.
    outcome = _ask_topic(step, _data(place) if place is not None
                         else FindData(country=code or home_country("", step.lang) or ""))
    if code is None:
        if event.choice == OTHER:
            outcome = outcome.with_line_first(msg("Tell me your country any time with "
                                                  "/country and its name, for example "
                                                  "/country Turkey."))
        return outcome
    saved = msg("Saved: you are in {country}. Emergency numbers, hotlines and advice follow "
                "it from now on; change it any time with /country.",
                country=Quote(country_name(code, step.lang)))
    return replace(outcome.with_line_first(saved), country=code)


def topic(step: Step) -> Outcome:
    """Shows the best organisations for the place and topic."""
    data: FindData = step.data
    if step.event.choice == EMERGENCY:
        return _emergency(step, data)
    chosen = next((t for code, t, _ in TOPICS if code == step.event.choice), None)
    typed = step.event.text.strip() if step.event.kind is Kind.TEXT else ""
    if chosen is None and typed:
        # "gaji gak dibayar", «бьёт муж»: the topic in words; thanks end the search.
        if THANKS.search(typed) and topic_in_words(typed) is None:
            return Outcome(replies=(text_reply(msg(
                "You are welcome. If you need anything else, write here at any time.")),),
                state=None)
        chosen = topic_in_words(typed)
        if chosen is None:
            return _ask_topic(step, data, msg("Please choose one of these topics, or press "
                                              "\"Emergency now\"."))
    if chosen is None:
        return _ask_topic(step, data)
    return _results(step, data, chosen, emergency_first=False)


def _here(outcome: Outcome, place: Place) -> Outcome:
    """"Where are you?" answered: the conversation remembers the country from now on."""
    return replace(outcome, country=place.country)


def _data(place: Place) -> FindData:
    return FindData(place=place.id, country=place.country)


def _place_from_text(step: Step, query: str) -> Outcome:
    index: DirectoryIndex = step.deps.places
    place = index.gazetteer.best(query)
    if place is None:
        return _ask_where(step, msg("I could not find the place {place}. Try the name of "
                                    "your city or province.", place=Quote(query[:60])))
    wanted = topic_in_words(query)
    if wanted is not None:
        # "alamat kbri riyadh", «где консульство в Москве?»: the place and the topic are
        # both said, so the help there is the answer (no topic question).
        found = _results(step, _data(place), wanted, emergency_first=False)
        return _here(found.with_line_first(_place_line(step, place)), place)
    return _here(_ask_topic(step, _data(place)), place)


def _emergency_button(step: Step, state: str) -> Choice:
    return step.button(EMERGENCY, msg("Emergency now"), state=state)


def _ask_where(step: Step, lead: Msg) -> Outcome:
    buttons = (_emergency_button(step, FindState.WHERE),
               step.button(SKIP, msg("Skip: national numbers"), state=FindState.WHERE))
    return Outcome(replies=(text_reply(lead, choices=buttons),), state=FindState.WHERE,
                   data=FindData())


def _ask_topic(step: Step, data: FindData, again: Msg | None = None) -> Outcome:
    index: DirectoryIndex = step.deps.places
    place = index.gazetteer.get(data.place) if data.place else None
    lead: list[Part] = []
    if place is not None:
        lead.append(_place_line(step, place))
    buttons = tuple(step.button(code, label, state=FindState.TOPIC) for code, _, label in TOPICS)
    buttons += (_emergency_button(step, FindState.TOPIC),)
    reply = text_reply(*lead, again or msg("What is it about?"), choices=buttons,
                       style=ChoiceStyle.LIST)
    return Outcome(replies=(reply,), state=FindState.TOPIC, data=data)


def _place_line(step: Step, place: Place) -> Msg:
    return msg("Place: {place}", place=Quote(_place_label(step.deps.places, place, step.lang)))


def _place_label(index: DirectoryIndex, place: Place, lang: str) -> str:
    return index.gazetteer.shown_label(place, lang)


def _emergency(step: Step, data: FindData) -> Outcome:
    return _results(step, data, Topic.TRAFFICKING, emergency_first=True)


def _results(step: Step, data: FindData, wanted: Topic, emergency_first: bool) -> Outcome:
    index: DirectoryIndex = step.deps.places
    place = index.gazetteer.get(data.place) if data.place else None
    country = place.country if place is not None else (
        data.country or home_country(step.country, step.lang) or "")
    buttons = (step.start_button("report", msg("Report a tip anonymously")),
               step.start_button("check", msg("Check a job offer")))
    if not country:
        # Where the person is, nobody said (a Russian speaker may be in Bishkek or Moscow):
        # the emergency numbers of the language's countries and the question, never one
        # country's organisations picked by the language.
        parts = [*emergency_for_language(step.deps.directory, step.lang), ask_country()]
        return Outcome(replies=(text_reply(*parts, choices=buttons),), state=None)
    if place is not None:
        hits = [h.organisation for h in index.search(place.name, topic=wanted,
                                                     country=country).hits]
        if not hits:  # nothing for this topic: fall back to any topic near the place
            hits = [h.organisation for h in index.search(place.name, country=country).hits]
    else:
        hits = ([o for o in index.national(country) if wanted in o.topics]
                or index.national(country) or index.in_country(country))
    # Another country's missions serve its citizens only: none for this reader.
    hits = [o for o in hits if o.kind.value != "emergency"
            and o.serves_speakers_of(step.lang)][:RESULTS]
    assumed = place is None and not data.country and not step.country
    # In danger now with the country only assumed from the language (Indonesian: most are in
    # Indonesia, many in Malaysia), the numbers of each country of the language, labelled.
    emergency = (emergency_for_language(step.deps.directory, step.lang)
                 if emergency_first and assumed else
                 emergency_parts(step.deps.directory, country))
    listing: list[Part] = []
    if hits:
        listing = [msg("*Who can help:*"),
                   Bullets(tuple(contact_line(o, step.lang) for o in hits))]
    else:
        listing = [msg("I have no organisation for this place yet.")]
    parts = [*emergency, *listing] if emergency_first else [*listing, *emergency]
    return Outcome(replies=(text_reply(*parts, choices=buttons),), state=None)
