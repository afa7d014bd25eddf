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
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import RowMapping, and_, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.orgs.chart import chart_png, week_of, week_starts
from bot.orgs.export import tips_csv
from bot.orgs.mail import Attachment, Mailer
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
# (transport, chat id, file name, content, caption) -> sent
FileSender = Callable[[str, str, str, bytes, str], Awaitable[None]]
EMAIL = "email"  # org_chats.transport of an address bound with ``org email``
FAILED = -1
CHART_TITLE = msg("Tips per week by topic, last 8 weeks")


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


@dataclass(frozen=True, slots=True)
class Digest:
    org_id: str
    rows: list[TipRow]
    reply: Reply
    csv: bytes
    csv_name: str
    chart: bytes
    chart_name: str


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
        self.mailer: Mailer | None = None  # set when SMTP_HOST is configured
        self._plain = TextRenderer(renderer.translator)  # e-mail and captions
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
        return (await self.pending_many([org_id]))[org_id]

    async def pending_many(self, org_ids: list[str]) -> dict[str, list[TipRow]]:
        """``pending`` for many organisations in a fixed number of queries (the digest
        run of a hundred organisations must not pay a round trip per organisation)."""
        done: dict[str, set[int]] = {org: set() for org in org_ids}
        routed: dict[str, list[int]] = {org: [] for org in org_ids}
        found: dict[int, RowMapping] = {}
        async with self._engine.connect() as conn:
            for part in _chunks(sorted(set(org_ids))):
                for row in (await conn.execute(select(digests.c.org_id, digests.c.tip_ids)
                            .where(digests.c.org_id.in_(part),
                                   digests.c.sent_at.is_not(None)))).all():
                    done[row.org_id].update(int(t) for t in json.loads(row.tip_ids))
                for row in (await conn.execute(
                        select(tip_routes.c.org_id, tips)
                        .select_from(tips.join(tip_routes, tip_routes.c.tip_id == tips.c.id))
                        .where(tip_routes.c.org_id.in_(part))
                        .order_by(tips.c.id))).mappings().all():
                    if row["id"] not in done[row["org_id"]]:
                        routed[row["org_id"]].append(row["id"])
                        found[row["id"]] = row
        by_id = {row.id: row for row in await self._with_links(list(found.values()))}
        return {org: [by_id[t] for t in ids] for org, ids in routed.items()}

    async def rows(self, ids: list[int]) -> list[TipRow]:
        found: list[RowMapping] = []
        async with self._engine.connect() as conn:
            for part in _chunks(ids):
                found.extend((await conn.execute(select(tips).where(tips.c.id.in_(part))))
                             .mappings().all())
        return await self._with_links(found)

    async def _with_links(self, found: list[RowMapping]) -> list[TipRow]:
        """Tip rows with the references of other tips about the same recruiter."""
        if not found:
            return []
        links = await self._tips.linked_many([row["id"] for row in found])
        refs = {row["id"]: row["ref"] for row in found}
        others = sorted({o for linked in links.values() for o in linked} - refs.keys())
        async with self._engine.connect() as conn:
            for part in _chunks(others):
                refs.update((r.id, r.ref) for r in (await conn.execute(
                    select(tips.c.id, tips.c.ref).where(tips.c.id.in_(part)))))
        rows = []
        for row in sorted(found, key=lambda r: r["id"]):
            linked = links.get(row["id"], ())
            rows.append(TipRow(
                id=row["id"], ref=row["ref"], created_on=str(row["created_on"]),
                topic=row["topic"], place=row["place_label"], urgent=row["urgent"],
                risk=row["risk"], flags=tuple(json.loads(row["flags"])), text=row["text"],
                recruiter=row["recruiter"],
                linked=tuple(sorted(refs[t] for t in linked if t in refs))))
        return rows

    async def weekly(self, org_ids: list[str]) -> dict[str, dict[date, Counter[str]]]:
        """Tips routed to each organisation per week and topic, over the chart's weeks."""
        start = week_starts(self._clock().date())[0]
        found: dict[str, dict[date, Counter[str]]] = {org: {} for org in org_ids}
        day = tips.c.created_on
        async with self._engine.connect() as conn:
            for part in _chunks(org_ids):
                rows = (await conn.execute(
                    select(tip_routes.c.org_id, tips.c.topic, day, func.count())
                    .select_from(tips.join(tip_routes, tip_routes.c.tip_id == tips.c.id))
                    .where(tip_routes.c.org_id.in_(part), day >= start)
                    .group_by(tip_routes.c.org_id, tips.c.topic, day))).all()
                for org_id, topic, on, count in rows:
                    found[org_id].setdefault(week_of(on), Counter())[topic] += count
        return found

    async def prepare(self, org_ids: list[str]) -> dict[str, Digest]:
        """Every organisation's pending digest, built in one batch: the messages, the CSV
        of its tips and the eight-week chart."""
        pending = await self.pending_many(org_ids)
        weekly = await self.weekly(org_ids)
        return {org: self.build(org, pending[org], weekly[org]) for org in org_ids}

    def build(self, org_id: str, rows: list[TipRow],
              weekly: dict[date, Counter[str]]) -> Digest:
        today = self._clock().date()
        return Digest(org_id=org_id, rows=rows, reply=self.content(org_id, rows),
                      csv=tips_csv(rows), csv_name=f"tips-{org_id}-{today:%Y-%m-%d}.csv",
                      chart=chart_png(week_starts(today), weekly),
                      chart_name=f"tips-{org_id}-8-weeks-{today:%Y-%m-%d}.png")

    def content(self, org_id: str, rows: list[TipRow], chat: bool = True) -> Reply:
        """The digest as one reply (the channel splits it within its limits); ``chat``
        False leaves out the staff commands, which an e-mail cannot answer."""
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
        if chat:
            parts.append(msg("Staff commands: /claim REF, /done REF, /reply REF text (the "
                             "reporter sees it with their receipt code)."))
        parts.append(msg("Tips are deleted {days} days after the last digest that carried "
                         "them.", days=self._retention_days))
        return text_reply(*parts)

    def render(self, org_id: str, reply: Reply) -> list[str]:
        return split(self._renderer.parts(reply.parts, self.language(org_id)), MAX_MESSAGE)

    async def send(self, org_id: str, prepared: Digest | None = None) -> int:
        """Sends the organisation's pending digest; the number of tips it carried.

        ``prepared`` is the digest ``prepare`` built in a batch; an unsent ledger row
        (a send that failed half-way) goes first, with exactly its tips."""
        chats = await self._orgs.chats_of(org_id)
        if not chats or not self._can_reach(chats):
            return 0
        async with writing(self._engine) as conn:
            unsent = (await conn.execute(select(digests).where(and_(
                digests.c.org_id == org_id, digests.c.sent_at.is_(None)))
                .order_by(digests.c.id))).mappings().first()
        if unsent is not None:
            digest_id, ids = unsent["id"], [int(t) for t in json.loads(unsent["tip_ids"])]
            digest = self.build(org_id, await self.rows(ids),
                                (await self.weekly([org_id]))[org_id])
        else:
            digest = prepared or (await self.prepare([org_id]))[org_id]
            ids = [r.id for r in digest.rows]
            if not ids:
                return 0
            async with writing(self._engine) as conn:
                digest_id = (await conn.execute(insert(digests).values(
                    org_id=org_id, created_at=self._clock(), tip_ids=json.dumps(ids))
                    .returning(digests.c.id))).scalar_one()
        for transport, chat_id in chats:
            await self._deliver(transport, chat_id, digest)
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

    def _can_reach(self, chats: list[tuple[str, str]]) -> bool:
        """Every chat's channel is configured: a digest is never marked sent while an
        e-mail-only organisation waits for an SMTP server (or a chat for the bot)."""
        return all((self.mailer if transport == EMAIL else self.sender) is not None
                   for transport, _chat in chats)

    async def _deliver(self, transport: str, chat_id: str, digest: Digest) -> None:
        lang = self.language(digest.org_id)
        caption = self._plain.message(CHART_TITLE, lang)
        if transport == EMAIL:
            await self._mail(chat_id, self.content(digest.org_id, digest.rows, chat=False),
                             lang, f"{caption}: {digest.chart_name}",
                             (Attachment(digest.csv_name, digest.csv, "text/csv"),
                              Attachment(digest.chart_name, digest.chart, "image/png")))
            return
        assert self.sender is not None
        for text in self.render(digest.org_id, digest.reply):
            await self.sender(transport, chat_id, text)
        if self.file_sender is not None:  # every tip of the period, and the trend
            await self.file_sender(transport, chat_id, digest.csv_name, digest.csv, "")
            await self.file_sender(transport, chat_id, digest.chart_name, digest.chart,
                                   caption)

    async def _mail(self, to: str, reply: Reply, lang: str, postscript: str = "",
                    attachments: tuple[Attachment, ...] = ()) -> None:
        """A reply as one plain-text e-mail; its first part is the subject."""
        assert self.mailer is not None
        body = self._plain.parts(reply.parts, lang)
        await self.mailer.send(to, self._plain.part(reply.parts[0], lang),
                               f"{body}\n\n{postscript}" if postscript else body,
                               attachments)

    async def open_tips_csv(self, org_ids: list[str]) -> bytes:
        """Every tip routed to these organisations that is not done yet, as CSV."""
        async with self._engine.connect() as conn:
            ids = [r.id for r in (await conn.execute(select(tips.c.id).select_from(
                tips.join(tip_routes, tip_routes.c.tip_id == tips.c.id)).where(and_(
                    tip_routes.c.org_id.in_(org_ids), tips.c.status != "done")).distinct()
                .order_by(tips.c.id))).all()]
        return tips_csv(await self.rows(ids))

    async def send_all(self) -> dict[str, int]:
        """Every registered organisation's pending digest, built in one batch: the number
        of tips each carried, ``FAILED`` where a send failed (its ledger row stays unsent
        and goes again next time)."""
        registered = await self._orgs.registered()
        prepared = await self.prepare(registered)
        sent: dict[str, int] = {}
        for org in registered:
            try:
                sent[org] = await self.send(org, prepared[org])
            except Exception as exc:  # one unreachable chat must not hold up the others
                log.error("digests.failed org=%s error=%s", org, type(exc).__name__)
                sent[org] = FAILED
        return sent

    async def alert(self, tip_id: int) -> None:
        """An urgent tip goes to its organisations' chats at once, not with the digest."""
        async with self._engine.connect() as conn:
            orgs = [r.org_id for r in (await conn.execute(select(tip_routes.c.org_id).where(
                tip_routes.c.tip_id == tip_id))).all()]
        rows = await self.rows([tip_id])
        lead = msg("*URGENT TIP* — sent now, not with the next digest.")
        failed = 0  # the tip still goes with the next digest of every organisation
        for org_id in orgs:
            lang = self.language(org_id)
            # The digest's tip lines under the alert's lead instead of its title and counts.
            for_chat, for_mail = (text_reply(lead, *self.content(org_id, rows, chat).parts[2:])
                                  for chat in (True, False))
            for transport, chat_id in await self._orgs.chats_of(org_id):
                try:
                    if transport == EMAIL and self.mailer is not None:
                        await self._mail(chat_id, for_mail, lang)
                    elif transport != EMAIL and self.sender is not None:
                        for text in self.render(org_id, for_chat):
                            await self.sender(transport, chat_id, text)
                except Exception as exc:  # one unreachable chat must not silence the others
                    failed += 1
                    log.error("digests.urgent_alert_failed org=%s transport=%s error=%s",
                              org_id, transport, type(exc).__name__)
        log.info("digests.urgent_alert tip=%d orgs=%d failed=%d", tip_id, len(orgs), failed)


def _chunks(items: list[Any], size: int = 5000) -> list[list[Any]]:
    """Keeps IN lists under every driver's bound-parameter limit (PostgreSQL: 32,767)."""
    return [items[i:i + size] for i in range(0, len(items), size)]


def _counted(values: object) -> str:
    counts = Counter(values)  # type: ignore[call-overload]
    return ", ".join(f"{k} {v}" for k, v in counts.most_common())
