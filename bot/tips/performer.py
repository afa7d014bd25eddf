"""Performs the tip effects: commit a confirmed tip (before the receipt is shown) and
answer ``/status``. Wrong receipt codes take as long as right ones, and repeated wrong
guesses from one user are slowed down."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import os
from collections.abc import Awaitable, Callable, Sequence

from bot.runtime import EffectRefused
from bot.storage.guesses import Guesses
from bot.tips.receipts import normalise, receipt_hash
from bot.tips.store import RateLimited, TipStatus, TipStore
from flows.flow import Effect
from flows.report.effects import LookupStatus, SaveTip
from flows.types import Reply, msg, nmsg, text_reply

log = logging.getLogger(__name__)

TIPS_PER_HOUR = 5
FREE_GUESSES = 3  # wrong codes before answers slow down
MAX_DELAY = 30.0


class TipEffects:
    def __init__(self, store: TipStore, receipt_salt: bytes, rate_salt: bytes, *,
                 tips_per_hour: int = TIPS_PER_HOUR, crash_after_commit: bool = False,
                 sleep: Callable[[float], object] = asyncio.sleep,
                 on_urgent: Callable[[int], Awaitable[None]] | None = None) -> None:
        self._on_urgent = on_urgent
        self._alerts: set[asyncio.Task[None]] = set()
        self._store = store
        self._salt = receipt_salt
        self._rate_salt = rate_salt
        self._per_hour = tips_per_hour
        # Fault injection for the test that kills the process between commit and reply.
        self._crash_after_commit = crash_after_commit
        self._sleep = sleep
        self.guesses = Guesses()  # wrong receipt codes per user; shared on PostgreSQL
        # Tips committed whose conversation has not been saved yet: {conversation key: id}.
        self._unsettled: dict[str, int] = {}

    async def perform(self, key: str, effects: Sequence[Effect]) -> tuple[Reply, ...]:
        # A tip of an earlier event whose receipt was never confirmed delivered keeps its
        # draft link (the retention job clears it); only this event's tip is waited for.
        self._unsettled.pop(key, None)
        replies: tuple[Reply, ...] = ()
        for effect in effects:
            if isinstance(effect, SaveTip):
                await self._save(key, effect)
            elif isinstance(effect, LookupStatus):
                replies += await self._status(key, effect.code)
            else:
                raise TypeError(f"no performer for {type(effect).__name__}")
        return replies

    async def _save(self, key: str, tip: SaveTip) -> None:
        hashed = await asyncio.to_thread(receipt_hash, tip.receipt, self._salt)
        try:
            # A key of its own for the counter, so it cannot be joined to conversations.
            rate_key = hmac.new(self._rate_salt, key.encode(), hashlib.sha256).hexdigest()
            saved = await self._store.save(tip, hashed, rate_key, self._per_hour)
        except RateLimited:
            log.info("tips.rate_limited")
            raise EffectRefused((text_reply(msg(
                "You have sent several reports in the last hour. Please wait a while before "
                "sending another one; your draft is kept.")),)) from None
        log.info("tips.saved ref=%s created=%s urgent=%s routes=%d", saved.ref, saved.created,
                 tip.urgent, len(tip.routes))
        self._unsettled[key] = saved.tip_id
        if self._crash_after_commit:
            os._exit(70)
        if tip.urgent and saved.created and self._on_urgent is not None:
            # After the commit, beside the reply: organisations hear of it at once.
            task = asyncio.create_task(self._alert(saved.tip_id))
            self._alerts.add(task)
            task.add_done_callback(self._alerts.discard)

    def awaiting_delivery(self, key: str) -> bool:
        return key in self._unsettled

    async def settle(self, key: str) -> None:
        """The conversation has moved past "Send": the tip forgets its draft."""
        tip_id = self._unsettled.pop(key, None)
        if tip_id is not None:
            await self._store.release_draft(tip_id)

    async def drain(self, seconds: float = 30.0) -> None:
        """Waits for urgent alerts still on their way (graceful shutdown)."""
        if self._alerts:
            await asyncio.wait(set(self._alerts), timeout=seconds)

    async def _alert(self, tip_id: int) -> None:
        assert self._on_urgent is not None
        try:
            await self._on_urgent(tip_id)
        except Exception as exc:  # an alert that fails must not touch the reporter's reply
            log.error("tips.alert_failed error=%s", type(exc).__name__)

    async def _status(self, key: str, code: str) -> tuple[Reply, ...]:
        failures = await self.guesses.count(key)
        if failures >= FREE_GUESSES:
            await self._sleep(min(2.0 ** (failures - FREE_GUESSES), MAX_DELAY))
        normal = normalise(code)
        # The same work for every code (the scrypt hash and one lookup), so that timing
        # does not tell a right code from a wrong one.
        hashed = await asyncio.to_thread(receipt_hash, normal or "2" * 12, self._salt)
        found = await self._store.status(hashed)
        if normal is None or found is None:
            await self.guesses.wrong(key)
            log.info("tips.status_miss")
            return (text_reply(msg("I found no report with that code. Check it and try "
                                   "again: it has 12 letters and digits, like "
                                   "K7QF-2MXP-9HRT.")),)
        await self.guesses.right(key)
        return (status_reply(found),)


def status_reply(tip: TipStatus) -> Reply:
    lines = [msg("*Your report {ref}*", ref=tip.ref)]
    if tip.status == "received":
        lines.append(msg("It is saved and waits to be passed on to the organisations."))
    else:
        lines.append(nmsg("It was passed on to {n} organisation.",
                          "It was passed on to {n} organisations.", max(tip.routes, 1)))
    if tip.status == "claimed":
        lines.append(msg("An organisation has taken it up."))
    if tip.status == "done":
        lines.append(msg("An organisation has finished working on it."))
    if tip.reply:
        lines.append(msg("Message from the organisation: {reply}", reply=tip.reply))
    return text_reply(*lines)
