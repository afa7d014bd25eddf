"""Photos attached to tips: size-limited, re-encoded so that no metadata (EXIF, GPS,
camera serials) survives, stored under DATA_DIR/tips/<ref>/.

Adapters put a downloaded photo in DATA_DIR/incoming/<token> (``receive_photo``); the
token travels with the draft; on confirmation the performer moves it under the tip.

Decoding is the costly part (a 40-megapixel photo is ~120 MB of pixels and most of a
second of CPU), so it runs in two worker threads, never on the event loop that serves every
other user, and a picture with more pixels than ``MAX_PIXELS`` is refused from its header,
before anything is decoded (a small PNG can claim 100,000 x 100,000 pixels).
"""

from __future__ import annotations

import asyncio
import io
import secrets
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image

from flows.types import Reply, msg, text_reply

MAX_BYTES = 8 * 1024 * 1024  # what we accept from a transport
MAX_PIXELS = 40_000_000  # a 40-megapixel phone camera; more is a bomb, not a flyer
MAX_SIDE = 2048  # longer sides are scaled down: enough to read a flyer
FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
DECODERS = 2  # photos decoded at once; more wait their turn…
MAX_WAITING = 16  # …up to this many (each holds up to 8 MB); beyond, a photo is refused
# One pool per process, not per adapter: what it shares out is the machine's CPU.
_decoders = ThreadPoolExecutor(max_workers=DECODERS, thread_name_prefix="photo")
_waiting = 0


class PhotoRejected(ValueError):
    """Too large, too many pixels, or not an image we accept; ``str()`` says which."""


def refused() -> Reply:
    """What the user is told when a photo they sent cannot be used."""
    return text_reply(msg("I could not use that photo: it is too large or not a picture. "
                          "Please send a smaller photo, or write what happened."))


def sanitise(data: bytes) -> bytes:
    """A clean JPEG from the pixels alone; raises PhotoRejected."""
    if len(data) > MAX_BYTES:
        raise PhotoRejected("too large")
    try:
        with Image.open(io.BytesIO(data)) as image:  # reads the header only
            if image.format not in FORMATS:
                raise PhotoRejected(f"format {image.format}")
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise PhotoRejected("too many pixels")
            image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at a reduced scale
            image.load()
            pixels = image.convert("RGB")
    except PhotoRejected:
        raise
    except Exception as exc:  # a decoder's error on a broken or crafted file: OSError,
        raise PhotoRejected("not an image") from exc  # ValueError, EOFError, bomb errors…
    pixels.thumbnail((MAX_SIDE, MAX_SIDE))
    clean = Image.new("RGB", pixels.size)
    clean.paste(pixels)  # a new image: no info dict, no EXIF, no ICC profile carried over
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


async def receive_photo(data_dir: Path, data: bytes) -> str:
    """``receive`` in a photo worker thread; raises PhotoRejected (also when too many
    photos wait already: a flood of photos must not pile up in memory)."""
    global _waiting
    if _waiting >= MAX_WAITING:
        raise PhotoRejected("busy")
    _waiting += 1
    try:
        return await asyncio.get_running_loop().run_in_executor(_decoders, receive,
                                                                data_dir, data)
    finally:
        _waiting -= 1


def receive(data_dir: Path, data: bytes) -> str:
    """Sanitises and parks a photo for a draft; returns its token. Blocking: adapters call
    ``receive_photo``."""
    clean = sanitise(data)
    incoming = data_dir / "incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    token = "p" + secrets.token_hex(12)
    (incoming / f"{token}.jpg").write_bytes(clean)
    return token


def incoming_path(data_dir: Path, token: str) -> Path | None:
    if not (token.startswith("p") and token[1:].isalnum() and len(token) == 25):
        return None
    path = data_dir / "incoming" / f"{token}.jpg"
    return path if path.is_file() else None


def cleanup_incoming(data_dir: Path, max_age_hours: float = 24.0) -> int:
    """Deletes parked photos no draft used within the age (a draft lives as long)."""
    import time

    folder = data_dir / "incoming"
    if not folder.is_dir():
        return 0
    cutoff = time.time() - max_age_hours * 3600
    removed = 0
    for path in folder.glob("p*.jpg"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
