"""The answer to a person in danger: emergency numbers of their country on the first line,
then discreet ways to get help, the nearest help when a place is known, and an offer to
report. Never "I don't understand", never advice about a job offer first.

The country comes from the place the message names (resolved exactly, never by a guess
that could name another country), else from the conversation; when neither is known the
answer does not wait: it lists the emergency numbers of every country where the person's
language is spoken among those the directory covers, and asks where they are.
"""

from __future__ import annotations

import re

from flows.distress.detector import Distress
from flows.flow import start_button
from flows.types import Bullets, Choice, Msg, Part, Quote, Reply, msg, text_reply
from flows.whom_to_call import (
    citizens_abroad_lines,
    contact_line,
    country_name,
    emergency_countries,
    emergency_for_countries,
    emergency_for_language,
    emergency_parts,
)
from referral_directory import Directory, Organisation, Topic, helplines


def distress_reply(alarm: Distress, lang: str, session: int, directory: Directory | None,
                   country: str | None, place: object | None = None,
                   local: tuple[Organisation, ...] = (), buttons: bool = True,
                   home: str | None = None, place_name: str = "",
                   reporting: bool = False, going_to: str | None = None) -> Reply:
    """``country``: where the person is, when known (from the place they named or their
    settings); ``place`` and ``local``: the resolved place and the organisations serving
    it, when the message named one. ``buttons`` False: the answer comes inside a step that
    shows its own buttons, so it names the command instead of a button it does not show.
    ``home``: the writer's own country (None: not known), when the one in danger is someone
    else elsewhere ("anak saya dibawa calo ke malaysia"): the numbers of both countries.
    ``place_name``: the place as the reader writes it («Москва», not "Moscow").
    ``reporting``: the message is part of an anonymous report under way.
    ``going_to``: where the writer says she is to be taken ("besok dibawa ke malaysia"),
    when where she is now is not known: its numbers after those of her language's
    countries (she is not there yet), and "where are you now?"."""
    # Another country's missions serve its citizens only ("KBRI Riyadh", for Indonesians).
    # Nearest help that works on what happens here first: a migrant locked in on a Moscow
    # building site gets Civic Assistance before a sexual-violence centre.
    wanted = {Topic.TRAFFICKING, Topic.FORCED_LABOUR, Topic.MIGRANT_WORKERS}
    if alarm.child:
        wanted.add(Topic.CHILD_SEXUAL_EXPLOITATION)
    local = tuple(sorted((o for o in local if o.serves_speakers_of(lang)),
                         key=lambda o: -len(wanted & set(o.topics))))
    parts: list[Part] = []
    if country and alarm.about_other and home != country:
        # Where she is, then where the writer is (or may be): who calls whom is theirs.
        parts += emergency_for_countries(
            directory, (country, *((home,) if home else emergency_countries(lang))), lang)
    elif country:
        parts += emergency_parts(directory, country)
    elif going_to:
        parts += emergency_for_countries(
            directory, tuple(dict.fromkeys((*emergency_countries(lang), going_to))), lang)
    else:
        parts += emergency_for_language(directory, lang)
    if alarm.about_other:
        # The one in danger is someone else (a neighbour, a sister): the writer is the one
        # who calls, and nobody checks the writer's phone.
        parts.append(msg("If they are in danger now, call these numbers for them, or pass "
                         "the numbers on to them if that is safe. Do not confront the people "
                         "who hold them: tell the police or a hotline where they are."))
    else:
        parts.append(msg("If you can, call now. If speaking is not safe, send a text message "
                         "to a hotline instead. Save the number under another name, and "
                         "delete this chat if someone checks your phone."))
    if alarm.self_harm:
        # The directory holds no checked suicide-prevention line: none is named (never
        # made up), but the thought is answered, at once, under the emergency numbers.
        parts.append(msg("You matter. If you are thinking of ending your life, call the "
                         "emergency number now, or tell someone you trust who is near you. I "
                         "have no checked suicide-prevention line to give you yet."))
    lines: list[Organisation] = []
    abroad = citizens_abroad_lines(directory, lang) if directory is not None else []
    if country and directory is not None:
        topics = [Topic.TRAFFICKING, Topic.FORCED_LABOUR, Topic.MIGRANT_WORKERS]
        if alarm.child:
            topics.insert(0, Topic.CHILD_SEXUAL_EXPLOITATION)
        # The nearest help is listed under its own heading below: not twice.
        near = {o.id for o in local[:2]}
        lines = [o for o in helplines(directory, country, topics, limit=2 + len(near),
                                      lang=lang) if o.id not in near][:2]
        own = home or ("ID" if lang == "id" else None)
        if alarm.about_other and own and own != country:
            # The writer calls from home: her own country's lines too (SAPA 129 for a
            # father in Indonesia whose daughter was taken to Malaysia).
            theirs = [o for o in helplines(directory, own, topics, limit=2, lang=lang)
                      if o not in lines]
            # A child being taken away: the child line at home acts first (SAPA 129 for a
            # sister of 14 a broker takes from Wonosobo towards Malaysia).
            lines = [*theirs, *lines] if alarm.child else [*lines, *theirs]
        away = [o for o in abroad if o.citizens_of != country]
        missions = [o for o in (*lines, *local[:2]) if o.citizens_of]
        if away and not missions:
            # An Indonesian abroad (or her family at home) can reach her own foreign
            # ministry's line for citizens abroad, wherever she is (Cambodia, Türkiye, a
            # factory in Penang whose country's hotline is for women and families), unless
            # her own mission there is listed already.
            lines += away[:1]
    elif not country:
        # Where she is, nobody knows yet (at sea off Somalia, in a flat abroad): an
        # Indonesian anywhere can reach her foreign ministry's line for citizens abroad.
        # Most who write in Indonesian are in Indonesia: its own lines come first (SAPA
        # 129 for a child), as the emergency line lists Indonesia first.
        if lang == "id" and directory is not None:
            topics = [Topic.TRAFFICKING, Topic.FORCED_LABOUR, Topic.MIGRANT_WORKERS]
            if alarm.child:
                topics.insert(0, Topic.CHILD_SEXUAL_EXPLOITATION)
            lines = helplines(directory, "ID", topics, limit=2, lang=lang)
        lines = [*lines, *abroad[:1]]
    if lines:
        parts.append(msg("*Whom to call:*"))
        parts.append(Bullets(tuple(contact_line(o, lang) for o in lines)))
    elif country and not local:
        # "I am in Dubai, agency took my passport": the directory has no checked line there
        # beyond the emergency numbers; say so, and name who can help, with no number.
        parts.append(msg("I have no checked helpline for {country} besides the emergency "
                         "numbers. The embassy or consulate of your own country there can "
                         "help its citizens: ask for its emergency line.",
                         country=Quote(country_name(country, lang))))
    if local:
        label = place_name or str(getattr(place, "name", ""))
        parts.append(msg("*Near {place}:*", place=Quote(label)))
        parts.append(Bullets(tuple(contact_line(o, lang) for o in local[:2])))
    if not country and buttons:
        parts.append(msg("Where are you now? Tap \"Find help near you\" and type your city or "
                         "region, and I will show the nearest help."))
    elif not country:
        parts.append(msg("Where are you now? Send /contacts and your city or region (for "
                         "example /contacts Jakarta), and I will show the nearest help."))
    if not reporting:
        # (A report already under way goes on below: it is not offered again.)
        parts.append(msg("When you are safe, you can report what happened anonymously: nobody "
                         "will know it was you."))
    choices: tuple[Choice, ...] = (
        start_button("contacts", msg("Find help near you"), session),
        start_button("report", msg("Report a tip anonymously"), session),
    ) if buttons else ()
    return text_reply(*parts, choices=choices)


_PHONE = re.compile(r"\d{3}")


def first_line_has_number(reply: Reply) -> bool:
    """For tests and checks: the answer's first paragraph shows a phone number (a quoted
    directory value with three digits in a row, not a count or a date)."""
    first = reply.parts[0] if reply.parts else None
    return isinstance(first, Msg) and any(
        isinstance(v, Quote) and _PHONE.search(v.text) for v in first.params.values())
