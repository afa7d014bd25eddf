"""The real client libraries against a stand-in Bot API on 127.0.0.1: conversations as users
have them, in Indonesian and Russian, by long polling and by webhook, on aiogram and on
python-telegram-bot (TELEGRAM_LIBRARY=ptb) alike wherever the behaviour is the same."""

from __future__ import annotations

import asyncio
import importlib.util
import io
import json
import logging
import os
import signal
import socket
import sqlite3
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from PIL import Image

from bot.app import App, build_app
from bot.commands.telegram import TelegramService, build_telegram, serve_polling, serve_webhook
from bot.settings import Settings
from tests.helpers.fake_telegram import (
    Call,
    FakeBotApi,
    callback,
    fake_bot_api,
    group_text,
    private_text,
)
from tests.unit.test_transport_photos import bomb_png

HAVE_PTB = importlib.util.find_spec("telegram") is not None  # the [ptb] extra (dev has it)
LIBRARIES = ["aiogram", pytest.param("ptb", marks=pytest.mark.skipif(
    not HAVE_PTB, reason="python-telegram-bot is not installed (pip install -e '.[ptb]')"))]
# The tests marked so run on both libraries through the same `telegram` fixture.
each_library = pytest.mark.parametrize("telegram", LIBRARIES, indirect=True)
TOKEN = "123456789:TEST-token-for-the-stand-in-api"
WEBHOOK_SECRET = "s3cret-header-value"
ROOT = Path(__file__).resolve().parents[2]
OFFER_ID = ("Dicari pelayan restoran di Malaysia, gaji 20 juta, tidak perlu pengalaman. "
            "Paspor disimpan agen. <script>alert(1)</script>")


@dataclass
class Driver:
    api: FakeBotApi
    app: App
    service: TelegramService

    async def say(self, update: dict[str, Any], replies: int = 1) -> list[Call]:
        """Sends an update and returns the messages the bot sent in answer."""
        before = len(self.api.sent())
        self.api.push(update)
        await self.api.wait_for(before + replies)
        await asyncio.sleep(0.05)  # let a multi-message answer finish
        return self.api.sent()[before:]

    def button(self, calls: list[Call], label: str) -> str:
        for call in reversed(calls):
            markup = call.params.get("reply_markup") or {}
            for row in markup.get("inline_keyboard", []):
                for button in row:
                    if button["text"] == label:
                        return button["callback_data"]
        shown = [str(c.params.get("text"))[:40] for c in calls]
        raise AssertionError(f"no button {label!r} in {shown}")


@asynccontextmanager
async def polling(data_dir: Path, api: FakeBotApi, library: str = "aiogram",
                  ) -> AsyncIterator[Driver]:
    """The bot polling the stand-in until the block ends; a second block on the same
    data_dir is the bot after a restart."""
    settings = Settings(data_dir=data_dir, telegram_bot_token=TOKEN,
                        telegram_api_base_url=api.base_url, telegram_library=library)
    app = await build_app(settings)
    api.polling.clear()
    if library == "ptb":
        from bot.adapters.ptb.service import build_ptb, serve_ptb_polling, start

        ptb = build_ptb(app)
        stop = asyncio.Event()
        assert await start(ptb, stop)
        task = asyncio.create_task(serve_ptb_polling(ptb, stop))
        await api.polling.wait()
        try:
            yield Driver(api, app, ptb)  # type: ignore[arg-type]
        finally:
            stop.set()
            await task
            await ptb.application.shutdown()
            await app.close()
        return
    service = build_telegram(app)
    await service.adapter.start(service.bot)
    task = asyncio.create_task(serve_polling(service, handle_signals=False))
    await api.polling.wait()  # the dispatcher is polling
    try:
        yield Driver(api, app, service)
    finally:
        await service.dispatcher.stop_polling()
        await task
        await service.adapter.drain()
        await service.bot.session.close()
        await app.close()


@pytest.fixture
async def telegram(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[Driver]:
    """aiogram, or the library a test's ``each_library`` mark gives."""
    library = getattr(request, "param", "aiogram")
    async with fake_bot_api() as api, polling(tmp_path / "data", api, library) as driver:
        yield driver


def text_of(calls: list[Call]) -> str:
    return "\n".join(c.params.get("text", "") for c in calls)


@each_library
async def test_menus_and_descriptions_per_language(telegram: Driver) -> None:
    menus = {c.params.get("language_code"): c.params["commands"]
             for c in telegram.api.sent("setMyCommands")}
    assert set(menus) == {"id", "ru", "en", None}
    assert {"command": "check", "description": "Проверить предложение работы"} in menus["ru"]
    assert len(telegram.api.sent("setMyDescription")) == 3


@each_library
async def test_indonesian_start_then_language_button(telegram: Driver) -> None:
    calls = await telegram.say(private_text(11, "/start", "id"))
    assert "Halo!" in text_of(calls) and "<b>Sedang dalam bahaya sekarang?</b>" in text_of(calls)
    calls = await telegram.say(callback(11, telegram.button(calls, "Bahasa / Language / Язык")))
    calls = await telegram.say(callback(11, telegram.button(calls, "Русский")))
    assert "Теперь я буду писать на языке: Русский." in text_of(calls)


@each_library
async def test_pasted_offer_is_analysed_and_user_text_escaped(telegram: Driver) -> None:
    calls = await telegram.say(private_text(12, OFFER_ID, "id"))
    said = text_of(calls)
    assert "<b>Risiko tinggi.</b>" in said
    assert "&lt;script&gt;" not in said or "<script>" not in said
    assert "<script>" not in said
    assert "129" in said  # SAPA 129 from the directory
    assert telegram.button(calls, "Jawab beberapa pertanyaan")


async def test_aiogram_sends_its_calls_as_json_bodies(telegram: Driver) -> None:
    # JsonBodySession: no form to URL-encode (issue #18); the stand-in reads both, as the
    # Bot API does. (A file upload still goes as a form: tests/e2e/test_staff_chat.py.)
    before = telegram.api.json_bodies
    calls = await telegram.say(private_text(13, OFFER_ID, "id"))
    assert telegram.api.json_bodies - before >= len(calls) >= 1
    assert isinstance(calls[0].params["reply_markup"], dict)  # an object, not a string
    assert calls[0].params["parse_mode"] == "HTML"  # the bot's defaults are sent too


@each_library
async def test_russian_report_to_receipt_then_status(telegram: Driver) -> None:
    say, button = telegram.say, telegram.button
    calls = await say(private_text(13, "/report", "ru"))
    calls = await say(private_text(13, "Вербовщик по имени Алишер обещает девушкам работу "
                                        "официантками в Турции, паспорта забирает.", "ru"))
    calls = await say(callback(13, button(calls, "Торговля людьми или подозрительная вакансия"),
                               "ru"))
    calls = await say(private_text(13, "Ош", "ru"))
    calls = await say(callback(13, button(calls, "Пропустить"), "ru"))
    calls = await say(callback(13, button(calls, "Нет"), "ru"))
    calls = await say(private_text(13, "+996 555 123 456", "ru"))
    calls = await say(callback(13, button(calls, "Только помогающим организациям (НКО)"), "ru"))
    assert "Проверьте ваше сообщение" in text_of(calls)
    calls = await say(callback(13, button(calls, "Отправить"), "ru"))
    said = text_of(calls)
    assert "Спасибо. Ваше сообщение сохранено." in said
    code = said.split("Ваш код: <b>")[1][:14]
    db = sqlite3.connect(telegram.app.data_dir / "bot.sqlite3")
    assert db.execute("select place_label, country from tips").fetchone() == ("Osh, Ош", "KG")
    assert ("phone", "+996555123456") in set(db.execute("select kind, value from "
                                                        "recruiter_marks"))
    calls = await say(private_text(13, f"/status {code}", "ru"))
    assert "Ваше сообщение T-" in text_of(calls)


@each_library
async def test_forwarded_message_offers_check_and_report(telegram: Driver) -> None:
    forwarded = private_text(14, "Lowongan kerja ke Kamboja, gaji 15 juta, visa turis.", "id",
                             forward_origin={"type": "hidden_user", "date": 1,
                                             "sender_user_name": "Agen"})
    calls = await telegram.say(forwarded)
    assert "Bukan jalur resmi" in text_of(calls)
    assert telegram.button(calls, "Laporkan")


@each_library
async def test_photo_caption_is_checked_and_stickers_get_a_polite_answer(
        telegram: Driver) -> None:
    image = io.BytesIO()
    Image.new("RGB", (40, 40), "red").save(image, format="JPEG")
    telegram.api.files["ph1"] = image.getvalue()
    photo = private_text(15, "", "id")
    del photo["message"]["text"]
    photo["message"]["photo"] = [{"file_id": "ph1", "file_unique_id": "u1", "width": 40,
                                  "height": 40, "file_size": len(image.getvalue())}]
    photo["message"]["caption"] = "Paspor kamu akan kami simpan selama kontrak kerja."
    calls = await telegram.say(photo)
    assert "Dokumen dipegang orang lain" in text_of(calls)
    sticker = private_text(25, "", "ru")
    del sticker["message"]["text"]
    sticker["message"]["sticker"] = {"file_id": "st", "file_unique_id": "st", "type": "regular",
                                     "width": 1, "height": 1, "is_animated": False,
                                     "is_video": False}
    calls = await telegram.say(sticker)
    assert "Я понимаю только текст." in text_of(calls)  # in the user's language


@each_library
async def test_stale_button_is_refused(telegram: Driver) -> None:
    first = await telegram.say(private_text(16, "/lang", "id"))
    old = telegram.button(first, "English")
    await telegram.say(private_text(16, "/start", "id"))
    calls = await telegram.say(callback(16, old))
    assert "Tombol itu dari percakapan sebelumnya" in text_of(calls)


@each_library
async def test_groups_stay_quiet_and_store_nothing(telegram: Driver) -> None:
    before = len(telegram.api.sent())
    telegram.api.push(group_text(-100, 21, "Besok kita kerja bakti di balai desa jam 7 pagi, "
                                           "semua warga diharap datang."))
    await asyncio.sleep(0.5)
    assert len(telegram.api.sent()) == before  # nothing to say
    calls = await telegram.say(group_text(-100, 21, "Dicari gadis usia 15 tahun untuk kerja "
                                                    "di karaoke, paspor disimpan bos."))
    (warning,) = calls
    # aiogram sends reply_to_message_id, PTB 22 the newer reply_parameters
    assert (warning.params.get("reply_to_message_id")
            or warning.params["reply_parameters"]["message_id"])
    assert "⚠️" in warning.params["text"]
    url = warning.params["reply_markup"]["inline_keyboard"][0][0]["url"]
    assert url == "https://t.me/safework_test_bot?start=learn"
    calls = await telegram.say(group_text(-100, 22, "/report@safework_test_bot"))
    assert "private chat" in calls[0].params["text"] or "pribadi" in calls[0].params["text"]
    db = sqlite3.connect(telegram.app.data_dir / "bot.sqlite3")
    assert db.execute("select count(*) from conversations").fetchone() == (0,)


@each_library
async def test_deep_links_open_flows_and_count_campaigns(telegram: Driver) -> None:
    calls = await telegram.say(private_text(17, "/start report", "id"))
    assert "Ceritakan apa yang terjadi" in text_of(calls)
    await telegram.say(private_text(18, "/start poster-jember", "id"))
    db = sqlite3.connect(telegram.app.data_dir / "bot.sqlite3")
    assert db.execute("select campaign, count from campaign_counts").fetchall() == [
        ("poster-jember", 1)]
    assert db.execute("select count(*) from tips").fetchone() == (0,)


@each_library
async def test_flood_control_is_waited_out(telegram: Driver) -> None:
    telegram.api.flood_once.add("sendMessage")
    calls = await telegram.say(private_text(19, "/help", "id"), replies=2)
    assert "Perintah:" in text_of(calls)
    attempts = [c for c in telegram.api.calls if c.method == "sendMessage"
                and "Perintah:" in c.params.get("text", "")]
    assert len(attempts) == 2  # refused once with retry_after, then sent


@each_library
async def test_no_identifier_reaches_the_database(telegram: Driver) -> None:
    await telegram.say(private_text(987654321, "/start", "id"))
    for path in telegram.app.data_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"987654321" not in data and b"user987654321" not in data, path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@asynccontextmanager
async def webhook_bot(data_dir: Path, api: FakeBotApi, library: str = "aiogram",
                      ) -> AsyncIterator[str]:
    """The bot in webhook mode until the block ends; yields the webhook's local URL."""
    port = free_port()
    settings = Settings(data_dir=data_dir, telegram_bot_token=TOKEN,
                        telegram_api_base_url=api.base_url, web_port=port,
                        telegram_webhook_url="https://bot.example.org/telegram/webhook",
                        telegram_webhook_secret=WEBHOOK_SECRET, telegram_library=library)
    app = await build_app(settings)
    stop = asyncio.Event()
    before = len(api.sent("setWebhook"))
    if library == "ptb":
        from bot.adapters.ptb.service import build_ptb, serve_ptb_webhook, start

        ptb = build_ptb(app)
        assert await start(ptb, stop)
        server = asyncio.create_task(serve_ptb_webhook(ptb, settings, stop, WEBHOOK_SECRET))
        close = ptb.application.shutdown
    else:
        service = build_telegram(app)
        await service.adapter.start(service.bot)
        server = asyncio.create_task(serve_webhook(service, settings, stop))

        async def close() -> None:
            await service.adapter.drain()
            await service.bot.session.close()
    await api.wait_for(before + 1, "setWebhook")
    try:
        yield f"http://127.0.0.1:{port}/telegram/webhook"
    finally:
        stop.set()
        await server
        await close()
        await app.close()


@pytest.mark.parametrize("library", LIBRARIES)
async def test_webhook_mode_checks_the_secret(tmp_path: Path, library: str) -> None:
    async with fake_bot_api() as api, webhook_bot(tmp_path / "data", api, library) as url:
        assert api.sent("setWebhook")[0].params["secret_token"] == WEBHOOK_SECRET
        update = {"update_id": 1, **private_text(31, "/start", "ru")}
        async with aiohttp.ClientSession() as http:
            forged = await http.post(url, data=json.dumps(update),
                                     headers={"Content-Type": "application/json",
                                              "X-Telegram-Bot-Api-Secret-Token": "wrong"})
            assert forged.status == 401
            missing = await http.post(url, data=json.dumps(update),
                                      headers={"Content-Type": "application/json"})
            assert missing.status == 401
            assert api.sent() == []
            good = await http.post(url, data=json.dumps(update),
                                   headers={"Content-Type": "application/json",
                                            "X-Telegram-Bot-Api-Secret-Token":
                                            WEBHOOK_SECRET})
            assert good.status == 200
        calls = await api.wait_for(1)
        assert "Здравствуйте!" in calls[0].params["text"]


async def post_update(http: aiohttp.ClientSession, url: str, update: dict[str, Any] | bytes,
                      ) -> int:
    raw = update if isinstance(update, bytes) else json.dumps(update).encode()
    async with http.post(url, data=raw, headers={
            "Content-Type": "application/json",
            "X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}) as response:
        return response.status


@pytest.mark.parametrize("library", LIBRARIES)
async def test_a_redelivered_update_is_answered_once_also_after_a_restart(
        tmp_path: Path, library: str) -> None:
    update = {"update_id": 424242, **private_text(41, "/help", "id")}
    async with fake_bot_api() as api, aiohttp.ClientSession() as http:
        async with webhook_bot(tmp_path / "data", api, library) as url:
            assert await post_update(http, url, update) == 200
            await api.wait_for(1)
            assert await post_update(http, url, update) == 200  # Telegram retried
            await asyncio.sleep(0.3)
            assert len(api.sent()) == 1
        async with webhook_bot(tmp_path / "data", api, library) as url:
            assert await post_update(http, url, update) == 200
            await asyncio.sleep(0.3)
            assert len(api.sent()) == 1


@pytest.mark.parametrize("library", LIBRARIES)
async def test_polling_after_a_restart_does_not_answer_old_updates_again(
        tmp_path: Path, library: str) -> None:
    async with fake_bot_api() as api:
        async with polling(tmp_path / "data", api, library) as driver:
            await driver.say(private_text(42, "/help", "id"))
        answered = len(api.sent())
        # The stand-in serves every update again to a bot that starts without an offset,
        # as Telegram does with updates it never saw confirmed.
        async with polling(tmp_path / "data", api, library) as driver:
            calls = await driver.say(private_text(43, "/start", "id"))
            assert "Halo!" in text_of(calls)
            assert len([c for c in api.sent() if "Perintah:" in c.params.get("text", "")]) == 1
            assert len(api.sent()) == answered + len(calls)


def unreadable_update(user_id: int) -> dict[str, Any]:
    """An update both libraries refuse (message_id and date are not numbers: pydantic
    refuses the first, PTB the second), holding a user's id."""
    update = private_text(user_id, "Nama saya Siti, nomor saya 081234567890", "id")
    update["message"]["message_id"] = "not-a-number"
    update["message"]["date"] = "never"
    return update


@each_library
async def test_an_unreadable_update_is_skipped_without_its_content_in_the_log(
        telegram: Driver, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        telegram.api.push(unreadable_update(5550001))
        calls = await telegram.say(private_text(5550002, "/help", "id"))  # not stuck on it
    assert "Perintah:" in text_of(calls)
    assert len(calls) == 1  # the unreadable update got no answer
    assert ("telegram.update_unreadable at=message.message_id:int_parsing" in caplog.text
            or "telegram.update_unreadable error=TypeError" in caplog.text)
    for secret in ("5550001", "081234567890", "Siti"):
        assert secret not in caplog.text
    assert "Traceback" not in caplog.text


@pytest.mark.parametrize("library", LIBRARIES)
async def test_webhook_answers_unreadable_updates_without_logging_them(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, library: str) -> None:
    async with fake_bot_api() as api, aiohttp.ClientSession() as http, \
            webhook_bot(tmp_path / "data", api, library) as url:
        with caplog.at_level(logging.DEBUG):
            update = {"update_id": 77, **unreadable_update(5550003)}
            assert await post_update(http, url, update) == 200  # or Telegram redelivers it
            assert await post_update(http, url, {"update_id": 78}) == 200  # no known type
            assert await post_update(http, url, b"[" * 100_000 + b"]" * 100_000) == 400
            assert await post_update(http, url, b"{not json") == 400
            await asyncio.sleep(0.3)
    assert api.sent() == []
    assert "5550003" not in caplog.text and "081234567890" not in caplog.text
    assert "Traceback" not in caplog.text


def photo_update(user_id: int, file_id: str, size: int, language: str) -> dict[str, Any]:
    update = private_text(user_id, "", language)
    del update["message"]["text"]
    update["message"]["photo"] = [{"file_id": file_id, "file_unique_id": "u" + file_id,
                                   "width": 90, "height": 90, "file_size": size}]
    return update


@each_library
async def test_a_refused_photo_is_reported_in_the_users_language(telegram: Driver) -> None:
    await telegram.say(private_text(44, "/report", "ru"))
    telegram.api.files["big"] = b"\xff" * 16
    calls = await telegram.say(photo_update(44, "big", 9 * 1024 * 1024, "ru"), replies=2)
    assert text_of(calls).startswith("Я не могу использовать это фото")
    assert "Получено" not in text_of(calls)
    telegram.api.files["bomb"] = bomb_png()
    calls = await telegram.say(photo_update(44, "bomb", len(bomb_png()), "ru"), replies=2)
    assert text_of(calls).startswith("Я не могу использовать это фото")
    telegram.api.files["text"] = b"just some text, not a picture"
    calls = await telegram.say(photo_update(44, "text", 29, "ru"), replies=2)
    assert text_of(calls).startswith("Я не могу использовать это фото")
    assert not list((telegram.app.data_dir / "incoming").glob("*.jpg"))


@each_library
async def test_a_photo_too_large_in_its_largest_size_is_taken_in_a_smaller_one(
        telegram: Driver) -> None:
    await telegram.say(private_text(45, "/report", "id"))
    image = io.BytesIO()
    Image.new("RGB", (90, 90), "blue").save(image, format="JPEG")
    telegram.api.files["small"] = image.getvalue()
    update = photo_update(45, "small", len(image.getvalue()), "id")
    update["message"]["photo"].append({"file_id": "huge", "file_unique_id": "uh",
                                       "width": 9000, "height": 9000,
                                       "file_size": 9 * 1024 * 1024})
    calls = await telegram.say(update)
    assert "1 foto diterima" in text_of(calls)


# -- `run telegram`: start-up without a network, webhook mode without a secret ----------------

async def run_main(env: dict[str, str], tmp_path: Path) -> asyncio.subprocess.Process:
    environment = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL")}
    environment.update({"DATA_DIR": str(tmp_path / "data"), "TELEGRAM_BOT_TOKEN": TOKEN,
                        "RUN_SCHEDULER": "false", **env})
    return await asyncio.create_subprocess_exec(
        sys.executable, str(ROOT / "main.py"), "run", "telegram", cwd=tmp_path,
        env=environment, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)


@pytest.mark.parametrize("library", LIBRARIES)
async def test_no_network_at_start_is_one_line_per_try_then_a_clean_stop(
        tmp_path: Path, library: str) -> None:
    closed = free_port()  # nothing listens there: every call fails to connect
    proc = await run_main({"TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{closed}",
                           "TELEGRAM_LIBRARY": library}, tmp_path)
    assert proc.stderr is not None
    lines: list[str] = []
    async with asyncio.timeout(30):
        while len([ln for ln in lines if "telegram.unreachable" in ln]) < 3:
            line = await proc.stderr.readline()
            assert line, "".join(lines)  # the process ended instead of retrying
            lines.append(line.decode())
    proc.send_signal(signal.SIGTERM)
    async with asyncio.timeout(15):
        _, rest = await proc.communicate()
    said = "".join(lines) + rest.decode()
    tries = [ln for ln in said.splitlines() if "telegram.unreachable" in ln]
    assert [t.rsplit("retry_in=", 1)[1] for t in tries[:3]] == ["1s", "2s", "4s"]
    assert f"error={'NetworkError' if library == 'ptb' else 'TelegramNetworkError'}" in tries[0]
    assert "Traceback" not in said and proc.returncode == 0


@pytest.mark.parametrize("library", LIBRARIES)
async def test_webhook_mode_without_a_secret_is_refused_before_any_call(
        tmp_path: Path, library: str) -> None:
    async with fake_bot_api() as api:
        proc = await run_main({"TELEGRAM_API_BASE_URL": api.base_url,
                               "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/tg",
                               "TELEGRAM_LIBRARY": library}, tmp_path)
        async with asyncio.timeout(30):
            _, err = await proc.communicate()
        assert proc.returncode == 2
        lines = err.decode().strip().splitlines()
        assert lines == ["error: TELEGRAM_WEBHOOK_SECRET is required in webhook mode: Telegram "
                         "sends it with every update, so forged updates are refused."]
        assert api.calls == [] and api.polls == 0


async def test_an_unknown_library_is_refused_with_the_choices(tmp_path: Path) -> None:
    proc = await run_main({"TELEGRAM_LIBRARY": "telebot"}, tmp_path)
    async with asyncio.timeout(120):  # importing aiogram alone took 16 s on a loaded machine
        _, err = await proc.communicate()
    assert proc.returncode == 2
    assert err.decode().strip() == ("error: TELEGRAM_LIBRARY must be aiogram or ptb, not "
                                    "'telebot'.")


@pytest.mark.skipif(not HAVE_PTB, reason="python-telegram-bot is not installed")
async def test_ptb_runs_by_polling_through_main(tmp_path: Path) -> None:
    """`TELEGRAM_LIBRARY=ptb python main.py run telegram`: menus, an answer, SIGTERM."""
    async with fake_bot_api() as api:
        proc = await run_main({"TELEGRAM_API_BASE_URL": api.base_url,
                               "TELEGRAM_LIBRARY": "ptb"}, tmp_path)
        async with asyncio.timeout(120):
            await api.polling.wait()
        api.push(private_text(51, "/start", "ru"))
        (reply,) = await api.wait_for(1, seconds=30)
        assert "Здравствуйте!" in reply.params["text"]
        assert reply.params["parse_mode"] == "HTML"
        assert len(api.sent("setMyCommands")) == 4
        proc.send_signal(signal.SIGTERM)
        async with asyncio.timeout(30):
            _, err = await proc.communicate()
        assert proc.returncode == 0, err.decode()
        assert "Traceback" not in err.decode() and TOKEN not in err.decode()
