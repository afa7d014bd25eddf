"""The runtime: one event of one conversation at a time, state loaded inside the lock.

Order (STYLE point 6): acquire the conversation's lock, load its state, run the pure
engine, perform the effects (each commits before returning), save the new state, and only
then hand the replies to the adapter to send. A crash at any point leaves the user seeing
nothing the store does not know about.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import traceback
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bot.storage.base import ConversationStore
from bot.storage.shared import StaleConversation
from flows.engine import Conversation, Engine
from flows.flow import Effect
from flows.locale import DEFAULT, normalise_locale
from flows.types import Inbound, Reply, msg, text_reply

log = logging.getLogger(__name__)


class EffectRefused(Exception):
    """An effect was refused (a rate limit): show these replies, keep the old state."""

    def __init__(self, replies: tuple[Reply, ...]) -> None:
        super().__init__("effect refused")
        self.replies = replies


class EffectPerformer(Protocol):
    async def perform(self, key: str, effects: Sequence[Effect]) -> tuple[Reply, ...]:
        """Performs and commits every effect, in order, before returning.

        :param key: the conversation's pseudonymous key (for per-user limits only).
        :returns: replies some effects produce (a status lookup), sent after the flow's.
        :raises EffectRefused: to answer politely and keep the conversation as it was.
        """
        ...

    def awaiting_delivery(self, key: str) -> bool:
        """Whether an effect of this conversation's last event waits for its reply to be
        delivered (a tip whose receipt code the reporter has not seen yet)."""
        ...

    async def settle(self, key: str) -> None:
        """Called once the reply is delivered and the conversation's new state saved: what
        the effects kept only for a retry of this step (a tip's link to its draft) can go."""
        ...


class NoEffects:
    """The performer while no flow emits effects; refuses any it is handed."""

    async def perform(self, key: str, effects: Sequence[Effect]) -> tuple[Reply, ...]:
        if effects:
            names = ", ".join(type(e).__name__ for e in effects)
            raise RuntimeError(f"no performer for effects: {names}")
        return ()

    def awaiting_delivery(self, key: str) -> bool:
        return False

    async def settle(self, key: str) -> None:
        return None


@dataclass(frozen=True, slots=True)
class Response:
    lang: str
    replies: tuple[Reply, ...]


# Events of one conversation run one at a time; a user who sends faster than they are
# answered (300 guessed receipt codes, each slowed down) must not build an unbounded queue
# of work and memory: past this many waiting, an event is answered at once and dropped.
MAX_WAITING = 8


def too_fast() -> Reply:
    return text_reply(msg("You are sending messages very fast. Please wait a minute."))


def apology() -> Reply:
    return text_reply(msg("Sorry, something went wrong on my side. Please try again in a "
                          "moment. If you are in danger, call 112."))


def where(exc: BaseException) -> str:
    """The frames of a traceback without the exception's message, which may hold user text."""
    frames = traceback.extract_tb(exc.__traceback__)
    return " < ".join(f"{Path(f.filename).name}:{f.lineno}:{f.name}" for f in reversed(frames))


def _no_hold(_key: str) -> contextlib.AbstractAsyncContextManager[None]:
    return contextlib.nullcontext()


class Runtime:
    """Events of one conversation run one at a time: an asyncio lock per conversation in
    this process and, when the store is shared by several workers (PostgreSQL), the
    store's ``hold`` across them (bot/storage/shared.py)."""

    def __init__(self, store: ConversationStore, engine: Engine,
                 performer: EffectPerformer | None = None) -> None:
        self._store = store
        self._hold: Callable[[str], contextlib.AbstractAsyncContextManager[None]] = (
            getattr(store, "hold", None) or _no_hold)
        self._engine = engine
        self._performer = performer or NoEffects()
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = (
            weakref.WeakValueDictionary())
        self._waiting: dict[str, int] = {}
        self._langs: dict[str, str] = {}  # the language of conversations seen, to refuse in it
        # New states saved only once the adapter says the reply was delivered (a receipt).
        self._after_delivery: dict[str, Conversation] = {}

    @property
    def engine(self) -> Engine:
        return self._engine

    async def profile(self, key: str) -> tuple[str, str]:
        """The language and country of a conversation as stored, read outside its lock: a
        hint for an adapter's work before the event (the packs a picture is read with)."""
        try:
            conv = await self._store.load(key)
        except Exception as exc:  # a hint only: the event itself will meet the same error
            log.warning("runtime.profile_failed error=%s", type(exc).__name__)
            return self._langs.get(key, ""), ""
        return conv.lang or self._langs.get(key, ""), conv.country

    def _lock(self, key: str) -> asyncio.Lock:
        lock = self._locks.get(key)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[key] = lock
        return lock

    async def handle(self, key: str, event: Inbound) -> Response:
        started = time.perf_counter()
        lock = self._lock(key)  # a strong reference for as long as we hold it
        waiting = self._waiting.get(key, 0)
        if lock.locked() and waiting >= MAX_WAITING:
            log.info("runtime.dropped kind=%s waiting=%d", event.kind, waiting)
            return Response(self._langs.get(key, DEFAULT), (too_fast(),))
        self._waiting[key] = waiting + 1
        try:
            await lock.acquire()
        finally:
            left = self._waiting[key] - 1
            if left:
                self._waiting[key] = left
            else:
                del self._waiting[key]
        try:
            if self._hold is _no_hold:  # one process (SQLite): the asyncio lock is enough
                return await self._handle_locked(key, event, started)
            return await self._handle_held(key, event, started)
        finally:
            lock.release()

    async def _handle_held(self, key: str, event: Inbound, started: float) -> Response:
        """The event inside the store's hold, whose end commits the new state: a failure
        there (the database went away) is an apology, like any other."""
        try:
            async with self._hold(key):
                return await self._handle_locked(key, event, started)
        except Exception as exc:
            log.error("runtime.error kind=%s error=%s at=%s", event.kind,
                      type(exc).__name__, where(exc))
            lang = (self._langs.get(key) or normalise_locale(event.locale_hint) or DEFAULT)
            return Response(lang, (apology(),))

    async def delivered(self, key: str) -> None:
        """The adapter delivered the last response of this conversation: a state held back
        for it (after a tip was committed) is saved, and the tip's link to its draft goes.
        A crash or a refused send before this leaves the conversation at "Send", and the
        committed tip is found again by its draft: no receipt is ever lost."""
        if key not in self._after_delivery:
            return
        async with self._lock(key):
            conv = self._after_delivery.pop(key, None)
            if conv is None:
                return
            try:
                async with self._hold(key):
                    await self._store.save(key, conv)
                await self._performer.settle(key)
            except StaleConversation:
                # Another worker answered this user's next message first: that state is
                # newer, and the tip keeps its draft link as after any undelivered reply.
                log.info("runtime.delivered_superseded")
            except Exception as exc:
                log.error("runtime.delivered_error error=%s at=%s", type(exc).__name__,
                          where(exc))

    def _remember_lang(self, key: str, lang: str) -> None:
        if lang and self._langs.get(key) != lang:
            if len(self._langs) > 100_000:
                self._langs.clear()
            self._langs[key] = lang

    async def _handle_locked(self, key: str, event: Inbound, started: float) -> Response:
        conv = Conversation()
        try:
            # Inside the try: a database that fails to read one conversation is an apology
            # for this user, never an error that ends the adapter's loop for everyone.
            # A reply that was never confirmed delivered: its step stays as it was stored
            # (the summary with "Send"), so pressing "Send" again issues the receipt anew.
            self._after_delivery.pop(key, None)
            conv = await self._store.load(key)
            result = self._engine.handle(conv, event)
            self._remember_lang(key, result.lang)
            extra = await self._performer.perform(key, result.effects)
            if self._performer.awaiting_delivery(key):
                self._after_delivery[key] = result.conversation
            else:
                await self._store.save(key, result.conversation)
        except EffectRefused as refused:
            return Response(conv.lang or result.lang, refused.replies)
        except Exception as exc:
            # Never the text or the key: the class and where it happened are enough.
            log.error("runtime.error kind=%s flow=%s state=%s error=%s at=%s", event.kind,
                      conv.flow or "-", conv.state or "-", type(exc).__name__,
                      where(exc))
            lang = (conv.lang or self._langs.get(key) or normalise_locale(event.locale_hint)
                    or DEFAULT)  # a new user whose state could not be read: the app's hint
            return Response(lang, (apology(),))
        log.info("runtime.event kind=%s flow=%s state=%s replies=%d ms=%.1f", event.kind,
                 result.conversation.flow or "-", result.conversation.state or "-",
                 len(result.replies), (time.perf_counter() - started) * 1000)
        return Response(result.lang, result.replies + extra)
