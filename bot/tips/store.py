"""SQL storage of tips. A tip is committed with its routing, recruiter marks and photos in
one transaction; the rate-limit counter is checked in the same transaction."""

from __future__ import annotations

import hashlib
import hmac
import json
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot import collector
from bot.storage.database import dialect_insert, writing
from bot.storage.models import (
    rate_limits,
    recruiter_marks,
    tip_files,
    tip_routes,
    tip_sequence,
    tips,
)
from bot.tips.photos import incoming_path
from flows.report.effects import SaveTip

# Names and agencies are linked when this close (rapidfuzz ratio); numbers and handles
# only when equal.
FUZZY_LINK = 90.0
EXACT_MARKS = frozenset({"phone", "handle"})


class RateLimited(Exception):
    """The reporter has sent the allowed number of tips this hour."""


@dataclass(frozen=True, slots=True)
class Saved:
    tip_id: int
    ref: str
    created: bool  # False when the same draft was sent before (a retry)


@dataclass(frozen=True, slots=True)
class TipStatus:
    ref: str
    status: str  # received, delivered, claimed, done
    routes: int
    delivered_on: date | None
    reply: str | None


class TipStore:
    def __init__(self, engine: AsyncEngine, data_dir: Path, draft_salt: bytes,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._engine = engine
        self._draft_salt = draft_salt
        self._data_dir = data_dir
        self._clock = clock
        self._insert = dialect_insert(engine)
        self._marks: MarkIndex | None = None

    async def save(self, tip: SaveTip, receipt_hash: str, rate_key: str,
                   per_hour: int) -> Saved:
        """Commits the tip; a retry of the same draft keeps one tip with the newest code."""
        now = self._clock()
        draft_hash = self._draft_hash(tip.draft_id)
        async with writing(self._engine) as conn:
            existing = (await conn.execute(select(tips.c.id, tips.c.ref).where(
                tips.c.draft_hash == draft_hash))).first()
            if existing is not None:
                await conn.execute(update(tips).where(tips.c.id == existing.id).values(
                    receipt_hash=receipt_hash))
                return Saved(existing.id, existing.ref, created=False)
            await self._count(conn, rate_key, "tip", now, per_hour)
            ref = await self._next_ref(conn, now)
            tip_id = (await conn.execute(insert(tips).values(
                ref=ref, draft_hash=draft_hash, receipt_hash=receipt_hash,
                created_on=now.date(), topic=tip.topic, text=tip.text,
                when_text=tip.when_text, recruiter=tip.recruiter, place_id=tip.place_id,
                place_label=tip.place_label, country=tip.country, danger_now=tip.danger_now,
                minor=tip.minor, urgent=tip.urgent, consent=tip.consent, risk=tip.risk,
                flags=json.dumps(list(tip.flags)), language=tip.language, status="received",
            ).returning(tips.c.id))).scalar_one()
            if tip.routes:
                await conn.execute(insert(tip_routes), [
                    {"tip_id": tip_id, "org_id": org, "reason": reason}
                    for org, reason in tip.routes])
            if tip.marks:
                await conn.execute(insert(recruiter_marks), [
                    {"tip_id": tip_id, "kind": kind, "value": value[:200]}
                    for kind, value in tip.marks])
            await self._attach(conn, tip_id, ref, tip.attachments)
        await self._sync()
        return Saved(tip_id, ref, created=True)

    def _draft_hash(self, draft_id: str) -> str:
        return hmac.new(self._draft_salt, draft_id.encode(), hashlib.sha256).hexdigest()

    async def release_draft(self, tip_id: int) -> None:
        """Forgets which draft the tip came from, once the reporter's conversation has
        moved on (no second "Send" can come): from then on nothing links the tip to the
        conversation. The checkpoint then truncates the WAL, so old copies of the
        conversation row and the draft go with it (secure_delete zeroes freed cells)."""
        async with writing(self._engine) as conn:
            await conn.execute(update(tips).where(tips.c.id == tip_id).values(draft_hash=None))
        await self._sync("TRUNCATE")

    async def _sync(self, mode: str = "FULL") -> None:
        """Makes the commit durable against a power cut before the receipt is shown."""
        if self._engine.dialect.name != "sqlite":
            return  # PostgreSQL commits are durable (fsync) by default
        async with self._engine.connect() as conn:
            await conn.exec_driver_sql(f"PRAGMA wal_checkpoint({mode})")

    async def _count(self, conn: AsyncConnection, key: str, action: str, now: datetime,
                     limit: int) -> None:
        window = now.strftime("%Y-%m-%dT%H")
        # Only the current hour is needed: older counters are deleted, so the table never
        # holds a history of who reported when.
        await conn.execute(delete(rate_limits).where(rate_limits.c.window < window))
        stmt = self._insert(rate_limits).values(key=key, action=action, window=window, count=1)
        stmt = stmt.on_conflict_do_update(
            index_elements=[rate_limits.c.key, rate_limits.c.action, rate_limits.c.window],
            set_={"count": rate_limits.c.count + 1})
        await conn.execute(stmt)
        count = (await conn.execute(select(rate_limits.c.count).where(and_(
            rate_limits.c.key == key, rate_limits.c.action == action,
            rate_limits.c.window == window)))).scalar_one()
        if count > limit:
            raise RateLimited  # the transaction rolls back, the counter too

    async def _next_ref(self, conn: AsyncConnection, now: datetime) -> str:
        """The month's next number from a counter that purges never lower, so a reference
        is never issued twice (a count of the month's tips would repeat after a purge)."""
        month = f"{now:%y%m}"
        stmt = self._insert(tip_sequence).values(month=month, last=1)
        stmt = stmt.on_conflict_do_update(index_elements=[tip_sequence.c.month],
                                          set_={"last": tip_sequence.c.last + 1})
        await conn.execute(stmt)
        number = (await conn.execute(select(tip_sequence.c.last).where(
            tip_sequence.c.month == month))).scalar_one()
        return f"T-{month}-{number:04d}"

    async def _attach(self, conn: AsyncConnection, tip_id: int, ref: str,
                      tokens: tuple[str, ...]) -> None:
        folder = self._data_dir / "tips" / ref
        for number, token in enumerate(tokens, start=1):
            source = incoming_path(self._data_dir, token)
            if source is None:
                continue  # expired or forged token: nothing to attach
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / f"{number}.jpg"
            shutil.move(source, target)
            await conn.execute(insert(tip_files).values(
                tip_id=tip_id, path=str(target.relative_to(self._data_dir)),
                size=target.stat().st_size))

    async def status(self, receipt_hash: str) -> TipStatus | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(tips).where(
                tips.c.receipt_hash == receipt_hash))).mappings().first()
            if row is None:
                return None
            routes = (await conn.execute(select(func.count()).select_from(tip_routes).where(
                tip_routes.c.tip_id == row["id"]))).scalar_one()
        return TipStatus(row["ref"], row["status"], routes, row["delivered_on"], row["reply"])

    async def linked(self, tip_id: int) -> dict[int, list[tuple[str, str]]]:
        """Other tips that mention the same recruiter: {tip id: [(kind, value)…]}."""
        found: dict[int, list[tuple[str, str]]] = {}
        for _tip, kind, value, others in await self._mark_links([tip_id]):
            for other in others:
                found.setdefault(other, []).append((kind, value))
        return found

    async def linked_many(self, tip_ids: list[int]) -> dict[int, set[int]]:
        """For each tip, the other tips about the same recruiter."""
        found: dict[int, set[int]] = {}
        for tip_id, _kind, _value, others in await self._mark_links(tip_ids):
            if others:  # the tip itself is never among them (_mark_links)
                found.setdefault(tip_id, set()).update(others)
        return found

    async def mark_holders(self, tip_ids: list[int]
                           ) -> dict[int, list[tuple[str, str, frozenset[int]]]]:
        """Each tip's recruiter marks, each with every tip holding it (the tip itself
        included). One set per mark, shared by all its tips: a digest reads a recruiter
        named in thousands of tips at the cost of its marks, not of their pairs."""
        marks = await self._fresh_marks()
        by_tip, held = marks.by_tip, marks.held
        return {tip_id: [held(mark) for mark in by_tip.get(tip_id, ())] for tip_id in tip_ids}

    async def _mark_links(self, tip_ids: list[int]
                          ) -> list[tuple[int, str, str, frozenset[int]]]:
        """Each recruiter mark of these tips with every tip holding the same mark (itself
        included): numbers and handles must be equal, names and agencies close (rapidfuzz
        ratio). Each distinct mark is matched once against the in-memory index of its
        kind, so a run of digests over thousands of tips costs two queries."""
        marks = await self._fresh_marks()
        found = []
        for tip_id in tip_ids:
            for kind, value in marks.by_tip.get(tip_id, ()):
                found.append((tip_id, kind, value, marks.holding(kind, value) - {tip_id}))
        return found

    async def _fresh_marks(self) -> MarkIndex:
        """The index, rebuilt when the table changed (a tip saved or purged here or by
        another process): its newest id and its row count tell."""
        async with self._engine.connect() as conn:
            stamp = tuple((await conn.execute(select(
                func.max(recruiter_marks.c.id), func.count()))).one())
            if self._marks is None or self._marks.stamp != stamp:
                rows = (await conn.execute(select(
                    recruiter_marks.c.tip_id, recruiter_marks.c.kind,
                    recruiter_marks.c.value))).all()
                with collector.paused():  # tens of thousands of marks at once
                    self._marks = MarkIndex(stamp, rows)
        return self._marks


class MarkIndex:
    """Every recruiter mark in memory: who holds each value, and each tip's marks."""

    def __init__(self, stamp: tuple[object, ...], rows: Iterable[Any]) -> None:
        self.stamp = stamp
        # One (kind, value) tuple per row, in both maps, and no empty list made for a
        # key already there (setdefault's): a digest run builds this over every mark.
        by_tip: dict[int, list[tuple[str, str]]] = {}
        by_value: dict[tuple[str, str], list[int]] = {}
        for tip_id, kind, value in rows:
            key = (kind, value)
            tip_marks = by_tip.get(tip_id)
            if tip_marks is None:
                by_tip[tip_id] = [key]
            else:
                tip_marks.append(key)
            ids = by_value.get(key)
            if ids is None:
                by_value[key] = [tip_id]
            else:
                ids.append(tip_id)
        self.by_tip = by_tip
        self._holders = {key: frozenset(ids) for key, ids in by_value.items()}
        self._values: dict[str, list[str]] = {}
        for kind, value in by_value:
            self._values.setdefault(kind, []).append(value)
        self._close: dict[tuple[str, str], frozenset[int]] = {}
        self._held: dict[tuple[str, str], tuple[str, str, frozenset[int]]] = {}

    def held(self, mark: tuple[str, str]) -> tuple[str, str, frozenset[int]]:
        """A (kind, value) mark with the tips holding it, one shared tuple per mark (a
        digest run asks for each of tens of thousands of tips' marks)."""
        entry = self._held.get(mark)
        if entry is None:
            entry = self._held[mark] = (*mark, self.holding(*mark))
        return entry

    def holding(self, kind: str, value: str) -> frozenset[int]:
        """The tips whose mark of this kind equals (numbers, handles) or is close to
        (names, agencies) the value; each value is matched once."""
        key = (kind, value)
        if kind in EXACT_MARKS:
            return self._holders.get(key, frozenset())
        found = self._close.get(key)
        if found is None:
            found = frozenset(t for close, _score, _j in process.extract(
                value, self._values.get(kind, []), scorer=fuzz.ratio,
                score_cutoff=FUZZY_LINK, limit=None) for t in self._holders[(kind, close)])
            self._close[key] = found
        return found
