"""Tesseract through pytesseract: whether it is installed, which language packs it has, and
one picture's words with their confidence and place.

Why pytesseract (a subprocess per picture) and not tesserocr (the C++ API in-process):
a hard time limit per picture, since a subprocess can be killed and a C call cannot be
interrupted; a crash of the engine on a crafted picture ends a child, not the bot; and the
system's ``tesseract`` is exactly the optional dependency the operator installs, where
tesserocr's wheels bring their own engine that must match the system's language data. The
price is starting a process and loading the models each time (about 0.15 s, measured in
bench/bench_ocr.py).
"""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass

import pytesseract
from PIL import Image

log = logging.getLogger(__name__)

# One core per picture: Tesseract's OpenMP threads would otherwise take every core and, on a
# shared machine, run slower than one (measured: 0.57 s one thread, 1.8 s unrestricted).
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
# LSTM engine, automatic page layout. Tesseract's second pass on inverted lines stays on
# although it costs ~20% of the time: it reads white titles on a coloured band, which
# turning a whole dark picture light does not (without it, Russian titles came out Latin).
CONFIG = "--oem 1 --psm 3"
NICE = 10  # pictures yield the CPU to the event loop that answers everyone's text


class OcrFailed(Exception):
    """Tesseract failed or ran past the time limit on one picture; ``str()`` says which."""


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    conf: float  # 0-100, Tesseract's own
    left: int
    top: int
    height: int
    line: tuple[int, int, int]  # block, paragraph, line


def installed_languages() -> frozenset[str] | None:
    """The language packs of the installed engine, or None when there is no engine."""
    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        return None
    try:
        langs = set(pytesseract.get_languages())
    except (pytesseract.TesseractNotFoundError, OSError, RuntimeError) as exc:
        log.warning("ocr.engine_unusable error=%s", type(exc).__name__)
        return None
    return frozenset(langs - {"osd", "equ"})


def read_words(image: Image.Image, langs: str, timeout: float) -> list[Word]:
    """Every word Tesseract finds, in reading order. Raises OcrFailed."""
    # BMP is written and read far faster than the PNG pytesseract would make of it.
    image.format = "BMP"
    try:
        data = pytesseract.image_to_data(image, lang=langs, config=CONFIG,
                                         nice=NICE, timeout=timeout,
                                         output_type=pytesseract.Output.DICT)
    except RuntimeError as exc:  # pytesseract's way of saying the time limit was reached
        raise OcrFailed("time limit") from exc
    except (pytesseract.TesseractError, OSError, ValueError) as exc:
        raise OcrFailed(type(exc).__name__) from exc
    words = []
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        if not text:
            continue
        words.append(Word(text, float(data["conf"][i]), int(data["left"][i]),
                          int(data["top"][i]), int(data["height"][i]),
                          (int(data["block_num"][i]), int(data["par_num"][i]),
                           int(data["line_num"][i]))))
    return words


__all__ = ["OcrFailed", "Word", "installed_languages", "read_words"]
