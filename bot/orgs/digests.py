"""Digests for organisations, and immediate alerts for urgent tips.

The ledger (table ``digests``) makes a send idempotent: the tips routed to an organisation
and not yet in a *sent* digest go into one ledger row; the row is marked sent only after
every chat of the organisation received it. After a crash the unsent row is sent again with
the same tips, so no tip is skipped (a chat may see that digest twice).
"""

from __future__ import annotations

import heapq
import json
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

from sqlalchemy import Integer, String, and_, func, insert, select, type_coerce, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import collector
from bot.orgs import names
from bot.orgs.chart import ChartLabels, chart_png, week_of, week_starts
from bot.orgs.export import tips_csv
from bot.orgs.mail import Attachment, Mailer
from bot.orgs.store import OrgStore, Recipient
from bot.rendering import TextRenderer
from bot.storage.campaigns import CampaignCounter
from bot.storage.database import writing
from bot.storage.models import digests, tip_routes, tips
from bot.tips.store import TipStore
from flows.locale import FALLBACK, SUPPORTED
from flows.types import Bullets, Msg, Part, Quote, Reply, msg, nmsg, text_reply
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
CHART_AXIS = msg("week starting (Monday)")
CHART_EMPTY = msg("no tips in these weeks")
# A tip names at most this many of the other tips that share one of its recruiter marks
# (the newest), with their number: a recruiter in thousands of tips must not make every
# digest line, and the run, grow with the square of the tips.
LINKS_SHOWN = 3
# Campaign counts are per day (bot/storage/campaigns.py): a digest shows the whole days
# since the day of the organisation's last digest, up to yesterday, so that each day is in
# one digest only; before its first digest, the last FIRST_CAMPAIGN_DAYS days.
FIRST_CAMPAIGN_DAYS = 7
CAMPAIGNS = msg("*Campaigns* (people who opened the bot by a poster's link, anonymous "
                "counts), {first} to {last}: {counts}")


class Link(NamedTuple):
    """Other tips that share one recruiter mark with a tip: how many, and the newest few.
    A tuple (not a frozen dataclass): thousands are hashed as keys per digest."""

    kind: str  # phone, handle, name, agency
    count: int
    refs: tuple[str, ...]  # at most LINKS_SHOWN


# A tip's first line and its recruiter's, filled in per tip as Msg(TIP_LINE.msgid, ...).
TIP_LINE = msg("*{ref}* {date} · {place} · {topic} · {risk}")
RECRUITER_LINE = msg("Recruiter: {recruiter}")


def link_message(link: Link) -> Msg:
    refs = ", ".join(link.refs) + (", …" if link.count > len(link.refs) else "")
    if link.kind == "phone":
        return nmsg("The same number is in {n} other tip: {refs}",
                    "The same number is in {n} other tips: {refs}", link.count, refs=refs)
    if link.kind == "handle":
        return nmsg("The same account is in {n} other tip: {refs}",
                    "The same account is in {n} other tips: {refs}", link.count, refs=refs)
    if link.kind == "agency":
        return nmsg("A similar agency is in {n} other tip: {refs}",
                    "A similar agency is in {n} other tips: {refs}", link.count, refs=refs)
    if link.kind == "name":
        return nmsg("A similar name is in {n} other tip: {refs}",
                    "A similar name is in {n} other tips: {refs}", link.count, refs=refs)
    return nmsg("{n} other tip mentions the same recruiter: {refs}",
                "{n} other tips mention the same recruiter: {refs}", link.count, refs=refs)


class TipRow(NamedTuple):
    """One tip as a digest shows it. A tuple (not a frozen dataclass, whose every field
    costs a call to set): a run builds one per pending tip, tens of thousands."""

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
    links: tuple[Link, ...] = ()  # other tips about the same recruiter, per mark

    @property
    def linked(self) -> tuple[str, ...]:
        """The references the links show, each once."""
        links = self.links
        if len(links) == 1:  # most tips: one mark shared; its references are distinct
            return links[0].refs
        return tuple(dict.fromkeys([ref for link in links for ref in link.refs]))


@dataclass(frozen=True, slots=True)
class CampaignPeriod:
    """People who came by each campaign's link over the days ``first`` to ``last``."""

    first: date
    last: date
    counts: tuple[tuple[str, int], ...]  # (campaign, count), the most visited first


@dataclass(frozen=True, slots=True)
class Digest:
    org_id: str
    rows: list[TipRow]
    reply: Reply
    csv: bytes
    csv_name: str
    chart: bytes
    chart_name: str
    lang: str = FALLBACK  # the language of reply, csv and chart
    weekly: dict[date, Counter[str]] | None = None  # the chart's counts, for other languages
    campaigns: CampaignPeriod | None = None  # None: no campaign link was opened


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

    def now(self) -> datetime:
        return self._clock()

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
        found: dict[int, tuple[Any, ...]] = {}
        async with self._engine.connect() as conn:
            for part in _chunks(sorted(set(org_ids))):
                for row in (await conn.execute(select(digests.c.org_id, digests.c.tip_ids)
                            .where(digests.c.org_id.in_(part),
                                   digests.c.sent_at.is_not(None)))).all():
                    done[row.org_id].update(int(t) for t in json.loads(row.tip_ids))
                # The routes first (an index holds them), then the tips' columns, each
                # tip once however many organisations it went to.
                wanted: set[int] = set()
                for org_id, tip_id in (await conn.execute(
                        select(tip_routes.c.org_id, tip_routes.c.tip_id)
                        .where(tip_routes.c.org_id.in_(part)))).all():
                    if tip_id not in done[org_id]:
                        routed[org_id].append(tip_id)
                        wanted.add(tip_id)
                if not wanted:
                    continue
                # The routed tips between the oldest and the newest pending one (a
                # regular digest's are the newest tips), by a subquery rather than a list
                # of ids: binding 50,000 ids in pieces cost more than the reading.
                for row in (await conn.execute(select(*_SHOWN).where(
                        tips.c.id.between(min(wanted), max(wanted)),
                        tips.c.id.in_(select(tip_routes.c.tip_id)
                                      .where(tip_routes.c.org_id.in_(part)))))).all():
                    if row[0] in wanted:
                        found[row[0]] = row
        by_id = {row.id: row for row in await self._with_links(list(found.values()))}
        return {org: [by_id[t] for t in sorted(ids) if t in by_id]
                for org, ids in routed.items()}

    async def rows(self, ids: list[int]) -> list[TipRow]:
        found: list[tuple[Any, ...]] = []
        async with self._engine.connect() as conn:
            for part in _chunks(ids):
                found.extend((await conn.execute(select(*_SHOWN).where(
                    tips.c.id.in_(part)))).all())
        return await self._with_links(found)

    async def _with_links(self, found: list[tuple[Any, ...]]) -> list[TipRow]:
        """Tip rows (tuples of the ``_SHOWN`` columns) with, per recruiter mark, how many
        other tips share it and the newest few of them. Linear in the tips: each mark's
        newest holders are found once, however many tips hold it, and each tip takes at
        most ``LINKS_SHOWN`` of them."""
        if not found:
            return []
        found = sorted(found, key=itemgetter(0))
        marks = await self._tips.mark_holders([row[0] for row in found])
        # Per mark (kind, value): how many other tips hold it and the newest
        # LINKS_SHOWN + 1 holders: a tip among those shows the others, any other tip
        # the newest LINKS_SHOWN.
        # Keyed by the (kind, value, holders) entries themselves: one per mark, shared.
        newest: dict[tuple[str, str, frozenset[int]], tuple[int, tuple[int, ...]]] = {}
        with collector.paused():
            for tip_marks in marks.values():
                for mark in tip_marks:
                    if len(mark[2]) > 1 and mark not in newest:
                        newest[mark] = (len(mark[2]) - 1, tuple(
                            heapq.nlargest(LINKS_SHOWN + 1, mark[2])))
        refs = {row[0]: row[1] for row in found}
        others = sorted({t for _n, top in newest.values() for t in top} - refs.keys())
        async with self._engine.connect() as conn:
            for part in _chunks(others):
                refs.update((r.id, r.ref) for r in (await conn.execute(
                    select(tips.c.id, tips.c.ref).where(tips.c.id.in_(part)))))
        flags: dict[str, tuple[str, ...]] = {}  # a few distinct lists, read once each
        # The tips holding one mark mostly show the same newest few: one Link for each
        # (mark kind, count, tips shown), shared, so a digest names it once (content()).
        shared: dict[tuple[str, int, tuple[int, ...]], Link] = {}
        usual: dict[tuple[str, str, frozenset[int]], Link] = {}  # for a tip not in its top

        def link(kind: str, count: int, ids: tuple[int, ...]) -> Link:
            found_link = shared.get((kind, count, ids))
            if found_link is None:
                found_link = shared[(kind, count, ids)] = Link(
                    kind, count, tuple([refs[t] for t in ids if t in refs]))
            return found_link

        built: list[TipRow] = []
        # tuple.__new__ itself: TipRow._make checks the length in Python, per tip.
        new, no_marks = tuple.__new__, ()
        with collector.paused():
            for (tip_id, ref, created_on, topic, place, urgent, risk, flags_json, text,
                 recruiter) in found:
                tip_flags = flags.get(flags_json)
                if tip_flags is None:
                    tip_flags = flags[flags_json] = tuple(json.loads(flags_json))
                links = []
                for mark in marks.get(tip_id, no_marks):
                    if len(mark[2]) < 2:
                        continue
                    count, top = newest[mark]
                    if tip_id in top:
                        links.append(link(mark[0], count, tuple(
                            [t for t in top if t != tip_id][:LINKS_SHOWN])))
                        continue
                    usual_link = usual.get(mark)
                    if usual_link is None:
                        usual_link = usual[mark] = link(mark[0], count, top[:LINKS_SHOWN])
                    links.append(usual_link)
                # created_on and urgent come as stored (_SHOWN): str() and bool() here.
                built.append(new(TipRow, (tip_id, ref, str(created_on), topic, place,
                                          bool(urgent), risk, tip_flags, text, recruiter,
                                          tuple(links))))
        return built

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

    async def campaigns(self, org_ids: list[str]) -> dict[str, CampaignPeriod | None]:
        """The campaign counts each organisation's digest shows: the whole days since its
        last digest (campaigns belong to no organisation; every digest shows them all)."""
        today = self._clock().date()
        last: dict[str, date] = {}
        async with self._engine.connect() as conn:
            for part in _chunks(org_ids):
                for org_id, sent in (await conn.execute(
                        select(digests.c.org_id, func.max(digests.c.sent_at))
                        .where(digests.c.org_id.in_(part), digests.c.sent_at.is_not(None))
                        .group_by(digests.c.org_id))).all():
                    last[org_id] = sent.date()
        counter = CampaignCounter(self._engine, self._clock)
        periods: dict[date, CampaignPeriod | None] = {}
        found: dict[str, CampaignPeriod | None] = {}
        for org_id in org_ids:
            first = last.get(org_id, today - timedelta(days=FIRST_CAMPAIGN_DAYS))
            if first not in periods:
                counts = tuple(await counter.between(first, today)) if first < today else ()
                periods[first] = (CampaignPeriod(first, today - timedelta(days=1), counts)
                                  if counts else None)
            found[org_id] = periods[first]
        return found

    async def prepare(self, org_ids: list[str]) -> dict[str, Digest]:
        """Every organisation's pending digest, built in one batch: the messages, the CSV
        of its tips, the eight-week chart and the campaign counts.

        The collector stays paused across the batch's few queries too (the rows they
        return are what it would walk again and again): for the seconds of a run, other
        tasks' reference cycles wait for the next collection."""
        with collector.paused():
            pending = await self.pending_many(org_ids)
            weekly = await self.weekly(org_ids)
            campaigns = await self.campaigns(org_ids)
            # A recruiter link is shown in several organisations' digests: its line is
            # built once for the batch.
            lines: dict[Link, Msg] = {}
            return {org: self.build(org, pending[org], weekly[org], campaigns[org], lines)
                    for org in org_ids}

    def build(self, org_id: str, rows: list[TipRow], weekly: dict[date, Counter[str]],
              campaigns: CampaignPeriod | None = None,
              lines: dict[Link, Msg] | None = None) -> Digest:
        today = self._clock().date()
        lang = self.language(org_id)
        return Digest(org_id=org_id, rows=rows,
                      reply=self.content(org_id, rows, lang, campaigns=campaigns,
                                         lines=lines),
                      csv=tips_csv(rows, self._say, lang),
                      csv_name=f"tips-{org_id}-{today:%Y-%m-%d}.csv",
                      chart=chart_png(week_starts(today), weekly, self.chart_labels(lang)),
                      chart_name=f"tips-{org_id}-8-weeks-{today:%Y-%m-%d}.png",
                      lang=lang, weekly=weekly, campaigns=campaigns)

    def chart_labels(self, lang: str) -> ChartLabels:
        return ChartLabels(
            title=self._say(CHART_TITLE, lang), axis=self._say(CHART_AXIS, lang),
            empty=self._say(CHART_EMPTY, lang),
            topics={t: self._say(m, lang) for t, m in names.TOPIC_NAMES.items()})

    def _say(self, value: Msg | str, lang: str) -> str:
        """Our own text in plain form (a name inside a list, a CSV cell, a chart label)."""
        return self._plain.message(value, lang) if isinstance(value, Msg) else value

    def content(self, org_id: str, rows: list[TipRow], lang: str | None = None,
                chat: bool = True, campaigns: CampaignPeriod | None = None,
                lines: dict[Link, Msg] | None = None) -> Reply:
        """The digest as one reply in ``lang`` (the organisation's by default; the channel
        splits it within its limits); ``chat`` False leaves out the staff commands, which
        an e-mail cannot answer; ``campaigns`` the counts of the digest's period;
        ``lines`` the recruiter links' lines already built (shared by a batch)."""
        lang = lang or self.language(org_id)
        name = self.name(org_id)
        parts: list[Part] = [nmsg("*Digest for {org}*: {n} new tip", "*Digest for {org}*: "
                                  "{n} new tips", len(rows), org=Quote(name))]
        if rows:
            def counted(counts: Counter[str], name_of: Callable[[str], Msg | str]) -> str:
                return ", ".join(f"{self._say(name_of(k), lang)} {v}"
                                 for k, v in counts.most_common())

            # Flags counted per distinct list, then spread over its flags: the same
            # counts in the same first-seen order as counting every tip's flags.
            flag_counts: Counter[str] = Counter()
            for flag_list, count in Counter(map(_FLAGS, rows)).items():
                for flag in flag_list:
                    flag_counts[flag] += count
            parts.append(Bullets((
                msg("By topic: {counts}", counts=counted(Counter(map(_TOPIC, rows)),
                                                         names.topic)),
                msg("By place: {counts}", counts=counted(
                    Counter([r.place or "-" for r in rows]), str)),
                msg("By risk: {counts}", counts=counted(Counter(map(_RISK, rows)),
                                                        names.risk)),
                msg("By red flag: {counts}", counts=counted(flag_counts, names.flag) or "-"),
            )))
        # Each name is translated once per digest, not once per tip that carries it, and
        # each list of flags joined once.
        topics: dict[str, str] = {}
        risks: dict[str, str] = {}
        flag_lists: dict[tuple[str, ...], Msg] = {}
        said_links = {} if lines is None else lines  # Links are shared (_with_links)
        urgent = msg("*URGENT*: danger now or a child")
        tip_line, recruiter_line = TIP_LINE.msgid, RECRUITER_LINE.msgid
        add = parts.append
        # A row unpacked at once: ten attribute reads a tip cost more than its line.
        for (_id, ref, day, topic_id, place, is_urgent, risk_id, flag_ids, text, recruiter,
             links) in rows:
            topic = topics.get(topic_id)
            if topic is None:
                topic = topics[topic_id] = self._say(names.topic(topic_id), lang)
            risk = risks.get(risk_id)
            if risk is None:
                risk = risks[risk_id] = self._say(names.risk(risk_id), lang)
            # The reporter's place and recruiter as plain str parameters, not Quote: the
            # renderers escape both alike, and a dict of str alone is one the garbage
            # collector does not track (a run keeps 100,000 of these alive).
            add(Msg(tip_line, {"ref": ref, "date": day, "place": place or "-",
                               "topic": topic, "risk": risk}))
            if is_urgent:
                add(urgent)
            if flag_ids:
                flags = flag_lists.get(flag_ids)
                if flags is None:
                    flags = flag_lists[flag_ids] = msg("Red flags: {flags}", flags=", ".join(
                        self._say(names.flag(f), lang) for f in flag_ids))
                add(flags)
            if text:
                add(Quote(text))
            if recruiter:
                add(Msg(recruiter_line, {"recruiter": recruiter}))
            for link in links:
                line = said_links.get(link)
                if line is None:
                    line = said_links[link] = link_message(link)
                add(line)
        if campaigns is not None and campaigns.counts:
            parts.append(msg(CAMPAIGNS.msgid, first=campaigns.first, last=campaigns.last,
                             counts=", ".join(f"{name} {count}"
                                              for name, count in campaigns.counts)))
        if chat:
            parts.append(msg("Staff commands: /claim REF, /done REF, /reply REF text (the "
                             "reporter sees it with their receipt code)."))
        parts.append(msg("Tips are deleted {days} days after the last digest that carried "
                         "them.", days=self._retention_days))
        return text_reply(*parts)

    def render(self, org_id: str, reply: Reply, lang: str | None = None) -> list[str]:
        with collector.paused():
            return self._renderer.messages(reply.parts, lang or self.language(org_id),
                                           MAX_MESSAGE)

    async def send(self, org_id: str, prepared: Digest | None = None) -> int:
        """Sends the organisation's pending digest; the number of tips it carried.

        ``prepared`` is the digest ``prepare`` built in a batch; an unsent ledger row
        (a send that failed half-way) goes first, with exactly its tips."""
        chats = await self._orgs.recipients(org_id)
        if not chats or not self._can_reach(chats):
            return 0
        async with writing(self._engine) as conn:
            unsent = (await conn.execute(select(digests).where(and_(
                digests.c.org_id == org_id, digests.c.sent_at.is_(None)))
                .order_by(digests.c.id))).mappings().first()
        if unsent is not None:
            digest_id, ids = unsent["id"], [int(t) for t in json.loads(unsent["tip_ids"])]
            digest = self.build(org_id, await self.rows(ids),
                                (await self.weekly([org_id]))[org_id],
                                (await self.campaigns([org_id]))[org_id])
        else:
            digest = prepared or (await self.prepare([org_id]))[org_id]
            ids = [r.id for r in digest.rows]
            if not ids:
                return 0
            async with writing(self._engine) as conn:
                digest_id = (await conn.execute(insert(digests).values(
                    org_id=org_id, created_at=self._clock(), tip_ids=json.dumps(ids))
                    .returning(digests.c.id))).scalar_one()
        variants = {digest.lang: digest}
        for chat in chats:
            lang = chat.language or digest.lang
            if lang not in variants:
                variants[lang] = self.translated(digest, lang)
            await self._deliver(chat.transport, chat.chat_id, variants[lang])
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

    def _can_reach(self, chats: list[Recipient]) -> bool:
        """Every chat's channel is configured: a digest is never marked sent while an
        e-mail-only organisation waits for an SMTP server (or a chat for the bot)."""
        return all((self.mailer if chat.transport == EMAIL else self.sender) is not None
                   for chat in chats)

    def translated(self, digest: Digest, lang: str) -> Digest:
        """The same digest for a chat that chose another language with /lang."""
        return Digest(org_id=digest.org_id, rows=digest.rows,
                      reply=self.content(digest.org_id, digest.rows, lang,
                                         campaigns=digest.campaigns),
                      csv=tips_csv(digest.rows, self._say, lang), csv_name=digest.csv_name,
                      chart=chart_png(week_starts(self._clock().date()), digest.weekly or {},
                                      self.chart_labels(lang)),
                      chart_name=digest.chart_name, lang=lang, weekly=digest.weekly,
                      campaigns=digest.campaigns)

    async def _deliver(self, transport: str, chat_id: str, digest: Digest) -> None:
        lang = digest.lang
        caption = self._plain.message(CHART_TITLE, lang)
        if transport == EMAIL:
            await self._mail(chat_id, self.content(digest.org_id, digest.rows, lang,
                                                   chat=False, campaigns=digest.campaigns),
                             lang, f"{caption}: {digest.chart_name}",
                             (Attachment(digest.csv_name, digest.csv, "text/csv"),
                              Attachment(digest.chart_name, digest.chart, "image/png")))
            return
        assert self.sender is not None
        for text in self.render(digest.org_id, digest.reply, lang):
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

    async def open_tips_csv(self, org_ids: list[str], lang: str | None = None) -> bytes:
        """Every tip routed to these organisations that is not done yet, as CSV (names in
        ``lang``, the first organisation's language by default)."""
        async with self._engine.connect() as conn:
            ids = [r.id for r in (await conn.execute(select(tips.c.id).select_from(
                tips.join(tip_routes, tip_routes.c.tip_id == tips.c.id)).where(and_(
                    tip_routes.c.org_id.in_(org_ids), tips.c.status != "done")).distinct()
                .order_by(tips.c.id))).all()]
        return tips_csv(await self.rows(ids), self._say,
                        lang or (self.language(org_ids[0]) if org_ids else FALLBACK))

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
            alerts: dict[tuple[str, bool], Reply] = {}
            for chat in await self._orgs.recipients(org_id):
                lang = chat.language or self.language(org_id)
                by_mail = chat.transport == EMAIL
                if (lang, by_mail) not in alerts:
                    # The digest's tip lines under the alert's lead, not its title and counts.
                    alerts[(lang, by_mail)] = text_reply(lead, *self.content(
                        org_id, rows, lang, chat=not by_mail).parts[2:])
                alert = alerts[(lang, by_mail)]
                try:
                    if by_mail and self.mailer is not None:
                        await self._mail(chat.chat_id, alert, lang)
                    elif not by_mail and self.sender is not None:
                        for text in self.render(org_id, alert, lang):
                            await self.sender(chat.transport, chat.chat_id, text)
                except Exception as exc:  # one unreachable chat must not silence the others
                    failed += 1
                    log.error("digests.urgent_alert_failed org=%s transport=%s error=%s",
                              org_id, chat.transport, type(exc).__name__)
        log.info("digests.urgent_alert tip=%d orgs=%d failed=%d", tip_id, len(orgs), failed)


_TOPIC, _RISK, _FLAGS = attrgetter("topic"), attrgetter("risk"), attrgetter("flags")
# The columns a digest shows: not the hashes, the reply or the dates of the ledger. The
# day and the urgency as the driver gives them (SQLite: text and 0/1; _with_links makes
# them a str and a bool): SQLAlchemy's date and bool conversions were a fifth of the read.
_SHOWN = (tips.c.id, tips.c.ref, type_coerce(tips.c.created_on, String), tips.c.topic,
          tips.c.place_label, type_coerce(tips.c.urgent, Integer), tips.c.risk, tips.c.flags,
          tips.c.text, tips.c.recruiter)


def _chunks(items: list[Any], size: int = 5000) -> list[list[Any]]:
    """Keeps IN lists under every driver's bound-parameter limit (PostgreSQL: 32,767)."""
    return [items[i:i + size] for i in range(0, len(items), size)]

