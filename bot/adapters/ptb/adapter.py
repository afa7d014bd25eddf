"""Handlers on python-telegram-bot: the same behaviour as the aiogram adapter
(bot/adapters/telegram/adapter.py), sharing its mapping of updates to events (inbound.py:
PTB's Message and CallbackQuery carry the same fields), its rendering (render.py) and its
staff commands (staff.py). Private chats go through the runtime; groups stay quiet and
store nothing."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from pathlib import Path
from typing import Any

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllPrivateChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.adapters.telegram import inbound
from bot.adapters.telegram.adapter import COMMANDS, DESCRIPTION, SHORT_DESCRIPTION
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


class PtbAdapter:
    def __init__(self, runtime: Runtime, keys: KeyBuilder, translator: Translator,
                 analyzer: Analyzer, campaigns: CampaignCounter, data_dir: Path, *,
                 limiter: RateLimiter | None = None, staff: Staff | None = None,
                 pictures: PictureReader | None = None) -> None:
        self._staff = staff
        self._pictures = pictures  # reads the text of photos and image files; None: off
        self._runtime = runtime
        self._keys = keys
        self._renderer = TextRenderer(translator, HTML)
        self._plain = TextRenderer(translator)
        self._analyzer = analyzer
        self._campaigns = campaigns
        self._data_dir = data_dir
        self.limiter = limiter or RateLimiter()
        self._username = ""
        self._bot_id = 0
        self._inflight = 0
        self._idle = asyncio.Event()
        self._idle.set()

    # -- lifecycle ----------------------------------------------------------------------------

    async def start(self, bot: Bot) -> None:
        """Learns the bot's name and sets the command menus and descriptions per language."""
        me = await bot.get_me()
        self._username = me.username or ""
        self._bot_id = me.id
        scope = BotCommandScopeAllPrivateChats()
        for lang in SUPPORTED:
            await bot.set_my_commands(self._commands(lang), scope=scope, language_code=lang)
            await bot.set_my_description(self._text(DESCRIPTION, lang)[:512],
                                         language_code=lang)
            await bot.set_my_short_description(self._text(SHORT_DESCRIPTION, lang)[:120],
                                               language_code=lang)
        # Users whose Telegram speaks none of our languages see the Indonesian menu.
        await bot.set_my_commands(self._commands(DEFAULT), scope=scope)

    async def drain(self, seconds: float = 30.0) -> None:
        """Waits for updates being handled to finish (graceful shutdown)."""
        try:
            await asyncio.wait_for(self._idle.wait(), seconds)
        except TimeoutError:
            log.warning("telegram.shutdown_with_inflight count=%d", self._inflight)

    # -- handlers -----------------------------------------------------------------------------

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, bot = update.message, context.bot
        if message is None or message.from_user is None or message.from_user.is_bot:
            return
        with self._busy():
            if self._staff is not None and await self._staff.command(
                    message, _StaffBot(bot), self._username, self._renderer):  # type: ignore[arg-type]
                return
            if message.chat.type == ChatType.PRIVATE:
                await self._private(message, bot)
            elif message.chat.type in (ChatType.GROUP, ChatType.SUPERGROUP):
                await self._group(message, bot)

    async def on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query, bot = update.callback_query, context.bot
        if query is None or not query.data:
            return
        with self._busy():
            with contextlib.suppress(TelegramError):  # an old query: only cosmetic
                await query.answer()  # stops the button's spinner
            message = query.message
            if message is None or message.chat.type != ChatType.PRIVATE:
                return
            key = self._keys.conversation_key(TRANSPORT, query.from_user.id)
            if not await self._allowed(key, bot, message.chat.id, query.from_user.language_code):
                return
            response = await self._runtime.handle(key, inbound.from_callback(query))  # type: ignore[arg-type]
            await self._send(bot, message.chat.id, response)
            await self._runtime.delivered(key)  # Telegram took it: a receipt has arrived

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        # The class and the place, never the update: it holds the user's text and ids.
        error = context.error
        log.error("telegram.error error=%s at=%s", type(error).__name__,
                  where(error) if isinstance(error, BaseException) else "-")
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        user = update.effective_user
        lang = normalise_locale(user.language_code if user else None) or DEFAULT
        with contextlib.suppress(TelegramError):
            await self._send(context.bot, update.effective_chat.id,
                             Response(lang, (apology(),)))

    # -- private chats ------------------------------------------------------------------------

    async def _private(self, message: Message, bot: Bot) -> None:
        user = message.from_user
        assert user is not None
        key = self._keys.conversation_key(TRANSPORT, user.id)
        if not await self._allowed(key, bot, message.chat.id, user.language_code):
            return
        data, attachment = await self._photo(message, bot)
        event = inbound.from_message(message, self._username, attachment or "")  # type: ignore[arg-type]
        response = await answer_private(self._runtime, self._campaigns, self._pictures, key,
                                        event, data, attachment, user.language_code)
        await self._send(bot, message.chat.id, response)
        await self._runtime.delivered(key)

    async def _photo(self, message: Message, bot: Bot) -> tuple[bytes, str | None]:
        """Downloads a photo or an image sent as a file, strips its metadata and parks it
        (for a report): its bytes (to be read) and a token; (b"", "") without a picture,
        a token None when the picture cannot be used (as the aiogram adapter does)."""
        file_id = inbound.picture_file(message, MAX_BYTES)  # type: ignore[arg-type]
        if file_id == "":
            return b"", ""
        try:
            if file_id is None:
                raise PhotoRejected("too large")
            file = await bot.get_file(file_id)
            body = bytes(await file.download_as_bytearray())[:MAX_BYTES + 1]
            return body, await receive_photo(self._data_dir, body)
        except (PhotoRejected, TelegramError, OSError) as exc:
            log.warning("telegram.photo_rejected error=%s reason=%s", type(exc).__name__,
                        exc if isinstance(exc, PhotoRejected) else "-")
            return b"", None

    async def _allowed(self, key: str, bot: Bot, chat_id: int, language: str | None) -> bool:
        allowed, warn = await self.limiter.check(key)
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
            keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(
                label, url=f"https://t.me/{self._username}?start={deep_link}")]])
        await bot.send_message(message.chat.id, self._renderer.message(lead, lang),
                               reply_to_message_id=message.message_id, reply_markup=keyboard)

    # -- sending ------------------------------------------------------------------------------

    async def _send(self, bot: Bot, chat_id: int, response: Response) -> None:
        for reply in response.replies:
            for out in render(self._renderer, reply, response.lang):
                await bot.send_message(chat_id, out.text, reply_markup=markup(out.keyboard))

    def _commands(self, lang: str) -> list[BotCommand]:
        return [BotCommand(name, self._text(label, lang)[:256]) for name, label in COMMANDS]

    def _text(self, message: Msg, lang: str) -> str:
        return self._plain.message(message, lang)

    @contextlib.contextmanager
    def _busy(self) -> Any:
        """Counts updates in flight, so shutdown can wait for them."""
        self._inflight += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._inflight -= 1
            if self._inflight == 0:
                self._idle.set()


def markup(keyboard: Keyboard | None) -> InlineKeyboardMarkup | None:
    """PTB's markup for a rendered keyboard."""
    return None if keyboard is None else _markup(keyboard)


@functools.lru_cache(maxsize=2048)
def _markup(keyboard: Keyboard) -> InlineKeyboardMarkup:
    """Built once per keyboard and shared: PTB's objects are frozen once made, and the same
    buttons recur for every user in a language and session number."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.text, callback_data=b.callback_data)
                                  for b in row] for row in keyboard.inline_keyboard])


class _StaffBot:
    """The two calls staff.py makes, in aiogram's shape, on PTB's bot."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send_message(self, chat_id: int, text: str) -> None:
        await self._bot.send_message(chat_id, text)

    async def send_document(self, chat_id: int, document: Any) -> None:
        # aiogram's BufferedInputFile: the bytes and the file's name
        await self._bot.send_document(chat_id, document.data, filename=document.filename)


__all__ = ["PtbAdapter", "markup"]
