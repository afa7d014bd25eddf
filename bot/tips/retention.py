"""Retention: tips are deleted a set time after the last digest that carried them (or,
never carried, after their day of arrival), with their routes, marks and photos."""

from __future__ import annotations

import logging
import shutil
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.database import writing
from bot.storage.models import recruiter_marks, tip_files, tip_routes, tips

log = logging.getLogger(__name__)


# A draft link left by a crash between a tip's commit and its conversation's save is only
# needed while that conversation can still press "Send" again (24 h by default).
DRAFT_LINK_DAYS = 2


async def purge(engine: AsyncEngine, data_dir: Path, days: int, today: date) -> int:
    cutoff = today - timedelta(days=days)
    async with writing(engine) as conn:
        await conn.execute(update(tips).where(and_(
            tips.c.draft_hash.is_not(None),
            tips.c.created_on < today - timedelta(days=DRAFT_LINK_DAYS))).values(
                draft_hash=None))
    old = or_(tips.c.last_digest_on < cutoff,
              and_(tips.c.last_digest_on.is_(None), tips.c.created_on < cutoff))
    async with writing(engine) as conn:
        rows = (await conn.execute(select(tips.c.id, tips.c.ref).where(old))).all()
        ids = [r.id for r in rows]
        if ids:
            for table in (tip_routes, recruiter_marks, tip_files):
                await conn.execute(delete(table).where(table.c.tip_id.in_(ids)))
            await conn.execute(delete(tips).where(tips.c.id.in_(ids)))
    for row in rows:
        shutil.rmtree(data_dir / "tips" / row.ref, ignore_errors=True)
    if ids:
        log.info("retention.deleted tips=%d", len(ids))
    return len(ids)
