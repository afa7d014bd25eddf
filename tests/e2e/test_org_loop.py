"""The organisations' loop on a real SQLite file and the stand-in Bot API: invite,
register, a routed urgent tip alerted at once, a digest sent once with its CSV and chart,
a staff reply the reporter reads with the receipt code, and after a restart the missed
digest slot caught up with only the new tip."""

from __future__ import annotations

import contextlib
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.app import build_app
from bot.commands.telegram import build_telegram
from bot.settings import Settings
from tests.e2e.test_telegram import TOKEN, Driver, telegram, text_of  # noqa: F401
from tests.helpers.fake_telegram import callback, group_text, private_text

GROUP = -5001
CODE = re.compile(r"Kode tanda terimamu: <b>([2-9A-Z-]{14})</b>")


async def report(telegram: Driver, user: int) -> str:  # noqa: F811
    say, button = telegram.say, telegram.button
    await say(private_text(user, "/report"))
    calls = await say(private_text(user, "Calo bernama Pak Darmo membawa anak-anak gadis "
                                         "dari desa ke Malaysia, paspor ditahan. "
                                         "WA 0812-3456-7890"))
    calls = await say(callback(user, button(calls, "Pekerja migran di luar negeri")))
    calls = await say(private_text(user, "Indramayu"))
    calls = await say(callback(user, button(calls, "Lewati")))
    calls = await say(callback(user, button(calls, "Ada yang dalam bahaya sekarang")))
    calls = await say(callback(user, button(calls, "Lewati")))
    calls = await say(callback(user, button(calls, "Hanya lembaga pendamping (LSM)")))
    calls = await say(callback(user, button(calls, "Kirim")), replies=2)  # receipt + alert
    match = CODE.search(text_of(calls))
    assert match, text_of(calls)
    return match.group(1)


async def test_the_whole_loop(telegram: Driver) -> None:  # noqa: F811
    invite = await telegram.app.orgs.invite("id-migrant-care")
    calls = await telegram.say(group_text(GROUP, 900, f"/register {invite}"))
    assert "Chat ini sekarang menerima laporan dan rangkuman untuk Migrant CARE" in text_of(
        calls)
    again = await telegram.say(group_text(GROUP, 900, f"/register {invite}"))
    assert "sudah dipakai" in text_of(again)  # one use only

    code = await report(telegram, 41)
    alerts = [c for c in telegram.api.sent() if c.params["chat_id"] == GROUP
              and "LAPORAN MENDESAK" in c.params.get("text", "")]
    assert len(alerts) == 1  # at once, not with the digest
    assert "T-" in alerts[0].params["text"] and "Pak Darmo" in alerts[0].params["text"]

    calls = await telegram.say(group_text(GROUP, 900, "/digest"))
    said = text_of(calls)  # the schedule and the next run, nothing sent yet
    assert "Rangkuman dikirim setiap hari pukul 08.00 (Asia/Jakarta). Berikutnya: " in said
    assert "sejauh ini dengan 1 laporan baru" in said
    calls = await telegram.say(group_text(GROUP, 900, "/digest now"), replies=2)
    said = text_of(calls)
    assert "Rangkuman untuk Migrant CARE" in said and "Rangkuman terkirim: 1 laporan" in said
    (document,) = [c for c in telegram.api.sent("sendDocument")
                   if c.params["chat_id"] == GROUP]
    csv_file = document.params["document"]
    assert csv_file["filename"].startswith("tips-id-migrant-care-")
    assert b"Pak Darmo" in csv_file["content"] and csv_file["content"].startswith(
        "\ufeff".encode())
    (chart,) = [c for c in await telegram.api.wait_for(1, "sendPhoto")
                if c.params["chat_id"] == GROUP]
    png = chart.params["photo"]["content"]
    assert png.startswith(b"\x89PNG") and chart.params["photo"]["filename"].endswith(".png")
    assert chart.params["caption"] == "Laporan per minggu menurut topik, 8 minggu terakhir"
    calls = await telegram.say(group_text(GROUP, 900, "/digest now"))
    assert "Tidak ada laporan baru sejak rangkuman terakhir." in text_of(calls)

    ref = re.search(r"T-\d{4}-\d{4}", alerts[0].params["text"]).group(0)  # type: ignore[union-attr]
    calls = await telegram.say(group_text(GROUP, 900, f"/claim {ref}"))
    assert "dicatat" in text_of(calls)
    calls = await telegram.say(group_text(GROUP, 900, f"/reply {ref} Kami sudah menghubungi "
                                                      "BP3MI Jawa Barat."))
    assert "Balasanmu untuk" in text_of(calls)
    calls = await telegram.say(group_text(GROUP, 900, "/claim T-0000-0000"))
    assert "Tidak ada laporan T-0000-0000" in text_of(calls)

    before = len(telegram.api.sent("sendDocument"))
    telegram.api.push(group_text(GROUP, 900, "/export"))
    exported = await telegram.api.wait_for(before + 1, "sendDocument")
    assert ref.encode() in exported[-1].params["document"]["content"]

    calls = await telegram.say(private_text(41, f"/status {code}"))
    said = text_of(calls)
    assert "Sebuah lembaga sudah menanganinya." in said
    assert "Pesan dari lembaga: Kami sudah menghubungi BP3MI Jawa Barat." in said
    # The code alone, as the receipt shows it (people do not type commands), in lower case.
    calls = await telegram.say(private_text(41, f"kode {code.lower()}"))
    assert text_of(calls) == said

    # A second tip arrives; then the bot is down over the next morning's digest slot.
    await report(telegram, 42)
    second = re.findall(r"T-\d{4}-\d{4}", [c for c in telegram.api.sent()
                                           if c.params["chat_id"] == GROUP][-1].params["text"])
    assert second and second[0] != ref
    # A restart: a new process on the same data catches the missed slot up at once, with
    # the new tip only, and then finds nothing left to send.
    app = await build_app(Settings(data_dir=telegram.app.data_dir, telegram_bot_token=TOKEN,
                                   telegram_api_base_url=telegram.api.base_url))
    service = build_telegram(app)
    tomorrow = datetime.now(UTC) + timedelta(days=1, hours=1)
    app.scheduler._clock = app.digests._clock = lambda: tomorrow  # type: ignore[method-assign]
    before = len(telegram.api.sent())
    try:
        assert await app.scheduler.catch_up() == {"id-migrant-care": 1}
        digest = "\n".join(c.params["text"] for c in telegram.api.sent()[before:]
                           if c.params["chat_id"] == GROUP)
        assert "Rangkuman untuk Migrant CARE" in digest
        assert "1 laporan baru" in digest and f"<b>{second[0]}</b>" in digest
        assert f"<b>{ref}</b>" not in digest  # nothing repeated…
        assert f"Nomor yang sama ada di 1 laporan lain: {ref}" in digest  # …but linked
        assert await app.scheduler.catch_up() == {}
        assert await app.digests.send("id-migrant-care") == 0
    finally:
        await service.bot.session.close()
        await app.close()

    calls = await telegram.say(group_text(GROUP, 900, "/unregister"))
    assert "tidak lagi menerima" in text_of(calls)


async def test_a_digest_that_failed_half_way_is_sent_again_with_the_same_tips(
        tmp_path: Path) -> None:
    app = await build_app(Settings(data_dir=tmp_path / "data"))
    try:
        from tests.unit.test_tips_store import tip

        await app.runtime._performer._store.save(  # type: ignore[attr-defined]
            tip("draft-a"), "hash-a", "k", 9)
        code = await app.orgs.invite("id-sapa-129")
        assert await app.orgs.register(code, "telegram", "77") == "id-sapa-129"
        sent: list[str] = []
        failures = [True]

        async def flaky(transport: str, chat: str, text: str) -> None:
            if failures:
                failures.pop()
                raise ConnectionError("network down")
            sent.append(text)

        app.digests.sender = flaky
        with contextlib.suppress(ConnectionError):  # the first chat send fails
            await app.digests.send("id-sapa-129")
        assert await app.digests.send("id-sapa-129") == 1  # the same ledger row, resent
        assert await app.digests.send("id-sapa-129") == 0  # and never again
        assert len(sent) == 1 and "T-" in sent[0]
    finally:
        await app.close()


async def test_invite_codes_expire(tmp_path: Path) -> None:
    app = await build_app(Settings(data_dir=tmp_path / "data"))
    try:
        code = await app.orgs.invite("id-kpai")
        later = datetime.now(UTC) + timedelta(days=8)
        app.orgs._clock = lambda: later  # type: ignore[method-assign]
        assert await app.orgs.register(code, "telegram", "1") is None
    finally:
        await app.close()
