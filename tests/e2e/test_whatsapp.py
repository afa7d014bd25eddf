"""Signed deliveries against the running WhatsApp adapter, answers through a stand-in Graph
API on 127.0.0.1: every flow, in Indonesian and Russian; forgeries and redeliveries."""

from __future__ import annotations

import asyncio
import io
import logging
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from PIL import Image

from bot.app import App, build_app
from bot.commands.whatsapp import serve_whatsapp
from bot.settings import Settings
from tests.helpers.clock import Clock
from tests.helpers.fake_graph import (
    FakeGraph,
    button_reply,
    delivery,
    encode,
    fake_graph,
    list_reply,
    message,
    sign,
    text,
    texts,
    wait_for_webhook,
)
from tests.helpers.fake_telegram import fake_bot_api
from tests.helpers.local_server import free_port
from tests.unit.test_tips_store import jpeg_with_gps
from tests.unit.test_transport_photos import bomb_png

SECRET = "app-secret-for-tests"
VERIFY = "verify-token-for-tests"
WA_ID = "6281200001111"


@dataclass
class Phone:
    graph: FakeGraph
    app: App
    url: str
    http: aiohttp.ClientSession

    async def post(self, body: dict[str, Any] | bytes, signature: str | None = "auto") -> int:
        raw = body if isinstance(body, bytes) else encode(body)
        headers = {"Content-Type": "application/json"}
        if signature == "auto":
            headers["X-Hub-Signature-256"] = sign(raw, SECRET)
        elif signature is not None:
            headers["X-Hub-Signature-256"] = signature
        async with self.http.post(self.url, data=raw, headers=headers) as response:
            return response.status

    async def say(self, msg: dict[str, Any], to: str = WA_ID, wa_id: str | None = WA_ID,
                  replies: int = 1) -> list[dict[str, Any]]:
        before = len(self.graph.to(to))
        assert await self.post(delivery(msg, wa_id=wa_id)) == 200
        for _ in range(500):
            if len(self.graph.to(to)) >= before + replies:
                break
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)
        return self.graph.to(to)[before:]


def choice(messages: list[dict[str, Any]], title: str) -> tuple[str, str]:
    for m in reversed(messages):
        if m["type"] != "interactive":
            continue
        action = m["interactive"]["action"]
        for b in action.get("buttons", []):
            if b["reply"]["title"] == title:
                return "button", b["reply"]["id"]
        for section in action.get("sections", []):
            for row in section["rows"]:
                if row["title"] == title or row.get("description") == title:
                    return "list", row["id"]
    raise AssertionError(f"no choice {title!r}")


def press(messages: list[dict[str, Any]], title: str, **kw: Any) -> dict[str, Any]:
    kind, reply_id = choice(messages, title)
    return (button_reply if kind == "button" else list_reply)(reply_id, **kw)


@asynccontextmanager
async def running(data_dir: Path, graph: FakeGraph, http: aiohttp.ClientSession,
                  **serve: Any) -> AsyncIterator[Phone]:
    """The webhook on a free port until the block ends (``serve``: serve_whatsapp's
    keywords); a second block on the same data_dir is the bot after a restart."""
    port = free_port()
    app = await build_app(Settings(
        data_dir=data_dir, web_port=port, whatsapp_access_token="EAAtoken",
        whatsapp_phone_number_id="1122334455667", whatsapp_app_secret=SECRET,
        whatsapp_verify_token=VERIFY, whatsapp_api_base_url=graph.base_url))
    stop = asyncio.Event()
    server = asyncio.create_task(serve_whatsapp(app, http, stop, **serve))
    url = f"http://127.0.0.1:{port}/whatsapp/webhook"
    await wait_for_webhook(http, url)
    try:
        yield Phone(graph, app, url, http)
    finally:
        stop.set()
        await server
        await app.close()


@pytest.fixture
async def phone(tmp_path: Path) -> AsyncIterator[Phone]:
    async with fake_graph() as graph, aiohttp.ClientSession() as http, \
            running(tmp_path / "data", graph, http) as running_phone:
        yield running_phone


async def test_subscription_handshake(phone: Phone) -> None:
    params = {"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "1158201444"}
    async with phone.http.get(phone.url, params=params) as response:
        assert response.status == 200 and await response.text() == "1158201444"
    params["hub.verify_token"] = "wrong"
    async with phone.http.get(phone.url, params=params) as response:
        assert response.status == 403


async def test_forged_unsigned_and_malformed_deliveries(phone: Phone) -> None:
    body = delivery(text("/start"))
    assert await phone.post(body, signature=None) == 401
    assert await phone.post(body, signature="sha256=" + "0" * 64) == 403
    assert await phone.post(body, signature=sign(encode(body), "another-secret")) == 403
    assert await phone.post(b"{not json", signature=sign(b"{not json", SECRET)) == 400
    await asyncio.sleep(0.2)
    assert phone.graph.sent == []


async def test_menu_as_a_list_then_language(phone: Phone) -> None:
    sent = await phone.say(text("/start"))
    menu = sent[-1]["interactive"]
    assert menu["type"] == "list" and len(menu["action"]["sections"][0]["rows"]) == 6
    assert all(len(r["title"]) <= 24 for r in menu["action"]["sections"][0]["rows"])
    sent = await phone.say(press(sent, "Bahasa / Language / Язык"))
    sent = await phone.say(press(sent, "Русский"))
    assert "Теперь я буду писать на языке: Русский." in texts(sent)


async def test_check_an_offer_with_buttons_within_limits(phone: Phone) -> None:
    offer = ("Dicari pelayan restoran di Malaysia, gaji 20 juta, tidak perlu pengalaman. "
             "Paspor *disimpan* agen.")
    sent = await phone.say(text(offer))
    said = texts(sent)
    assert "*Risiko tinggi.*" in said  # WhatsApp's own bold
    assert "Paspor *\u200bdisimpan" in said  # the ad's asterisk cannot start bold
    # The answer, then the one-time question of the person's country with its own buttons.
    # Six countries for Indonesian (where most migrant workers are) and "another country":
    # more than WhatsApp's three reply buttons, so a list within its limits.
    question = sent[-1]["interactive"]
    assert question["type"] == "list"
    country_rows = question["action"]["sections"][0]["rows"]
    assert len(country_rows) == 7 and all(len(r["title"]) <= 24 for r in country_rows)
    last = sent[-2]["interactive"]
    # A label longer than a reply button's 20 characters turns the buttons into a list.
    assert last["type"] == "list"
    rows = last["action"]["sections"][0]["rows"]
    assert len(rows) == 3 and all(len(r["title"]) <= 24 for r in rows)
    assert len(last["action"]["button"]) <= 20
    assert len(last["body"]["text"]) <= 1024
    assert all(len(m["text"]["body"]) <= 4096 for m in sent if m["type"] == "text")
    sent = await phone.say(press(sent, "Jawab beberapa pertanyaan"))
    assert "Pertanyaan 1 dari" in texts(sent)


async def test_report_to_receipt_in_russian(phone: Phone) -> None:
    sent = await phone.say(text("/lang ru"))
    sent = await phone.say(text("/report"))
    sent = await phone.say(text("Женщина из города набирает девушек в кафе в Стамбуле, "
                                "паспорта забирает."))
    sent = await phone.say(press(sent, "Торговля людьми или подозрительная вакансия"))
    sent = await phone.say(press(sent, "Пропустить"))
    sent = await phone.say(press(sent, "Пропустить"))  # the one-time country question
    sent = await phone.say(press(sent, "Пропустить"))
    sent = await phone.say(press(sent, "Нет"))
    sent = await phone.say(press(sent, "Пропустить"))
    sent = await phone.say(press(sent, "Только помогающим организациям (НКО)"))
    sent = await phone.say(press(sent, "Отправить"))
    assert "Спасибо. Ваше сообщение сохранено." in texts(sent)


async def test_learn_and_contacts(phone: Phone) -> None:
    sent = await phone.say(text("/learn 6"))
    assert "*Sudah dalam masalah* (1/4)" in texts(sent)
    assert "112" in texts(sent)  # the emergency numbers come from the directory
    sent = await phone.say(press(sent, "Lanjut"))
    assert "(2/4)" in texts(sent)
    sent = await phone.say(text("/contacts Medan"))
    sent = await phone.say(press(sent, "Eksploitasi seksual anak"))
    said = texts(sent)
    assert "PKPA" in said and "sumber dilihat" in said


async def test_redelivery_is_handled_once_and_statuses_ignored(phone: Phone) -> None:
    once = text("/help", mid="wamid.same-id")
    await phone.say(once)
    count = len(phone.graph.sent)
    assert await phone.post(delivery(once)) == 200
    status = {"id": "wamid.out1", "status": "read", "timestamp": "1", "recipient_id": WA_ID}
    assert await phone.post(delivery(statuses=[status])) == 200
    await asyncio.sleep(0.3)
    assert len(phone.graph.sent) == count


async def test_media(phone: Phone) -> None:
    image = message("image", {"mime_type": "image/jpeg", "id": "1",
                              "caption": "Paspor kamu akan kami simpan selama kontrak kerja."})
    assert "Dokumen dipegang orang lain" in texts(await phone.say(image))
    voice = message("audio", {"mime_type": "audio/ogg", "id": "2", "voice": True},
                    wa_id="6281299990000")
    sent = await phone.say(voice, to="6281299990000", wa_id="6281299990000")
    assert "Saya hanya bisa membaca teks." in texts(sent)


async def test_a_photo_joins_a_report_without_its_metadata(phone: Phone) -> None:
    phone.graph.media["7001"] = jpeg_with_gps()
    user = "6281277770000"
    sent = await phone.say(text("/report", wa_id=user), to=user, wa_id=user)
    photo = message("image", {"mime_type": "image/jpeg", "id": "7001",
                              "sha256": "x", "caption": "Brosur dari agen"}, wa_id=user)
    sent = await phone.say(photo, to=user, wa_id=user)
    assert "1 foto diterima" in texts(sent)
    missing = message("image", {"mime_type": "image/jpeg", "id": "9999"}, wa_id=user)
    sent = await phone.say(missing, to=user, wa_id=user)  # the Graph API has no such photo
    assert "1 foto diterima" not in texts(sent)  # not counted, but answered
    # The place skipped, then the one-time country question (Indonesia), the time skipped.
    for title in ("Lanjut", "Perdagangan orang atau tawaran kerja mencurigakan", "Lewati",
                  "Indonesia", "Lewati", "Tidak", "Lewati", "Hanya lembaga pendamping (LSM)"):
        sent = await phone.say(press(sent, title, wa_id=user), to=user, wa_id=user)
    assert "1 foto" in texts(sent)  # the summary before sending
    sent = await phone.say(press(sent, "Kirim", wa_id=user), to=user, wa_id=user)
    assert "Kode tanda terimamu" in texts(sent)
    db = sqlite3.connect(phone.app.data_dir / "bot.sqlite3")
    (path,) = [row[0] for row in db.execute("select path from tip_files")]
    stored = (phone.app.data_dir / path).read_bytes()
    assert b"SecretPhoneMaker" not in stored and phone.graph.downloads == 1
    assert Image.open(io.BytesIO(stored)).getexif() == {}


async def test_an_urgent_tip_on_whatsapp_reaches_a_staff_chat_on_telegram(
        tmp_path: Path) -> None:
    async with fake_graph() as graph, fake_bot_api() as bot_api, \
            aiohttp.ClientSession() as http:
        port = free_port()
        app = await build_app(Settings(
            data_dir=tmp_path / "data", web_port=port, whatsapp_access_token="EAAtoken",
            whatsapp_phone_number_id="1122334455667", whatsapp_app_secret=SECRET,
            whatsapp_verify_token=VERIFY, whatsapp_api_base_url=graph.base_url,
            telegram_bot_token="123456:ABC-for-the-stand-in",
            telegram_api_base_url=bot_api.base_url))
        invite = await app.orgs.invite("id-migrant-care")
        assert await app.orgs.register(invite, "telegram", "-5001") == "id-migrant-care"
        stop = asyncio.Event()
        server = asyncio.create_task(serve_whatsapp(app, http, stop))
        phone = Phone(graph, app, f"http://127.0.0.1:{port}/whatsapp/webhook", http)
        await wait_for_webhook(http, phone.url)
        try:
            sent = await phone.say(text("/report"))
            sent = await phone.say(text("Calo membawa anak-anak gadis dari desa ke Malaysia, "
                                        "paspor ditahan."))
            sent = await phone.say(press(sent, "Pekerja migran di luar negeri"))
            sent = await phone.say(text("Indramayu"))
            for title in ("Lewati", "Ada yang dalam bahaya sekarang", "Lewati",
                          "Hanya lembaga pendamping (LSM)"):
                sent = await phone.say(press(sent, title))
            sent = await phone.say(press(sent, "Kirim"))
            assert "Kode tanda terimamu" in texts(sent)
            (alert,) = [c for c in await bot_api.wait_for(1)
                        if c.params["chat_id"] == -5001]
            assert "LAPORAN MENDESAK" in alert.params["text"]
            assert "paspor ditahan" in alert.params["text"]
        finally:
            stop.set()
            await server
            await app.close()


async def test_business_scoped_user_without_a_phone_number(phone: Phone) -> None:
    msg = text("/start", wa_id=None, from_user_id="US.99990000111122223333")
    sent = await phone.say(msg, to="US.99990000111122223333", wa_id=None)
    assert "Halo!" in texts(sent)


async def test_graph_rate_limit_is_retried(phone: Phone) -> None:
    phone.graph.fail_next.append((429, {"error": {"code": 130429, "message": "rate"}}))
    sent = await phone.say(text("/help", wa_id="6281277770000"), to="6281277770000",
                           wa_id="6281277770000")
    assert "Perintah:" in texts(sent)


async def test_no_identifier_at_rest_or_in_logs(phone: Phone,
                                                caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        await phone.say(text("/start", wa_id="6281255554444"), to="6281255554444",
                        wa_id="6281255554444")
    for path in phone.app.data_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"6281255554444" not in data and b"Siti Aminah" not in data
    assert "6281255554444" not in caplog.text and "Siti" not in caplog.text


async def test_odd_shaped_messages_are_skipped_and_the_rest_answered(phone: Phone) -> None:
    odd = [{**text("/help"), "text": "a string"}, {**text("x"), "from": [WA_ID], "id": 7},
           {**button_reply("x"), "interactive": {"type": "button_reply",
                                                  "button_reply": "x"}},
           {"type": "text"}, "nonsense"]
    good = text("/help", wa_id="6281233330000")
    body = delivery(*odd, good, wa_id="6281233330000")
    body["entry"].append({"changes": [{"value": {"messages": {"not": "a list"}}}]})
    assert await phone.post(body) == 200
    for _ in range(300):
        if phone.graph.to("6281233330000"):
            break
        await asyncio.sleep(0.01)
    assert "Perintah:" in texts(phone.graph.to("6281233330000"))


async def test_a_redelivery_after_a_restart_is_not_answered_again(tmp_path: Path) -> None:
    once = text("/help", mid="wamid.HBgNNjI4MTIwMDAwMTExMRUCABIYFDNB")
    async with fake_graph() as graph, aiohttp.ClientSession() as http:
        async with running(tmp_path / "data", graph, http) as phone:
            await phone.say(once)
        answered = len(graph.sent)
        async with running(tmp_path / "data", graph, http) as phone:
            assert await phone.post(delivery(once)) == 200  # acknowledged…
            await phone.say(text("/start"))  # (the next message is answered)
            assert len([m for m in graph.sent if "Perintah:" in texts([m])]) == 1  # …not redone
            assert len(graph.sent) > answered


async def test_messages_older_than_a_day_are_refused(tmp_path: Path) -> None:
    clock = Clock()  # 2026-11-25 09:30 UTC, whatever today is
    stale = str(int((clock.now - timedelta(hours=25)).timestamp()))
    fresh = str(int((clock.now - timedelta(hours=1)).timestamp()))
    async with fake_graph() as graph, aiohttp.ClientSession() as http, \
            running(tmp_path / "data", graph, http, clock=clock) as phone:
        assert await phone.post(delivery(text("/help", timestamp=stale))) == 200
        assert await phone.post(delivery(text("/help", timestamp="yesterday"))) == 200
        await asyncio.sleep(0.3)
        assert graph.sent == []
        assert "Perintah:" in texts(await phone.say(text("/help", timestamp=fresh)))


async def test_thirty_messages_a_minute_then_one_polite_pause(phone: Phone) -> None:
    user = "6281266660000"
    for _ in range(30):
        assert "Perintah:" in texts(await phone.say(text("/help", wa_id=user), to=user,
                                                    wa_id=user))
    sent = await phone.say(text("/help", wa_id=user), to=user, wa_id=user)
    assert texts(sent) == "Kamu mengirim pesan terlalu cepat. Tunggu sebentar ya."
    before = len(phone.graph.to(user))
    assert await phone.post(delivery(text("/help", wa_id=user), wa_id=user)) == 200
    await asyncio.sleep(0.3)
    assert len(phone.graph.to(user)) == before  # dropped, without another warning
    assert "Perintah:" in texts(await phone.say(text("/help")))  # others are not slowed


async def test_an_unexpected_error_gets_the_apology(phone: Phone,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    db = sqlite3.connect(phone.app.data_dir / "bot.sqlite3")
    db.execute("alter table conversations rename to conversations_away")  # the disk fails
    db.commit()
    with caplog.at_level(logging.INFO):
        sent = await phone.say(text("/help", wa_id="6281288880000"), to="6281288880000",
                               wa_id="6281288880000")
    assert texts(sent).startswith("Maaf, ada masalah di sisi saya.")
    assert "error=OperationalError" in caplog.text
    assert "6281288880000" not in caplog.text and "Traceback" not in caplog.text


async def test_a_refused_photo_is_reported_in_the_users_language(phone: Phone) -> None:
    phone.graph.media["bomb"] = bomb_png()
    user = "6281277771111"
    await phone.say(text("/lang ru", wa_id=user), to=user, wa_id=user)
    await phone.say(text("/report", wa_id=user), to=user, wa_id=user)
    photo = message("image", {"mime_type": "image/png", "id": "bomb"}, wa_id=user)
    said = texts(await phone.say(photo, to=user, wa_id=user, replies=2))
    assert said.startswith("Я не могу использовать это фото")
    assert "Напишите, что случилось, или пришлите фото." in said
    assert "Получено" not in said
    assert not list((phone.app.data_dir / "incoming").glob("*.jpg"))
