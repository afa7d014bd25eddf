"""SQL storage of tips. A tip is committed with its routing, recruiter marks and photos in
one transaction; the rate-limit counter is checked in the same transaction."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from rapidfuzz import fuzz, process
from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.storage.database import dialect_insert, writing
from bot.storage.models import rate_limits, recruiter_marks, tip_files, tip_routes, tips
from bot.tips.photos import incoming_path
from flows.report.effects import SaveTip

# Names and agencies are linked when this close (rapidfuzz ratio); numbers and handles
# only when equal.
FUZZY_LINK = 90.0


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
    def __init__(self, engine: AsyncEngine, data_dir: Path,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._engine = engine
        self._data_dir = data_dir
        self._clock = clock
        self._insert = dialect_insert(engine)
        self._version = 0  # bumped by every save: the cached pools of marks are stale
        self._pools: dict[str, tuple[int, list[str], list[list[int]]]] = {}
        self._close: dict[tuple[str, str], list[int]] = {}

    async def save(self, tip: SaveTip, receipt_hash: str, rate_key: str,
                   per_hour: int) -> Saved:
        """Commits the tip; a retry of the same draft keeps one tip with the newest code."""
        now = self._clock()
        async with writing(self._engine) as conn:
            existing = (await conn.execute(select(tips.c.id, tips.c.ref).where(
                tips.c.draft_id == tip.draft_id))).first()
            if existing is not None:
                await conn.execute(update(tips).where(tips.c.id == existing.id).values(
                    receipt_hash=receipt_hash))
                return Saved(existing.id, existing.ref, created=False)
            await self._count(conn, rate_key, "tip", now, per_hour)
            ref = await self._next_ref(conn, now)
            tip_id = (await conn.execute(insert(tips).values(
                ref=ref, draft_id=tip.draft_id, receipt_hash=receipt_hash,
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
        self._version += 1
        await self._sync()
        return Saved(tip_id, ref, created=True)

    async def _sync(self) -> None:
        """Makes the commit durable against a power cut before the receipt is shown."""
        if self._engine.dialect.name != "sqlite":
            return  # PostgreSQL commits are durable (fsync) by default
        async with self._engine.connect() as conn:
            await conn.exec_driver_sql("PRAGMA wal_checkpoint(FULL)")

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
        prefix = f"T-{now:%y%m}-"
        count = (await conn.execute(select(func.count()).select_from(tips).where(
            tips.c.ref.like(prefix + "%")))).scalar_one()
        return f"{prefix}{count + 1:04d}"

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
        return (await self.linked_many([tip_id])).get(tip_id, {})

    async def linked_many(self, tip_ids: list[int]
                          ) -> dict[int, dict[int, list[tuple[str, str]]]]:
        """For each tip, the other tips about the same recruiter, in a few queries:
        numbers and handles must be equal (an SQL self-join), names and agencies close
        (rapidfuzz over the distinct values of each kind)."""
        found: dict[int, dict[int, list[tuple[str, str]]]] = {}
        if not tip_ids:
            return found
        own, other = recruiter_marks.alias("own"), recruiter_marks.alias("other")
        async with self._engine.connect() as conn:
            exact = (await conn.execute(
                select(own.c.tip_id, other.c.tip_id.label("other_id"), own.c.kind,
                       own.c.value)
                .join(other, and_(other.c.kind == own.c.kind, other.c.value == own.c.value,
                                  other.c.tip_id != own.c.tip_id))
                .where(own.c.tip_id.in_(tip_ids), own.c.kind.in_(("phone", "handle")))
            )).all()
            mine = (await conn.execute(select(recruiter_marks).where(
                recruiter_marks.c.tip_id.in_(tip_ids),
                recruiter_marks.c.kind.in_(("name", "agency"))))).all()
        for row in exact:
            found.setdefault(row.tip_id, {}).setdefault(row.other_id, []).append(
                (row.kind, row.value))
        for kind in {row.kind for row in mine}:
            values, holders = await self._pool(kind)
            for query in (r for r in mine if r.kind == kind):
                key = (kind, query.value)
                close = self._close.get(key)
                if close is None:  # the same names recur across digests: match each once
                    close = [j for _v, _s, j in process.extract(
                        query.value, values, scorer=fuzz.ratio, score_cutoff=FUZZY_LINK,
                        limit=None)]
                    self._close[key] = close
                for j in close:
                    for other in holders[j]:
                        if other != query.tip_id:
                            found.setdefault(query.tip_id, {}).setdefault(other, []).append(
                                (kind, query.value))
        return found

    async def _pool(self, kind: str) -> tuple[list[str], list[list[int]]]:
        """The distinct names (or agencies) of all tips and who mentions each; kept until
        the next tip is saved, so a run of digests reads it once."""
        cached = self._pools.get(kind)
        if cached is not None and cached[0] == self._version:
            return cached[1], cached[2]
        self._close = {}  # indices into the old pool are stale
        async with self._engine.connect() as conn:
            rows = (await conn.execute(select(recruiter_marks.c.value, recruiter_marks.c.tip_id)
                                       .where(recruiter_marks.c.kind == kind))).all()
        by_value: dict[str, list[int]] = {}
        for value, tip_id in rows:
            by_value.setdefault(value, []).append(tip_id)
        values = list(by_value)
        holders = [by_value[v] for v in values]
        self._pools[kind] = (self._version, values, holders)
        return values, holders
