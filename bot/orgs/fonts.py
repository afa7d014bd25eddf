"""Fonts that draw Cyrillic as well as Latin text (charts, posters).

DejaVu Sans comes from the Debian package ``fonts-dejavu-core`` (on most Linux systems
already; ``.ci/run`` installs it where missing). Pillow finds it by file name: on Linux
``ImageFont.truetype`` searches the XDG font folders (``/usr/share/fonts`` and below), so
no path is written here. Pillow's own default font has no Cyrillic, so it is only the
last resort of the chart (a logged warning), never of a poster.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from PIL import ImageFont

log = logging.getLogger(__name__)

REGULAR, BOLD = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"
PACKAGE = "fonts-dejavu-core"


class FontMissing(RuntimeError):
    """No font that draws Cyrillic is installed."""


@lru_cache(maxsize=64)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """DejaVu Sans at ``size`` pixels; FontMissing when it is not installed."""
    name = BOLD if bold else REGULAR
    try:
        return ImageFont.truetype(name, size)
    except OSError as exc:
        raise FontMissing(f"the font {name} is not installed (Debian: apt-get install "
                          f"{PACKAGE})") from exc


def font_or_default(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return font(size, bold)
    except FontMissing:
        log.warning("fonts.missing font=%s package=%s", REGULAR, PACKAGE)
        return ImageFont.load_default(size=size)
