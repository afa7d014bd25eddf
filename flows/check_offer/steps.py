"""Steps of the "check an offer" flow."""

from __future__ import annotations

import logging

from babel import Locale, UnknownLocaleError

from flows import countries
from flows.check_offer import explain
from flows.check_offer.states import CheckData, CheckState
from flows.flow import Outcome, Step
from flows.red_flags import Analysis, Analyzer, risk_of
from flows.red_flags.detect import unread_language
from flows.red_flags.discourse import NO_OFFER
from flows.red_flags.discourse import Kind as Kind_
from flows.report.states import ReportData
from flows.screening.states import ScreenData
from flows.text import MAX_TEXT_CHARS
from flows.types import ChoiceStyle, Inbound, Kind, Msg, Part, Quote, Reply, msg, text_reply
from flows.whom_to_call import home_country, whom_to_call
from referral_directory import Directory

log = logging.getLogger(__name__)

SCREEN = "screen"
REPORT = "report"
# Shorter than this is a word or two, not an offer: ask for the whole text instead.
MIN_OFFER_CHARS = 12
EXCERPT_CHARS = 120  # of a picture's text, shown so the person sees whether it was read right


def entry(step: Step) -> Outcome:
    """Checks the text that came with the command or the forward, else asks for it."""
    text = _offer_text(step.event)
    if text is not None:
        return _analyse(step, text)
    return _ask(step)


def wait_text(step: Step) -> Outcome:
    """Checks the pasted or forwarded text."""
    text = _offer_text(step.event)
    if text is None:
        return _ask(step, again=True)
    return _analyse(step, text)


def result(step: Step) -> Outcome:
    """After an analysis: starts the questions, or checks another pasted offer."""
    if step.event.kind is Kind.CHOICE and step.event.choice == SCREEN:
        return Outcome(goto="screen", handoff=ScreenData(text_flags=list(step.data.flags)))
    if step.event.kind is Kind.CHOICE and step.event.choice == REPORT:
        return Outcome(goto="report", handoff=ReportData(text=step.data.text))
    text = _offer_text(step.event)
    if text is not None and not _about_the_offer(step, text):
        return _analyse(step, text)
    if step.event.kind is Kind.TEXT and step.event.text.strip():
        # «а ему 17 лет, это можно?», "they also keep the passport": a fact added to the
        # offer on screen that raises a sign of its own is checked with the offer.
        added = _with_what_was_added(step, step.event.text.strip())
        if added is not None:
            return _analyse(step, added)
        # "itu aman ga teh?", «это нормально?», a mistyped "4": about the offer on screen,
        # never a new verdict of "no warning signs" on the question, and its buttons stay
        # the ones shown.
        return _verdict_again(step)
    return _ask(step, again=True)


def _about_the_offer(step: Step, text: str) -> bool:
    """Whether a text typed after a result speaks of that offer rather than pasting a new
    one: no warning sign and nothing of a job of its own."""
    analysis = step.deps.analyzer.analyze(text, country=step.country or None)
    return not analysis.flags and (
        analysis.kind in NO_OFFER or not analysis.details or not analysis.advertises)


def _with_what_was_added(step: Step, text: str) -> str | None:
    """The offer with the text typed after its verdict, when together they raise a warning
    sign the offer alone did not; else None."""
    offer = step.data.text
    if not offer:
        return None
    combined = f"{offer}\n{text}"
    if len(combined) > MAX_TEXT_CHARS:
        return None
    analysis = step.deps.analyzer.analyze(combined, country=step.country or None)
    return combined if set(analysis.flag_ids) - set(step.data.flags) else None


def _verdict_again(step: Step) -> Outcome:
    """The verdict on the offer just checked, its signs and what to do, with its buttons."""
    flags: list[str] = list(step.data.flags)
    risk = risk_of(flags)
    # The same advice and whom to call as the first answer: the route facts depend on
    # where the job is, read again from the offer (the analyzer keeps recent analyses).
    destinations: tuple[str, ...] = ()
    if step.data.text:
        destinations = step.deps.analyzer.analyze(
            step.data.text, country=step.country or None).destinations
    parts = [msg("About the offer I just checked:"), explain.headline(risk, len(flags)),
             *explain.flag_parts_without_evidence(flags),
             *explain.advice_parts(risk, home_country(step.country, step.lang) or "",
                                   destinations, step.lang),
             *_whom_to_call(step.deps.directory, step.lang, tuple(flags), step.country,
                            abroad=bool(destinations))]
    buttons = (
        step.button(SCREEN, msg("Answer a few questions"), state=CheckState.RESULT),
        step.button(REPORT, msg("Report it"), state=CheckState.RESULT),
        step.start_button("contacts", msg("Find help near you")),
    )
    return Outcome(replies=(text_reply(*parts, choices=buttons, style=ChoiceStyle.BUTTONS),),
                   state=CheckState.RESULT, data=step.data)


def _offer_text(event: Inbound) -> str | None:
    if event.kind in (Kind.TEXT, Kind.FORWARD, Kind.MEDIA) and len(
            event.text) >= MIN_OFFER_CHARS:
        return event.text
    if event.kind is Kind.COMMAND and len(event.args.strip()) >= MIN_OFFER_CHARS:
        return event.args.strip()
    return None


def _ask(step: Step, again: bool = False) -> Outcome:
    lead = (msg("I could not find text I can read in this picture. Please type or paste the "
                "text of the offer.") if step.event.picture == "unreadable" else
            msg("Please paste the whole text of the offer, or forward the message here.")
            if again else
            msg("Paste the job offer here, or forward the message you received. I will "
                "tell you which warning signs I see. Do not include your own name or "
                "number."))
    return Outcome(replies=(text_reply(lead),), state=CheckState.WAIT_TEXT,
                   data=CheckData())


def _analyse(step: Step, text: str) -> Outcome:
    analyzer: Analyzer = step.deps.analyzer
    analysis = analyzer.analyze(text, country=step.country or None)
    return Outcome(replies=answer(step, analysis, text), state=CheckState.RESULT,
                   data=CheckData(flags=list(analysis.flag_ids), text=text))


def read_from_picture(event: Inbound) -> list[Msg]:
    """One line saying the text was read from a picture, with the start of what was read."""
    if event.picture != "read" or not event.picture_text:
        return []
    text = " ".join(event.picture_text.split())
    excerpt = text if len(text) <= EXCERPT_CHARS else (
        text[:EXCERPT_CHARS].rsplit(" ", 1)[0] + "…")
    return [msg("📷 I read this from the picture: \"{excerpt}\"", excerpt=Quote(excerpt))]


_NO_OFFER_LEAD = {
    "question": msg("This reads as a question, not as a job offer, so I have no verdict to give."),
    "warning": msg("This reads as a warning or advice, not as a job offer, so I have no verdict "
                   "to give."),
    "personal_news": msg("This reads as personal news, not as a job offer, so I have no verdict "
                         "to give."),
    "chat": msg("I see no job offer in this message, so I have no verdict to give."),
    # "niki wonten tawaran saking pak Slamet kangge putune kulo": an offer is announced, not
    # given; "no warning signs" about it would say more than the text does.
    "announced": msg("I see no details of a job in this message yet (what work, where, for "
                     "whom, what pay), so I have no verdict to give."),
}


def unread_parts(text: str, lang: str) -> list[Part]:
    """A text in a language the analyzer does not read (Kazakh, Kyrgyz, Tajik, Uzbek): said,
    before anything it found, so that few signs found is not read as few signs there."""
    code = unread_language(text)
    if code is None:
        return []
    try:
        name = Locale.parse(lang or "en").languages.get(code) or code
    except (ValueError, UnknownLocaleError):
        name = code
    return [msg("This text seems to be in another language ({language}). I read Russian, "
                "Indonesian and English, so I may miss warning signs in it: if you can, "
                "send it in Russian.", language=Quote(name))]


def no_offer_parts(analysis: Analysis, kind: str = "", unread: list[Part] | None = None
                   ) -> list[Part]:
    """A question, a warning or news mentions passports, fees or ages but offers no job: say
    so briefly and give the checklist, instead of a verdict on an offer that is not there.
    A text in a language not read (``unread``) gets that said, and the checklist."""
    if unread:
        return [*unread, msg("I have no verdict to give on it."), _checklist()]
    lead = _NO_OFFER_LEAD.get(kind or str(analysis.kind), _NO_OFFER_LEAD["chat"])
    checklist = _checklist()
    again = msg("If you received an offer, paste its whole text and I will check it.")
    # A question about a sign ("is it legal to keep my passport?") gets what the bot knows
    # of that sign, not only the list.
    about = ([msg("About what you ask:"), *explain.flag_parts_without_evidence(
        analysis.mentioned)] if analysis.kind is Kind_.QUESTION and analysis.mentioned else [])
    return [lead, *about, checklist, again]


def _checklist() -> Msg:
    return msg(
        "In any offer, these are warning signs: a fee before you start; costs taken back "
        "from your wages; someone else keeping your passport or phone; pay far above the "
        "usual; no employer name or address; a tourist visa for work; pressure to decide "
        "now; an offer to a child or to the parents of one.")


def no_offer_answer(step: Step, analysis: Analysis, kind: str = "",
                    unread: list[Part] | None = None) -> tuple[Reply, ...]:
    buttons = (
        step.button(SCREEN, msg("Answer a few questions"), state=CheckState.RESULT),
        step.start_button("learn", msg("Learn more")),
    )
    return (text_reply(*read_from_picture(step.event), *no_offer_parts(analysis, kind, unread),
                       choices=buttons, style=ChoiceStyle.BUTTONS),)


# whom_to_call's lines per (directory, language, flags, country): the directory is
# immutable (an operator's change loads a new one) and the lines depend on nothing else, so
# the same offers' contacts are not searched and formatted again (3.5% of a checked offer's
# CPU, issue #18). Keyed by the directory's id and checked by identity; bounded.
_CONTACTS: dict[tuple[int, str, tuple[str, ...], str, bool],
                tuple[object, tuple[Part, ...]]] = {}
_CONTACTS_MAX = 4096


def _whom_to_call(directory: Directory | None, lang: str, flags: tuple[str, ...],
                  country: str, abroad: bool = True, likely: str = "") -> tuple[Part, ...]:
    key = (id(directory), lang, flags, country, abroad, likely)
    found = _CONTACTS.get(key)
    if found is not None and found[0] is directory:
        return found[1]
    lines = tuple(whom_to_call(directory, lang, flags, country=country, abroad=abroad,
                               likely=likely))
    if len(_CONTACTS) >= _CONTACTS_MAX:
        _CONTACTS.clear()
    _CONTACTS[key] = (directory, lines)
    return lines


def _likely_home(step: Step, text: str) -> str:
    """While the country is unknown, the one the writer says she is from ("I'm from Osh"),
    else the one of the language she writes in (Kyrgyz: Kyrgyzstan); "" if neither."""
    if step.country or not text:
        return ""
    places = step.deps.places
    try:
        return countries.likely_home(text, places.gazetteer if places is not None else None)
    except Exception as exc:  # the gazetteer failed to load: the language's numbers only
        log.error("check.home_failed error=%s", type(exc).__name__)
        return countries.likely_home(text, None)


def _more_to_check(analysis: Analysis) -> list[Msg]:
    """«дочке 16 лет предлагают работу»: a sign told with no details of the job (what work,
    where, for whom, what pay): the verdict stands on that sign, and the rest is unchecked."""
    if analysis.details:
        return []
    return [msg("This message gives no details of the job yet (what work, where, for whom, "
                "what pay). Paste the whole offer when you have it, and I will check the "
                "rest.")]


def no_verdict(analysis: Analysis) -> str:
    """The kind of message that gets the checklist instead of a verdict, or ""."""
    if analysis.kind in NO_OFFER:
        return str(analysis.kind)
    if not analysis.flags and not analysis.details and not analysis.good_signs:
        # Nothing of the work, the place or the pay, no employer and no sign: an offer
        # spoken of, not shown.
        return "announced"
    return ""


def verdict_parts(analysis: Analysis, lang: str, country: str,
                  directory: Directory | None, likely: str = "") -> list[Part]:
    """The verdict on an offer, as the chat and ``analyze`` show it: its risk, each sign
    with its words, the good signs, what to do (the route facts of the person's country and
    the job's) and whom to call."""
    return [explain.headline(analysis.risk, len(analysis.flags)),
            *explain.flag_parts(analysis),
            *explain.good_sign_parts(analysis.good_signs, analysis.risk),
            *_more_to_check(analysis),
            *country_advice(analysis, lang, country, directory, likely)]


def country_advice(analysis: Analysis, lang: str, country: str,
                   directory: Directory | None, likely: str = "") -> list[Part]:
    """What to do and whom to call about a checked offer, for the person's country: the
    verdict's advice (its route facts) and lines, without its signs (also what /country
    after a verdict shows)."""
    return [*explain.advice_parts(analysis.risk, home_country(country, lang) or "",
                                  analysis.destinations, lang),
            *_whom_to_call(directory, lang, analysis.flag_ids, country,
                           abroad=bool(analysis.destinations), likely=likely)]


def answer(step: Step, analysis: Analysis, text: str = "") -> tuple[Reply, ...]:
    unread = unread_parts(text, step.lang)
    kind = no_verdict(analysis)
    if kind or (unread and not analysis.flags):
        # («паспортуңду бизге бересиң» had been told "I did not find warning signs")
        return no_offer_answer(step, analysis, kind, unread)
    parts = [*read_from_picture(step.event), *unread,
             *verdict_parts(analysis, step.lang, step.country, step.deps.directory,
                            likely=_likely_home(step, text))]
    buttons = (
        step.button(SCREEN, msg("Answer a few questions"), state=CheckState.RESULT),
        step.button(REPORT, msg("Report it"), state=CheckState.RESULT),
        step.start_button("learn", msg("Learn more")),
    )
    # One message: a chat shows it as one answer, and Telegram's per-chat limits are spared;
    # the channel splits it when it is longer than a message may be.
    return (text_reply(*parts, choices=buttons, style=ChoiceStyle.BUTTONS),)
