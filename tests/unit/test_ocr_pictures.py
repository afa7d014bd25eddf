"""Pictures prepared for Tesseract and read by it: the pixel cap is kept from the header,
dark pictures are turned light, a turned photo is set straight, and a flyer's text comes out
whole enough that the analyzer finds what it finds in the typed text; the time limit and
the bounded pool hold."""

from __future__ import annotations

import asyncio
import io

import pytest
from PIL import Image, ImageDraw, ImageFont

from bot.ocr import PictureReader, Status, read_picture
from bot.ocr.preprocess import PictureRejected, decode, prepare, skew_angle
from flows.red_flags import Analyzer
from tests.helpers.pictures import FONT, OFFER_ID, OFFER_RU, blank, flyer, needs_tesseract
from tests.unit.test_transport_photos import bomb_png


def lines_image(angle: float) -> Image.Image:
    page = Image.new("L", (1000, 1000), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(FONT), 34)
    for i in range(12):
        draw.text((60, 80 + i * 60), "Dicari pekerja pabrik, gaji sesuai UMK " * 2,
                  font=font, fill=0)
    return page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)


def test_a_bomb_is_refused_from_its_header() -> None:
    with pytest.raises(PictureRejected, match="too many pixels"):
        decode(bomb_png())
    with pytest.raises(PictureRejected, match="not an image"):
        decode(b"%PDF-1.4 not a picture")


@pytest.mark.parametrize("angle", [-4.5, -2.0, 0.0, 1.5, 5.0])
def test_a_turned_page_is_measured(angle: float) -> None:
    # The angle that levels the lines undoes the turn (within the fine step).
    assert skew_angle(lines_image(angle)) == pytest.approx(-angle, abs=0.5)


def test_prepare_inverts_dark_scales_small_and_straightens() -> None:
    dark = Image.open(io.BytesIO(flyer(OFFER_ID, dark=True, fmt="PNG", side=600)))
    prepared = prepare(dark)
    assert prepared.inverted and prepared.scale > 1.0 and prepared.image.mode == "L"
    assert max(prepared.image.size) >= 1000
    turned = prepare(lines_image(4.0).convert("RGB"))
    assert not turned.inverted and turned.angle == pytest.approx(-4.0, abs=0.5)
    huge = prepare(Image.new("RGB", (5000, 3000), "white"))
    assert max(huge.image.size) <= 2100  # scaled down (the rotation may add a margin)


def test_exif_orientation_is_applied() -> None:
    wide = Image.new("RGB", (800, 400), "white")
    exif = wide.getexif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view"
    out = io.BytesIO()
    wide.save(out, format="JPEG", exif=exif)
    assert decode(out.getvalue()).size == (400, 800)


@needs_tesseract
@pytest.mark.parametrize(("lines", "packs", "kw"), [
    (OFFER_ID, "ind+eng", {}),
    (OFFER_ID, "ind+eng", {"angle": 4.0, "noise": True}),
    (OFFER_RU, "rus+eng", {"dark": True, "fmt": "PNG"}),
])
def test_a_flyer_reads_to_the_same_risk_as_its_text(lines: list[str], packs: str,
                                                    kw: dict[str, object]) -> None:
    reading = read_picture(flyer(lines, **kw), packs, timeout=60)  # type: ignore[arg-type]
    assert reading.status is Status.READ
    analyzer = Analyzer.load()
    typed = analyzer.analyze(" ".join(lines))
    read = analyzer.analyze(reading.text)
    assert read.risk == typed.risk and set(read.flag_ids) == set(typed.flag_ids)


@needs_tesseract
def test_a_picture_without_text_is_no_text_and_a_non_picture_is_rejected() -> None:
    assert read_picture(blank(), "eng", timeout=60).status is Status.NO_TEXT
    assert read_picture(b"GIF89a but not really", "eng", timeout=60).status is Status.REJECTED


@needs_tesseract
def test_the_time_limit_ends_the_reading() -> None:
    big = flyer(OFFER_ID * 8, size=28, side=2000, fmt="PNG")
    reading = read_picture(big, "ind+rus+eng", timeout=0.05)
    assert reading.status is Status.FAILED and reading.seconds < 5


@needs_tesseract
async def test_the_pool_is_bounded_per_person_and_in_all() -> None:
    reader = PictureReader(frozenset({"ind", "rus", "eng"}), workers=1, max_waiting=2,
                           per_person=1)
    try:
        picture = flyer(OFFER_ID)
        first = asyncio.create_task(reader.read(picture, "id", person="a"))
        await asyncio.sleep(0)
        # One person's second picture waits for nobody: it is refused while the first runs.
        assert (await reader.read(picture, "id", person="a")).status is Status.BUSY
        second = asyncio.create_task(reader.read(picture, "id", person="b"))
        await asyncio.sleep(0)
        assert (await reader.read(picture, "id", person="c")).status is Status.BUSY  # full
        assert (await first).status is Status.READ and (await second).status is Status.READ
        assert (await reader.read(picture, "id", person="a")).status is Status.READ
    finally:
        reader.close()


def test_without_an_engine_the_reader_is_off(monkeypatch: pytest.MonkeyPatch,
                                             caplog: pytest.LogCaptureFixture) -> None:
    import pytesseract

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    with caplog.at_level("INFO", logger="bot.ocr.pool"):
        reader = PictureReader.detect()
    assert not reader.enabled
    assert [r.message for r in caplog.records if "ocr.off" in r.message]
    assert asyncio.run(reader.read(flyer(OFFER_ID), "id")).status is Status.OFF
