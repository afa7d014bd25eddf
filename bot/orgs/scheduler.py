"""Runs digests on each organisation's schedule, and the retention job.

APScheduler 3 (AsyncIOScheduler) fires the jobs; the truth lives in our database: the
schedules table says when, the digest ledger says what was sent. On start every job is
rebuilt from the table, and any organisation whose slot passed while the bot was down gets
its digest at once (we do not rely on APScheduler's misfire grace, which would skip it).
Run the scheduler in one process only (README, deployment).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.orgs.digests import DigestService
from bot.orgs.schedule import Schedule, default_schedule, due
from bot.orgs.store import OrgStore
from bot.storage.database import dialect_insert, writing
from bot.storage.models import digests, org_schedules
from bot.tips.photos import cleanup_incoming
from bot.tips.retention import purge
from referral_directory import Directory

log = logging.getLogger(__name__)


class DigestScheduler:
    def __init__(self, engine: AsyncEngine, service: DigestService, orgs: OrgStore,
                 directory: Directory, retention_days: int, data_dir: Path,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._engine = engine
        self._service = service
        self._orgs = orgs
        self._directory = directory
        self._retention_days = retention_days
        self._data_dir = data_dir
        self._clock = clock
        self._scheduler: AsyncIOScheduler | None = None
        self._insert = dialect_insert(engine)

    async def schedule_of(self, org_id: str) -> Schedule:
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(org_schedules).where(
                org_schedules.c.org_id == org_id))).mappings().first()
        if row is not None:
            return Schedule(row["frequency"], row["at"], row["timezone"], row["weekday"])
        org = self._directory.get(org_id)
        return default_schedule(org.country if org else "")

    async def set_schedule(self, org_id: str, schedule: Schedule) -> None:
        values = {"org_id": org_id, "frequency": schedule.frequency, "at": schedule.at,
                  "weekday": schedule.weekday, "timezone": schedule.timezone}
        stmt = self._insert(org_schedules).values(**values)
        stmt = stmt.on_conflict_do_update(index_elements=[org_schedules.c.org_id],
                                          set_={k: v for k, v in values.items()
                                                if k != "org_id"})
        async with writing(self._engine) as conn:
            await conn.execute(stmt)
        if self._scheduler is not None:
            self._add(org_id, schedule)

    async def last_sent(self, org_id: str) -> datetime | None:
        async with self._engine.connect() as conn:
            value = (await conn.execute(select(func.max(digests.c.sent_at)).where(
                digests.c.org_id == org_id))).scalar()
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value

    async def start(self) -> None:
        self._scheduler = AsyncIOScheduler(timezone="UTC")
        for org_id in await self._orgs.registered():
            self._add(org_id, await self.schedule_of(org_id))
        self._scheduler.add_job(self.retention, CronTrigger(hour=3, minute=17, timezone="UTC"),
                                id="retention", replace_existing=True, coalesce=True,
                                misfire_grace_time=None)
        self._scheduler.start()
        await self.catch_up()

    def _add(self, org_id: str, schedule: Schedule) -> None:
        assert self._scheduler is not None
        trigger = CronTrigger(hour=schedule.hour, minute=schedule.minute,
                              day_of_week=schedule.weekday if schedule.frequency == "weekly"
                              else None, timezone=schedule.timezone)
        self._scheduler.add_job(self.run, trigger, args=[org_id], id=f"digest:{org_id}",
                                replace_existing=True, coalesce=True, misfire_grace_time=None)

    async def run(self, org_id: str) -> int:
        try:
            return await self._service.send(org_id)
        except Exception as exc:  # the next slot, or the next start, tries again
            log.error("digests.failed org=%s error=%s", org_id, type(exc).__name__)
            return 0

    async def catch_up(self) -> dict[str, int]:
        """Sends every digest whose slot passed since the organisation's last one."""
        sent: dict[str, int] = {}
        now = self._clock()
        for org_id in await self._orgs.registered():
            if due(await self.schedule_of(org_id), await self.last_sent(org_id), now):
                sent[org_id] = await self.run(org_id)
        return sent

    async def retention(self) -> int:
        # Photos parked for a report that was never sent go too (after a day, like the draft).
        cleanup_incoming(self._data_dir)
        return await purge(self._engine, self._data_dir, self._retention_days,
                           self._clock().date())

    def shutdown(self) -> None:
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)
