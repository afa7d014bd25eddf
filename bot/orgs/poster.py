"""A printable campaign poster (A4): a short warning, the checklist, a QR code of the bot's
deep link for the campaign, and the country's emergency and hotline numbers with the date
of the source that shows each.

Pure: the caller passes the texts already translated and the directory's entries; this
module lays them out with Pillow (PNG, or PDF through Pillow's own writer) and draws the
QR code from segno's module matrix, so no other imaging library is needed. Numbers come
only from the directory, never from anywhere else: an entry without a dated number is left
out rather than shown undated.
"""

from __future__ import annotations

import io
import re
import textwrap
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass

import segno
from PIL import Image, ImageDraw

from bot.orgs.fonts import font

DPI = 150
WIDTH, HEIGHT = 1240, 1754  # A4 (210 x 297 mm) at 150 dots per inch
MARGIN = 90
QR_SIZE = 560
FORMATS = {".png": "PNG", ".pdf": "PDF"}
# Telegram usernames: 5-32 characters, a letter first, then letters, digits, underscores.
USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{4,31}$")


@dataclass(frozen=True, slots=True)
class HelpLine:
    """One organisation's numbers on the poster, with the date its source shows them."""

    name: str
    numbers: tuple[str, ...]
    dated: str  # YYYY, YYYY-MM or YYYY-MM-DD


@dataclass(frozen=True, slots=True)
class PosterText:
    """Every word of the poster, in one language."""

    title: str
    warning: str
    checklist_title: str
    checklist: tuple[str, ...]
    scan: str  # holds the link
    anonymous: str
    help_title: str
    help_lines: tuple[str, ...]  # already "name: numbers (date)"
    campaign: str
    # With WhatsApp configured: the line under the second QR code (its number and what to
    # send), else "" and the poster carries the Telegram code alone.
    whatsapp: str = ""


def start_text(campaign: str, greeting: str) -> str:
    """What a poster's wa.me link puts in the WhatsApp box: ``/start NAME``, which the
    WhatsApp adapter counts as Telegram's deep link, then a greeting in the poster's
    language, from which the adapter takes the language of its answers."""
    return f"/start {campaign} {greeting}".strip()


def wa_link(digits: str, text: str) -> str:
    """WhatsApp's click-to-chat link: the number in international form, digits only, and
    the prefilled text percent-encoded (spaces as %20, not +)."""
    return f"https://wa.me/{digits}?text={urllib.parse.quote(text, safe='')}"


def deep_link(username: str, campaign: str) -> str:
    return f"https://t.me/{username}?start={campaign}"


def qr_image(link: str, size: int) -> Image.Image:
    """The link's QR code (error correction M: a crease or a smudge on a printed poster
    still reads), scaled to about ``size`` pixels with whole pixels per module."""
    code = segno.make(link, error="m", micro=False)
    border = 4  # the quiet zone the standard asks for
    rows = [list(row) for row in code.matrix_iter(scale=1, border=border)]
    modules = len(rows)
    small = Image.new("1", (modules, modules), 1)
    small.putdata([0 if dark else 1 for row in rows for dark in row])
    scale = max(1, size // modules)
    return small.resize((modules * scale, modules * scale), Image.Resampling.NEAREST)


def render(text: PosterText, link: str, fmt: str, whatsapp: str = "") -> bytes:
    """The poster as PNG or PDF bytes (``fmt``: "PNG" or "PDF"); ``whatsapp`` a wa.me
    link for a second QR code beside the first. A language whose words run longer
    (Russian) is set smaller until everything fits the page."""
    for scale in (1.0, 0.92, 0.85, 0.78, 0.72, 0.66, 0.6):
        page, bottom = _layout(text, link, scale, whatsapp)
        if bottom <= HEIGHT - MARGIN:
            break
    out = io.BytesIO()
    if fmt == "PDF":
        page.save(out, format="PDF", resolution=DPI)
    else:
        page.save(out, format="PNG", dpi=(DPI, DPI))
    return out.getvalue()


def _layout(text: PosterText, link: str, scale: float,
            whatsapp: str = "") -> tuple[Image.Image, int]:
    """The page drawn at ``scale`` of the full sizes, and how far down its text reaches."""
    page = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(page)
    width = WIDTH - 2 * MARGIN

    def size(points: int) -> int:
        return max(12, round(points * scale))

    draw.rectangle((0, 0, WIDTH, 24), fill="#D55E00")  # a band that reads as a warning
    y = _paragraph(draw, text.title, MARGIN, size(62), width, bold=True,
                   colour="#B03A00") + size(24)
    y = _paragraph(draw, text.warning, y, size(31), width) + size(26)
    y = _paragraph(draw, text.checklist_title, y, size(33), width, bold=True) + size(8)
    for item in text.checklist:
        y = _paragraph(draw, item, y, size(29), width - 40, indent=40, bullet="•") + size(6)
    y += size(24)
    if whatsapp:  # two codes side by side, each named by its messenger
        gap = 60
        codes = [qr_image(link, min(size(QR_SIZE), (width - gap) // 2)),
                 qr_image(whatsapp, min(size(QR_SIZE), (width - gap) // 2))]
        # A longer link (Cyrillic is percent-encoded) has more, smaller modules: the
        # codes are centred on a common middle line and named on one line below.
        tallest = max(c.width for c in codes)
        left = (WIDTH - codes[0].width - codes[1].width - gap) // 2
        for x, code, label in ((left, codes[0], "Telegram"),
                               (left + codes[0].width + gap, codes[1], "WhatsApp")):
            page.paste(code.convert("RGB"), (x, y + (tallest - code.width) // 2))
            draw.text((x + code.width / 2, y + tallest), label, fill="black",
                      font=font(size(30), True), anchor="ma")
        y += tallest + size(48)
    else:
        qr = qr_image(link, size(QR_SIZE))
        page.paste(qr.convert("RGB"), ((WIDTH - qr.width) // 2, y))
        y += qr.width + size(12)
    y = _paragraph(draw, text.scan, y, size(27), width, centre=True) + size(6)
    if whatsapp and text.whatsapp:
        y = _paragraph(draw, text.whatsapp, y, size(27), width, centre=True) + size(6)
    y = _paragraph(draw, text.anonymous, y, size(27), width, bold=True,
                   centre=True) + size(30)
    if text.help_lines:
        y = _paragraph(draw, text.help_title, y, size(33), width, bold=True) + size(8)
        for line in text.help_lines:
            y = _paragraph(draw, line, y, size(26), width - 40, indent=40,
                           bullet="☎") + size(4)
    draw.text((MARGIN, HEIGHT - MARGIN // 2), text.campaign, fill="#777777", font=font(18),
              anchor="ls")
    return page, y


def _paragraph(draw: ImageDraw.ImageDraw, text: str, y: int, size: int, width: int, *,
               bold: bool = False, colour: str = "black", indent: int = 0,
               bullet: str = "", centre: bool = False) -> int:
    """Draws wrapped text from ``y``; the y below it."""
    face = font(size, bold)
    lines = _wrap(text, face, width)
    step = int(size * 1.3)
    if bullet:
        draw.text((MARGIN + 4, y), bullet, fill=colour, font=face)
    for line in lines:
        if centre:
            draw.text((WIDTH / 2, y), line, fill=colour, font=face, anchor="ma")
        else:
            draw.text((MARGIN + indent, y), line, fill=colour, font=face)
        y += step
    return y


def _wrap(text: str, face: object, width: int) -> Sequence[str]:
    """Lines that fit ``width`` pixels: the longest count of characters that fits."""
    for chars in range(70, 8, -2):
        lines = textwrap.wrap(text, chars, break_long_words=True) or [""]
        if all(face.getlength(line) <= width for line in lines):  # type: ignore[attr-defined]
            return lines
    return textwrap.wrap(text, 8, break_long_words=True)
