"""What the bot says in a group chat, whichever Telegram library delivers the message: pure
logic over the text, how the bot was addressed, and the analyzer. In a group the bot answers
when asked (a /check, a mention), warns unasked only about high-risk offers, points to a
private chat for everything personal, and stores nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.adapters.telegram import inbound
from bot.adapters.telegram.inbound import Addressed
from flows.check_offer.explain import TITLES
from flows.locale import DEFAULT, normalise_locale
from flows.red_flags import Analyzer, Risk
from flows.types import Msg, msg

# Commands that only make sense in a private chat (they ask about the person).
PRIVATE_ONLY = frozenset({"report", "status", "contacts", "questions", "lang", "learn",
                          "cancel", "menu"})
# Shorter than this, an unasked message is chat, not an offer worth a warning.
_UNASKED_MIN_CHARS = 40


@dataclass(frozen=True, slots=True)
class GroupReply:
    lead: Msg
    deep_link: str = ""  # the private chat's /start payload, for a button


def answer_group_message(message: Any, analyzer: Analyzer, username: str, bot_id: int,
                         text_in: Callable[[Msg, str], str]) -> tuple[str, GroupReply] | None:
    """The language and the answer to a group message as either library delivers it (an
    aiogram or a python-telegram-bot ``Message``: the fields read here have the same names
    in both), or None to stay quiet. ``text_in`` renders a message in a language."""
    user = message.from_user
    lang = normalise_locale(user.language_code if user else None) or DEFAULT
    text = message.text or message.caption or ""
    seen = inbound.addressed(message, username, bot_id)
    replied = message.reply_to_message
    reply = group_reply(
        analyzer, text, seen,
        inbound.command_of(text, username) if seen.command_for_us else None,
        (replied.text or replied.caption or "") if replied else "", username,
        lambda title: text_in(title, lang))
    return None if reply is None else (lang, reply)


def group_reply(analyzer: Analyzer, text: str, seen: Addressed,
                command: tuple[str, str] | None, replied_text: str, username: str,
                flag_name: Callable[[Msg], str]) -> GroupReply | None:
    """The answer to one group message, or None to stay quiet. ``command`` is the command
    addressed to the bot, ``replied_text`` the text of the message it replies to, and
    ``flag_name`` translates a flag's title into the group's language."""
    if seen.command_for_us:
        assert command is not None
        name, args = command
        target = args or replied_text
        if name == "check" and target:
            return _check(analyzer, target, flag_name, always=True)
        if name in PRIVATE_ONLY or name in ("start", "help", "check"):
            return GroupReply(msg("Let's talk in a private chat: your messages there are not "
                                  "seen by the group."),
                              deep_link=name if name in ("report", "learn", "check") else "")
        return None
    if seen.mentioned:
        return _check(analyzer, text.replace(f"@{username}", " "), flag_name, always=True)
    if len(text) >= _UNASKED_MIN_CHARS:
        return _check(analyzer, text, flag_name, always=False)
    return None


def _check(analyzer: Analyzer, text: str, flag_name: Callable[[Msg], str], *,
           always: bool) -> GroupReply | None:
    analysis = analyzer.analyze(text)
    if analysis.risk is not Risk.HIGH and not always:
        return None
    if analysis.risk is Risk.LOW:
        return GroupReply(msg("I see no warning signs in this message. Check the employer "
                              "before agreeing."), deep_link="check")
    names = ", ".join(flag_name(TITLES[h.flag]) for h in analysis.flags)
    return GroupReply(msg("⚠️ This offer shows warning signs that traffickers use: {signs}. "
                          "Do not send documents or money before checking it.", signs=names),
                      deep_link="learn")
