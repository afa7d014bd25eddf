"""Organisations' staff chats on Telegram: /register with an invite code, then /claim,
/done, /reply, /digest, /export, /lang and /help for their own tips. Chat ids of staff
chats are organisations', not reporters', so they are stored (DESIGN.md).

A staff chat is answered in its language: the one it chose with /lang, else its
organisation's directory language (digests and alerts follow the same rule)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from aiogram import Bot
from aiogram.types import BufferedInputFile, Message
from babel import Locale

from bot.adapters.telegram import inbound
from bot.orgs.desk import StaffDesk
from bot.orgs.digests import DigestService
from bot.orgs.schedule import parse as parse_schedule
from bot.orgs.schedule_text import describe, moment
from bot.orgs.scheduler import DigestScheduler
from bot.orgs.store import OrgStore
from bot.rendering import TextRenderer
from flows.locale import DEFAULT, SUPPORTED, normalise_locale
from flows.types import Msg, Quote, msg, nmsg

TRANSPORT = "telegram"
# Commands a registered chat gives to the staff side; elsewhere they go to the adapter.
_STAFF_COMMANDS = frozenset({"claim", "done", "reply", "digest", "export", "lang", "help"})
# Everyone's /help and /lang too: these ask a list of staff chats kept for this long instead
# of the database (half of a bot's traffic is /start and /help). A chat registered through
# another worker is seen within this time; the staff commands proper always ask the database.
_SHARED = frozenset({"lang", "help"})
KNOWN_FOR = 30.0  # seconds
STAFF_HELP = msg(
    "*Commands of this organisation's chat*\n"
    "/claim REF: you take the tip (the reporter sees it with /status)\n"
    "/done REF: the tip is dealt with\n"
    "/reply REF text: a message the reporter reads with their receipt code\n"
    "/digest: the schedule and the next digest; /digest now sends it at once; "
    "/digest daily 08:00 or /digest weekly mon 08:00, optionally with a time zone, "
    "changes it\n"
    "/export: every open tip as a CSV file\n"
    "/lang id, /lang ru or /lang en: the language of digests, alerts and answers here\n"
    "/unregister: this chat stops receiving tips")


@dataclass(slots=True)
class _KnownChats:
    """The registered chats as last read, and when (monotonic seconds)."""

    chats: frozenset[str] = frozenset()
    read_at: float | None = None


def language_name(lang: str) -> str:
    """The language's own name (Babel's CLDR data): "Bahasa Indonesia", "русский"."""
    return Locale.parse(lang).get_display_name(lang) or lang


@dataclass(frozen=True, slots=True)
class Staff:
    """What registered organisations' chats may use."""

    orgs: OrgStore
    desk: StaffDesk
    digests: DigestService
    scheduler: DigestScheduler
    _known: _KnownChats = field(default_factory=lambda: _KnownChats(), compare=False,
                                repr=False)

    async def _may_be_staff(self, chat: str) -> bool:
        """Whether the chat was registered when the list was last read (every KNOWN_FOR s)."""
        now = time.monotonic()
        if self._known.read_at is None or now - self._known.read_at > KNOWN_FOR:
            self._known.chats = await self.orgs.chats_on(TRANSPORT)
            self._known.read_at = now
        return chat in self._known.chats

    async def command(self, message: Message, bot: Bot, username: str,
                      renderer: TextRenderer) -> bool:
        """/register and /unregister anywhere; staff commands in registered chats only.
        False when the message is none of these (the adapter handles it)."""
        command = inbound.command_of(message.text or "", username)
        if command is None:
            return False
        name, args = command
        chat = str(message.chat.id)
        user = message.from_user
        lang = normalise_locale(user.language_code if user else None) or DEFAULT
        answer: Msg | None = None
        if name == "register":
            org_id = await self.orgs.register(args, TRANSPORT, chat) if args else None
            if org_id:
                lang = self.digests.language(org_id)
                self._known.read_at = None  # this chat's /help is the staff help now
            answer = (msg("This chat now receives the tips and digests of {org}. Send /help "
                          "for the staff commands.", org=Quote(self.digests.name(org_id)))
                      if org_id else
                      msg("That invite code is unknown, used or expired. Ask the bot's "
                          "operator for a new one."))
        elif name == "unregister":
            left = await self.orgs.unregister(TRANSPORT, chat)
            self._known.read_at = None
            answer = (msg("This chat no longer receives tips.") if left else
                      msg("This chat was not registered."))
        else:
            if name not in _STAFF_COMMANDS:  # /start, /check…: no database round trip
                return False
            if name in _SHARED and not await self._may_be_staff(chat):
                return False
            orgs = await self.orgs.orgs_of(TRANSPORT, chat)
            if not orgs:
                return False
            lang = (await self.orgs.language_of(TRANSPORT, chat)
                    or self.digests.language(orgs[0]))
            if name == "export":
                data = await self.digests.open_tips_csv(orgs, lang)
                await bot.send_document(message.chat.id, BufferedInputFile(
                    data, filename=f"open-tips-{orgs[0]}.csv"))
                return True
            if name == "lang":
                answer, lang = await self._lang(chat, args, lang)
            else:
                answer = await self._staff(name, args, orgs, lang)
        await bot.send_message(message.chat.id, renderer.message(answer, lang))
        return True

    async def _staff(self, name: str, args: str, orgs: list[str], lang: str) -> Msg:
        ref, _, rest = args.partition(" ")
        if name == "help":
            return STAFF_HELP
        if name in ("claim", "done"):
            ok = await self.desk.set_status(ref, orgs, "claimed" if name == "claim"
                                            else "done")
            return (msg("{ref}: noted. The reporter sees it with /status.", ref=ref) if ok
                    else msg("No tip {ref} for your organisation.", ref=ref or "-"))
        if name == "reply":
            ok = await self.desk.reply(ref, orgs, rest)
            return (msg("Your reply to {ref} is saved; the reporter sees it with /status.",
                        ref=ref) if ok else
                    msg("Write /reply REF and your message for a tip of your organisation."))
        return await self._digest(args, orgs, lang)

    async def _digest(self, args: str, orgs: list[str], lang: str) -> Msg:
        """/digest: the schedule and the next run; /digest now; /digest daily|weekly…"""
        words = args.lower().split()
        if words == ["now"]:
            sent = sum([await self.digests.send(org) for org in orgs])
            return (nmsg("Digest sent: {n} tip.", "Digest sent: {n} tips.", sent)
                    if sent else msg("No new tips since the last digest."))
        current = await self.scheduler.schedule_of(orgs[0])
        if words[:1] in (["daily"], ["weekly"]):
            wanted = parse_schedule(args, current.timezone)
            if wanted is None:
                return msg("Write /digest daily 08:00, or /digest weekly mon 08:00, "
                           "optionally with a time zone (WIB, WITA, WIT, Europe/Moscow…).")
            for org in orgs:
                await self.scheduler.set_schedule(org, wanted)
            return msg("Digests now come {schedule}. The next one: {next}.",
                       schedule=describe(wanted, lang),
                       next=moment(wanted.next_slot(self.digests.now()), lang))
        if words:
            return msg("Write /digest for the schedule, /digest now to get the digest at "
                       "once, or /digest daily 08:00 or /digest weekly mon 08:00 to change "
                       "it.")
        waiting = sum([len(await self.digests.pending(org)) for org in orgs])
        return nmsg("Digests come {schedule}. The next one: {next}, with {n} new tip so far. "
                    "/digest now sends it at once; /help lists the commands.",
                    "Digests come {schedule}. The next one: {next}, with {n} new tips so far. "
                    "/digest now sends it at once; /help lists the commands.", waiting,
                    schedule=describe(current, lang),
                    next=moment(current.next_slot(self.digests.now()), lang))

    async def _lang(self, chat: str, args: str, lang: str) -> tuple[Msg, str]:
        wanted = args.strip().lower()
        if wanted in SUPPORTED:
            await self.orgs.set_language(TRANSPORT, chat, wanted)
            return (msg("Digests, alerts and answers in this chat are now in {language}.",
                        language=language_name(wanted)), wanted)
        return (msg("Digests, alerts and answers in this chat are in {language}. Change it "
                    "with /lang id, /lang ru or /lang en.", language=language_name(lang)),
                lang)
