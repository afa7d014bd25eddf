"""Runs digests on each organisation's schedule, and the retention job.

APScheduler 3 (AsyncIOScheduler) fires the jobs; the truth lives in our database: the
schedules table says when, the digest ledger says what was sent. On start every job is
rebuilt from the table, and any organisation whose slot passed while the bot was down gets
its digest at once (we do not rely on APScheduler's misfire grace, which would skip it).

On SQLite one process serves the bot and runs the jobs. On PostgreSQL every worker may
start the scheduler and exactly one leads: it holds a session-level advisory lock on a
connection of its own, so when it dies (or loses its database) the lock goes with its
session and another worker takes it over within ``LEADER_POLL`` seconds, rebuilds the
jobs from the table and catches up on what was missed. The leader reloads the schedules as
often, so a change made through another worker (staff /digest) reaches its jobs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.orgs.digests import DigestService
from bot.orgs.schedule import Schedule, default_schedule, due
from bot.orgs.store import OrgStore
from bot.storage.database import dialect_insert, is_shared, writing
from bot.storage.models import digests, org_schedules
from bot.tips.photos import cleanup_incoming
from bot.tips.retention import purge
from referral_directory import Directory

log = logging.getLogger(__name__)

# The leader's advisory lock: the two-integer key space (conversations use the single
# bigint one, which never overlaps it).
LEADER_LOCK = (0x5AFE, 2)
LEADER_POLL = 5.0  # seconds between a follower's tries, and between the leader's checks


class DigestScheduler:
    def __init__(self, engine: AsyncEngine, service: DigestService, orgs: OrgStore,
                 directory: Directory, retention_days: int, data_dir: Path,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 leader_poll: float = LEADER_POLL) -> None:
        self._engine = engine
        self._leader_poll = leader_poll
        self._leading: asyncio.Task[None] | None = None
        self._jobs: dict[str, Schedule] = {}  # the schedule each digest job was made from
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
        if self._scheduler is not None and self._scheduler.running:
            self._add(org_id, schedule)  # a follower's change reaches the leader's reload

    async def last_sent(self, org_id: str) -> datetime | None:
        async with self._engine.connect() as conn:
            value = (await conn.execute(select(func.max(digests.c.sent_at)).where(
                digests.c.org_id == org_id))).scalar()
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value

    async def start(self) -> None:
        """Runs the jobs here (SQLite), or competes for the lead (PostgreSQL): then this
        returns at once, and the jobs start whenever this worker becomes the leader."""
        if not is_shared(self._engine):
            await self._start_jobs()
            return
        self._leading = asyncio.create_task(self._lead())

    @property
    def leading(self) -> bool:
        return self._scheduler is not None and self._scheduler.running

    async def _start_jobs(self) -> None:
        self._scheduler = AsyncIOScheduler(timezone="UTC")
        self._jobs = {}
        await self._load_jobs()
        self._scheduler.add_job(self.retention, CronTrigger(hour=3, minute=17, timezone="UTC"),
                                id="retention", replace_existing=True, coalesce=True,
                                misfire_grace_time=None)
        self._scheduler.start()
        await self.catch_up()

    async def _load_jobs(self) -> None:
        """Jobs for every registered organisation from the schedules table, read in one
        query (the leader does this every LEADER_POLL seconds); a job is replaced only when
        its schedule changed, and goes when its organisation is no longer registered."""
        assert self._scheduler is not None
        async with self._engine.connect() as conn:
            rows = (await conn.execute(select(org_schedules))).mappings().all()
        stored = {row["org_id"]: Schedule(row["frequency"], row["at"], row["timezone"],
                                          row["weekday"]) for row in rows}
        registered = set(await self._orgs.registered())
        for org_id in registered:
            org = self._directory.get(org_id)
            schedule = stored.get(org_id) or default_schedule(org.country if org else "")
            if self._jobs.get(org_id) != schedule:
                self._add(org_id, schedule)
        for org_id in set(self._jobs) - registered:
            with contextlib.suppress(JobLookupError):
                self._scheduler.remove_job(f"digest:{org_id}")
            del self._jobs[org_id]

    async def _lead(self) -> None:
        """Waits for the leader's lock, runs the jobs while it holds it, and starts over
        when the connection that holds it fails."""
        key = select(func.pg_try_advisory_lock(*LEADER_LOCK))
        while True:
            try:
                async with self._engine.connect() as conn:
                    try:
                        while not (await conn.execute(key)).scalar():
                            await conn.commit()  # the session lock outlives it
                            await asyncio.sleep(self._leader_poll)
                        await conn.commit()
                        log.info("scheduler.leading")
                        await self._start_jobs()
                        while True:
                            await asyncio.sleep(self._leader_poll)
                            await conn.execute(select(1))  # the lock lives with this session
                            await conn.commit()
                            await self._load_jobs()
                    finally:
                        self._stop_jobs()
                        # Never back into the pool: the lock would stay with the pooled
                        # session, and nobody could lead again.
                        with contextlib.suppress(Exception):
                            await conn.invalidate()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("scheduler.leader_lost error=%s", type(exc).__name__)
            await asyncio.sleep(self._leader_poll)

    def _add(self, org_id: str, schedule: Schedule) -> None:
        assert self._scheduler is not None
        trigger = CronTrigger(hour=schedule.hour, minute=schedule.minute,
                              day_of_week=schedule.weekday if schedule.frequency == "weekly"
                              else None, timezone=schedule.timezone)
        self._scheduler.add_job(self.run, trigger, args=[org_id], id=f"digest:{org_id}",
                                replace_existing=True, coalesce=True, misfire_grace_time=None)
        self._jobs[org_id] = schedule

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

    def _stop_jobs(self) -> None:
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    def shutdown(self) -> None:
        """Stops the jobs; a leader's lock goes with its connection (another worker
        takes over)."""
        if self._leading is not None:
            self._leading.cancel()
            self._leading = None
        self._stop_jobs()
