"""Organisations' staff chats on Telegram: /register with an invite code, then /claim,
/done, /reply, /digest and /export for their own tips. Chat ids of staff chats are
organisations', not reporters', so they are stored (DESIGN.md)."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram import Bot
from aiogram.types import BufferedInputFile, Message

from bot.adapters.telegram import inbound
from bot.orgs.desk import StaffDesk
from bot.orgs.digests import DigestService
from bot.orgs.schedule import parse as parse_schedule
from bot.orgs.scheduler import DigestScheduler
from bot.orgs.store import OrgStore
from bot.rendering import TextRenderer
from flows.locale import DEFAULT, normalise_locale
from flows.types import Msg, Quote, msg, nmsg

TRANSPORT = "telegram"
_STAFF_COMMANDS = frozenset({"claim", "done", "reply", "digest", "export"})


@dataclass(frozen=True, slots=True)
class Staff:
    """What registered organisations' chats may use."""

    orgs: OrgStore
    desk: StaffDesk
    digests: DigestService
    scheduler: DigestScheduler

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
        staff = self
        answer: Msg | None = None
        if name == "register":
            org_id = await staff.orgs.register(args, TRANSPORT, chat) if args else None
            answer = (msg("This chat now receives the tips and digests of {org}.",
                          org=Quote(staff.digests.name(org_id))) if org_id else
                      msg("That invite code is unknown, used or expired. Ask the bot's "
                          "operator for a new one."))
        elif name == "unregister":
            left = await staff.orgs.unregister(TRANSPORT, chat)
            answer = (msg("This chat no longer receives tips.") if left else
                      msg("This chat was not registered."))
        else:
            if name not in _STAFF_COMMANDS:  # /start, /help…: no database round trip
                return False
            orgs = await staff.orgs.orgs_of(TRANSPORT, chat)
            if not orgs:
                return False
            ref, _, rest = args.partition(" ")
            if name in ("claim", "done"):
                ok = await staff.desk.set_status(ref, orgs, "claimed" if name == "claim"
                                                 else "done")
                answer = (msg("{ref}: noted. The reporter sees it with /status.", ref=ref)
                          if ok else msg("No tip {ref} for your organisation.",
                                         ref=ref or "-"))
            elif name == "reply":
                ok = await staff.desk.reply(ref, orgs, rest)
                answer = (msg("Your reply to {ref} is saved; the reporter sees it with "
                              "/status.", ref=ref) if ok else
                          msg("Write /reply REF and your message for a tip of your "
                              "organisation."))
            elif name == "digest" and args.split()[:1] in (["daily"], ["weekly"]):
                current = await staff.scheduler.schedule_of(orgs[0])
                wanted = parse_schedule(args, current.timezone)
                if wanted is None:
                    answer = msg("Write /digest daily 08:00, or /digest weekly mon 08:00, "
                                 "optionally with a time zone (WIB, WITA, WIT, "
                                 "Europe/Moscow…).")
                else:
                    for org in orgs:
                        await staff.scheduler.set_schedule(org, wanted)
                    answer = msg("Digests now come {frequency} at {at} ({zone}).",
                                 frequency=wanted.frequency, at=wanted.at,
                                 zone=wanted.timezone)
            elif name == "digest":
                sent = sum([await staff.digests.send(org) for org in orgs])
                answer = (nmsg("Digest sent: {n} tip.", "Digest sent: {n} tips.", sent)
                          if sent else msg("No new tips since the last digest."))
            else:
                data = await staff.digests.open_tips_csv(orgs)
                await bot.send_document(message.chat.id, BufferedInputFile(
                    data, filename=f"open-tips-{orgs[0]}.csv"))
                return True
        await bot.send_message(message.chat.id, renderer.message(answer, lang))
        return True
