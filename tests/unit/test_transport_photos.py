"""Photos from users: a decompression bomb is refused from its header, before any pixel is
decoded; a normal photo is re-encoded without metadata, in a worker thread."""

from __future__ import annotations

import asyncio
import io
import struct
import time
import zlib
from pathlib import Path

import pytest
from PIL import Image

from bot.runtime import where
from bot.tips.photos import MAX_PIXELS, MAX_WAITING, PhotoRejected, receive_photo, sanitise
from tests.unit.test_tips_store import jpeg_with_gps


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data +
            struct.pack(">I", zlib.crc32(kind + data)))


def bomb_png(width: int = 9_000, height: int = 9_000) -> bytes:
    """A PNG of a few hundred bytes that claims 81 megapixels. Its pixel data stops after
    100 rows: decoding it would fail as a truncated file, so a refusal that names the pixel
    count proves nothing was decoded."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    rows = (b"\x00" + b"\x00" * ((width + 7) // 8)) * 100
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) +
            _chunk(b"IDAT", zlib.compress(rows, 9)) + _chunk(b"IEND", b""))


def test_a_decompression_bomb_is_refused_without_decoding() -> None:
    bomb = bomb_png()
    assert len(bomb) < 2_000 and MAX_PIXELS < 9_000 * 9_000
    started = time.perf_counter()
    with pytest.raises(PhotoRejected, match="too many pixels"):
        sanitise(bomb)
    assert time.perf_counter() - started < 0.5


def test_the_pixel_cap_is_below_pillows_own_bomb_limit() -> None:
    # Pillow only warns up to 89 MP: 40 MP is where a phone camera ends.
    assert MAX_PIXELS <= 40_000_000 < (Image.MAX_IMAGE_PIXELS or 0)


async def test_photos_are_decoded_in_a_worker_thread(tmp_path: Path) -> None:
    with pytest.raises(PhotoRejected) as refused:
        await receive_photo(tmp_path, bomb_png())
    assert "thread.py" in where(refused.value)  # raised in concurrent.futures' worker
    token = await receive_photo(tmp_path, jpeg_with_gps())
    stored = (tmp_path / "incoming" / f"{token}.jpg").read_bytes()
    assert b"SecretPhoneMaker" not in stored and b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert max(image.size) == 2048 and not image.getexif()


@pytest.mark.parametrize("data", [b"GIF89a" + b"\x00" * 40, b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,
                                  b"\xff\xd8\xff\xe0" + b"\x00" * 40])
def test_broken_files_are_refused_as_not_an_image(data: bytes) -> None:
    with pytest.raises(PhotoRejected, match="not an image"):
        sanitise(data)


async def test_a_flood_of_photos_is_refused_beyond_the_queue(tmp_path: Path) -> None:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), "white").save(out, format="JPEG")
    photo = out.getvalue()
    results = await asyncio.gather(*(receive_photo(tmp_path, photo) for _ in range(40)),
                                   return_exceptions=True)
    refused = [r for r in results if isinstance(r, PhotoRejected)]
    assert len(refused) == 40 - MAX_WAITING and all(str(r) == "busy" for r in refused)
    assert len(list((tmp_path / "incoming").glob("*.jpg"))) == MAX_WAITING
