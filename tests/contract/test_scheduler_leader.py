"""One scheduler among workers on a real PostgreSQL (started by the tests; skipped where it
is not installed): two apps on one database, one leads; a schedule changed through the
other reaches the leader's jobs; when the leader stops, the other takes over."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.app import build_app
from bot.orgs.schedule import Schedule
from bot.settings import Settings
from tests.helpers.clock import Clock
from tests.helpers.postgres import postgres_url  # noqa: F401  (a fixture)

ORG = "ru-child-helpline"


async def _until(condition, seconds: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("not within the time")


async def test_one_leader_follows_changes_and_is_replaced(tmp_path: Path,
                                                          postgres_url: str) -> None:  # noqa: F811
    apps = [await build_app(Settings(data_dir=tmp_path / f"d{n}", database_url=postgres_url,
                                     bot_secret_key="k" * 32), clock=Clock())
            for n in range(2)]
    try:
        await apps[0].orgs.register(await apps[0].orgs.invite(ORG), "telegram", "9")
        for app in apps:
            app.scheduler._leader_poll = 0.2
            await app.scheduler.start()
        await _until(lambda: any(a.scheduler.leading for a in apps))
        await asyncio.sleep(0.6)  # three polls: the other must still be waiting
        assert [a.scheduler.leading for a in apps].count(True) == 1
        leader, other = sorted(apps, key=lambda a: not a.scheduler.leading)

        def job_hour() -> int | None:
            job = leader.scheduler._scheduler.get_job(f"digest:{ORG}")  # type: ignore[union-attr]
            return None if job is None else int(str(job.trigger.fields[5]))

        assert job_hour() is not None
        await other.scheduler.set_schedule(ORG, Schedule("daily", "17:45", "Europe/Moscow"))
        await _until(lambda: job_hour() == 17)  # the follower's change, in the leader's job

        leader.scheduler.shutdown()  # its lock goes with its connection
        await _until(lambda: other.scheduler.leading)
        job = other.scheduler._scheduler.get_job(f"digest:{ORG}")  # type: ignore[union-attr]
        assert job is not None and str(job.trigger.timezone) == "Europe/Moscow"
    finally:
        for app in apps:
            app.scheduler.shutdown()
            await app.close()
