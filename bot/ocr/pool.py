"""Pictures read off the event loop, in a bounded pool shared by the whole process.

The event loop answers every user's text; a picture costs about half a second of CPU in a
Tesseract child (niced, one thread). So pictures wait for one of ``workers`` threads, each
of which drives one child at a time; past ``max_waiting`` pictures in the queue a new one is
not read (the person is told, and a caption is still checked). One person may have at most
``per_person`` pictures in the queue, so an album of twenty photos from one person cannot
hold everybody else's pictures back for ten seconds.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from bot.ocr.languages import packs_for
from bot.ocr.preprocess import MAX_PIXELS
from bot.ocr.reader import Reading, Status, read_picture
from bot.ocr.tesseract import installed_languages

log = logging.getLogger(__name__)


class PictureReader:
    """Reads the text in pictures; ``enabled`` is False without Tesseract."""

    def __init__(self, languages: frozenset[str] | None, *, workers: int = 1,
                 timeout: float = 10.0, max_pixels: int = MAX_PIXELS,
                 max_waiting: int = 16, per_person: int = 3) -> None:
        self._languages = languages or frozenset()
        self.enabled = bool(self._languages)
        self._timeout = timeout
        self._max_pixels = max_pixels
        self._max_waiting = max_waiting
        self._per_person = per_person
        self._waiting = 0
        self._by_person: Counter[str] = Counter()
        self._pool = ThreadPoolExecutor(max_workers=max(1, workers),
                                        thread_name_prefix="ocr") if self.enabled else None

    @classmethod
    def detect(cls, *, workers: int = 1, timeout: float = 10.0,
               max_pixels: int = MAX_PIXELS) -> PictureReader:
        """The reader of this machine: logs once whether pictures are read, and in what."""
        languages = installed_languages()
        if not languages:
            log.warning("ocr.off reason=%s: pictures are answered 'I can only read text'; "
                        "install tesseract-ocr (see README, Pictures)",
                        "no_engine" if languages is None else "no_language_pack")
        else:
            log.info("ocr.on languages=%s workers=%d timeout=%.0fs",
                     "+".join(sorted(languages)), workers, timeout)
        return cls(languages, workers=workers, timeout=timeout, max_pixels=max_pixels)

    def packs(self, lang: str, country: str) -> str:
        return packs_for(lang, country, self._languages)

    async def read(self, data: bytes, lang: str, country: str = "", person: str = "") -> Reading:
        """The text in one picture, read in a worker; never raises for a bad picture."""
        if self._pool is None:
            return Reading(Status.OFF)
        if self._waiting >= self._max_waiting or (
                person and self._by_person[person] >= self._per_person):
            log.info("ocr.busy waiting=%d", self._waiting)
            return Reading(Status.BUSY)
        self._waiting += 1
        if person:
            self._by_person[person] += 1
        try:
            reading = await asyncio.get_running_loop().run_in_executor(
                self._pool, read_picture, data, self.packs(lang, country), self._timeout,
                self._max_pixels)
        finally:
            self._waiting -= 1
            if person:
                self._by_person[person] -= 1
                if not self._by_person[person]:
                    del self._by_person[person]
        log.info("ocr.read status=%s langs=%s ms=%.0f chars=%d", reading.status,
                 reading.langs, reading.seconds * 1000, len(reading.text))
        return reading

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)


__all__ = ["PictureReader"]
