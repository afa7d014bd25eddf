"""Draws the OCR benchmark's pictures from tools/ocr_offers.yaml: each offer as a phone
photo of a printed flyer (rotated up to 5°, uneven light, noise, JPEG quality 50), as a
light chat screenshot and as a dark one (1280 x 1280, times, ticks, a contact's name, the
status bar and the input box around the message, JPEG 50 or PNG). Fonts, sizes, colours and
angles are drawn from a seeded generator, so a run is repeatable.

    python tools/make_offer_images.py OUT_DIR [--seed 16]

writes OUT_DIR/<lang>-<n>-<layout>.(jpg|png) and OUT_DIR/manifest.jsonl with each picture's
text as drawn (the message a person would paste) and its layout.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import textwrap
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml
from PIL import Image, ImageDraw, ImageFilter, ImageFont

OFFERS = Path(__file__).with_name("ocr_offers.yaml")
FONT_DIRS = (Path("/usr/share/fonts/truetype"), Path("/usr/share/fonts/opentype"))
# Faces with Latin and Cyrillic (Debian's fonts-dejavu-core/-extra, fonts-liberation if there).
FACES = ("DejaVuSans.ttf", "DejaVuSerif.ttf", "DejaVuSansCondensed.ttf", "DejaVuSansMono.ttf",
         "DejaVuSerifCondensed.ttf", "LiberationSans-Regular.ttf", "LiberationSerif-Regular.ttf")
BOLD = ("DejaVuSans-Bold.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSansCondensed-Bold.ttf",
        "LiberationSans-Bold.ttf")
DAY = {"id": "Hari ini", "ru": "Сегодня", "en": "Today"}
ONLINE = {"id": "online", "ru": "в сети", "en": "online"}
TYPE = {"id": "Ketik pesan", "ru": "Сообщение", "en": "Type a message"}
FORWARDED = {"id": "Diteruskan", "ru": "Пересланное сообщение", "en": "Forwarded"}
SCREEN = 1280


@dataclass(frozen=True)
class Picture:
    id: str
    lang: str
    layout: str  # flyer_photo, chat_light, chat_dark
    file: str
    text: str  # the message as drawn: what a person would paste


def font_files() -> tuple[list[Path], list[Path]]:
    found = {p.name: p for d in FONT_DIRS if d.is_dir() for p in d.rglob("*.ttf")}
    regular = [found[n] for n in FACES if n in found]
    bold = [found[n] for n in BOLD if n in found]
    if not regular or not bold:
        raise SystemExit("no fonts: apt-get install fonts-dejavu-core fonts-dejavu-extra")
    return regular, bold


def wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont,
         width: int) -> list[str]:
    """Words to lines no wider than ``width`` pixels."""
    lines: list[str] = []
    for chunk in textwrap.wrap(text, 200) or [""]:
        line = ""
        for word in chunk.split():
            trial = f"{line} {word}".strip()
            if draw.textlength(trial, font=font) <= width or not line:
                line = trial
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines


def paragraphs(offer: str) -> list[str]:
    return [" ".join(p.split()) for p in offer.strip().split("\n\n") if p.strip()]


# -- flyer, photographed -----------------------------------------------------------------------

def flyer_photo(offer: str, rng: random.Random, fonts: tuple[list[Path], list[Path]]
                ) -> Image.Image:
    regular, bold = fonts
    paper = rng.choice(["#fffdf4", "#fff6c8", "#e9f4ff", "#ffffff", "#f4ffe9", "#ffe9ec"])
    ink = rng.choice(["#111111", "#1d2a6b", "#3a0b0b", "#0f3d1e"])
    width, height = rng.choice([(1200, 1500), (1100, 1400), (1400, 1400)])
    page = Image.new("RGB", (width, height), paper)
    draw = ImageDraw.Draw(page)
    size = rng.randint(34, 46)
    body = ImageFont.truetype(str(rng.choice(regular)), size)
    head = ImageFont.truetype(str(rng.choice(bold)), int(size * 1.35))
    margin, y = 80, 90
    parts = paragraphs(offer)
    band = rng.random() < 0.5  # a coloured band behind the title, white letters
    title_lines = wrap(draw, parts[0], head, width - 2 * margin)
    if band:
        colour = rng.choice(["#b3141b", "#0d4fa3", "#1f7a33", "#6a1b9a"])
        draw.rectangle((0, y - 30, width, y + len(title_lines) * int(size * 1.7) + 20),
                       fill=colour)
    for line in title_lines:
        draw.text((margin, y), line, font=head, fill="#ffffff" if band else ink)
        y += int(size * 1.7)
    y += size
    for part in parts[1:]:
        for line in wrap(draw, part, body, width - 2 * margin):
            draw.text((margin, y), line, font=body, fill=ink)
            y += int(size * 1.35)
        y += size // 2
    page = page.crop((0, 0, width, min(height, y + 80)))
    return photograph(page, rng)


def photograph(page: Image.Image, rng: random.Random) -> Image.Image:
    """A hand-held phone photo of the page: on a table, turned, lit from one side, noisy."""
    table = Image.new("RGB", (page.width + 240, page.height + 240),
                      rng.choice(["#6b5a48", "#8a8a8a", "#3e4a52", "#a08a70"]))
    table.paste(page, (120, 120))
    turned = table.rotate(rng.uniform(-5, 5), resample=Image.Resampling.BICUBIC,
                          expand=False, fillcolor="#555555")
    # Light falls off across the picture: a grey ramp multiplied in.
    ramp = Image.linear_gradient("L").resize(turned.size).rotate(rng.choice([0, 90, 180, 270]))
    low = rng.randint(150, 200)
    shade = ramp.point(lambda v: low + v * (255 - low) // 255)
    lit = Image.composite(turned, Image.new("RGB", turned.size, "black"), shade)
    lit = Image.blend(turned, lit, 0.8)
    noise = Image.effect_noise(turned.size, rng.uniform(18, 32)).convert("RGB")
    noisy = Image.blend(lit, noise, rng.uniform(0.06, 0.12))
    if rng.random() < 0.5:
        noisy = noisy.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 0.9)))
    return noisy


# -- chat screenshots --------------------------------------------------------------------------

@dataclass(frozen=True)
class Theme:
    background: str
    header: str
    header_text: str
    incoming: str
    outgoing: str
    text: str
    meta: str


LIGHT = Theme("#ece5dd", "#075e54", "#ffffff", "#ffffff", "#dcf8c6", "#111b21", "#667781")
DARK = Theme("#0b141a", "#1f2c34", "#e9edef", "#202c33", "#005c4b", "#e9edef", "#8696a0")


def chat(offer: str, lang: str, reply: str, contact: str, theme: Theme, rng: random.Random,
         fonts: tuple[list[Path], list[Path]]) -> tuple[Image.Image, str]:
    """A 1280 x 1280 chat screenshot; returns it and the message text it shows."""
    regular, _ = fonts
    face = str(rng.choice(regular[:3]))
    size = rng.randint(30, 36)
    font = ImageFont.truetype(face, size)
    small = ImageFont.truetype(face, int(size * 0.7))
    screen = Image.new("RGB", (SCREEN, SCREEN), theme.background)
    draw = ImageDraw.Draw(screen)
    hour = rng.randint(7, 22)
    # The phone's status bar and the app's header with the contact's name and status.
    draw.rectangle((0, 0, SCREEN, 190), fill=theme.header)
    draw.text((40, 18), f"{hour}:{rng.randint(10, 59)}", font=small, fill=theme.header_text)
    draw.text((SCREEN - 230, 18), f"4G {rng.randint(20, 99)}%", font=small,
              fill=theme.header_text)
    draw.text((40, 85), "<", font=font, fill=theme.header_text)
    draw.ellipse((100, 80, 170, 150), fill="#9aa5ab")
    draw.text((195, 75), contact, font=font, fill=theme.header_text)
    draw.text((195, 75 + size + 8), ONLINE[lang], font=small, fill=theme.header_text)
    day = DAY[lang]
    day_width = draw.textlength(day, font=small)
    draw.rounded_rectangle((SCREEN / 2 - day_width / 2 - 20, 215,
                            SCREEN / 2 + day_width / 2 + 20, 215 + size + 10), 12,
                           fill=theme.incoming)
    draw.text((SCREEN / 2 - day_width / 2, 220), day, font=small, fill=theme.meta)
    y = 215 + size + 40
    shown: list[str] = []
    bubbles = paragraphs(offer)
    minute = rng.randint(10, 50)
    forwarded = rng.random() < 0.5
    for i, part in enumerate([*bubbles, reply]):
        outgoing = i == len(bubbles)
        lines = wrap(draw, part, font, 820)
        line_h = int(size * 1.3)
        label = forwarded and i == 0
        height = line_h * len(lines) + int(size * 0.9) + 30 + (line_h if label else 0)
        widest = max(draw.textlength(line, font=font) for line in lines)
        width = int(max(widest, 260)) + 60
        left = SCREEN - width - 40 if outgoing else 40
        if y + height > SCREEN - 140:
            break  # the screen is full: the rest is not in the picture, nor in its text
        draw.rounded_rectangle((left, y, left + width, y + height), 18,
                               fill=theme.outgoing if outgoing else theme.incoming)
        ty = y + 14
        if label:
            draw.text((left + 30, ty), FORWARDED[lang], font=small, fill=theme.meta)
            ty += line_h
        for line in lines:
            draw.text((left + 30, ty), line, font=font, fill=theme.text)
            ty += line_h
        stamp = f"{hour}:{minute + i:02d}" + (" ✓✓" if outgoing else "")
        stamp_w = draw.textlength(stamp, font=small)
        draw.text((left + width - stamp_w - 20, y + height - int(size * 0.9) - 8), stamp,
                  font=small, fill=theme.meta)
        shown.append(part)
        y += height + 22
    # The box to type in.
    draw.rounded_rectangle((30, SCREEN - 110, SCREEN - 150, SCREEN - 30), 40,
                           fill=theme.incoming)
    draw.text((80, SCREEN - 90), TYPE[lang], font=font, fill=theme.meta)
    draw.ellipse((SCREEN - 125, SCREEN - 110, SCREEN - 45, SCREEN - 30), fill="#00a884")
    return screen, "\n\n".join(shown)


# -- the set -----------------------------------------------------------------------------------

def encode(image: Image.Image, jpeg: bool) -> tuple[bytes, str]:
    out = io.BytesIO()
    if jpeg:
        image.convert("RGB").save(out, format="JPEG", quality=50)
        return out.getvalue(), "jpg"
    image.save(out, format="PNG")
    return out.getvalue(), "png"


def generate(out_dir: Path, seed: int = 16) -> list[Picture]:
    rng = random.Random(seed)  # noqa: S311 - a repeatable set, not a secret
    fonts = font_files()
    data = yaml.safe_load(OFFERS.read_text(encoding="utf-8"))
    out_dir.mkdir(parents=True, exist_ok=True)
    pictures: list[Picture] = []
    for lang, block in data.items():
        for n, offer in enumerate(block["offers"], start=1):
            drawn = [("flyer_photo", flyer_photo(offer, rng, fonts), True,
                      "\n\n".join(paragraphs(offer)))]
            for layout, theme in (("chat_light", LIGHT), ("chat_dark", DARK)):
                image, text = chat(offer, lang, block["reply"], block["contact"], theme, rng,
                                   fonts)
                drawn.append((layout, image, rng.random() < 0.6, text))
            for layout, image, jpeg, text in drawn:
                body, ext = encode(image, jpeg)
                name = f"{lang}-{n}-{layout}.{ext}"
                (out_dir / name).write_bytes(body)
                pictures.append(Picture(f"{lang}-{n}-{layout}", lang, layout, name, text))
    with (out_dir / "manifest.jsonl").open("w", encoding="utf-8") as fh:
        for picture in pictures:
            fh.write(json.dumps(asdict(picture), ensure_ascii=False) + "\n")
    return pictures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    pictures = generate(args.out_dir, args.seed)
    print(f"{len(pictures)} pictures in {args.out_dir}")


if __name__ == "__main__":
    main()
