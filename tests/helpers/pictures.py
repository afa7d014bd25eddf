"""Pictures for the OCR tests, drawn here with DejaVu (Debian's fonts-dejavu-core), and the
mark that skips a test when Tesseract or its packs are missing."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from bot.ocr.tesseract import installed_languages

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
_LANGS = installed_languages() or frozenset()
needs_tesseract = pytest.mark.skipif(
    not {"ind", "rus", "eng"} <= _LANGS,
    reason="Tesseract with its Indonesian and Russian packs is not installed "
           "(apt-get install tesseract-ocr tesseract-ocr-ind tesseract-ocr-rus; .ci/run does)")


def flyer(lines: list[str], *, size: int = 40, angle: float = 0.0, dark: bool = False,
          noise: bool = False, fmt: str = "JPEG", side: int = 1200) -> bytes:
    """Lines of text on a page, optionally turned, dark (light text) or noisy."""
    background, ink = ("#101418", "#e8e8e8") if dark else ("#fffdf4", "#111111")
    page = Image.new("RGB", (side, side), background)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(FONT), size)
    for i, line in enumerate(lines):
        draw.text((70, 90 + i * int(size * 1.5)), line, font=font, fill=ink)
    if angle:
        page = page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=background)
    if noise:
        random.seed(3)
        grain = Image.effect_noise(page.size, 24).convert("RGB")
        page = Image.blend(page, grain, 0.08)
    out = io.BytesIO()
    page.save(out, format=fmt, **({"quality": 50} if fmt == "JPEG" else {}))
    return out.getvalue()


def blank(fmt: str = "PNG") -> bytes:
    """A photo with nothing to read: a gradient, as of a wall."""
    out = io.BytesIO()
    Image.linear_gradient("L").resize((640, 480)).convert("RGB").save(out, format=fmt)
    return out.getvalue()


OFFER_ID = ["LOWONGAN KERJA KE MALAYSIA", "Gaji 9 juta per bulan, tanpa pengalaman.",
            "Paspor kamu akan kami simpan selama", "kontrak kerja. Berangkat minggu depan!"]
OFFER_RU = ["РАБОТА В ДУБАЕ ДЛЯ ДЕВУШЕК", "Зарплата от 3000 долларов, опыт не нужен.",
            "Паспорт на время контракта", "хранится у работодателя."]
