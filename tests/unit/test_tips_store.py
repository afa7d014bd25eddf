"""Tips on a real SQLite file: commit, retry, status by receipt, links, limits, photos."""

from __future__ import annotations

import io
import sqlite3
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image

from bot.runtime import EffectRefused
from bot.storage import open_database
from bot.tips.performer import TipEffects
from bot.tips.photos import PhotoRejected, receive, sanitise
from bot.tips.receipts import normalise, receipt_hash
from bot.tips.retention import purge
from bot.tips.store import RateLimited, TipStore
from flows.report.effects import LookupStatus, SaveTip
from flows.types import Msg
from tests.helpers.clock import Clock

SALT = b"s" * 32


def tip(draft: str = "d1", receipt: str = "K7QF-2MXP-9HRT", marks=(), attachments=()) -> SaveTip:  # type: ignore[no-untyped-def]
    return SaveTip(draft_id=draft, receipt=receipt, topic="trafficking", text="Lowongan aneh",
                   when_text="", recruiter="", place_id=None, place_label="", country="ID",
                   danger_now=False, minor=False, urgent=False, consent="ngo", risk="medium",
                   flags=("vague_job_lure",), routes=(("id-sapa-129", "national"),),
                   marks=tuple(marks), language="id", attachments=tuple(attachments))


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[tuple[TipStore, Clock, Path]]:
    engine = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'tips.sqlite3'}")
    clock = Clock()
    yield TipStore(engine, tmp_path, b"draft-salt", clock), clock, tmp_path
    await engine.dispose()


async def test_save_numbers_refs_by_month_and_keeps_only_a_day(store) -> None:  # type: ignore[no-untyped-def]
    tips, _, path = store
    first = await tips.save(tip("a", "AAAA-AAAA-AAAA"), "h1", "k", 5)
    second = await tips.save(tip("b", "BBBB-BBBB-BBBB"), "h2", "k", 5)
    assert (first.ref, second.ref) == ("T-2611-0001", "T-2611-0002")
    row = sqlite3.connect(path / "tips.sqlite3").execute(
        "select created_on, receipt_hash from tips where id=1").fetchone()
    assert row == ("2026-11-25", "h1")


async def test_references_never_repeat_after_a_purge(store) -> None:  # type: ignore[no-untyped-def]
    tips, clock, path = store
    engine = tips._engine
    refs = [(await tips.save(tip(f"d{i}", f"AAAA-AAAA-AAA{i}"), f"h{i}", "k", 99)).ref
            for i in range(3)]
    # A retention shorter than a month deletes this month's tips while the month goes on;
    # a purge of a whole month empties it. Neither may give a reference out again: a staff
    # /claim or /reply for an old tip would reach a different reporter.
    assert await purge(engine, path, 0, clock().date() + timedelta(days=1)) == 3
    after = [(await tips.save(tip(f"e{i}", f"BBBB-BBBB-BBB{i}"), f"g{i}", "k", 99)).ref
             for i in range(2)]
    assert after == ["T-2611-0004", "T-2611-0005"] and not set(after) & set(refs)
    clock.now += timedelta(days=31)
    assert (await tips.save(tip("f", "CCCC-CCCC-CCCC"), "f1", "k", 99)).ref == "T-2612-0001"


async def test_a_retry_of_the_same_draft_keeps_one_tip(store) -> None:  # type: ignore[no-untyped-def]
    tips, _, path = store
    await tips.save(tip("same"), "h1", "k", 5)
    again = await tips.save(tip("same"), "h2", "k", 5)
    assert not again.created
    assert sqlite3.connect(path / "tips.sqlite3").execute(
        "select count(*), max(receipt_hash) from tips").fetchone() == (1, "h2")


async def test_rate_limit_per_hour_and_no_history_kept(store) -> None:  # type: ignore[no-untyped-def]
    tips, clock, path = store
    for n in range(2):
        await tips.save(tip(f"d{n}"), f"h{n}", "k", 2)
    with pytest.raises(RateLimited):
        await tips.save(tip("d3"), "h3", "k", 2)
    await tips.save(tip("other"), "hx", "another-user", 2)
    clock.now += timedelta(hours=1)
    await tips.save(tip("d4"), "h4", "k", 2)
    windows = sqlite3.connect(path / "tips.sqlite3").execute(
        "select distinct window from rate_limits").fetchall()
    assert windows == [("2026-11-25T10",)]


async def test_status_by_receipt_hash(store) -> None:  # type: ignore[no-untyped-def]
    tips, _, _ = store
    await tips.save(tip(), "hash-1", "k", 5)
    found = await tips.status("hash-1")
    assert found is not None and (found.ref, found.status, found.routes) == (
        "T-2611-0001", "received", 1)
    assert await tips.status("nope") is None


async def test_tips_about_one_recruiter_are_linked(store) -> None:  # type: ignore[no-untyped-def]
    tips, _, _ = store
    a = await tips.save(tip("a", marks=[("phone", "+6281234567890"), ("name", "darmo")]),
                        "h1", "k", 9)
    b = await tips.save(tip("b", marks=[("phone", "+6281234567890")]), "h2", "k", 9)
    c = await tips.save(tip("c", marks=[("name", "darmoo")]), "h3", "k", 9)  # a typo
    await tips.save(tip("d", marks=[("phone", "+6281111111111")]), "h4", "k", 9)
    linked = await tips.linked(a.tip_id)
    assert set(linked) == {b.tip_id, c.tip_id}
    assert linked[b.tip_id] == [("phone", "+6281234567890")]


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (4000, 3000), "white")
    exif = Image.Exif()
    exif[0x010F] = "SecretPhoneMaker"  # camera make
    exif[0x8825] = {1: "S", 2: (6.0, 12.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_photo_metadata_is_stripped_and_size_reduced() -> None:
    raw = jpeg_with_gps()
    assert b"SecretPhoneMaker" in raw
    clean = sanitise(raw)
    assert b"SecretPhoneMaker" not in clean and b"Exif" not in clean
    with Image.open(io.BytesIO(clean)) as image:
        assert max(image.size) == 2048 and not image.getexif()


def test_non_images_and_huge_files_are_refused() -> None:
    with pytest.raises(PhotoRejected):
        sanitise(b"not an image at all")
    with pytest.raises(PhotoRejected):
        sanitise(b"\xff" * (9 * 1024 * 1024))


async def test_photos_move_under_the_tip(store) -> None:  # type: ignore[no-untyped-def]
    tips, _, path = store
    token = receive(path, jpeg_with_gps())
    saved = await tips.save(tip(attachments=[token, "pforged"]), "h1", "k", 5)
    stored = path / "tips" / saved.ref / "1.jpg"
    assert stored.is_file() and not (path / "incoming" / f"{token}.jpg").exists()
    assert b"SecretPhoneMaker" not in stored.read_bytes()


def test_receipt_codes() -> None:
    assert normalise("k7qf 2mxp-9hrt") == "K7QF2MXP9HRT"
    assert normalise("K7QF-2MXP") is None and normalise("K7QF-2MXP-9HR0") is None
    assert receipt_hash("K7QF-2MXP-9HRT", SALT) == receipt_hash("k7qf2mxp9hrt", SALT)
    assert receipt_hash("K7QF-2MXP-9HRT", SALT) != receipt_hash("K7QF-2MXP-9HRT", b"t" * 32)


async def test_performer_commits_then_answers_status_and_slows_guessers(store) -> None:  # type: ignore[no-untyped-def]
    tips, _, _ = store
    delays: list[float] = []

    async def sleep(seconds: float) -> None:
        delays.append(seconds)

    performer = TipEffects(tips, SALT, b"r" * 32, tips_per_hour=1, sleep=sleep)
    assert await performer.perform("user", [tip()]) == ()
    (found,) = await performer.perform("user", [LookupStatus("k7qf-2mxp-9hrt")])
    assert found.parts[0].params == {"ref": "T-2611-0001"}  # type: ignore[union-attr]
    for _ in range(5):
        (miss,) = await performer.perform("guesser", [LookupStatus("AAAA-BBBB-CCCC")])
        assert isinstance(miss.parts[0], Msg) and miss.parts[0].msgid.startswith("I found no")
    assert delays == [1.0, 2.0]  # after three free guesses, longer and longer
    with pytest.raises(EffectRefused):
        await performer.perform("user", [tip("second")])


async def test_wrong_and_right_codes_take_the_same_work(store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Counted, not timed (timings flake on a busy machine): every code, right, wrong or
    # malformed, costs exactly one scrypt hash and one lookup, so an answer's delay tells
    # nothing about whether the code exists.
    import bot.tips.performer as performer_module

    tips, _, _ = store
    performer = TipEffects(tips, SALT, b"r" * 32)
    await performer.perform("user", [tip()])
    work: list[str] = []
    real_hash, real_status = performer_module.receipt_hash, tips.status

    def counted_hash(code: str, salt: bytes) -> str:
        work.append("hash")
        return real_hash(code, salt)

    async def counted_status(hashed: str):  # type: ignore[no-untyped-def]
        work.append("lookup")
        return await real_status(hashed)

    monkeypatch.setattr(performer_module, "receipt_hash", counted_hash)
    monkeypatch.setattr(tips, "status", counted_status)
    for code in ("K7QF-2MXP-9HRT", "AAAA-BBBB-CCCC", "hello"):
        work.clear()
        await performer.perform(code, [LookupStatus(code)])  # a fresh user key per code
        assert sorted(work) == ["hash", "lookup"], (code, work)
