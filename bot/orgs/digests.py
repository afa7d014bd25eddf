"""Digests for organisations, and immediate alerts for urgent tips.

The ledger (table ``digests``) makes a send idempotent: the tips routed to an organisation
and not yet in a *sent* digest go into one ledger row; the row is marked sent only after
every chat of the organisation received it. After a crash the unsent row is sent again with
the same tips, so no tip is skipped (a chat may see that digest twice).
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import and_, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.orgs.export import tips_csv
from bot.orgs.store import OrgStore
from bot.rendering import TextRenderer, split
from bot.storage.database import writing
from bot.storage.models import digests, tip_routes, tips
from bot.tips.store import TipStore
from flows.locale import FALLBACK, SUPPORTED
from flows.types import Bullets, Part, Quote, Reply, msg, nmsg, text_reply
from referral_directory import Directory

log = logging.getLogger(__name__)
MAX_MESSAGE = 4096  # a text message on Telegram and on WhatsApp alike

# (transport, chat id, rendered text) -> sent
Sender = Callable[[str, str, str], Awaitable[None]]
# (transport, chat id, file name, content) -> sent
FileSender = Callable[[str, str, str, bytes], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class TipRow:
    id: int
    ref: str
    created_on: str
    topic: str
    place: str
    urgent: bool
    risk: str
    flags: tuple[str, ...]
    text: str
    recruiter: str
    linked: tuple[str, ...]  # refs of other tips about the same recruiter


class DigestService:
    def __init__(self, engine: AsyncEngine, tip_store: TipStore, orgs: OrgStore,
                 directory: Directory, renderer: TextRenderer, sender: Sender | None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 retention_days: int = 90) -> None:
        self._retention_days = retention_days
        self._engine = engine
        self._tips = tip_store
        self._orgs = orgs
        self._directory = directory
        self._renderer = renderer
        self.sender = sender  # set once a transport is running (Telegram)
        self.file_sender: FileSender | None = None
        self._clock = clock

    def name(self, org_id: str) -> str:
        org = self._directory.get(org_id)
        return org.names.local if org else org_id

    def language(self, org_id: str) -> str:
        org = self._directory.get(org_id)
        for lang in org.languages if org else ():
            if lang in SUPPORTED:
                return lang
        return FALLBACK

    async def pending(self, org_id: str) -> list[TipRow]:
        """Tips routed to the organisation that no sent digest carried."""
        async with self._engine.connect() as conn:
            sent = (await conn.execute(select(digests.c.tip_ids).where(and_(
                digests.c.org_id == org_id, digests.c.sent_at.is_not(None))))).all()
            done = {int(t) for row in sent for t in json.loads(row.tip_ids)}
            ids = [r.tip_id for r in (await conn.execute(select(tip_routes.c.tip_id).where(
                tip_routes.c.org_id == org_id).order_by(tip_routes.c.tip_id))).all()
                   if r.tip_id not in done]
        return await self.rows(ids)

    async def rows(self, ids: list[int]) -> list[TipRow]:
        if not ids:
            return []
        async with self._engine.connect() as conn:
            found = (await conn.execute(select(tips).where(tips.c.id.in_(ids))
                                        .order_by(tips.c.id))).mappings().all()
        links = await self._tips.linked_many(ids)
        others = sorted({other for linked in links.values() for other in linked})
        async with self._engine.connect() as conn:
            refs = {r.id: r.ref for r in (await conn.execute(
                select(tips.c.id, tips.c.ref).where(tips.c.id.in_(others))))} if others else {}
        rows = []
        for row in found:
            linked = links.get(row["id"], {})
            rows.append(TipRow(
                id=row["id"], ref=row["ref"], created_on=str(row["created_on"]),
                topic=row["topic"], place=row["place_label"], urgent=row["urgent"],
                risk=row["risk"], flags=tuple(json.loads(row["flags"])), text=row["text"],
                recruiter=row["recruiter"],
                linked=tuple(sorted(refs[t] for t in linked if t in refs))))
        return rows

    def content(self, org_id: str, rows: list[TipRow]) -> Reply:
        """The digest as one reply (the channel splits it within its limits)."""
        name = self.name(org_id)
        parts: list[Part] = [nmsg("*Digest for {org}*: {n} new tip", "*Digest for {org}*: "
                                  "{n} new tips", len(rows), org=Quote(name))]
        if rows:
            parts.append(Bullets((
                msg("By topic: {counts}", counts=_counted(r.topic for r in rows)),
                msg("By place: {counts}", counts=_counted(r.place or "-" for r in rows)),
                msg("By risk: {counts}", counts=_counted(r.risk for r in rows)),
                msg("By red flag: {counts}", counts=_counted(
                    f for r in rows for f in r.flags) or "-"),
            )))
        for row in rows:
            lines: list[Part] = [msg("*{ref}* {date} · {place} · {topic} · risk {risk}",
                                     ref=row.ref, date=row.created_on,
                                     place=Quote(row.place or "-"), topic=row.topic,
                                     risk=row.risk)]
            if row.urgent:
                lines.append(msg("*URGENT*: danger now or a child"))
            if row.flags:
                lines.append(msg("Red flags: {flags}", flags=", ".join(row.flags)))
            if row.text:
                lines.append(Quote(row.text))
            if row.recruiter:
                lines.append(msg("Recruiter: {recruiter}", recruiter=Quote(row.recruiter)))
            if row.linked:
                lines.append(nmsg("{n} other tip mentions the same recruiter: {refs}",
                                  "{n} other tips mention the same recruiter: {refs}",
                                  len(row.linked), refs=", ".join(row.linked)))
            parts.extend(lines)
        parts.append(msg("Staff commands: /claim REF, /done REF, /reply REF text (the "
                         "reporter sees it with their receipt code)."))
        parts.append(msg("Tips are deleted {days} days after the last digest that carried "
                         "them.", days=self._retention_days))
        return text_reply(*parts)

    def render(self, org_id: str, reply: Reply) -> list[str]:
        return split(self._renderer.parts(reply.parts, self.language(org_id)), MAX_MESSAGE)

    async def send(self, org_id: str) -> int:
        """Sends the organisation's pending digest; the number of tips it carried."""
        chats = await self._orgs.chats_of(org_id)
        if not chats or self.sender is None:
            return 0
        async with writing(self._engine) as conn:
            unsent = (await conn.execute(select(digests).where(and_(
                digests.c.org_id == org_id, digests.c.sent_at.is_(None)))
                .order_by(digests.c.id))).mappings().first()
        if unsent is not None:
            digest_id, ids = unsent["id"], [int(t) for t in json.loads(unsent["tip_ids"])]
        else:
            ids = [r.id for r in await self.pending(org_id)]
            if not ids:
                return 0
            async with writing(self._engine) as conn:
                digest_id = (await conn.execute(insert(digests).values(
                    org_id=org_id, created_at=self._clock(), tip_ids=json.dumps(ids))
                    .returning(digests.c.id))).scalar_one()
        rows = await self.rows(ids)
        texts = self.render(org_id, self.content(org_id, rows))
        attachment = tips_csv(rows)
        name = f"tips-{org_id}-{self._clock():%Y-%m-%d}.csv"
        for transport, chat_id in chats:
            for text in texts:
                await self.sender(transport, chat_id, text)
            if self.file_sender is not None:  # every tip of the period, for a spreadsheet
                await self.file_sender(transport, chat_id, name, attachment)
        today = self._clock().date()
        async with writing(self._engine) as conn:
            await conn.execute(update(digests).where(digests.c.id == digest_id).values(
                sent_at=self._clock()))
            await conn.execute(update(tip_routes).where(and_(
                tip_routes.c.org_id == org_id, tip_routes.c.tip_id.in_(ids))).values(
                delivered_on=today))
            await conn.execute(update(tips).where(and_(
                tips.c.id.in_(ids), tips.c.status == "received")).values(
                status="delivered", delivered_on=today, last_digest_on=today))
        log.info("digests.sent org=%s tips=%d chats=%d", org_id, len(ids), len(chats))
        return len(ids)

    async def open_tips_csv(self, org_ids: list[str]) -> bytes:
        """Every tip routed to these organisations that is not done yet, as CSV."""
        async with self._engine.connect() as conn:
            ids = [r.id for r in (await conn.execute(select(tips.c.id).select_from(
                tips.join(tip_routes, tip_routes.c.tip_id == tips.c.id)).where(and_(
                    tip_routes.c.org_id.in_(org_ids), tips.c.status != "done")).distinct()
                .order_by(tips.c.id))).all()]
        return tips_csv(await self.rows(ids))

    async def send_all(self) -> dict[str, int]:
        return {org.id: await self.send(org.id) for org in self._directory}

    async def alert(self, tip_id: int) -> None:
        """An urgent tip goes to its organisations' chats at once, not with the digest."""
        if self.sender is None:
            return
        async with self._engine.connect() as conn:
            orgs = [r.org_id for r in (await conn.execute(select(tip_routes.c.org_id).where(
                tip_routes.c.tip_id == tip_id))).all()]
        rows = await self.rows([tip_id])
        for org_id in orgs:
            reply = self.content(org_id, rows)
            lead = msg("*URGENT TIP* — sent now, not with the next digest.")
            texts = self.render(org_id, text_reply(lead, *reply.parts[2:]))
            for transport, chat_id in await self._orgs.chats_of(org_id):
                for text in texts:
                    await self.sender(transport, chat_id, text)
        log.info("digests.urgent_alert tip=%d orgs=%d", tip_id, len(orgs))


def _counted(values: object) -> str:
    counts = Counter(values)  # type: ignore[call-overload]
    return ", ".join(f"{k} {v}" for k, v in counts.most_common())
