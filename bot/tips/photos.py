"""Photos attached to tips: size-limited, re-encoded so that no metadata (EXIF, GPS,
camera serials) survives, stored under DATA_DIR/tips/<ref>/.

Adapters put a downloaded photo in DATA_DIR/incoming/<token> (``receive``); the token
travels with the draft; on confirmation the performer moves it under the tip.
"""

from __future__ import annotations

import io
import secrets
from pathlib import Path

from PIL import Image, UnidentifiedImageError

MAX_BYTES = 8 * 1024 * 1024  # what we accept from a transport
MAX_SIDE = 2048  # longer sides are scaled down: enough to read a flyer
FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


class PhotoRejected(ValueError):
    """Too large, or not an image we accept."""


def sanitise(data: bytes) -> bytes:
    """A clean JPEG from the pixels alone; raises PhotoRejected."""
    if len(data) > MAX_BYTES:
        raise PhotoRejected("too large")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in FORMATS:
                raise PhotoRejected(f"format {image.format}")
            image.load()
            pixels = image.convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise PhotoRejected("not an image") from exc
    pixels.thumbnail((MAX_SIDE, MAX_SIDE))
    clean = Image.new("RGB", pixels.size)
    clean.paste(pixels)  # a new image: no info dict, no EXIF, no ICC profile carried over
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


def receive(data_dir: Path, data: bytes) -> str:
    """Sanitises and parks a photo for a draft; returns its token."""
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
