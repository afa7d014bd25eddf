"""Reading the text in pictures (flyers, chat screenshots) with Tesseract.

Pure parts: ``preprocess`` (Pillow), ``screenshot`` (the chat's chrome dropped),
``languages`` (which packs). I/O: ``tesseract`` (the engine in a child process) and
``pool`` (the bounded workers the adapters await)."""

from __future__ import annotations

from bot.ocr.pool import PictureReader
from bot.ocr.reader import Reading, Status, read_picture

__all__ = ["PictureReader", "Reading", "Status", "read_picture"]
