"""Digest schedules, catch-up of a slot missed while the bot was down, and retention."""

from __future__ import annotations

import os
import sqlite3
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import build_app
from bot.orgs.schedule import Schedule, default_schedule, due, parse
from bot.settings import Settings
from tests.e2e.test_telegram import telegram  # noqa: F401  (the fixture)
from tests.helpers.clock import Clock
from tests.unit.test_tips_store import tip


def test_parse_and_slots() -> None:
    assert parse("daily 08:00 WIB", "UTC") == Schedule("daily", "08:00", "Asia/Jakarta")
    assert parse("weekly Mon 9:30 europe/moscow", "UTC") == Schedule(
        "weekly", "09:30", "Europe/Moscow", 0)
    assert parse("daily 25:00", "UTC") is None and parse("hourly 08:00", "UTC") is None
    assert parse("weekly 08:00", "UTC") is None and parse("daily 08:00 mars", "UTC") is None
    wib = Schedule("daily", "08:00", "Asia/Jakarta")
    # 07:30 WIB on the 25th: the last slot was the 24th at 08:00 WIB.
    assert wib.last_slot(datetime(2026, 11, 25, 0, 30, tzinfo=UTC)) == datetime(
        2026, 11, 24, 1, 0, tzinfo=UTC)
    assert default_schedule("RU").timezone == "Europe/Moscow"


def test_due_only_when_a_slot_passed_since_the_last_digest() -> None:
    wib = Schedule("daily", "08:00", "Asia/Jakarta")
    sent = datetime(2026, 11, 24, 1, 5, tzinfo=UTC)  # just after the 24th's slot
    assert not due(wib, sent, datetime(2026, 11, 24, 20, 0, tzinfo=UTC))
    assert due(wib, sent, datetime(2026, 11, 25, 1, 1, tzinfo=UTC))  # the 25th's slot
    assert due(wib, None, datetime(2026, 11, 24, 20, 0, tzinfo=UTC))


async def test_a_missed_slot_is_caught_up_at_start(tmp_path: Path) -> None:
    app = await build_app(Settings(data_dir=tmp_path / "data"), clock=Clock())
    sent: list[str] = []

    async def sender(transport: str, chat: str, text: str) -> None:
        sent.append(text)

    try:
        app.digests.sender = sender
        store = app.runtime._performer._store  # type: ignore[attr-defined]
        await store.save(tip("a"), "ha", "k", 9)
        await app.orgs.register(await app.orgs.invite("id-sapa-129"), "telegram", "5")
        clock = [datetime(2026, 11, 25, 2, 0, tzinfo=UTC)]  # 09:00 WIB, after today's slot
        app.scheduler._clock = lambda: clock[0]  # type: ignore[method-assign]
        app.digests._clock = lambda: clock[0]  # type: ignore[method-assign]
        assert await app.scheduler.catch_up() == {"id-sapa-129": 1}
        assert await app.scheduler.catch_up() == {}  # nothing due until the next slot
        # The bot is down over the next morning's slot; a new tip arrived meanwhile.
        await store.save(tip("b", receipt="BBBB-BBBB-BBBB"), "hb", "k", 9)
        clock[0] += timedelta(days=1)
        assert await app.scheduler.catch_up() == {"id-sapa-129": 1}
        assert len(sent) == 2 and "T-2611-0002" in sent[1] and "T-2611-0001" not in sent[1]
        assert "90" in sent[0]  # the digest says when tips are deleted
    finally:
        await app.close()


async def test_jobs_are_rebuilt_from_the_database(tmp_path: Path) -> None:
    app = await build_app(Settings(data_dir=tmp_path / "data"), clock=Clock())
    try:
        await app.orgs.register(await app.orgs.invite("ru-child-helpline"), "telegram", "9")
        await app.scheduler.set_schedule("ru-child-helpline",
                                         Schedule("weekly", "09:30", "Europe/Moscow", 0))
        await app.scheduler.start()
        job = app.scheduler._scheduler.get_job("digest:ru-child-helpline")  # type: ignore[union-attr]
        assert job is not None and job.misfire_grace_time is None
        assert str(job.trigger.timezone) == "Europe/Moscow"
        assert job.next_run_time.weekday() == 0  # a Monday
        assert (job.next_run_time.hour, job.next_run_time.minute) == (9, 30)
        app.scheduler.shutdown()
    finally:
        await app.close()


async def test_retention_deletes_old_tips_with_their_files(tmp_path: Path) -> None:
    app = await build_app(Settings(data_dir=tmp_path / "data"), clock=Clock())
    try:
        store = app.runtime._performer._store  # type: ignore[attr-defined]
        old = await store.save(tip("old"), "h1", "k", 9)
        new = await store.save(tip("new", receipt="BBBB-BBBB-BBBB"), "h2", "k", 9)
        db = sqlite3.connect(app.data_dir / "bot.sqlite3")
        db.execute("update tips set last_digest_on = ? where id = ?",
                   (str(date(2026, 8, 1)), old.tip_id))
        db.commit()
        folder = app.data_dir / "tips" / old.ref
        folder.mkdir(parents=True)
        (folder / "1.jpg").write_bytes(b"x")
        incoming = app.data_dir / "incoming"
        incoming.mkdir()
        stale, fresh = incoming / f"p{'a' * 24}.jpg", incoming / f"p{'b' * 24}.jpg"
        stale.write_bytes(b"x")
        fresh.write_bytes(b"y")
        two_days_ago = time.time() - 48 * 3600
        os.utime(stale, (two_days_ago, two_days_ago))
        app.scheduler._clock = lambda: datetime(2026, 11, 25, 3, 17, tzinfo=UTC)  # type: ignore[method-assign]
        assert await app.scheduler.retention() == 1  # the daily job
        assert not folder.exists()
        assert not stale.exists() and fresh.exists()  # a photo no report took, after a day
        assert [r[0] for r in db.execute("select id from tips")] == [new.tip_id]
        assert db.execute("select count(*) from tip_routes where tip_id = ?",
                          (old.tip_id,)).fetchone() == (0,)
    finally:
        await app.close()


def test_next_slot_is_the_first_after_now_in_the_schedules_zone() -> None:
    friday = Schedule("weekly", "16:00", "Europe/Moscow", 4)
    tuesday_noon = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert friday.next_slot(tuesday_noon) == datetime(2026, 12, 4, 13, 0, tzinfo=UTC)
    at_the_slot = datetime(2026, 12, 4, 13, 0, tzinfo=UTC)  # not "now" again: a week on
    assert friday.next_slot(at_the_slot) == datetime(2026, 12, 11, 13, 0, tzinfo=UTC)
    daily = Schedule("daily", "08:00", "Asia/Jakarta")
    assert daily.next_slot(tuesday_noon) == datetime(2026, 12, 2, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(("lang", "said"), [
    ("id", "setiap minggu pada hari Jumat pukul 16.00 (Europe/Moscow)"),
    ("ru", "раз в неделю, день: пятница, в 16:00 (Europe/Moscow)"),
    ("en", "every week on Friday at 4:00\u202fPM (Europe/Moscow)")])  # CLDR: a narrow space
def test_a_schedule_is_told_in_the_chats_language_with_its_day(lang: str, said: str) -> None:
    from bot.i18n import Translator
    from bot.orgs.schedule_text import describe
    from bot.rendering import TextRenderer

    renderer = TextRenderer(Translator.load())
    weekly = parse("weekly fri 16:00 Europe/Moscow", "UTC")
    assert weekly is not None
    assert renderer.message(describe(weekly, lang), lang) == said


@pytest.mark.parametrize(("command", "said"), [
    ("/digest daily 07:30 WITA", "setiap hari pukul 07.30 (Asia/Makassar)"),
    ("/digest weekly fri 16:00 Europe/Moscow",
     "setiap minggu pada hari Jumat pukul 16.00 (Europe/Moscow)")])
async def test_staff_set_the_schedule_in_their_chat(telegram, command: str, said: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from tests.helpers.fake_telegram import group_text

    code = await telegram.app.orgs.invite("id-kpai")
    await telegram.say(group_text(-77, 1, f"/register {code}"))
    calls = await telegram.say(group_text(-77, 1, command))
    text = calls[0].params["text"]
    assert f"Rangkuman sekarang dikirim {said}. Berikutnya: " in text
    assert "weekly" not in text and "daily" not in text
    schedule = await telegram.app.scheduler.schedule_of("id-kpai")
    assert schedule.frequency == command.split()[1]



def test_csv_cells_cannot_become_formulas() -> None:
    import csv
    import io

    from bot.orgs.digests import TipRow
    from bot.orgs.export import tips_csv

    row = TipRow(id=1, ref="T-2611-0001", created_on="2026-11-25", topic="trafficking",
                 place="Medan", urgent=True, risk="high", flags=("document_retention",),
                 text='=HYPERLINK("http://evil","click")', recruiter="+62 812 3456")
    data = tips_csv([row])
    assert data.startswith("\ufeff".encode())
    header, cells = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    cell = dict(zip(header, cells, strict=True))
    assert cell["text"] == "'=HYPERLINK(\"http://evil\",\"click\")"
    assert cell["recruiter"] == "'+62 812 3456" and cell["urgent"] == "yes"
