"""Campaign posters through ``main.py``: the QR code read back with zxing-cpp opens the
campaign's deep link (the username from the setting, or from getMe against the stand-in
Bot API), a PDF is one A4 page, bad input is refused with exit 2 and nothing written, the
numbers printed are the directory's with their dates, and ``campaign list`` shows the
anonymous counts per campaign and day."""

from __future__ import annotations

import asyncio
import json
import re
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import zxingcpp
from PIL import Image

from bot.app import build_app
from bot.commands.campaign import COUNTRY_OF_LANGUAGE, help_lines, poster_text
from bot.i18n import Translator
from bot.rendering import TextRenderer
from bot.settings import Settings
from bot.storage.campaigns import CampaignCounter
from referral_directory import load_directory
from tests.e2e.test_email_digest import main_py
from tests.e2e.test_telegram import TOKEN
from tests.e2e.test_whatsapp import running
from tests.helpers.fake_graph import PHONE_ID, fake_graph, text, texts
from tests.helpers.fake_telegram import fake_bot_api

USERNAME = {"TELEGRAM_BOT_USERNAME": "safe_work_bot"}


def _decoded(png: Path) -> list[str]:
    """The poster's QR codes, left to right."""
    found = [r for r in zxingcpp.read_barcodes(Image.open(png))
             if r.format == zxingcpp.BarcodeFormat.QRCode]
    return [r.text for r in sorted(found, key=lambda r: r.position.top_left.x)]


@pytest.mark.parametrize("lang", ["id", "ru", "en"])
def test_the_posters_qr_opens_the_campaigns_deep_link(tmp_path: Path, lang: str) -> None:
    out = tmp_path / f"poster-{lang}.png"
    extra = () if lang in COUNTRY_OF_LANGUAGE else ("--country", "KG")
    done = main_py(tmp_path / "data", "campaign", "poster", "poster-jember", "--lang", lang,
                   "--out", str(out), *extra, **USERNAME)
    assert done.returncode == 0, done.stderr
    assert _decoded(out) == ["https://t.me/safe_work_bot?start=poster-jember"]
    image = Image.open(out)
    assert image.size == (1240, 1754)  # A4 at 150 dpi
    assert round(image.info["dpi"][0]) == 150


async def test_the_username_comes_from_getme_when_unset(tmp_path: Path) -> None:
    out = tmp_path / "poster.pdf"
    async with fake_bot_api() as api:
        done = await asyncio.to_thread(
            main_py, tmp_path / "data", "campaign", "poster", "desa-indramayu", "--lang",
            "id", "--out", str(out), TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=api.base_url)
        assert done.returncode == 0, done.stderr
        assert [c.method for c in api.calls] == ["getMe"]
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    # One A4 page: 595 x 842 points (210 x 297 mm).
    box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert box and (round(float(box.group(1))), round(float(box.group(2)))) == (595, 842)
    png = tmp_path / "same.png"
    async with fake_bot_api() as api:
        await asyncio.to_thread(
            main_py, tmp_path / "data", "campaign", "poster", "desa-indramayu", "--out",
            str(png), TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.base_url)
    assert _decoded(png) == ["https://t.me/safework_test_bot?start=desa-indramayu"]


@pytest.mark.parametrize(("args", "env", "said"), [
    (("poster-jember", "--out", "p.png"), {}, "TELEGRAM_BOT_USERNAME"),
    (("Poster Jember", "--out", "p.png"), USERNAME, "not a campaign name"),
    (("x" * 33, "--out", "p.png"), USERNAME, "not a campaign name"),
    (("report", "--out", "p.png"), USERNAME, "/start opens"),
    (("poster-jember", "--out", "p.svg"), USERNAME, "write a .png or a .pdf"),
    (("poster-jember", "--lang", "en", "--out", "p.png"), USERNAME, "--country"),
    (("poster-jember", "--country", "ZZ", "--out", "p.png"), USERNAME, "no organisation"),
    (("poster-jember", "--out", "p.png"), {"TELEGRAM_BOT_USERNAME": "a b"},
     "not a Telegram username"),
])
def test_bad_input_is_refused_with_a_clear_message(tmp_path: Path, args: tuple[str, ...],
                                                   env: dict[str, str], said: str) -> None:
    done = main_py(tmp_path / "data", "campaign", "poster", *args, **env)
    assert done.returncode == 2, done.stderr
    assert said in done.stderr and "Traceback" not in done.stderr
    assert not list(tmp_path.glob("p.*"))


def test_the_numbers_are_the_directorys_own_with_their_dates() -> None:
    directory = load_directory()
    for country in sorted({o.country for o in directory}):
        lines = help_lines(directory, country, "en")
        for line in lines:
            (org,) = [o for o in directory if o.name_for("en") == line.name]
            assert org.country == country and line.dated == org.seen_on()
            assert set(line.numbers) <= {c.value if c.type.value == "phone"
                                         else f"WhatsApp {c.value}" for c in org.phones()}
    assert help_lines(directory, "RU", "ru") and help_lines(directory, "ID", "id")


def test_the_posters_words_are_in_its_language() -> None:
    say = TextRenderer(Translator.load())
    directory = load_directory()
    lines = help_lines(directory, "RU", "ru")
    text = poster_text(say, "ru", "https://t.me/b?start=x", "RU", lines, "x")
    words = " ".join([text.title, text.warning, *text.checklist, text.help_title])
    assert "Россия" in text.help_title and not re.search(r"[A-Za-z]{3,}", words)
    assert all("по данным источника на 20" in line for line in text.help_lines)
    indonesian = poster_text(say, "id", "https://t.me/b?start=x", "ID",
                             help_lines(directory, "ID", "id"), "x")
    assert indonesian.title == "Ditawari kerja jauh dari rumah? Cek dulu."


async def test_campaign_list_shows_the_counts_per_campaign_and_day(tmp_path: Path) -> None:
    data = tmp_path / "data"
    app = await build_app(Settings(data_dir=data))
    try:
        for day, name in [(24, "poster-jember"), (24, "poster-jember"), (25, "poster-jember"),
                          (25, "radio-osh")]:
            counter = CampaignCounter(app.db, lambda day=day: datetime(2026, 11, day,
                                                                       tzinfo=UTC))
            assert await counter.count(name)
    finally:
        await app.close()
    done = await asyncio.to_thread(main_py, data, "campaign", "list", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [
        {"campaign": "poster-jember", "day": "2026-11-24", "count": 2},
        {"campaign": "poster-jember", "day": "2026-11-25", "count": 1},
        {"campaign": "radio-osh", "day": "2026-11-25", "count": 1}]
    table = (await asyncio.to_thread(main_py, data, "campaign", "list")).stdout
    assert re.search(r"poster-jember\s+total\s+3", table)


def _whatsapp(graph: Any) -> dict[str, str]:
    return {**USERNAME, "WHATSAPP_ACCESS_TOKEN": "EAAtoken",
            "WHATSAPP_PHONE_NUMBER_ID": PHONE_ID, "WHATSAPP_API_BASE_URL": graph.base_url}


@pytest.mark.parametrize(("lang", "greeting"), [
    ("id", "Halo! Saya ingin memeriksa tawaran kerja."),
    ("ru", "Здравствуйте! Я хочу проверить предложение о работе."),
])
async def test_with_whatsapp_a_second_qr_opens_a_chat_that_starts_the_campaign(
        tmp_path: Path, lang: str, greeting: str) -> None:
    out = tmp_path / "poster.png"
    async with fake_graph() as graph:
        done = await asyncio.to_thread(
            main_py, tmp_path / "data", "campaign", "poster", "poster-jember", "--lang", lang,
            "--out", str(out), **_whatsapp(graph))
        assert done.returncode == 0, done.stderr
        assert graph.number_lookups == 1 and "warning" not in done.stderr
        telegram, whatsapp = _decoded(out)
        assert telegram == "https://t.me/safe_work_bot?start=poster-jember"
        # The number is Meta's display number, digits only; the text is percent-encoded.
        link = urllib.parse.urlsplit(whatsapp)
        assert (link.scheme, link.netloc, link.path) == ("https", "wa.me", "/6281100000000")
        (prefilled,) = urllib.parse.parse_qs(link.query)["text"]
        assert prefilled == f"/start poster-jember {greeting}"
        assert "%20" in link.query and "+" not in link.query
        assert whatsapp in done.stdout
        # Sent as WhatsApp sends it, the text is counted and answered in the poster's language.
        async with aiohttp.ClientSession() as http, running(tmp_path / "data", graph,
                                                            http) as phone:
            replies = await phone.say(text(prefilled))
            assert await CampaignCounter(phone.app.db).totals() == {"poster-jember": 1}
    said = texts(replies)
    cyrillic = bool(re.search(r"[А-Яа-я]{4}", said))
    assert cyrillic == (lang == "ru"), said
    assert "/start" not in said and "poster-jember" not in said


@pytest.mark.parametrize("shown", [None, "", "not a number", "12"])
async def test_without_the_number_from_the_graph_api_the_poster_has_telegram_alone(
        tmp_path: Path, shown: str | None) -> None:
    out = tmp_path / "poster.png"
    async with fake_graph() as graph:
        graph.display_phone_number = shown
        done = await asyncio.to_thread(
            main_py, tmp_path / "data", "campaign", "poster", "poster-jember", "--out",
            str(out), **_whatsapp(graph))
    assert done.returncode == 0, done.stderr
    assert "no WhatsApp link" in done.stderr and "Traceback" not in done.stderr
    assert _decoded(out) == ["https://t.me/safe_work_bot?start=poster-jember"]


def test_whatsapp_without_its_settings_is_not_asked(tmp_path: Path) -> None:
    out = tmp_path / "poster.png"
    done = main_py(tmp_path / "data", "campaign", "poster", "poster-jember", "--out",
                   str(out), WHATSAPP_ACCESS_TOKEN="EAAtoken", **USERNAME)
    assert done.returncode == 0 and "WhatsApp" not in done.stderr + done.stdout
    assert _decoded(out) == ["https://t.me/safe_work_bot?start=poster-jember"]
