"""Offers that arrive as pictures (issue #16), through the real client libraries: a photo or
an image file on Telegram (stand-in Bot API: getFile and the file download), an image on
WhatsApp (stand-in Graph API: the media endpoint). The text read is checked like a pasted
one, with a line saying so and an excerpt; a picture without text gets a polite request for
the text; in a report the photo joins the tip and its text goes into the tip's description;
one person's pictures do not hold back another person's answer; without Tesseract the bot
answers as before."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.e2e.test_telegram import LIBRARIES, Driver, polling, text_of
from tests.e2e.test_whatsapp import Phone, press, running
from tests.helpers.fake_graph import fake_graph, message, texts
from tests.helpers.fake_telegram import callback, fake_bot_api, private_text
from tests.helpers.pictures import OFFER_ID, OFFER_RU, blank, flyer, needs_tesseract


def photo(user_id: int, file_id: str, data: bytes, language: str,
          caption: str = "") -> dict[str, Any]:
    update = private_text(user_id, "", language)
    del update["message"]["text"]
    update["message"]["photo"] = [{"file_id": file_id, "file_unique_id": "u" + file_id,
                                   "width": 1200, "height": 1200, "file_size": len(data)}]
    if caption:
        update["message"]["caption"] = caption
    return update


def image_file(user_id: int, file_id: str, data: bytes, language: str) -> dict[str, Any]:
    update = private_text(user_id, "", language)
    del update["message"]["text"]
    update["message"]["document"] = {"file_id": file_id, "file_unique_id": "u" + file_id,
                                     "file_name": "iklan.png", "mime_type": "image/png",
                                     "file_size": len(data)}
    return update


@pytest.fixture(params=LIBRARIES)
async def telegram(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[Driver]:
    """The bot on each Telegram library: both read pictures the same way."""
    async with fake_bot_api() as api, polling(tmp_path / "data", api, request.param) as driver:
        yield driver


@needs_tesseract
async def test_telegram_photo_of_a_flyer_is_read_and_checked(telegram: Driver) -> None:
    telegram.api.files["f1"] = flyer(OFFER_ID, angle=3.0, noise=True)
    said = text_of(await telegram.say(photo(61, "f1", telegram.api.files["f1"], "id")))
    assert "📷 Ini yang saya baca dari gambar" in said
    assert "LOWONGAN KERJA KE MALAYSIA" in said  # the excerpt, so she sees it was read right
    assert "Dokumen dipegang orang lain" in said  # the check of the text read
    assert telegram.button(await telegram.say(photo(61, "f1", telegram.api.files["f1"],
                                                    "id")), "Laporkan")


@needs_tesseract
async def test_telegram_image_file_in_russian_and_a_caption_joins(telegram: Driver) -> None:
    telegram.api.files["d1"] = flyer(OFFER_RU, dark=True, fmt="PNG")
    said = text_of(await telegram.say(image_file(62, "d1", telegram.api.files["d1"], "ru")))
    assert "📷 Вот что я прочитал на картинке: «РАБОТА В ДУБАЕ" in said
    assert "Документы забирают" in said
    # The caption is read with the picture: her words and the flyer's are one check.
    telegram.api.files["f2"] = flyer(["Kerja di restoran, gaji besar."])
    said = text_of(await telegram.say(photo(63, "f2", telegram.api.files["f2"], "id",
                                            caption="Paspor kamu kami simpan selama "
                                                    "kontrak kerja.")))
    assert "Dokumen dipegang orang lain" in said and "📷" in said


@needs_tesseract
async def test_telegram_picture_without_text_asks_for_the_text(telegram: Driver) -> None:
    telegram.api.files["b1"] = blank()
    said = text_of(await telegram.say(photo(64, "b1", telegram.api.files["b1"], "id")))
    assert "Saya tidak menemukan teks yang bisa saya baca di gambar ini" in said
    await telegram.say(private_text(65, "/check", "ru"))
    telegram.api.files["b2"] = blank("JPEG")
    said = text_of(await telegram.say(photo(65, "b2", telegram.api.files["b2"], "ru")))
    assert "Я не нашёл на этой картинке текста" in said


@needs_tesseract
async def test_one_persons_picture_does_not_hold_back_anothers_text(telegram: Driver) -> None:
    heavy = flyer(OFFER_ID * 6, size=30, side=2000, fmt="PNG")
    telegram.api.files["h1"] = heavy
    telegram.api.push(photo(66, "h1", heavy, "id"))
    await asyncio.sleep(0.2)  # the picture is being read
    telegram.api.push(private_text(67, "/help", "id"))
    calls = await telegram.api.wait_for(2, seconds=60)
    chats = [c.params["chat_id"] for c in calls]
    assert chats.index(67) < chats.index(66)  # the text was answered while the picture was read


@needs_tesseract
async def test_telegram_report_photo_text_goes_into_the_tip(telegram: Driver) -> None:
    say, button = telegram.say, telegram.button
    await say(private_text(69, "/report", "ru"))
    telegram.api.files["rp"] = flyer(OFFER_RU, angle=-3.0)
    calls = await say(photo(69, "rp", telegram.api.files["rp"], "ru"))
    assert "Получено 1 фото" in text_of(calls)
    calls = await say(callback(69, button(calls, "Дальше"), "ru"))
    calls = await say(callback(69, button(calls, "Торговля людьми или подозрительная вакансия"),
                               "ru"))
    # the place, the one-time country question (no place gave one), when
    for label in ("Пропустить", "Пропустить", "Пропустить", "Нет", "Пропустить",
                  "Только помогающим организациям (НКО)", "Отправить"):
        calls = await say(callback(69, button(calls, label), "ru"))
    assert "Спасибо. Ваше сообщение сохранено." in text_of(calls)
    db = sqlite3.connect(telegram.app.data_dir / "bot.sqlite3")
    (text,) = [row[0] for row in db.execute("select text from tips")]
    assert "РАБОТА В ДУБАЕ ДЛЯ ДЕВУШЕК" in text and "хранится у работодателя" in text
    assert [row[0] for row in db.execute("select count(*) from tip_files")] == [1]


async def test_without_tesseract_a_photo_gets_the_old_answer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pytesseract

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    async with fake_bot_api() as api, polling(tmp_path / "data", api) as telegram:
        telegram.api.files["n1"] = flyer(OFFER_ID)
        said = text_of(await telegram.say(photo(68, "n1", telegram.api.files["n1"], "id")))
    assert "Saya hanya bisa membaca teks." in said and "📷" not in said


@pytest.fixture
async def phone(tmp_path: Path) -> AsyncIterator[Phone]:
    async with fake_graph() as graph, aiohttp.ClientSession() as http, \
            running(tmp_path / "data", graph, http) as running_phone:
        yield running_phone


@needs_tesseract
async def test_whatsapp_image_is_read_and_checked(phone: Phone) -> None:
    user = "6281233330001"
    phone.graph.media["m1"] = flyer(OFFER_ID, angle=-2.5)
    said = texts(await phone.say(message("image", {"mime_type": "image/jpeg", "id": "m1"},
                                         wa_id=user), to=user, wa_id=user))
    assert "📷 Ini yang saya baca dari gambar" in said and "LOWONGAN KERJA" in said
    assert "Dokumen dipegang orang lain" in said
    phone.graph.media["m2"] = blank()
    said = texts(await phone.say(message("document", {"mime_type": "image/png", "id": "m2",
                                                      "filename": "x.png"}, wa_id=user),
                                 to=user, wa_id=user))
    assert "Saya tidak menemukan teks yang bisa saya baca" in said


@needs_tesseract
async def test_whatsapp_report_photo_text_goes_into_the_tip(phone: Phone) -> None:
    user = "6281233330002"
    phone.graph.media["r1"] = flyer(OFFER_ID)
    await phone.say(message("text", {"body": "/report"}, wa_id=user), to=user, wa_id=user)
    sent = await phone.say(message("image", {"mime_type": "image/jpeg", "id": "r1",
                                             "caption": "Brosur dari agen"}, wa_id=user),
                           to=user, wa_id=user)
    assert "1 foto diterima" in texts(sent)
    # the place, the one-time country question (no place gave one), when
    for title in ("Lanjut", "Perdagangan orang atau tawaran kerja mencurigakan", "Lewati",
                  "Lewati", "Lewati", "Tidak", "Lewati", "Hanya lembaga pendamping (LSM)",
                  "Kirim"):
        sent = await phone.say(press(sent, title, wa_id=user), to=user, wa_id=user)
    assert "Kode tanda terimamu" in texts(sent)
    db = sqlite3.connect(phone.app.data_dir / "bot.sqlite3")
    (text,) = [row[0] for row in db.execute("select text from tips")]
    assert text.startswith("Brosur dari agen") and "LOWONGAN KERJA KE MALAYSIA" in text
    assert [row[0] for row in db.execute("select count(*) from tip_files")] == [1]
