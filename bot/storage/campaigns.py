"""Anonymous counts of deep-link campaigns (``/start <campaign>``): a name, a day, a count."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.database import dialect_insert, writing
from bot.storage.models import campaign_counts

CAMPAIGN = re.compile(r"^[a-z0-9_-]{1,32}$")


class CampaignCounter:
    def __init__(self, engine: AsyncEngine,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._engine = engine
        self._clock = clock
        self._insert = dialect_insert(engine)

    async def count(self, campaign: str) -> bool:
        """Adds one to today's count; False for a name that is not a campaign."""
        name = campaign.strip().lower()
        if not CAMPAIGN.match(name):
            return False
        stmt = self._insert(campaign_counts).values(campaign=name, day=self._clock().date(),
                                                    count=1)
        stmt = stmt.on_conflict_do_update(
            index_elements=[campaign_counts.c.campaign, campaign_counts.c.day],
            set_={"count": campaign_counts.c.count + 1})
        async with writing(self._engine) as conn:
            await conn.execute(stmt)
        return True

    async def totals(self) -> dict[str, int]:
        async with self._engine.connect() as conn:
            rows = (await conn.execute(select(campaign_counts))).all()
        totals: dict[str, int] = {}
        for row in rows:
            totals[row.campaign] = totals.get(row.campaign, 0) + row.count
        return totals

    async def by_day(self) -> list[tuple[str, date, int]]:
        """(campaign, day, count) for every campaign and day, in order."""
        async with self._engine.connect() as conn:
            rows = (await conn.execute(select(campaign_counts).order_by(
                campaign_counts.c.campaign, campaign_counts.c.day))).all()
        return [(row.campaign, row.day, row.count) for row in rows]

    async def between(self, first: date, end: date) -> list[tuple[str, int]]:
        """(campaign, count) over the days ``first`` up to ``end`` (not included), the
        most visited first."""
        total = func.sum(campaign_counts.c.count)
        async with self._engine.connect() as conn:
            rows = (await conn.execute(
                select(campaign_counts.c.campaign, total)
                .where(campaign_counts.c.day >= first, campaign_counts.c.day < end)
                .group_by(campaign_counts.c.campaign)
                .order_by(total.desc(), campaign_counts.c.campaign))).all()
        return [(name, int(count)) for name, count in rows]
