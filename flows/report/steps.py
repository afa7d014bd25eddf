"""Steps of the report flow: what, topic, where, when, danger, recruiter, consent, confirm.

Every step can be skipped; ``/cancel`` drops the draft (the engine). Nothing is stored as a
tip until the reporter presses "Send"; then the ``SaveTip`` effect is committed before the
receipt code is shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from flows.countries import (
    DECLINED,
    OTHER,
    answered_country,
    country_question,
    country_where,
    named_country,
)
from flows.flow import Outcome, Step, StepFn
from flows.red_flags import Analyzer
from flows.report.effects import SaveTip
from flows.report.recruiter import extract_marks, regions_for
from flows.report.self_mentions import phone_spans, self_mentions, without
from flows.report.states import ReportData, ReportState
from flows.text import letter_words
from flows.types import (
    Bullets,
    Choice,
    ChoiceStyle,
    Inbound,
    Kind,
    Msg,
    Part,
    Quote,
    Reply,
    msg,
    nmsg,
    text_reply,
)
from flows.whom_to_call import country_name, emergency_for_language, emergency_parts
from referral_directory.routing import Consent, Route, TipFacts, TipTopic, route
from referral_directory.search import DirectoryIndex

MAX_TEXT = 4000  # characters of one tip's description (Telegram's message limit)
MAX_SHORT = 200
MAX_ATTACHMENTS = 5
SKIP, NEXT, SEND, WIDEN, PLACE = "skip", "next", "send", "widen", "place"
# Summary buttons that take the reporter's own name or number out of the description.
UNNAME, UNPHONE = "unname", "unphone"
TOPICS: tuple[tuple[TipTopic, Msg], ...] = (
    (TipTopic.TRAFFICKING, msg("Trafficking or a suspicious job offer")),
    (TipTopic.CHILD_SEXUAL_EXPLOITATION, msg("Sexual exploitation of a child")),
    (TipTopic.FORCED_LABOUR, msg("Forced work or unpaid wages")),
    (TipTopic.MIGRANT_WORKERS, msg("A migrant worker abroad")),
    (TipTopic.VIOLENCE, msg("Violence against a woman or a child")),
)
DANGER = (("danger", msg("Someone is in danger now")), ("minor", msg("A child under 18")),
          ("both", msg("Both")), ("no", msg("No")))
CONSENTS = ((Consent.NGO, msg("Only organisations that help (NGOs)")),
            (Consent.NGO_AND_AUTHORITIES, msg("Also police and government")))


def entry(step: Step) -> Outcome:
    """Starts a draft; a checked or forwarded offer comes in as its text."""
    data: ReportData = step.data
    data = replace(data, draft_id=data.draft_id or step.deps.tokens.draft_id())
    text = data.text or (step.event.text if step.event.kind in (Kind.TEXT, Kind.FORWARD)
                         else "") or step.event.args.strip()
    if text:
        if len(text) > MAX_TEXT:
            return _too_long(step, data, len(text), ReportState.WHAT)
        return _ask_topic(step, replace(data, text=text))
    lead = msg("Tell me what happened, paste the ad, or forward the message. You can also "
               "send photos of a flyer or a chat. Reports are anonymous: do not write your "
               "own name or phone number.")
    return _ask(step, data, ReportState.WHAT, lead, skip=False)


def what(step: Step) -> Outcome:
    data: ReportData = step.data
    event = step.event
    if event.kind is Kind.MEDIA and event.choice:  # an attachment token from the adapter
        attached = _attach(data, event)
        if attached is None:
            return _ask(step, data, ReportState.WHAT, msg(
                "That is enough photos. Please write what happened, or press Next."))
        lead = nmsg("{n} photo received. Send more, write what happened, or press Next.",
                    "{n} photos received. Send more, write what happened, or press Next.",
                    len(attached.attachments))
        return _ask(step, attached, ReportState.WHAT, lead)
    has_text = event.kind in (Kind.TEXT, Kind.FORWARD, Kind.MEDIA) and bool(event.text)
    if (has_text and not data.text and not data.attachments and len(event.text) <= MAX_TEXT
            and _too_thin(event.text)):
        # "1", "ok", "?": nothing an organisation could act on; asked again, nothing lost.
        return _ask(step, data, ReportState.WHAT, msg(
            "Please write in a few words what happened: what was offered or done, by whom, "
            "and where."), skip=False)
    if event.choice in (SKIP, NEXT) or has_text:
        text = _join(data.text, event.text) if has_text else data.text
        if len(text) > MAX_TEXT:
            return _too_long(step, data, len(text), ReportState.WHAT)
        return _ask_topic(step, replace(data, text=text))
    return _ask(step, data, ReportState.WHAT, msg("Please write what happened, or send a "
                                                  "photo."), skip=False)


# A tip says something in two words at least ("calo nakal" is thin, but it is a tip), or
# gives a number (the recruiter's phone).
_TIP_NUMBER = re.compile(r"\d(?:[\s.-]?\d){5,}")


def _too_thin(text: str) -> bool:
    return letter_words(text) < 2 and not _TIP_NUMBER.search(text)


def _attach(data: ReportData, event: Inbound) -> ReportData | None:
    """The draft with the photo added, or None when it has the most photos a tip takes.
    The caption and the text read in the photo (bot/ocr) join the tip's description, so
    the digest shows them; never past its limit (the person cannot shorten a photo)."""
    if len(data.attachments) >= MAX_ATTACHMENTS:
        return None
    return replace(data, attachments=[*data.attachments, event.choice],
                   text=_join(data.text, event.text)[:MAX_TEXT])


def keeps_photos(step_fn: StepFn, reask: Callable[[Step, ReportData], Outcome]) -> StepFn:
    """A step after the description that keeps a photo sent to it (at the topic, the
    place, the consent…): the photo joins the draft and the step's question is asked again
    (``reask``); any other event goes to ``step_fn``. Nothing the person sends is dropped."""
    def step_or_photo(step: Step) -> Outcome:
        event = step.event
        if event.kind is not Kind.MEDIA or not event.choice:
            return step_fn(step)
        attached = _attach(step.data, event)
        if attached is None:
            return reask(step, step.data).with_line_first(
                msg("That is enough photos: this one was not added."))
        return reask(step, attached).with_line_first(
            nmsg("{n} photo received: it is added to your report.",
                 "{n} photos received: they are added to your report.",
                 len(attached.attachments)))
    return step_or_photo


def topic(step: Step) -> Outcome:
    data: ReportData = step.data
    choice = step.event.choice
    if choice == SKIP:
        choice = TipTopic.TRAFFICKING.value
    if choice not in {t.value for t, _ in TOPICS}:
        return _ask_topic(step, data, before=_choose_below(step))
    return _ask_where(step, replace(data, topic=choice))


def where(step: Step) -> Outcome:
    data: ReportData = step.data
    event = step.event
    index: DirectoryIndex = step.deps.places
    if event.choice == SKIP:
        return _place_done(step, data)
    place = None
    if event.choice.startswith(PLACE_PREFIX):  # one of the places offered below
        place = index.gazetteer.get(event.choice[len(PLACE_PREFIX):])
    elif event.kind is Kind.LOCATION and event.latitude is not None and (
            event.longitude is not None):
        place = index.gazetteer.nearest(event.latitude, event.longitude)
    elif event.kind is Kind.TEXT and event.text.strip():
        place = index.gazetteer.best(event.text[:MAX_SHORT])
    if place is None and event.kind is Kind.TEXT:
        # A country the gazetteer has no places of ("somalia", "di laut dekat somalia",
        # «в Турции»): the tip is routed by the country.
        code = country_where(event.text) or named_country(event.text[:MAX_SHORT])
        if code:
            return _place_done(step, replace(data, place_label=country_name(code, "en"),
                                             country=code))
    if place is None:
        # Never a loop: the nearest names as buttons, and "Skip".
        typed = event.text[:MAX_SHORT] if event.kind is Kind.TEXT else ""
        near = index.gazetteer.suggest(typed) if typed.strip() else []
        offers = tuple(step.button(PLACE_PREFIX + p.id, Quote(_label(index, p)),
                                   state=ReportState.WHERE) for p in near)
        return _ask(step, data, ReportState.WHERE, msg(
            "I could not find that place. Type a city, regency or province, or skip."),
            extra=offers)
    # A country's name is a place too ("Malaysia", «Кыргызстан»): it gives the country.
    return _place_done(step, replace(data, place_id=place.id,
                                     place_label=_label(index, place), country=place.country))


def _place_done(step: Step, data: ReportData, before: tuple[Part, ...] = ()) -> Outcome:
    """After the place: the country question if it first matters here, then "when" (or
    back to the summary when the place was asked from there)."""
    if not data.country and not step.country and step.country_unasked:
        return _ask_country(step, data)
    if data.revise:
        return _summary(step, replace(data, revise=False), before=before)
    return _ask_when(step, data, before=before)


def _ask_country(step: Step, data: ReportData) -> Outcome:
    """The one-time question, asked here because this is the first moment the report
    needs it and nothing else gave it: the place was skipped (a place not found is asked
    again first), so without a country the tip could only be routed by a guess. A report
    with a place never asks it. Asking here rather than at the start keeps it one tap away
    for the few who skip the place; asked once, so it counts as declined (never asked
    again, in any flow) unless a country is pressed or typed."""
    skip = step.button(SKIP, msg("Skip"), state=ReportState.COUNTRY)
    why = msg("Without a place, the report goes to organisations in the country you are in.")
    reply = country_question(step.lang, step.session, step.flow_code, ReportState.COUNTRY,
                             before=(why,), extra=(skip,))
    return Outcome(replies=(reply,), state=ReportState.COUNTRY, data=data, country=DECLINED)


def country(step: Step) -> Outcome:
    """The answer to the country question: a press or a typed name saves it; "Skip", or
    any other text, goes on (the question counts as declined). Never blocking."""
    data: ReportData = step.data
    event = step.event
    code, place = answered_country(event, step.deps.places, (SKIP, OTHER))
    # A distress message naming a place may have told the engine meanwhile ("я в Бишкеке").
    code = code or step.country or None
    if place is not None:
        # the typed answer names the place as well: the tip is routed by it
        data = replace(data, place_id=place.id, place_label=_label(step.deps.places, place),
                       country=place.country)
    before: tuple[Part, ...] = ()
    if code:
        before = (msg("Saved: you are in {country}. Emergency numbers, hotlines and advice "
                      "follow it from now on; change it any time with /country.",
                      country=Quote(country_name(code, step.lang))),)
    elif event.choice == OTHER:
        before = (msg("Tell me your country any time with /country and its name, for "
                      "example /country Turkey."),)
    outcome = _place_done(step, data, before)
    return replace(outcome, country=code) if code else outcome


PLACE_PREFIX = "p:"


def _shown_label(step: Step, data: ReportData) -> str:
    """The tip's place as the reporter reads it («Кара-Балта, Чуйская область»); the stored
    label, in the directory's names, is what the organisations get."""
    index: DirectoryIndex | None = step.deps.places
    if index is None or not data.place_id:
        return data.place_label
    place = index.gazetteer.get(data.place_id)
    return index.gazetteer.shown_label(place, step.lang) if place else data.place_label


def _label(index: DirectoryIndex, place: Any) -> str:
    region = index.gazetteer.region_of(place)
    return place.name + (f", {region.name}" if region and region.id != place.id else "")


def when(step: Step) -> Outcome:
    data: ReportData = step.data
    typed = step.event.text.strip() if step.event.kind is Kind.TEXT else ""
    if len(typed) > MAX_SHORT:
        # An advert or more of the story pasted here ("Here is his ad: Dicari pelayan…")
        # is more of the description, not a date: it joins it, and the question stays.
        joined = _join(data.text, typed)
        if len(joined) > MAX_TEXT:
            return _too_long(step, data, len(joined), ReportState.WHEN)
        return _ask_when(step, replace(data, text=joined), before=(msg(
            "I added this to the description."),))
    if typed:
        data = replace(data, when_text=typed)
    elif step.event.choice != SKIP:
        return _ask_when(step, data)
    return _ask_danger(step, data)


def _ask_danger(step: Step, data: ReportData) -> Outcome:
    buttons = tuple(step.button(code, label, state=ReportState.DANGER) for code, label in DANGER)
    return _ask(step, data, ReportState.DANGER, msg(
        "Is someone in danger right now, or is a child under 18 involved?"), extra=buttons)


# Typed answers to the danger question: a yes is read as danger (the numbers come first;
# wrongly shown, they cost nothing), a child's word as a child, a no as no.
_TYPED_DANGER = (
    ("both", re.compile(r"\b(?:both|keduanya|dua.?duanya|оба|и то и другое)\b", re.I)),
    ("minor", re.compile(r"\b(?:anak|child|kid|minor|ребён|ребен|дет|несовершеннолет)", re.I)),
    ("no", re.compile(r"^\W*(?:no|nope|not|tidak|nggak|ngga|gak|ga|enggak|bukan|belum|нет|неа|"
                      r"не)\b", re.I)),
    ("danger", re.compile(r"^\W*(?:yes|yeah|ya|iya|iyaa+|betul|benar|ada|да|ага|угу|"
                          r"бар|ha|ha'a)\b", re.I)),
)


def danger(step: Step) -> Outcome:
    data: ReportData = step.data
    choice = step.event.choice
    if not choice and step.event.text:
        choice = next((code for code, pattern in _TYPED_DANGER
                       if pattern.search(step.event.text)), "")
    if choice not in ("danger", "minor", "both", "no", SKIP):
        return _ask_danger(step, data)
    data = replace(data, danger_now=choice in ("danger", "both"),
                   minor=choice in ("minor", "both"))
    lead: list[Part] = []
    if data.danger_now or data.minor:
        # Danger now, or a child: the emergency numbers of the tip's country come first, in
        # this very reply, before the report goes on (a call helps sooner than any tip).
        advice = (msg("Call now if you can. Your report will be marked urgent.")
                  if data.danger_now else
                  msg("If the child is in danger now, call one of these numbers. Your report "
                      "will be marked urgent."))
        where = _country(step, data)
        # No country known (the question declined): the emergency numbers of every country
        # where the reporter's language is spoken, never one country's picked by it.
        numbers = (emergency_parts(step.deps.directory, where) if where else
                   emergency_for_language(step.deps.directory, step.lang))
        lead = [*numbers, advice]
    return _ask_recruiter(step, data, before=tuple(lead))


def _ask_recruiter(step: Step, data: ReportData, before: tuple[Part, ...] = ()) -> Outcome:
    return _ask(step, data, ReportState.RECRUITER, msg(
        "What do you know about the recruiter? Names, phone numbers, the agency, social "
        "media accounts. This describes them, not you."), before=before)


def recruiter(step: Step) -> Outcome:
    data: ReportData = step.data
    if step.event.kind is Kind.TEXT and step.event.text.strip():
        if len(step.event.text) > MAX_TEXT:
            return _too_long(step, data, len(step.event.text), ReportState.RECRUITER)
        if re.fullmatch(r"\d{1,2}", step.event.text.strip()):
            # "5": a button's number pressed on the wrong question, no recruiter
            return _ask(step, data, ReportState.RECRUITER, msg(
                "Please write what you know about the recruiter (a name, a number, an "
                "account), or skip."))
        data = replace(data, recruiter=step.event.text.strip())
    elif step.event.choice != SKIP:
        return _ask(step, data, ReportState.RECRUITER, msg(
            "Please write what you know about the recruiter, or skip."))
    return _ask_consent(step, data)


def _choose_below(step: Step) -> tuple[Part, ...]:
    """A typed answer that is none of the choices ("whatever", "7" of six) is told so, not
    only asked again."""
    if step.event.kind is Kind.TEXT and step.event.text.strip():
        return (msg("Please choose one of the answers below: press its button or send its "
                    "number."),)
    return ()


def _ask_consent(step: Step, data: ReportData, before: tuple[Part, ...] = ()) -> Outcome:
    buttons = tuple(step.button(c.value, label, state=ReportState.CONSENT)
                    for c, label in CONSENTS)
    # The first choice says exactly whom it covers: IOM is no NGO, and a reporter who
    # trusts no state must know it may receive the tip (referral_directory/data/routing.yaml).
    return _ask(step, data, ReportState.CONSENT, msg(
        "Who may receive your report? The first choice sends it only to non-governmental "
        "organisations and to IOM (the UN's migration agency), never to police or a "
        "government office."), extra=buttons, skip=False, before=before)


def consent(step: Step) -> Outcome:
    data: ReportData = step.data
    if step.event.choice not in {c.value for c, _ in CONSENTS}:
        return _ask_consent(step, data, before=_choose_below(step))
    data = replace(data, consent=step.event.choice)
    return _summary(step, data)


# "ya kirim", «да, отправить», "send it": the Send button in words (tester round 10).
_TYPED_SEND = re.compile(
    r"\W*(?:ya|iya|iyaa|yes|yep|да|ага|ok|oke|okay)?[\s,.!]*(?:kirim(?:kan|in)?(?: aja| saja)?|"
    r"send(?: it)?|отправ(?:ить|ь|ляй|ляйте|ьте)|ya|iya|да)\W*", re.IGNORECASE)


def confirm(step: Step) -> Outcome:
    data: ReportData = step.data
    if step.event.choice == PLACE:  # no country known: the reporter names the place now
        return _ask(step, replace(data, revise=True), ReportState.WHERE, msg(
            "Where did it happen, or where is the recruiter? A city, a region or a country."))
    if step.event.choice == UNNAME:  # the reporter's own name or number, taken out
        return _summary(step, replace(data, text=without(data.text, self_mentions(data.text))),
                        before=(msg("Taken out of the description."),))
    if step.event.choice == UNPHONE:
        spans = phone_spans(data.text, regions_for(_country(step, data), step.lang))
        return _summary(step, replace(data, text=without(data.text, spans)),
                        before=(msg("The phone numbers are taken out of the description."),))
    if step.event.choice == WIDEN:  # "NGOs only" reaches nobody here; the reporter widened
        return _summary(step, replace(data, consent=Consent.NGO_AND_AUTHORITIES.value))
    typed = step.event.text.strip() if step.event.kind is Kind.TEXT else ""
    if step.event.choice != SEND and not _TYPED_SEND.fullmatch(typed):
        # Anything else typed here sends nothing, and says so.
        return _summary(step, data, before=(msg(
            "Nothing has been sent yet. Press \"Send\" to send the report."),) if typed else ())
    if not (data.text or data.recruiter or data.attachments):
        return _ask(step, data, ReportState.WHAT, msg(
            "A report needs at least a few words about what happened. Please write them."),
            skip=False)
    consent = Consent(data.consent or Consent.NGO.value)
    if [r.organisation.id for r in _routes(step, data, consent)] != data.shown:
        # The country changed since the summary (/country meanwhile): consent is given to
        # the organisations shown, so it is shown again before anything is sent.
        return _summary(step, data, before=(msg(
            "Who receives the report has changed since you saw it. Please check it again."),))
    return _send(step, data)


# -- building blocks -------------------------------------------------------------------------


def _join(first: str, second: str) -> str:
    return "\n\n".join(p for p in (first.strip(), second.strip()) if p)


def _ask(step: Step, data: ReportData, state: ReportState, question: Msg, *,
         extra: tuple[Choice, ...] = (), skip: bool = True,
         before: tuple[Part, ...] = ()) -> Outcome:
    parts = (*before, question)
    buttons = list(extra)
    if state is ReportState.WHAT and (data.text or data.attachments):
        buttons.append(step.button(NEXT, msg("Next"), state=state))
    elif skip:
        buttons.append(step.button(SKIP, msg("Skip"), state=state))
    style = ChoiceStyle.LIST if len(buttons) > 3 else ChoiceStyle.BUTTONS
    reply = text_reply(*parts, choices=tuple(buttons), style=style)
    return Outcome(replies=(reply,), state=state, data=data)


def _too_long(step: Step, data: ReportData, size: int, state: ReportState) -> Outcome:
    return _ask(step, data, state, msg("That is too long ({size} characters; at most "
                                       "{limit}). Please shorten it: nothing was cut.",
                                       size=size, limit=MAX_TEXT), skip=False)


def _ask_topic(step: Step, data: ReportData, before: tuple[Part, ...] = ()) -> Outcome:
    buttons = tuple(step.button(t.value, label, state=ReportState.TOPIC) for t, label in TOPICS)
    return _ask(step, data, ReportState.TOPIC, msg("What is it about?"), extra=buttons,
                before=before)


def _ask_where(step: Step, data: ReportData) -> Outcome:
    return _ask(step, data, ReportState.WHERE, msg(
        "Where did it happen, or where is the recruiter? A city, regency or province."))


def _ask_when(step: Step, data: ReportData, before: tuple[Part, ...] = ()) -> Outcome:
    return _ask(step, data, ReportState.WHEN, msg("When did it happen? (for example: last "
                                                  "week, in March)"), before=before)


def _summary(step: Step, data: ReportData, before: tuple[Part, ...] = ()) -> Outcome:
    topic_label = next((label for t, label in TOPICS if t.value == data.topic), TOPICS[0][1])
    consent_label = next(label for c, label in CONSENTS if c.value == data.consent)
    none = msg("not given")
    # Without a place, the country the tip is filed under (the person's), so the reporter
    # sees it before sending.
    country = _country(step, data)
    where = _shown_label(step, data) or (country_name(country, step.lang) if country else "")
    lines: list[Msg | Quote] = [
        msg("What: {text}", text=Quote(_short(data.text)) if data.text else none),
        msg("About: {topic}", topic=topic_label),
        msg("Where: {place}", place=Quote(where) if where else none),
        msg("When: {when}", when=Quote(data.when_text) if data.when_text else none),
        msg("Recruiter: {recruiter}",
            recruiter=Quote(_short(data.recruiter)) if data.recruiter else none),
        msg("Sent to: {consent}", consent=consent_label),
    ]
    if data.attachments:
        lines.append(nmsg("{n} photo", "{n} photos", len(data.attachments)))
    if data.danger_now or data.minor:
        lines.append(msg("Marked urgent"))
    parts: list[Part] = [*before, msg("*Please check your report:*"), Bullets(tuple(lines))]
    buttons = [step.button(SEND, msg("Send"), state=ReportState.CONFIRM)]
    # Reports are anonymous: the reporter's own name or number is offered to be taken out
    # here, in place (the only way had been /cancel and the whole report again).
    own = self_mentions(data.text)
    if own:
        parts.append(msg("The description seems to give your own name or number: {found}. "
                         "Reports are anonymous: press “Take it out” to remove it.",
                         found=Quote("; ".join(data.text[a:b] for a, b in own))))
        buttons.append(step.button(UNNAME, msg("Take it out"), state=ReportState.CONFIRM))
    phones = phone_spans(without(data.text, own), regions_for(country, step.lang))
    if phones:
        parts.append(msg("The description contains a phone number. If it is your own, press "
                         "“Remove phone numbers”: it takes out every number in the "
                         "description, a recruiter's too."))
        buttons.append(step.button(UNPHONE, msg("Remove phone numbers"),
                                   state=ReportState.CONFIRM))
    # The reporter learns before sending that nobody in the directory will receive the tip,
    # rather than after, on the receipt: with "NGOs only" they may widen their consent.
    consent = Consent(data.consent or Consent.NGO.value)
    routes = _routes(step, data, consent)
    if routes:
        # Who will receive it, shown before "Send": consent is given to these, not to a
        # category.
        parts += [nmsg("It will be passed on to {n} organisation:",
                       "It will be passed on to {n} organisations:", len(routes)),
                  Bullets(tuple(Quote(r.organisation.name_for(step.lang)) for r in routes))]
    elif country is None:
        # Nobody can be chosen without a country, and none is guessed from the language
        # (a Russian speaker in Bishkek is not in Russia): say so, and offer to name it.
        parts.append(msg("I do not know which country this happened in, so I cannot choose "
                         "who receives the report. Name the place or the country, or send it "
                         "anyway: the team will then pass it on by hand."))
        buttons.append(step.button(PLACE, msg("Name the place or country"),
                                   state=ReportState.CONFIRM))
    elif consent is Consent.NGO and _routes(step, data, Consent.NGO_AND_AUTHORITIES):
        parts.append(msg("With “NGOs only”, no organisation in the directory will receive "
                         "this report here. You can also allow police and government, or "
                         "send it anyway: the team will then pass it on by hand."))
        buttons.append(step.button(WIDEN, msg("Also police and government"),
                                   state=ReportState.CONFIRM))
    else:
        parts.append(msg("No organisation in the directory covers this place and topic "
                         "yet. If you send it, the team will pass it on by hand."))
    buttons.append(step.start_button("report", msg("Start again")))
    reply = text_reply(*parts, choices=tuple(buttons), style=ChoiceStyle.BUTTONS)
    shown = [r.organisation.id for r in routes]
    return Outcome(replies=(reply,), state=ReportState.CONFIRM, data=replace(data, shown=shown))


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _country(step: Step, data: ReportData) -> str | None:
    """The tip's country: the place's, else the person's (said, or answered to the country
    question); never guessed from the language. None when neither is known: the tip then
    reaches nobody automatically, and the summary says so before it is sent."""
    return data.country or step.country or None


def _routes(step: Step, data: ReportData, consent: Consent) -> list[Route]:
    """Who would receive the draft with this consent (the same routing as on "Send")."""
    index: DirectoryIndex = step.deps.places
    place = index.gazetteer.get(data.place_id) if data.place_id else None
    topic = TipTopic(data.topic or TipTopic.TRAFFICKING.value)
    facts = TipFacts(topic, consent, urgent=data.danger_now or data.minor, place=place,
                     country=_country(step, data))
    return route(facts, index, step.deps.routing)


def _send(step: Step, data: ReportData) -> Outcome:
    analyzer: Analyzer = step.deps.analyzer
    analysis = analyzer.analyze(_join(data.text, data.recruiter),
                                country=data.country or step.country or None)
    topic = TipTopic(data.topic or TipTopic.TRAFFICKING.value)
    consent = Consent(data.consent or Consent.NGO.value)
    urgent = data.danger_now or data.minor
    country = _country(step, data)
    routes = _routes(step, data, consent)
    receipt = step.deps.tokens.receipt()
    # (what names the reporter is never a mark: «меня зовут Гульнара» is no recruiter)
    marks = extract_marks(_join(without(data.text, self_mentions(data.text)), data.recruiter),
                          country, step.lang)
    effect = SaveTip(
        draft_id=data.draft_id, receipt=receipt, topic=topic.value, text=data.text,
        when_text=data.when_text, recruiter=data.recruiter, place_id=data.place_id or None,
        place_label=data.place_label, country=country, danger_now=data.danger_now,
        minor=data.minor, urgent=urgent, consent=consent.value, risk=str(analysis.risk),
        flags=analysis.flag_ids,
        routes=tuple((r.organisation.id, r.reason) for r in routes),
        marks=tuple((m.kind, m.value) for m in marks), language=step.lang,
        attachments=tuple(data.attachments),
    )
    return Outcome(replies=_receipt(step, receipt, [r.organisation for r in routes]),
                   effects=(effect,), state=None)


def _receipt(step: Step, receipt: str, orgs: list) -> tuple[Reply, ...]:  # type: ignore[type-arg]
    parts: list[Part] = [
        msg("*Thank you. Your report is saved.*"),
        msg("Your receipt code: *{code}*\nWrite it down and keep it secret. It is the only "
            "way to follow your report, and nobody can recover it for you.", code=receipt),
        msg("Send /status {code} to see whether an organisation has taken up your report and "
            "whether it left you a message.", code=receipt),
    ]
    if orgs:
        parts += [nmsg("It will be passed on to {n} organisation:",
                       "It will be passed on to {n} organisations:", len(orgs)),
                  Bullets(tuple(Quote(o.name_for(step.lang)) for o in orgs))]
    else:
        parts.append(msg("No organisation in the directory covers this yet; the team will "
                         "pass it on by hand."))
    buttons = (step.start_button("learn", msg("Learn more")),)
    return (text_reply(*parts, choices=buttons),)


def _with_cry(step: Step) -> ReportData:
    """The draft with a cry typed at a later step: it joins the description, and the report
    is marked urgent. A cry is never the step's answer (a place, a date, the recruiter)."""
    return replace(step.data, danger_now=True,
                   text=_join(step.data.text, step.event.text)[:MAX_TEXT])


def _cried(reask: Callable[[Step, ReportData], Outcome]) -> StepFn:
    """A cry at a step with a question of its own: the question is asked again."""
    def cry(step: Step) -> Outcome:
        return reask(step, _with_cry(step)).with_line_first(msg(
            "I added this to your report and marked it urgent."))
    return cry


def _cried_at_danger(step: Step) -> Outcome:
    """A cry at "is someone in danger now?" is its answer."""
    return _ask_recruiter(step, _with_cry(step), before=(msg(
        "Your report will be marked urgent."),))


def _cried_at_country(step: Step) -> Outcome:
    """The one light question is never put twice: a cry that names no country declines it,
    one that names a place answers it («я в Бишкеке»)."""
    return country(replace(step, data=_with_cry(step)))


# Every step after "what" keeps a photo sent to it, then asks its question again.
LATER_STEPS: dict[str, StepFn] = {
    ReportState.TOPIC: keeps_photos(topic, _ask_topic),
    ReportState.WHERE: keeps_photos(where, _ask_where),
    ReportState.COUNTRY: keeps_photos(country, _ask_country),
    ReportState.WHEN: keeps_photos(when, _ask_when),
    ReportState.DANGER: keeps_photos(danger, _ask_danger),
    ReportState.RECRUITER: keeps_photos(recruiter, _ask_recruiter),
    ReportState.CONSENT: keeps_photos(consent, _ask_consent),
    ReportState.CONFIRM: keeps_photos(confirm, _summary),  # the summary, the photo counted
}


def _ask_what(step: Step, data: ReportData) -> Outcome:
    return _ask(step, data, ReportState.WHAT, msg(
        "Tell me what happened, paste the ad, or forward the message. You can also send "
        "photos of a flyer or a chat."), skip=False)


# The question of each step, asked again when a report left for another command comes back.
_QUESTIONS: dict[str, Callable[[Step, ReportData], Outcome]] = {
    ReportState.WHAT: _ask_what,
    ReportState.TOPIC: _ask_topic,
    ReportState.WHERE: _ask_where,
    ReportState.COUNTRY: _ask_country,
    ReportState.WHEN: _ask_when,
    ReportState.DANGER: _ask_danger,
    ReportState.RECRUITER: _ask_recruiter,
    ReportState.CONSENT: _ask_consent,
    ReportState.CONFIRM: _summary,
}


def has_draft(data: ReportData) -> bool:
    """Whether the draft holds anything the reporter wrote or sent (worth keeping)."""
    return bool(data.text or data.attachments)


def resume(step: Step) -> Outcome:
    """A report left for another command (/contacts in the middle of it) and opened again
    with /report: what it holds so far, then the question it was waiting on."""
    data: ReportData = step.data
    ask = _QUESTIONS.get(step.state, _ask_what)
    back = (msg("Your report is back, not sent yet: {text}", text=Quote(_short(data.text, 200)))
            if data.text else msg("Your report is back, not sent yet."))
    return ask(step, data).with_line_first(back)


# A cry at a later step (the description's own step takes it as the description).
ON_ALARM: dict[str, StepFn] = {
    ReportState.TOPIC: _cried(_ask_topic),
    ReportState.WHERE: _cried(_ask_where),
    ReportState.COUNTRY: _cried_at_country,
    ReportState.WHEN: _cried(_ask_when),
    ReportState.DANGER: _cried_at_danger,
    ReportState.RECRUITER: _cried(_ask_recruiter),
    ReportState.CONSENT: _cried(_ask_consent),
    ReportState.CONFIRM: _cried(_summary),
}
