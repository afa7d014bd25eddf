"""Staff actions on tips routed to their organisation: claim, done, reply.

A reply is shown to the reporter by ``/status CODE`` (the receipt code only they hold);
nothing about the reporter reaches the staff.
"""

from __future__ import annotations

from sqlalchemy import and_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.database import writing
from bot.storage.models import tip_routes, tips

MAX_REPLY = 1000


class StaffDesk:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def _routed(self, ref: str, org_ids: list[str]) -> int | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(tips.c.id).select_from(tips.join(
                tip_routes, tip_routes.c.tip_id == tips.c.id)).where(and_(
                    tips.c.ref == ref.strip().upper(), tip_routes.c.org_id.in_(org_ids))))
            ).first()
        return int(row.id) if row else None

    async def set_status(self, ref: str, org_ids: list[str], status: str) -> bool:
        tip_id = await self._routed(ref, org_ids)
        if tip_id is None:
            return False
        async with writing(self._engine) as conn:
            await conn.execute(update(tips).where(tips.c.id == tip_id).values(
                status=status, claimed_by=org_ids[0]))
        return True

    async def reply(self, ref: str, org_ids: list[str], text: str) -> bool:
        tip_id = await self._routed(ref, org_ids)
        if tip_id is None or not text.strip():
            return False
        async with writing(self._engine) as conn:
            await conn.execute(update(tips).where(tips.c.id == tip_id).values(
                reply=text.strip()[:MAX_REPLY]))
        return True
