"""Pictures made ready for Tesseract: phone photos of flyers and chat screenshots.

Pure Pillow, no I/O. Tesseract's LSTM reads grey pictures and binarises them itself (Otsu),
so the steps here are those it does not do, or does badly:

- a picture whose header claims more than ``MAX_PIXELS`` is refused before it is decoded
  (a small PNG can claim 100,000 x 100,000 pixels);
- EXIF orientation is applied (a phone photo taken sideways), then colour goes (grey);
- dark pictures (a dark-mode chat) are inverted: Tesseract is trained on dark text on light;
- the scale is set so that a line of text is tall enough to read and a huge photo does not
  cost seconds: the longer side goes to between ``MIN_SIDE`` and ``MAX_SIDE``;
- a rotation of a few degrees (a flyer photographed by hand) is measured on a small copy, by
  the angle whose row profile is sharpest, and undone;
- a photo with uneven light (a shadow across the paper) is flattened by dividing by its
  blurred background, then stretched to full contrast.
"""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass

from PIL import Image, ImageFilter, ImageMath, ImageOps, ImageStat

MAX_PIXELS = 40_000_000  # the same cap as tip photos (bot/tips/photos.py)
MAX_SIDE = 2000  # longer sides are scaled down to this: enough for a flyer's small print
MIN_SIDE = 1000  # shorter pictures are scaled up (a cropped screenshot, a thumbnail)
DESKEW_LIMIT = 6.0  # degrees either way: a hand-held photo, not a sideways one
DESKEW_SIDE = 500  # the small copy the angle is measured on
UNEVEN = 40  # grey levels between the lightest and darkest background: a shadow, a lamp
FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF"}


class PictureRejected(ValueError):
    """Not a picture we read: too many pixels, an unknown format, or a broken file."""


@dataclass(frozen=True, slots=True)
class Prepared:
    image: Image.Image  # grey ("L"), dark text on light
    angle: float  # the rotation undone, degrees
    inverted: bool  # a dark picture turned light
    scale: float  # the factor applied to the original size


def decode(data: bytes, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """The picture's pixels, orientation applied; raises PictureRejected."""
    try:
        image = Image.open(io.BytesIO(data))  # the header only, so far
        if image.format not in FORMATS:
            raise PictureRejected(f"format {image.format}")
        width, height = image.size
        if width * height > max_pixels:
            raise PictureRejected("too many pixels")
        image.draft("L", (MAX_SIDE, MAX_SIDE))  # a JPEG decodes at a reduced scale
        image.load()
        return ImageOps.exif_transpose(image)
    except PictureRejected:
        raise
    except Exception as exc:  # the decoders' errors on broken or crafted files
        raise PictureRejected("not an image") from exc


def prepare(image: Image.Image) -> Prepared:
    """Grey, light, readable scale, straight; see the module's docstring."""
    grey = image.convert("L") if image.mode != "L" else image
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        # A transparent sticker-like PNG: put it on white, not on black.
        base = Image.new("RGBA", image.size, "white")
        grey = Image.alpha_composite(base, image.convert("RGBA")).convert("L")
    inverted = ImageStat.Stat(grey).mean[0] < 110
    if inverted:
        grey = ImageOps.invert(grey)
    grey, scale = _rescale(grey)
    angle = skew_angle(grey)
    if abs(angle) >= 0.3:
        grey = grey.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True,
                           fillcolor=255)
    grey = flatten(grey)
    return Prepared(grey, angle, inverted, scale)


def _rescale(grey: Image.Image) -> tuple[Image.Image, float]:
    longer = max(grey.size)
    if MIN_SIDE <= longer <= MAX_SIDE:
        return grey, 1.0
    scale = (MAX_SIDE if longer > MAX_SIDE else MIN_SIDE) / longer
    size = (max(1, round(grey.width * scale)), max(1, round(grey.height * scale)))
    return grey.resize(size, Image.Resampling.LANCZOS), scale


def skew_angle(grey: Image.Image, limit: float = DESKEW_LIMIT) -> float:
    """The rotation (degrees, counter-clockwise) that makes the lines of text level: the
    angle at which the rows of a binarised small copy differ most from one row to the next
    (text lines and the gaps between them line up). Coarse steps of 1°, then 0.2°."""
    small = grey.copy()
    small.thumbnail((DESKEW_SIDE, DESKEW_SIDE))
    # Ink is white on black in this copy, so that rotating in black adds no ink.
    ink = ImageOps.invert(small).point(lambda v: 255 if v > 100 else 0)
    if not ImageStat.Stat(ink).sum[0]:
        return 0.0

    def sharpness(angle: float) -> float:
        turned = ink.rotate(angle, resample=Image.Resampling.NEAREST, fillcolor=0)
        rows = turned.resize((1, turned.height), Image.Resampling.BOX)
        values = list(rows.tobytes())  # one grey byte per row
        return float(sum((a - b) ** 2 for a, b in itertools.pairwise(values)))

    coarse = max((sharpness(a), a) for a in _steps(-limit, limit, 1.0))[1]
    fine = max((sharpness(a), a) for a in _steps(coarse - 0.8, coarse + 0.8, 0.2))[1]
    return round(fine, 2)


def _steps(start: float, stop: float, step: float) -> list[float]:
    count = round((stop - start) / step)
    return [start + i * step for i in range(count + 1)]


def flatten(grey: Image.Image) -> Image.Image:
    """Uneven light removed: each pixel divided by its neighbourhood's background (a wide
    blur of a closing that erases the text), then full contrast. A flat screenshot comes out
    the same but for the contrast stretch."""
    small = grey.copy()
    small.thumbnail((256, 256))
    background = small.filter(ImageFilter.MaxFilter(7)).filter(ImageFilter.GaussianBlur(8))
    low, high = background.getextrema()
    if high - low < UNEVEN:  # even light (a screenshot, a scan): contrast only
        return ImageOps.autocontrast(grey)
    background = background.resize(grey.size, Image.Resampling.BILINEAR)
    level = ImageMath.lambda_eval(
        lambda v: v["convert"](v["min"](v["a"] * 255 / (v["b"] + 1), 255), "L"),
        a=grey, b=background)
    return ImageOps.autocontrast(level)


__all__ = ["MAX_PIXELS", "PictureRejected", "Prepared", "decode", "prepare", "skew_angle"]
