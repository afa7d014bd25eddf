"""Handlers: private chats go through the runtime; groups stay quiet and store nothing."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from pathlib import Path

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramAPIError
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    CallbackQuery,
    ErrorEvent,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from bot.adapters.telegram import inbound
from bot.adapters.telegram.groups import answer_group_message
from bot.adapters.telegram.private import answer_private
from bot.adapters.telegram.render import HTML, Keyboard, render
from bot.adapters.telegram.staff import Staff
from bot.i18n import Translator
from bot.keys import KeyBuilder
from bot.limits import RateLimiter, slow_down
from bot.ocr import PictureReader
from bot.rendering import TextRenderer
from bot.runtime import Response, Runtime, apology, where
from bot.storage.campaigns import CampaignCounter
from bot.tips.photos import MAX_BYTES, PhotoRejected, receive_photo
from flows.locale import DEFAULT, SUPPORTED, normalise_locale
from flows.red_flags import Analyzer
from flows.types import Msg, msg

log = logging.getLogger(__name__)
TRANSPORT = "telegram"


# The command menu Telegram shows, per language.
COMMANDS: tuple[tuple[str, Msg], ...] = (
    ("check", msg("Check a job offer")),
    ("questions", msg("Answer questions about an offer")),
    ("learn", msg("Learn how recruiters trick people")),
    ("report", msg("Report a tip anonymously")),
    ("contacts", msg("Find help near you")),
    ("status", msg("Follow up on your report")),
    ("lang", msg("Language / Bahasa / Язык")),
    ("help", msg("What I can do")),
)
DESCRIPTION = msg("I check job offers for the warning signs traffickers use, explain how "
                  "recruiters trick young people, take anonymous reports for organisations "
                  "that help, and tell you whom to call. In danger right now? Call 112.")
SHORT_DESCRIPTION = msg("Is this job offer safe? Paste it here. Anonymous reports. Help "
                        "numbers.")


class TelegramAdapter:
    def __init__(self, runtime: Runtime, keys: KeyBuilder, translator: Translator,
                 analyzer: Analyzer, campaigns: CampaignCounter, data_dir: Path, *,
                 limiter: RateLimiter | None = None, staff: Staff | None = None,
                 pictures: PictureReader | None = None) -> None:
        self._staff = staff
        self._pictures = pictures  # reads the text of photos and image files; None: off
        self._runtime = runtime
        self._keys = keys
        self._renderer = TextRenderer(translator, HTML)
        self._plain = TextRenderer(translator)  # commands, descriptions, inline titles
        self._analyzer = analyzer
        self._campaigns = campaigns
        self._data_dir = data_dir
        self._limiter = limiter or RateLimiter()
        self._username = ""
        self._bot_id = 0
        self._inflight = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self.router = Router(name="safe-work")
        self.router.message.register(self.on_message)
        self.router.callback_query.register(self.on_callback, F.data)
        self.router.errors.register(self.on_error)

    # -- lifecycle ----------------------------------------------------------------------------

    async def start(self, bot: Bot) -> None:
        """Learns the bot's name and sets the command menus and descriptions per language."""
        me = await bot.me()  # cached by the bot: polling asks for it too
        self._username = me.username or ""
        self._bot_id = me.id
        for lang in SUPPORTED:
            commands = [BotCommand(command=name, description=self._text(label, lang)[:256])
                        for name, label in COMMANDS]
            await bot.set_my_commands(commands, scope=BotCommandScopeAllPrivateChats(),
                                      language_code=lang)
            await bot.set_my_description(self._text(DESCRIPTION, lang)[:512],
                                         language_code=lang)
            await bot.set_my_short_description(self._text(SHORT_DESCRIPTION, lang)[:120],
                                               language_code=lang)
        # Users whose Telegram speaks none of our languages see the Indonesian menu.
        await bot.set_my_commands(
            [BotCommand(command=name, description=self._text(label, DEFAULT)[:256])
             for name, label in COMMANDS], scope=BotCommandScopeAllPrivateChats())

    async def drain(self, seconds: float = 30.0) -> None:
        """Waits for updates being handled to finish (graceful shutdown)."""
        try:
            await asyncio.wait_for(self._idle.wait(), seconds)
        except TimeoutError:
            log.warning("telegram.shutdown_with_inflight count=%d", self._inflight)

    # -- handlers -----------------------------------------------------------------------------

    async def on_message(self, message: Message, bot: Bot) -> None:
        if message.from_user is None or message.from_user.is_bot:
            return
        async with self._busy():
            if self._staff is not None and await self._staff.command(
                    message, bot, self._username, self._renderer):
                return
            if message.chat.type == ChatType.PRIVATE:
                await self._private(message, bot)
            elif message.chat.type in (ChatType.GROUP, ChatType.SUPERGROUP):
                await self._group(message, bot)

    async def on_callback(self, query: CallbackQuery, bot: Bot) -> None:
        async with self._busy():
            with contextlib.suppress(TelegramAPIError):  # an old query: only cosmetic
                await query.answer()  # stops the button's spinner
            message = query.message
            if query.from_user is None or message is None or (
                    message.chat.type != ChatType.PRIVATE):
                return
            key = self._keys.conversation_key(TRANSPORT, query.from_user.id)
            if not await self._allowed(key, bot, message.chat.id, query.from_user.language_code):
                return
            response = await self._runtime.handle(key, inbound.from_callback(query))
            await self._send(bot, message.chat.id, response)
            await self._runtime.delivered(key)  # Telegram took it: a receipt has arrived

    async def on_error(self, event: ErrorEvent, bot: Bot) -> bool:
        # The class and the place, never the update: it holds the user's text and ids.
        log.error("telegram.error error=%s at=%s", type(event.exception).__name__,
                  where(event.exception))
        update = event.update
        chat_id, user = None, None
        if update.message is not None:
            chat_id, user = update.message.chat.id, update.message.from_user
        elif update.callback_query is not None and update.callback_query.message is not None:
            chat_id = update.callback_query.message.chat.id
            user = update.callback_query.from_user
        if chat_id is not None:
            lang = normalise_locale(user.language_code if user else None) or DEFAULT
            with contextlib.suppress(TelegramAPIError):
                await self._send(bot, chat_id, Response(lang, (apology(),)))
        return True

    # -- private chats ------------------------------------------------------------------------

    async def _private(self, message: Message, bot: Bot) -> None:
        user = message.from_user
        assert user is not None
        key = self._keys.conversation_key(TRANSPORT, user.id)
        if not await self._allowed(key, bot, message.chat.id, user.language_code):
            return
        data, attachment = await self._photo(message, bot)
        event = inbound.from_message(message, self._username, attachment or "")
        response = await answer_private(self._runtime, self._campaigns, self._pictures, key,
                                        event, data, attachment, user.language_code)
        await self._send(bot, message.chat.id, response)
        await self._runtime.delivered(key)

    async def _photo(self, message: Message, bot: Bot) -> tuple[bytes, str | None]:
        """Downloads a photo or an image sent as a file, strips its metadata and parks it
        (for a report): its bytes (to be read) and a token; (b"", "") without a picture,
        a token None when the picture cannot be used."""
        file_id = inbound.picture_file(message, MAX_BYTES)
        if file_id == "":
            return b"", ""
        try:
            if file_id is None:
                raise PhotoRejected("too large")
            data = await bot.download(file_id)
            if data is None:
                raise PhotoRejected("not downloaded")
            body = data.read(MAX_BYTES + 1)
            return body, await receive_photo(self._data_dir, body)
        except (PhotoRejected, TelegramAPIError, OSError) as exc:
            log.warning("telegram.photo_rejected error=%s reason=%s", type(exc).__name__,
                        exc if isinstance(exc, PhotoRejected) else "-")
            return b"", None

    async def _allowed(self, key: str, bot: Bot, chat_id: int, language: str | None) -> bool:
        allowed, warn = await self._limiter.check(key)
        if not allowed and warn:
            lang = normalise_locale(language) or DEFAULT
            await self._send(bot, chat_id, Response(lang, (slow_down(),)))
        return allowed

    # -- groups: answer when asked; warn about high-risk offers; store nothing -------------------

    async def _group(self, message: Message, bot: Bot) -> None:
        answered = answer_group_message(message, self._analyzer, self._username,
                                        self._bot_id, self._text)
        if answered is not None:
            lang, reply = answered
            await self._reply(bot, message, lang, reply.lead, deep_link=reply.deep_link)

    async def _reply(self, bot: Bot, message: Message, lang: str, lead: Msg,
                     deep_link: str = "") -> None:
        keyboard = None
        if deep_link and self._username:
            label = self._text(msg("Learn more") if deep_link == "learn" else
                               msg("Open a private chat"), lang)
            keyboard = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(
                text=label, url=f"https://t.me/{self._username}?start={deep_link}")]])
        await bot.send_message(message.chat.id, self._renderer.message(lead, lang),
                               reply_to_message_id=message.message_id, reply_markup=keyboard)

    # -- sending ------------------------------------------------------------------------------

    async def _send(self, bot: Bot, chat_id: int, response: Response) -> None:
        for reply in response.replies:
            for out in render(self._renderer, reply, response.lang):
                await bot.send_message(chat_id, out.text, reply_markup=markup(out.keyboard))

    def _text(self, message: Msg, lang: str) -> str:
        return self._plain.message(message, lang)

    def _busy(self) -> _Busy:
        return _Busy(self)


def markup(keyboard: Keyboard | None) -> InlineKeyboardMarkup | None:
    """aiogram's markup for a rendered keyboard."""
    return None if keyboard is None else _markup(keyboard)


@functools.lru_cache(maxsize=2048)
def _markup(keyboard: Keyboard) -> InlineKeyboardMarkup:
    """Built once per keyboard and shared (aiogram only reads it): the same buttons recur
    for every user in a language and session number, and the pydantic models cost 2% of
    a checked offer's CPU (issue #18)."""
    return InlineKeyboardMarkup(inline_keyboard=[
        [InlineKeyboardButton(text=b.text, callback_data=b.callback_data) for b in row]
        for row in keyboard.inline_keyboard])


class _Busy:
    """Counts updates in flight, so shutdown can wait for them."""

    def __init__(self, adapter: TelegramAdapter) -> None:
        self._adapter = adapter

    async def __aenter__(self) -> None:
        self._adapter._inflight += 1
        self._adapter._idle.clear()

    async def __aexit__(self, *_: object) -> None:
        self._adapter._inflight -= 1
        if self._adapter._inflight == 0:
            self._adapter._idle.set()


__all__ = ["TelegramAdapter"]
