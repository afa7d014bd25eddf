"""The conversation engine: routes one event to one flow step, purely.

``Engine.handle(conversation, event) -> Result`` never performs I/O: the runtime
(``bot/runtime.py``) loads the conversation, calls this, saves the new conversation,
performs the effects and only then sends the replies.

Routing, in order:
1. text is cleaned; empty, binary or over-long input gets a polite answer and changes nothing;
2. the commands every conversation has (``/start``, ``/help``, ``/cancel``, ``/menu``),
   then each flow's entry commands; an unknown command gets a hint;
3. a button press is unpacked and refused as stale unless its session (and, for a flow's
   own buttons, its flow and state) match the conversation;
4. any other event goes to the active flow's current step; with no active flow, a longer
   text or a forwarded message is treated as an offer to check, anything else shows the menu.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from flows import menu
from flows.check_offer.states import CheckState
from flows.check_offer.steps import country_advice
from flows.countries import (
    DECLINED,
    OTHER,
    QUESTION_STATE,
    country_in_answer,
    country_question,
    country_where,
    exact_place,
    latin_russian_place,
    likely_home,
    origin_country,
    resolve_country,
    writer_country,
)
from flows.deps import FlowDeps
from flows.distress import Distress, DistressDetector
from flows.distress.answer import distress_reply
from flows.distress.detector import unknown_russian_in_latin
from flows.flow import MEMORY_PREFIX, Effect, Flow, Outcome, Step, dump_data
from flows.intents import intent_of, receipt_in, tip_in_wish
from flows.locale import DEFAULT, NATIVE_NAMES, normalise_locale
from flows.payload import ANY_STATE, GLOBAL_FLOW, Payload, PayloadError
from flows.red_flags.detect import reads_uzbek, unread_language
from flows.red_flags.discourse import Kind as MessageKind
from flows.text import MAX_TEXT_CHARS, THANKS, clean_text, looks_like_binary
from flows.types import Inbound, Kind, Msg, Part, Quote, Reply, msg, text_reply
from flows.whom_to_call import (
    ask_country,
    country_name,
    emergency_for_language,
    emergency_parts,
)
from referral_directory import emergency as emergency_orgs

log = logging.getLogger(__name__)

# Chained hand-overs between flows (a menu button that starts a flow that hands on) stop
# here, so that a mistake in a table can never loop forever.
_MAX_GOTO = 4
# The flows whose answers depend on the country: the first time one starts while the country
# is unknown, the answer comes first, then one light question with buttons. "contacts" and
# "report" ask it themselves where it first matters (no place given: Step.country_unasked).
_ASK_COUNTRY_AFTER = frozenset({"check"})
# The check flow's state after a verdict: its buttons wait for nothing.
_VERDICT_STATE = str(CheckState.RESULT)
# The flows whose typed answers are short (a place, a topic, a lesson's number): an offer
# pasted there is checked.
_OFFERS_CHECKED_FROM = frozenset({"contacts", "learn"})
# Flows a cry ends: their step takes only its buttons, and "I cannot answer typed questions
# here" or "please answer with the buttons" under an emergency answer reads as a rebuff.
_CRY_ENDS = frozenset({"learn", "screen"})
# Words a one-line offer has at least ("дочке 16 лет предлагают работу"): fewer are a word
# or two to answer, not an offer to check.
_SHORT_OFFER_WORDS = 4
# "aku di kupang", «я в Оше живу», "im in taipei", "kulo wonten Wonogiri": where one is.
_SAYS_WHERE = re.compile(
    r"^\W*(?:aku|saya|sy|gue|gw|kami|abdi|kulo|kula|я|мы|i am|i'm|im|we are|we're)\s+"
    r"(?:lagi\s+|sekarang\s+|skrg\s+|сейчас\s+|now\s+)?(?:di|wonten|в|во|in|at)\s+\w",
    re.IGNORECASE)
# "mau nanya", "boleh tanya", «хочу спросить», "can i ask": a question is coming.
_ASKING = re.compile(r"\b(?:mau|boleh|ingin|pengen|numpang)\s+(?:nanya|tanya|bertanya)\b|"
                     r"(?:хочу|можно)\s+(?:спросить|задать вопрос)|"
                     r"\b(?:can|may)\s+i\s+ask\b|\bi\s+have\s+a\s+question\b", re.IGNORECASE)
# "ini bot apa?", «что это за бот?», "what is this bot", "kamu siapa": what the bot is.
_ABOUT_BOT = re.compile(
    r"^\W*(?:(?:ini|itu)\s+(?:bot|akun|aplikasi)\s+apa|(?:bot|akun)\s+(?:ini\s+)?apa(?:\s+ini)?|"
    r"(?:ini|itu)\s+apa(?:\s+ya)?|(?:kamu|anda|km)\s+(?:siapa|itu\s+apa|bot)|"
    r"(?:бот\s+|(?:а\s+)?это\s+)?(?:что|чё|че)\s+(?:это\s+)?за\s+бот|(?:кто|что)\s+(?:ты|вы)(?:\s+такой|"
    r"\s+такое)?|что\s+(?:ты|вы)\s+умеете?|что\s+(?:ты\s+)?умеешь|"
    r"what\s+(?:is|s)\s+this(?:\s+bot)?|who\s+are\s+you|what\s+(?:are|r)\s+(?:you|u)|"
    r"what\s+(?:can|do)\s+you\s+do|what\s+is\s+this\s+(?:bot|chat|account)|bot\s+apaan)"
    r"(?:\s+(?:kak|min|admin|sih|ya|dong|bro|bot|nih|вообще|такой|такое|ваще|anyway))?[\s?!.]*$",
    re.IGNORECASE)
# Who is behind it: "who made you?", «кто тебя создал», "siapa yang bikin bot ini".
_WHO_MADE = re.compile(
    r"^\W*(?:"
    # "are you a real person?", «ты человек?», "kamu manusia asli?"
    r"(?:are|r)\s+(?:you|u)\s+(?:a\s+)?(?:real\s+)?(?:person|human|bot|robot)|"
    r"(?:ты|вы)\s+(?:живой\s+|настоящий\s+|реальный\s+)?(?:человек|бот|робот)|"
    r"(?:kamu|km|anda)\s+(?:manusia|orang|robot|bot)(?:\s+(?:asli|beneran))?|who\s+(?:made|built|created|runs|owns)\s+(?:you|this(?:\s+bot)?)|"
    r"кто\s+(?:тебя|вас|этот\s+бот)\s+(?:сделал|создал|придумал|написал|ведёт|ведет)|"
    r"кто\s+(?:сделал|создал|ведёт|ведет)\s+(?:тебя|вас|этот\s+бот|бота)|"
    r"siapa\s+(?:yang\s+)?(?:bikin|buat|membuat|punya|ngelola|mengelola)\s+(?:kamu|bot\s+ini|ini|akun\s+ini))"
    r"(?:\s+(?:kak|min|admin|sih|ya|dong|bro|вообще|такой|ваще))?[\s?!.]*$",
    re.IGNORECASE)
# "ga bisa nelpon", "cuma bisa wa", "can't call", «не могу звонить»: no voice call.
_CANNOT_CALL = re.compile(
    r"\b(?:(?:tidak|gak|ga|gk|nggak|ngga|gabisa|gbs)\s*(?:bisa\s+)?(?:nelpon|telpon|telepon)|"
    r"cuma\s+bisa\s+(?:wa|chat|sms)|can'?t\s+call|cannot\s+call|only\s+(?:whatsapp|chat|sms))|"
    r"не\s+могу\s+(?:звонить|позвонить)|только\s+(?:ватсап|whatsapp|писать)", re.IGNORECASE)
# After an emergency answer, this many of the person's next messages are read as part of
# the same crisis (conversation data, so it holds across workers), unless one starts a flow.
_CRISIS = "crisis"
# A draft left for another command (a report half written when /contacts came): its flow,
# step and data, kept in the conversation's data until its command opens it again, /cancel
# drops it, or the conversation expires with it.
_PAUSED = "paused"
_CRISIS_FOLLOW_UPS = 5
_LANGUAGES = frozenset({"id", "ru", "en"})
# A command typed in the middle of a report or a check (/country, /lang): the step still
# waits for its answer.
_STILL_WAITING = msg("We are still on the question above: answer it to go on, or send "
                     "/cancel to stop.")
_CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
# "is this job safe?", "aman gak ya?", «это не развод?» with no offer in it: the person means
# to check one, so the answer asks for its text and the next message is checked.
_ASKS_CHECK = re.compile(
    r"\b(?:is\s+(?:this|it|that)\s+(?:job\s+|offer\s+|agency\s+)?(?:safe|legit|real|a scam|"
    r"ok|okay|normal)|(?:can|could)\s+you\s+check|check\s+(?:this|a|my)\s+(?:job|offer)|"
    r"aman\s+(?:gak|ga|gk|nggak|ngga|enggak|tidak|ndak|ora|teu)|(?:ini|itu)\s+aman|"
    r"(?:cek|cekin|periksa)\s+(?:lowongan|loker|tawaran|info)|penipuan\s+(?:gak|ga|bukan|"
    r"nggak|tidak)|(?:ini|itu)\s+(?:penipuan|beneran|asli)|"
    r"это\s+(?:безопасно|нормально|развод|не\s+развод|обман|не\s+обман|правда)|"
    r"провер(?:ьте|ь|ить)\s+(?:вакансию|предложение|объявление|работу))", re.IGNORECASE)
# A greeting on its own gets the welcome, not "I did not understand".
_GREETING = re.compile(
    r"(?:h[ae]l+o+|hi+|hey+|hai+|good (?:morning|afternoon|evening|day)|selamat "
    r"(?:pagi|siang|sore|malam)|as+alamu?\s?alaikum|asalamualaikum|"
    r"(?:as+)?salamu?[\s'-]?(?:al[ae]y?kum|aleikum|alaikum)|salam|permisi|punten|"
    # Javanese and Sundanese greetings, Uzbek and Tajik ones in Latin letters, a bare
    # "kak" or "mbak" that calls the admin
    r"sugeng (?:enjing|enjang|siang|sonten|ndalu|dalu)|wilujeng (?:enjing|siang|sonten|wengi)|"
    r"as+alomu? ?al[ae]ykum|salom(?: al[ae]ykum)?|kak|mbak|mas|min|"
    r"привет|здравствуй(?:те)?|добрый (?:день|вечер)|доброе утро|салам|ассалому алейкум|"
    r"салом|ассалом(?:у)? ал[еа]йкум|салам ал[еа]йкум|"
    # Kazakh and Kyrgyz greetings (Central Asians read the bot in Russian)
    r"сәлем(?:етсіз бе)?|салем(?:етсиз бе)?|саламатсызбы|саламатсыңбы|салам алейкум)"
    r"(?:\s+(?:kak|mbak|mas|bang|admin|min|bot|there|all|po|brat|aka|opa))?[\s!.,?🙏]*",
    re.IGNORECASE)
_COUNTRY_STATE = QUESTION_STATE
# A first greeting too short to detect says its language: "hi" is no Indonesian (a
# Filipina in Taipei was welcomed in Indonesian), «привет» Russian, "selamat pagi"
# Indonesian, "salom" and "assalomu alaykum" (Uzbek, Tajik) Russian; "salam" and
# "assalamualaikum" are everyone's and say nothing.
_GREETING_LANGUAGES = (
    ("en", re.compile(r"(?:hel+o+|hi+|hey+|good (?:morning|afternoon|evening))\b", re.I)),
    # Uzbek and Tajik greetings: Central Asians read the bot in Russian.
    ("ru", re.compile(r"(?:привет|здравствуй|добр(?:ый|ое)|салом|ассалом|salom|as+alomu?|"
                      r"сәлем|салем|саламат)", re.I)),
    ("id", re.compile(r"(?:hai+|hal+o+|selamat|permisi|punten|sugeng|wilujeng|kak|mbak|"
                      r"mas|min)\b", re.I)),
)


def _greeting_language(text: str) -> str | None:
    """The language of a text that is only a greeting, when the greeting tells it."""
    stripped = text.strip()
    if not _GREETING.fullmatch(stripped):
        return None
    return next((lang for lang, pattern in _GREETING_LANGUAGES if pattern.match(stripped)),
                None)


# The languages thanks are said in ("thank u" first had its answer in Indonesian); the
# Central Asian words are answered in Russian, as their cries are.
_THANKS_LANGUAGES = (
    ("en", re.compile(r"\W*(?:thanks?|thank (?:you|u)|thx|ty)\b", re.IGNORECASE)),
    ("ru", re.compile(r"\W*(?:спасибо|спасибки|спс|благодарю|spasibo|spasib|spsb|рахмат|"
                      r"raxmat|rahmat|rakhmat|рақмет|rakhmet|рахмет|ташаккур|tashakkur)",
                      re.IGNORECASE)),
    ("id", re.compile(r"\W*(?:makasih|makasi|mksh|terima ?kasih|trims|tq|matur|suwun|hatur|"
                      r"nuhun)\b", re.IGNORECASE)),
)


def _thanks_language(text: str) -> str | None:
    """The language of a short text that says thanks, when its word tells it."""
    if len(text) > _THANKS_CHARS:
        return None
    return next((lang for lang, pattern in _THANKS_LANGUAGES if pattern.match(text)), None)


_THANKS_CHARS = 40


@dataclass(frozen=True, slots=True)
class Conversation:
    """What the store keeps per conversation: the active flow, its state and data."""

    flow: str = ""
    state: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)
    session: int = 0
    lang: str = ""
    # Where the person is (ISO 3166-1 alpha-2), once they said or named a place: numbers,
    # routes and warnings follow it. "" while unknown. Not an identifier.
    # flows.countries.DECLINED once the question was asked and not answered with a country:
    # never asked again, and read as unknown (``known_country``).
    country: str = ""

    @property
    def known_country(self) -> str:
        return "" if self.country == DECLINED else self.country

    @property
    def idle(self) -> bool:
        return not self.flow


@dataclass(frozen=True, slots=True)
class Result:
    conversation: Conversation
    replies: tuple[Reply, ...]
    effects: tuple[Effect, ...] = ()
    # The language the replies are in when the conversation keeps none yet (a first /start
    # or "salam" answered in the default, to be told by the next real message).
    shown_lang: str = ""
    # The flow's own step ended it (a report sent), as opposed to a command that left it.
    ended: bool = False

    @property
    def lang(self) -> str:
        return self.conversation.lang or self.shown_lang


class Engine:
    """Routes events to flows. Flows are given as a list; their names and codes must be unique.

    :param flows: every flow the bot offers.
    :param deps: read-only dependencies handed to each step.
    :param offer_flow: the flow that receives a longer free text or a forwarded message
        when no flow is active (the "check an offer" flow, once it exists).
    :param detect_language: guesses the language of a first message when the user has not
        chosen one and the transport gave no hint.
    """

    def __init__(
        self,
        flows: Sequence[Flow],
        deps: FlowDeps,
        *,
        offer_flow: str | None = "check",
        min_offer_chars: int = 40,
        detect_language: Callable[[str], str | None] | None = None,
    ) -> None:
        self._flows: dict[str, Flow] = {}
        self._by_code: dict[str, Flow] = {}
        self._by_command: dict[str, Flow] = {}
        for flow in flows:
            if flow.name in self._flows or flow.code in self._by_code or flow.code == GLOBAL_FLOW:
                raise ValueError(f"duplicate or reserved flow name/code: {flow.name}/{flow.code}")
            self._flows[flow.name] = flow
            self._by_code[flow.code] = flow
            for command in flow.commands:
                if command in self._by_command or command in menu.ENGINE_COMMANDS:
                    raise ValueError(f"command /{command} is claimed twice")
                self._by_command[command] = flow
        self._deps = deps
        self._offer_flow = offer_flow if offer_flow in self._flows else None
        self._min_offer_chars = min_offer_chars
        self._detect = detect_language
        # Flows whose typed text may be a wish of another flow: after a check, in "learn",
        # and a report asked for inside "find help" ("i want to report my company").
        self._wishes_from = frozenset(f for f in (self._offer_flow, "learn", "contacts") if f)

    @property
    def flows(self) -> Mapping[str, Flow]:
        return self._flows

    def commands(self) -> tuple[str, ...]:
        """Every chat command the engine answers, for menus and help."""
        return (*menu.ENGINE_COMMANDS, *self._by_command)

    # -- entry point -------------------------------------------------------------------

    def handle(self, conv: Conversation, event: Inbound) -> Result:
        if conv.lang:
            return self._handle(conv, event)
        # First contact: the language the message tells, else the default.
        told = self._first_language(event)
        result = self._handle(replace(conv, lang=told or DEFAULT), event)
        if (not told and result.conversation.lang == DEFAULT
                and not (event.kind is Kind.COMMAND and event.command.lower() == "lang")
                and event.kind in (Kind.TEXT, Kind.COMMAND, Kind.CHOICE)):
            # Nothing told the language (a console /start, "salam", "assalomu alaykum", a
            # button of the menu shown in the default): answered in the default, but not
            # fixed, so that the next real message's language («ya v koree rabotayu…», an
            # offer in Russian pasted in a lesson) decides.
            return replace(result, conversation=replace(result.conversation, lang=""),
                           shown_lang=DEFAULT)
        return result

    def _handle(self, conv: Conversation, event: Inbound) -> Result:
        return self._keep_draft(conv, event, self._handle_one(conv, event))

    def _keep_draft(self, before: Conversation, event: Inbound, result: Result) -> Result:
        """A draft the event left (another command in the middle of a report) is kept, and
        said so; a draft kept earlier stays until its flow opens again or /cancel."""
        if event.kind is Kind.COMMAND and event.command.lower() == "cancel":
            return result
        after = result.conversation
        paused = before.data.get(_PAUSED)
        flow = self._flows.get(before.flow)
        if (flow is not None and flow.keeps_draft is not None and flow.resume is not None
                and after.flow != flow.name and not result.ended
                and flow.keeps_draft(flow.load_data(before.data))):
            # (memory-only fields stay in memory: the store writes this nested copy)
            paused = {"flow": flow.name, "state": before.state,
                      "data": {k: v for k, v in before.data.items()
                               if not k.startswith(MEMORY_PREFIX) and k != _PAUSED}}
            # Last: an emergency answer that left the report keeps its numbers first.
            kept = text_reply(msg("Your report is not sent, and I kept it: send /{command} "
                                  "to go on with it, or /cancel to drop it.",
                                  command=flow.commands[0] if flow.commands else flow.name))
            result = replace(result, replies=(*result.replies, kept))
        if not paused or after.flow == paused["flow"] or _PAUSED in after.data:
            return result
        return replace(result, conversation=replace(after, data={**after.data,
                                                                 _PAUSED: paused}))

    def _handle_one(self, conv: Conversation, event: Inbound) -> Result:
        if event.kind in (Kind.TEXT, Kind.FORWARD) or (event.kind is Kind.MEDIA and event.text):
            if looks_like_binary(event.text):
                return self._say(conv, msg("I could not read that message. Please send it "
                                           "as plain text."))
            text = clean_text(event.text)
            if not text:
                return self._say(conv, msg("I received an empty message. Please type or "
                                           "paste your text."))
            if len(text) > MAX_TEXT_CHARS:
                # Danger is read before anything else, even in a text too long to check.
                head = replace(event, text=text[:MAX_TEXT_CHARS])
                alarm = self._alarm(head)
                if alarm is not None:
                    return self._with_alarm(conv, head, alarm)
                return self._say(conv, msg("That message is too long for me ({size} "
                                           "characters; at most {limit}). Please send the "
                                           "most important part.",
                                           size=len(text), limit=MAX_TEXT_CHARS))
            event = replace(event, text=text)
        alarm = self._alarm(event)
        if alarm is not None and alarm.classes == ("unspecified",) and event.text and (
                unread_language(event.text) is not None) and self._offer_with_signs(
                    event.text, conv.known_country or None):
            # The statistical reading learnt Indonesian, Russian and English: on an offer
            # with warning signs in Uzbek or Kazakh ("ish bor, oylik 2000 dollar,
            # pasportni biz saqlaymiz") it has nothing to say, and the offer is checked
            # instead (a cry in those languages, "men qamalib qoldim… yordam bering", or
            # with an offer in it and no sign, is still one; labelled sets: none lost).
            alarm = None
        if alarm is not None and alarm.classes == ("unspecified",) and conv.flow == "report":
            # Inside a report the person answers its questions («да, девочкам 17 лет») and
            # its danger step shows the numbers: the statistical reading alone, with no
            # signal the concepts name, does not interrupt it.
            alarm = None
        if alarm is not None:
            return self._with_alarm(conv, event, alarm)
        return self._route(conv, event)

    def _route(self, conv: Conversation, event: Inbound) -> Result:
        if event.kind is Kind.COMMAND:
            return self._command(conv, event)
        if event.kind is Kind.CHOICE:
            return self._choice(conv, event)
        if event.kind in (Kind.MEDIA, Kind.UNSUPPORTED, Kind.LOCATION) and conv.idle and not (
                event.kind is Kind.MEDIA and event.text):
            if event.picture == "unreadable":  # a picture read, with no text found in it
                return self._say(conv, msg("I could not find text I can read in this "
                                           "picture. Please type or paste the text of the "
                                           "offer."))
            return self._say(conv, msg("I can only read text. Please type your message or "
                                       "paste the text of the offer."))
        if event.kind is Kind.TEXT and (conv.idle or conv.flow in self._wishes_from):
            # "mau lapor", «можно пожаловаться анонимно», "aku di garut": what the text asks
            # for, before the crisis follow-up or a typed country (the place said as where
            # one is then finds the help there, and saves the country).
            wished = self._wish(conv, event)
            if wished is not None:
                return wished
        if event.kind is Kind.TEXT and conv.idle and conv.data.get(_CRISIS):
            return self._crisis_follow_up(conv, event)
        if event.kind is Kind.TEXT and conv.country == DECLINED and (
                conv.idle or conv.flow in _ASK_COUNTRY_AFTER):
            # The answer typed to the one question ("Hongkong", "я в Бишкеке"), or after
            # "Another country": saved, where a short text would only be "paste the offer".
            code = self._typed_country(event.text)
            if code is not None:
                return self._country(conv, code)
        if (event.kind in (Kind.TEXT, Kind.FORWARD) and conv.flow in _OFFERS_CHECKED_FROM
                and self._offer_flow is not None and self._pasted_offer(event.text, conv)):
            # An offer pasted while find help asks for a place or a topic, or while a lesson
            # is open: checked, not read as a place ("…di Malaysia, gaji 20 juta" had become
            # "Place: Malaysia") nor as a wrong answer.
            return self._start(self._idle(conv), self._flows[self._offer_flow], event)
        if not conv.idle and conv.flow in self._flows:
            flow = self._flows[conv.flow]
            step = flow.steps.get(conv.state)
            if step is not None:
                return self._run(conv, flow, step, event)
            conv = self._idle(conv)  # a state this version no longer has: start afresh
        return self._idle_event(conv, event)

    # -- distress ----------------------------------------------------------------------

    def _alarm(self, event: Inbound) -> Distress | None:
        """Distress triage runs on every text a person sends, in any flow and state."""
        detector: DistressDetector | None = self._deps.distress
        if detector is None:
            return None
        if event.kind in (Kind.TEXT, Kind.FORWARD, Kind.MEDIA):
            text = event.text
        elif event.kind is Kind.COMMAND and event.command.lower() in ("check", "report"):
            text = event.args
        else:
            return None
        try:
            return detector.detect(text) if text else None
        except Exception as exc:
            # A broken detector must not cost every message its answer: the flows go on,
            # and their "I did not understand" carries the emergency line.
            log.error("distress.triage_failed error=%s", type(exc).__name__)
            return None

    def _with_alarm(self, conv: Conversation, event: Inbound, alarm: Distress) -> Result:
        """The emergency answer first; then what the message also asked for: the analysis
        of an offer it carries, or the next step of the flow the person is in. A short cry
        on its own gets the emergency answer alone, never "I don't understand"."""
        text = event.text if event.kind is not Kind.COMMAND else event.args
        # An advertisement ("Работа официанткой в Дубае, паспорт у работодателя") names
        # where the job is, not where the reader is, and still deserves its analysis.
        try:
            advert, advertises = self._reads_as_advert(text, conv.known_country or None)
            # The country the text says it is in ("di Cina", "aku di kamboja"), read once.
            where = None if advert else country_where(text)
            place, local = self._place_of(text, where) if not advert else (None, ())
        except Exception as exc:
            # The emergency answer never waits on the analyzer, the gazetteer or the
            # dictionaries: if one failed to load, the answer comes without what they add.
            log.error("distress.optional_part_failed error=%s", type(exc).__name__)
            advert, advertises, where, place, local = False, False, None, None, ()
        conv = self._in_language_of(conv, text)
        going: str | None = None
        if place is None and where is None and not advert:
            # "besok mau dibawa om ke malaysia", «отправляет меня в Дубай»: where she is to
            # be taken. Someone else taken there is in danger there; the writer herself is
            # still where she is, which the destination's numbers alone would not reach.
            dest, dest_local, going = self._destination_of(text)
            if alarm.about_other:
                place, local, where, going = dest, dest_local, going, None
        # Where the one in danger is: the numbers and the nearest help of that country.
        there = place.country if place is not None else where
        if there is not None:
            if not alarm.about_other:
                conv = replace(conv, country=there)  # "я в Бишкеке", "aku di kamboja"
            # else "adik saya dikurung di Riyadh": the sister is there, the writer may well
            # be at home; the answer gives Riyadh's numbers, the conversation keeps its own.
        elif not conv.country and (conv.idle or conv.flow in _ASK_COUNTRY_AFTER):
            # The answer asks where they are: the place typed next is read as the answer
            # ("aku di selangor malaysia", «я в Бишкеке»), not as "I don't understand".
            # (A report or a search asks for the place itself.)
            conv = replace(conv, country=DECLINED)
        country = there if there is not None else (conv.known_country or None)
        home = conv.known_country or None
        if home is None and alarm.about_other and there is not None:
            # "adikku dibawa calo dari wonosobo… di malaysia": the writer tells it from
            # home, so the numbers of both countries, hers too.
            home = self._origin_country(text)
        mine = self._writer_country(text) if there is not None else None
        if mine is not None and mine != there:
            # «я в Бишкеке. дочь в Дубае заперли»: the writer is at home, her daughter in
            # danger elsewhere: both countries' numbers, and the writer's country is kept.
            alarm = replace(alarm, about_other=True)
            home = mine
            conv = replace(conv, country=mine)

        def emergency_answer(buttons: bool) -> Reply:
            return distress_reply(alarm, conv.lang, conv.session, self._deps.directory,
                                  country, place, local, buttons=buttons, home=home,
                                  place_name=self._shown(place, conv.lang),
                                  reporting=conv.flow == "report", going_to=going)

        # Only an offer is analysed after it: "they took my passport" is no job to judge.
        # A cry that names pay or work ("zarplatu ne platyat", «зарплату не дают») offers
        # nothing: the analysis follows only a text that hires, pays or gives a contact.
        wants_check = event.kind is Kind.FORWARD or (
            (alarm.offer or advert) and advertises and len(event.text) >= self._min_offer_chars)
        if event.kind is not Kind.COMMAND and not wants_check and (
                conv.idle or conv.flow == self._offer_flow or conv.flow in _CRY_ENDS):
            # A cry after a checked offer is no new offer to check: the emergency answer
            # alone, never "I see no job offer here" under it. What she writes next is read
            # as part of the same crisis (``_crisis_follow_up``).
            return Result(replace(self._idle(conv), data={_CRISIS: _CRISIS_FOLLOW_UPS}),
                          (emergency_answer(buttons=True),))
        try:
            flow = self._flows.get(conv.flow)
            cried = flow.on_alarm.get(conv.state) if flow is not None and (
                event.kind is Kind.TEXT) else None
            then = (self._run(conv, flow, cried, event) if flow is not None and cried
                    else self._route(conv, event))
        except Exception as exc:
            log.error("distress.then_failed error=%s", type(exc).__name__)
            return Result(conv, (emergency_answer(buttons=True),))
        # When the step goes on with its own buttons ("What is it about?" in a report), the
        # emergency answer keeps its numbers and gives up its buttons, so that "1" is the
        # step's first choice and not "Find help near you", which would leave the report.
        first = emergency_answer(buttons=not any(reply.choices for reply in then.replies))
        return Result(then.conversation, (first, *then.replies), then.effects)

    def _shown(self, place: Any, lang: str) -> str:
        """A place's name in the reader's script («Москва» for a Russian reader)."""
        index = self._deps.places
        if place is None or index is None:
            return ""
        return index.gazetteer.shown_name(place, lang)

    def _wish(self, conv: Conversation, event: Inbound) -> Result | None:
        """A short text that names what it wants ("lapor", «куда звонить?», "aku di
        kupang") starts that flow, as its command would; None for anything else."""
        text = event.text.strip()
        if len(text) >= 2 * self._min_offer_chars:
            return None
        wish, args = intent_of(text), ""
        if conv.flow == "contacts" and wish != "report":
            return None  # in find help a typed text is its place, or the step's own answer
        if wish is not None and len(text) >= self._min_offer_chars:
            # "what number can i call for labor complaint" asks; an advert that says "hubungi
            # siapa saja" hires: it is checked.
            # A report asked for ("sy relawan di kupang, mau lapor ttg perekrut") yields only to
            # an advert with warning signs, which is checked first.
            try:
                flagged, advertises = self._reads_as_advert(text, conv.known_country or None)
                if flagged or (advertises and wish != "report"):
                    return None
            except Exception as exc:
                log.error("wish.analysis_failed error=%s", type(exc).__name__)
                return None
        if wish == "status":
            args = receipt_in(text) or ""  # the code alone: its status, as /status CODE
        elif wish is None and _SAYS_WHERE.match(text):
            wish, args = "contacts", text  # «я в Оше живу»: help near the place she names
        elif wish == "contacts" and self._names_a_place(text):
            args = text  # «куда звонить в Корее?», "nomor kbri di riyadh": help there
        if conv.data.get(_CRISIS) and wish == "contacts":
            return None  # "nomor kbri brp?", "aku di riyadh" in a crisis: its answer names them
        flow = self._flows.get(wish) if wish else None
        if flow is None:
            return None
        said = tip_in_wish(text) if wish == "report" else event.text
        return self._start(self._idle(conv), flow, replace(event, text=said, args=args))

    def _crisis_follow_up(self, conv: Conversation, event: Inbound) -> Result:
        """A message soon after an emergency answer, which the triage did not read as a new
        cry: "nomor kbri brp kak?", «что делать», "aku di riyadh, daerah al olaya", "gaji 4
        bulan blm dibayar". Never "I don't understand" and never a verdict on an offer: the
        numbers and whom to call again, for the place she names now if she names one. An
        advert pasted now is checked as any advert; thanks end the crisis kindly."""
        text = event.text
        left = int(conv.data.get(_CRISIS, 0)) - 1
        conv = replace(conv, data={_CRISIS: left} if left > 0 else {})
        if THANKS.search(text) and len(text) < self._min_offer_chars:
            return self._with_menu(replace(conv, data={}), msg(
                "Take care. If you need help again, write here at any time."))
        try:
            advert, advertises = self._reads_as_advert(text, conv.known_country or None)
            if advert and advertises and len(text) >= self._min_offer_chars:
                return self._idle_event(replace(conv, data={}), event)
            where = country_where(text)
            place, local = self._place_of(text, where)
            # A country named in passing ("kami 6 org indonesia di kapal ini") is no answer
            # to "where are you?": only a short answer or one that says where one is.
            typed = (self._typed_country(text) if place is None and where is None and (
                len(text.split()) <= 3 or _SAYS_WHERE.match(text)) else None)
        except Exception as exc:
            log.error("crisis.place_failed error=%s", type(exc).__name__)
            place, local, where, typed = None, (), None, None
        there = place.country if place is not None else (where or typed)
        if there is not None:
            conv = replace(conv, country=there)  # "aku di riyadh": where she is now
        alarm = Distress(("follow_up",), (), child=False)
        reply = distress_reply(alarm, conv.lang, conv.session, self._deps.directory,
                               conv.known_country or None, place, local,
                               place_name=self._shown(place, conv.lang))
        if _CANNOT_CALL.search(text):
            # "sy ga bisa nelpon, cuma bisa wa": not "call now" again without a word on it.
            # The emergency numbers stay first.
            reply = replace(reply, parts=(*reply.parts[:1], msg(
                "If you cannot call, write instead: the lines marked WhatsApp take messages, "
                "and a text message (SMS) needs no internet."), *reply.parts[1:]))
        return Result(conv, (reply,))

    def _writer_country(self, text: str) -> str | None:
        return self._gazetteer_read(writer_country, text, "distress.writer_place_failed")

    def _origin_country(self, text: str) -> str | None:
        return self._gazetteer_read(origin_country, text, "distress.origin_failed")

    def _names_a_place(self, text: str) -> bool:
        return self._gazetteer_read(lambda t, g: g.best(t), text, "wish.place_failed") is not None

    def _gazetteer_read(self, read: Callable[[str, Any], Any], text: str, event: str) -> Any:
        """What the gazetteer reads in the text (``read``), or None without one: if it failed
        to load, the answer goes without what it adds (the flow asks for the place)."""
        places = self._deps.places
        if places is None:
            return None
        try:
            return read(text, places.gazetteer)
        except Exception as exc:
            log.error("%s error=%s", event, type(exc).__name__)
            return None

    def _reads_as_advert(self, text: str, country: str | None) -> tuple[bool, bool]:
        """Whether the analyzer reads the text as an advertisement with warning signs (an
        offer that hires, pays or gives a contact, not a story, a cry, a question), and
        whether it advertises at all (a retold offer may)."""
        analyzer = self._deps.analyzer
        if analyzer is None or len(text) < self._min_offer_chars:
            return False, False
        # The same arguments as the check that follows, so its analysis is the memoised one.
        analysis = analyzer.analyze(text, country=country)
        return (analysis.kind is MessageKind.OFFER and analysis.advertises
                and bool(analysis.flags)), analysis.advertises

    def _in_language_of(self, conv: Conversation, text: str) -> Conversation:
        """A person in danger is answered in the language they write in («помогите…» after
        a greeting that set Indonesian; "bratan pomogite", Russian in Latin letters), when
        the text says it plainly: Cyrillic, or two words or more the analyzer reads."""
        words = [w for w in text.split() if any(c.isalpha() for c in w)]
        if not words or (len(words) < 2 and not _CYRILLIC.search(text)):
            return conv
        try:
            analyzer = self._deps.analyzer
            lang = (analyzer.analyze(text, country=conv.known_country or None).language
                    if analyzer is not None else (self._detect(text) if self._detect else None))
        except Exception as exc:
            log.error("distress.language_failed error=%s", type(exc).__name__)
            return conv
        return replace(conv, lang=lang) if lang in _LANGUAGES and lang != conv.lang else conv

    def _destination_of(self, text: str) -> tuple[Any, tuple[Any, ...], str | None]:
        """The place and country a message says someone goes or is taken to, or Nones."""
        index = self._deps.places
        try:
            place = exact_place(text, index.gazetteer, whither=True) if index else None
            code = place.country if place is not None else country_where(text, whither=True)
            return place, (tuple(index.local(place)) if index and place else ()), code
        except Exception as exc:  # the gazetteer failed: the answer comes without it
            log.error("distress.destination_failed error=%s", type(exc).__name__)
            return None, (), None

    def _place_of(self, text: str, where: str | None) -> tuple[Any, tuple[Any, ...]]:
        """The place a message names, read in its sentence by the gazetteer and only when the
        name matches exactly (a corrected typo could put the person in another country),
        with the organisations serving it; ``where``: the country the text says it is in."""
        index = self._deps.places
        if index is None or not text:
            return None, ()
        place = exact_place(text, index.gazetteer) or latin_russian_place(text, index.gazetteer)
        if place is None:
            return None, ()
        if where is not None and where != place.country:  # not a nationality ("filipina")
            # "dikurung majikan di Cina": a country's name wins over a place of the same
            # name in another country (a district in Sulawesi); never the wrong numbers.
            return None, ()
        return place, tuple(index.local(place))

    # -- routing -----------------------------------------------------------------------

    def _emergency(self, conv: Conversation) -> tuple[Msg, ...]:
        """The emergency numbers of the person's country, else of their language's countries,
        from the directory with their date (the welcome's and "I did not understand"'s)."""
        directory = self._deps.directory
        if directory is None:
            return ()
        country = conv.known_country
        if country and not emergency_orgs(directory, country):
            return ()  # none checked there: "call your local emergency number", no number
        parts = (emergency_parts(directory, country) if country
                 else emergency_for_language(directory, conv.lang))
        return tuple(p for p in parts if isinstance(p, Msg))[:1]

    def _command(self, conv: Conversation, event: Inbound) -> Result:
        name = event.command.lower()
        if name == "start":
            conv = replace(self._idle(conv), session=conv.session + 1)
            target = self._flow_for_command(event.args.strip().lower())
            if target is not None:
                return self._start(conv, target, replace(event, args=""))
            return Result(conv, (menu.welcome(conv.session, self._emergency(conv)),))
        if name == "help":
            return Result(conv, (menu.help_reply(conv.session),))
        if name == "menu":
            return Result(self._idle(conv), (menu.menu_reply(conv.session),))
        if name == "country":
            return self._country(conv, event.args.strip(), command=True)
        if name == "lang" and not conv.idle and conv.flow != "lang":
            code = normalise_locale(event.args.strip())
            if code is not None:
                # "/lang en" in the middle of a report: the language changes, the draft and
                # the step waiting for its answer stay (it had dropped the report).
                conv = replace(conv, lang=code)
                return Result(conv, (text_reply(
                    msg("From now on I will write in {language}.",
                        language=NATIVE_NAMES[code]),
                    _STILL_WAITING),))
        if name == "cancel":
            if conv.idle and _PAUSED not in conv.data:
                return Result(conv, (menu.nothing_to_cancel(conv.session),))
            # (a report kept when another command came is dropped with it)
            return Result(replace(conv, flow="", state="", data={}),
                          (menu.cancelled(conv.session),))
        flow = self._by_command.get(name)
        if flow is None:
            return self._say(conv, msg("I do not know the command /{command}. Send /help to "
                                       "see what I can do.", command=event.command))
        return self._start(conv, flow, event)

    def _country(self, conv: Conversation, args: str, *, command: bool = False) -> Result:
        """/country [code or name]: where the person is; numbers and advice follow it."""
        if not args:
            now = ([msg("Now: {country}.",
                        country=Quote(country_name(conv.known_country, conv.lang)))]
                   if conv.known_country else [])
            return Result(conv, (text_reply(*now, ask_country()),))
        # (or a place in it: "/country Osh", «/country Бишкек»)
        code = resolve_country(args) or self._typed_country(args)
        if code is None:
            return self._say(conv, msg("I do not know the country \"{name}\". Write its name or "
                                       "its two-letter code, for example /country KG.",
                                       name=Quote(args[:60])))
        before = conv.known_country
        conv = replace(conv, country=code)
        said = msg("Saved: you are in {country}. Emergency numbers, hotlines and advice follow "
                   "it from now on; change it any time with /country.",
                   country=Quote(country_name(code, conv.lang)))
        again = self._recheck(conv, before)
        if isinstance(again, Result) and again.replies:
            first, *rest = again.replies
            lead = (said, msg("Here is the check again for where you are:"))
            return replace(again, replies=(replace(first, parts=(*lead, *first.parts)), *rest))
        if isinstance(again, list) and before != code:
            # The same signs: the advice and whom to call for this country (its route
            # facts, its hotlines), which the verdict had given for an unknown country.
            return Result(conv, (text_reply(said, msg("For the offer you checked:"),
                                            *again),))
        parts = [said, *emergency_parts(self._deps.directory, code)]
        if command and not conv.idle and not (
                conv.flow == self._offer_flow and conv.state == _VERDICT_STATE):
            # Typed in the middle of a report or a check: the step still waits for its answer
            # (a verdict's buttons wait for nothing: no "still on the question above").
            parts.append(_STILL_WAITING)
        return Result(conv, (text_reply(*parts),))

    def _recheck(self, conv: Conversation, before: str) -> Result | list[Part] | None:
        """The verdict on screen checked again when the country just given changes it: a
        cook's job in Bishkek is "abroad" only for someone elsewhere. When its signs stay
        the same, the advice and lines for the new country (a list of parts). None with no
        verdict on screen (or no checked text at hand: it is kept in memory only)."""
        if self._offer_flow is None or conv.flow != self._offer_flow or (
                conv.state != _VERDICT_STATE) or self._deps.analyzer is None:
            return None
        checked = str(conv.data.get(MEMORY_PREFIX + "text") or "")
        if not checked:
            return None
        try:
            old = self._deps.analyzer.analyze(checked, country=before or None)
            new = self._deps.analyzer.analyze(checked, country=conv.known_country or None)
        except Exception as exc:
            log.error("country.recheck_failed error=%s", type(exc).__name__)
            return None
        if (old.risk, old.flag_ids) == (new.risk, new.flag_ids):
            return country_advice(new, conv.lang, conv.known_country, self._deps.directory)
        return self._start(conv, self._flows[self._offer_flow],
                           Inbound(Kind.TEXT, text=checked))

    def _country_chosen(self, conv: Conversation, value: str) -> Result:
        """A press on the country question: the country, or "other": then the name typed
        next is read as the answer (``_typed_country``), or /country NAME at any time."""
        code = resolve_country(value) if value != OTHER else None
        if code is None:
            return self._say(conv, msg("Write the name of the country you are in, for "
                                       "example Turkey. You can change it any time with "
                                       "/country."))
        return self._country(conv, code)

    def _typed_country(self, text: str) -> str | None:
        """The country a short text names as an answer: a code, a country's name or a place
        named exactly (``country_in_answer``); None for anything longer than an answer."""
        if len(text) >= self._min_offer_chars or _GREETING.fullmatch(text.strip()):
            return None  # "Salam aleikum" is no place in Oman
        places = self._deps.places
        try:
            return country_in_answer(text, places.gazetteer if places is not None else None)
        except Exception as exc:  # the gazetteer failed to load: the text goes on as before
            log.error("country.answer_failed error=%s", type(exc).__name__)
            return None

    def _flow_for_command(self, word: str) -> Flow | None:
        return self._by_command.get(word) if word else None

    def _choice(self, conv: Conversation, event: Inbound) -> Result:
        try:
            payload = Payload.unpack(event.choice)
        except PayloadError:
            return self._stale(conv)
        if payload.session != conv.session:
            return self._stale(conv)
        if payload.flow == GLOBAL_FLOW and payload.state == _COUNTRY_STATE:
            return self._country_chosen(conv, payload.value)
        if payload.flow == GLOBAL_FLOW and payload.state == ANY_STATE:
            flow = self._flows.get(payload.value)
            if flow is None:
                return self._stale(conv)
            return self._start(self._idle(conv), flow, replace(event, choice=""))
        flow = self._by_code.get(payload.flow)
        if flow is None or flow.name != conv.flow or payload.state != conv.state:
            return self._stale(conv)
        step = flow.steps.get(conv.state)
        if step is None:
            return self._stale(conv)
        return self._run(conv, flow, step, replace(event, choice=payload.value))

    def _idle_event(self, conv: Conversation, event: Inbound) -> Result:
        # A photo of an offer with a caption is checked by its caption.
        wants_check = event.kind is Kind.FORWARD or (
            event.kind in (Kind.TEXT, Kind.MEDIA) and len(event.text) >= self._min_offer_chars
        )
        if wants_check and self._offer_flow is not None:
            return self._start(conv, self._flows[self._offer_flow], event)
        if (event.kind is Kind.TEXT and self._offer_flow is not None
                and _ASKS_CHECK.search(event.text)):
            return self._start(conv, self._flows[self._offer_flow], replace(event, text=""))
        if event.kind is Kind.TEXT and THANKS.search(event.text) and (
                len(event.text) < self._min_offer_chars):
            # "спасибо" after a receipt, "hatur nuhun teh": thanks, not a text to check.
            return self._with_menu(conv, msg(
                "You are welcome. If you need anything else, write here at any time."))
        if event.kind is Kind.TEXT and _ASKING.search(event.text) and (
                len(event.text) < self._min_offer_chars):
            # "kak mau nanya dong", "punten teh, abdi mau nanya", «можно спросить?»
            return self._with_menu(conv, msg(
                "Of course. Write your question, or paste the offer you want me to check."))
        if event.kind is Kind.TEXT and (_GREETING.fullmatch(event.text.strip())
                                        or _ABOUT_BOT.match(event.text)):
            # "halo", «привет»: welcome; "ini bot apa?": the welcome says what it does
            return Result(conv, (menu.welcome(conv.session, self._emergency(conv)),))
        if event.kind is Kind.TEXT and _WHO_MADE.match(event.text):
            return Result(conv, (text_reply(msg(
                "I am a bot, not a person: an open-source project of a small team working "
                "against human trafficking. I am not the police or a government office, and "
                "I never ask for your name.")), menu.welcome(conv.session, self._emergency(conv))))
        if (event.kind is Kind.TEXT and self._offer_flow is not None
                and self._short_offer(event.text, conv.known_country or None)):
            # «дочке 16 лет предлагают работу», "anakku 15 th ditawari kerja": an offer
            # told in a line, with a warning sign: checked, never "I don't understand".
            return self._start(conv, self._flows[self._offer_flow], event)
        return Result(conv, (menu.not_understood(conv.session, self._emergency(conv)),))

    def _pasted_offer(self, text: str, conv: Conversation) -> bool:
        """Whether a text sent inside another flow is an offer to check: an offer's length,
        read as an offer (told or advertised) with warning signs."""
        if conv.flow == "learn":
            # A lesson takes no typed answer: an offer of a line with a warning sign in it
            # is checked ("Need waitress in Malaysia, salary 3000 USD, boss keeps passport"
            # had been told "I cannot answer typed questions here").
            return self._short_offer(text, conv.known_country or None)
        if len(text) < 2 * self._min_offer_chars:
            return False  # "aku di garut", «про паспорт»: the step's own answer
        return self._offer_with_signs(text, conv.known_country or None)

    def _short_offer(self, text: str, country: str | None) -> bool:
        """Whether a text shorter than an offer tells one with a warning sign."""
        return len(text.split()) >= _SHORT_OFFER_WORDS and self._offer_with_signs(text, country)

    def _offer_with_signs(self, text: str, country: str | None) -> bool:
        analyzer = self._deps.analyzer
        if analyzer is None:
            return False
        try:
            analysis = analyzer.analyze(text, country=country)
        except Exception as exc:
            log.error("idle.analysis_failed error=%s", type(exc).__name__)
            return False
        return analysis.kind in (MessageKind.OFFER, MessageKind.RETOLD_OFFER) and bool(
            analysis.flags)

    # -- running flows -----------------------------------------------------------------

    def _start(self, conv: Conversation, flow: Flow, event: Inbound) -> Result:
        paused = conv.data.get(_PAUSED)
        if (flow.resume is not None and conv.flow == flow.name and conv.state
                and event.kind is Kind.COMMAND and not event.args.strip()):
            # /report in the middle of a report: that report, not an empty one
            paused = {"flow": flow.name, "state": conv.state, "data": conv.data}
        if (flow.resume is not None and paused and paused["flow"] == flow.name
                and event.kind in (Kind.COMMAND, Kind.CHOICE)
                and not event.text and not event.args.strip()):
            # /report again after /contacts: the draft kept, at the step it waited on
            return self._run(replace(conv, flow=flow.name, state=paused["state"],
                                     data=paused["data"]), flow, flow.resume, event)
        conv = replace(conv, flow=flow.name, state="", data={})
        result = self._run(conv, flow, flow.entry, event)
        after = result.conversation
        if flow.name not in _ASK_COUNTRY_AFTER or after.country:
            return result
        # Asked once: the answer first, the question after it; an unanswered question
        # counts as declined, so it is never asked again.
        home = (self._gazetteer_read(likely_home, event.text, "country.home_failed")
                if event.kind in (Kind.TEXT, Kind.FORWARD) and event.text else None)
        if home is None and event.text:  # (no gazetteer: the language's country alone)
            home = likely_home(event.text, None)
        home = home or None
        question = country_question(after.lang, after.session,
                                    GLOBAL_FLOW, _COUNTRY_STATE, likely=home)
        # The question replaces the answer's "tell me with /country" line, not repeats it.
        line = ask_country()
        replies = tuple(replace(r, parts=tuple(p for p in r.parts if p != line))
                        for r in result.replies)
        return Result(replace(after, country=DECLINED), (*replies, question),
                      result.effects)

    def _run(self, conv: Conversation, flow: Flow, step_fn: Any, event: Inbound,
             depth: int = 0) -> Result:
        data = flow.load_data(conv.data)
        step = Step(flow_code=flow.code, state=conv.state, data=data, event=event,
                    deps=self._deps, lang=conv.lang, session=conv.session,
                    country=conv.known_country, country_unasked=not conv.country)
        outcome: Outcome = step_fn(step)
        lang = outcome.lang or conv.lang
        conv = replace(conv, country=outcome.country or conv.country)
        if outcome.state is None:
            new = replace(self._idle(conv), lang=lang)
        else:
            if outcome.state not in flow.steps:
                raise ValueError(f"flow {flow.name} has no state {outcome.state!r}")
            new = replace(conv, flow=flow.name, state=outcome.state,
                          data=dump_data(outcome.data), lang=lang)
        result = Result(new, outcome.replies, outcome.effects,
                        ended=outcome.state is None and outcome.goto is None)
        if outcome.goto is not None:
            if depth >= _MAX_GOTO or outcome.goto not in self._flows:
                raise ValueError(f"bad hand-over from {flow.name} to {outcome.goto!r}")
            target = self._flows[outcome.goto]
            started = replace(new, flow=target.name, state="",
                              data=dump_data(outcome.handoff) if outcome.handoff else {})
            follow = self._run(started, target, target.entry, event, depth + 1)
            return Result(follow.conversation, result.replies + follow.replies,
                          result.effects + follow.effects)
        return result

    # -- helpers -----------------------------------------------------------------------

    def _first_language(self, event: Inbound) -> str | None:
        """What a first message tells of its language: the transport's hint, the text's
        language, or that of a greeting that has one; None when nothing tells."""
        lang = normalise_locale(event.locale_hint)
        if event.kind is Kind.COMMAND and event.args and not event.text:
            # "/contacts куда звонить в Корее?": the command's words tell the language.
            event = replace(event, text=event.args)
        if lang is None and self._detect is not None and event.text:
            lang = self._detect(event.text)
        if lang != "ru" and event.text and len(event.text.split()) >= 3 and (
                self._deps.analyzer is not None):
            # Russian typed in Latin letters ("ya v koree rabotayu na zavode") reads as
            # Latin to the detector; the analyzer reads it back into Russian.
            try:
                if self._deps.analyzer.analyze(event.text).language == "ru":
                    lang = "ru"
            except Exception as exc:
                log.error("language.analysis_failed error=%s", type(exc).__name__)
        # A cry typed in Latin letters, «pomogite», "brat pomogi pojalusta": its words of
        # danger are Russian, so is the answer (and the countries' numbers).
        if (lang != "ru" and event.text and len(event.text) <= _CRY_CHARS
                and self._cry_is_russian(event.text)):
            lang = "ru"
        if lang is None and event.text:
            lang = _greeting_language(event.text) or _thanks_language(event.text)
        if lang != "ru" and event.text and (reads_uzbek(_WORD.findall(event.text))
                                            or unread_language(event.text) is not None):
            # "yordam bering", "zhumys bar, … biz toleimiz": Central Asians read the bot in
            # Russian
            lang = "ru"
        return lang

    def _cry_is_russian(self, text: str) -> bool:
        detector: DistressDetector | None = self._deps.distress
        if detector is None:
            return False
        try:
            found = detector.detect(text)  # kept by the detector: _alarm asks again
        except Exception:
            return False  # (_alarm logs a broken detector)
        words = [w for e in (found.evidence if found else ()) for w in _WORD.findall(e)]
        return bool(words) and all(_reads_russian(w) for w in words)

    @staticmethod
    def _idle(conv: Conversation) -> Conversation:
        # (a report kept when another command came stays kept: ``_keep_draft``)
        paused = conv.data.get(_PAUSED)
        return replace(conv, flow="", state="", data={_PAUSED: paused} if paused else {})

    @staticmethod
    def _say(conv: Conversation, message: Any) -> Result:
        return Result(conv, (text_reply(message),))

    @staticmethod
    def _with_menu(conv: Conversation, message: Msg) -> Result:
        """One line with the menu's buttons under it (thanks, an invitation to ask)."""
        return Result(conv, (text_reply(message, choices=menu.menu_choices(conv.session)),))

    def _stale(self, conv: Conversation) -> Result:
        return Result(conv, (menu.stale_button(conv.session),))


# A first message this short may be a bare cry whose language only its words tell.
_CRY_CHARS = 80
_WORD = re.compile(r"[^\W\d_]+")


def _reads_russian(word: str) -> bool:
    """A Cyrillic word, or a Latin one no dictionary knows that reads as a Russian word
    ("pomogite", "pomogi"), as the detector reads its Latin-letter messages."""
    low = word.lower()
    if not low.isascii():
        return any("\u0400" <= c <= "\u04ff" for c in low)
    return unknown_russian_in_latin(low)
